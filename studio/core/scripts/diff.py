"""What changed between two versions of a script, as a unified diff (the lines a producer
reviews before a show)."""

from __future__ import annotations

import difflib


def script_diff(old: str, new: str, old_label: str, new_label: str) -> list[str]:
    """Unified diff lines (each ending in a newline); empty when the texts are the same."""
    return list(difflib.unified_diff(old.splitlines(keepends=True),
                                     new.splitlines(keepends=True),
                                     fromfile=old_label, tofile=new_label))
