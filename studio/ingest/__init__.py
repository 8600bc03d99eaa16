"""The live ingest endpoint: platform events over loopback HTTP into a session (docs/ingest.md).

- `IngestServer(store, host, port, token, max_body)`: the endpoint; `start()`, `url`, `stop()`.
- `installation_token()`: this installation's bearer token (made once, kept mode 0600).
- `parse_events(body, tz)`: a request body into events, all or nothing (BodyError).
- `document(...)`: the endpoint's OpenAPI document.

Names load on first use, so that `studio --help` does not import the HTTP server. No module
here imports Qt.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from studio.ingest.defaults import DEFAULT_HOST, DEFAULT_MAX_BODY, DEFAULT_PORT

if TYPE_CHECKING:
    from studio.ingest.body import BodyError, parse_events
    from studio.ingest.openapi import document
    from studio.ingest.server import IngestError, IngestServer, IngestStats, is_loopback
    from studio.ingest.token import (
        TokenError,
        check_token,
        installation_token,
        new_installation_token,
        token_path,
    )

_HOMES = {
    "BodyError": "body",
    "parse_events": "body",
    "document": "openapi",
    "IngestError": "server",
    "IngestServer": "server",
    "IngestStats": "server",
    "is_loopback": "server",
    "TokenError": "token",
    "check_token": "token",
    "installation_token": "token",
    "new_installation_token": "token",
    "token_path": "token",
}

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_MAX_BODY",
    "DEFAULT_PORT",
    "BodyError",
    "IngestError",
    "IngestServer",
    "IngestStats",
    "TokenError",
    "check_token",
    "document",
    "installation_token",
    "is_loopback",
    "new_installation_token",
    "parse_events",
    "token_path",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
