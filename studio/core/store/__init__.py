"""The session database (sqlite-utils): schema, migrations, the one writer, and a query module
per domain.

- `writer`: the one writer thread and the per-thread readers (`Writer`)
- `schema`: tables and migrations; `files`: the file, its connections and the readability check
- `sessions`, `events`, `health`, `scripts`: each domain's records and queries, as a class on
  `Writer`
- `errors`: what can go wrong, in words for the user

`Store` is all the domains' queries over one writer; a new domain (scripts, reviews) adds its
own query module and one base class here, rather than growing another's.

The schema is created and read with sqlite-utils. Writes inside the writer use plain SQL on its
connection: sqlite-utils' write helpers commit by themselves, which would break the writer's
transactions, and a million-row import cannot afford a dict per row anyway.
"""

from __future__ import annotations

from studio.core.store.errors import (
    MissingDatabase,
    StoreCorrupt,
    StoreError,
    UnknownSession,
    WriterBusy,
)
from studio.core.store.events import (
    EVENT_COLUMNS,
    INSERT_EVENT,
    AddResult,
    EventQueries,
    insert_keyed_rows,
    keyed_rows,
)
from studio.core.store.files import check_readable, connect, default_db_path
from studio.core.store.health import HealthQueries, HealthSample
from studio.core.store.schema import SCHEMA_VERSION
from studio.core.store.scripts import (
    ScriptQueries,
    ScriptVersion,
    StoredScript,
    Tick,
    UnknownScript,
)
from studio.core.store.sessions import MODES, SESSION_FIELDS, Session, SessionQueries


class Store(SessionQueries, EventQueries, HealthQueries, ScriptQueries):
    """The database of one studio: open it once, share it, close it at exit."""


__all__ = [
    "EVENT_COLUMNS",
    "INSERT_EVENT",
    "MODES",
    "SCHEMA_VERSION",
    "SESSION_FIELDS",
    "AddResult",
    "HealthSample",
    "MissingDatabase",
    "ScriptVersion",
    "Session",
    "Store",
    "StoreCorrupt",
    "StoreError",
    "StoredScript",
    "Tick",
    "UnknownScript",
    "UnknownSession",
    "WriterBusy",
    "check_readable",
    "connect",
    "default_db_path",
    "insert_keyed_rows",
    "keyed_rows",
]
