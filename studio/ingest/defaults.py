"""The endpoint's defaults, importable without loading the HTTP server (the CLI's --help)."""

from __future__ import annotations

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8427  # what `studio serve` and the app listen on unless told otherwise
DEFAULT_MAX_BODY = 5 * 2**20
