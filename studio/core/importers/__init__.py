"""Importing events from files: the generic format and platform exports (docs/importing.md)."""

from __future__ import annotations

from studio.core.importers.errors import ImportFailed, Problem
from studio.core.importers.run import ImportReport, format_names, import_file

__all__ = ["ImportFailed", "ImportReport", "Problem", "format_names", "import_file"]
