"""Events: the log's rows, their idempotency keys, and the queries that add and read them."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from studio.core.events import FIELDS, Event, KeyDeriver
from studio.core.store.writer import Writer

# The `events` table's columns as inserted: the record's fields, with its `id` stored as
# event_id (the table's own key is `seq`), between the session and key and the extra JSON.
EVENT_COLUMNS = ("session_id", "key", *FIELDS[:-1], "event_id", "extra")
INSERT_EVENT = (
    f"INSERT OR IGNORE INTO events ({', '.join(EVENT_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(EVENT_COLUMNS))})"
)


# sqlite3 binds None through its adapter lookup, which fails for None and raises and clears
# two AttributeErrors per value on the way (CPython's microprotocols). Events are mostly empty
# fields: registering the identity adapter for None makes those binds a dict hit, a third of
# the cost of inserting a row. A None still binds as NULL.
sqlite3.register_adapter(type(None), lambda value: value)


@dataclass(frozen=True, slots=True)
class AddResult:
    accepted: int
    duplicates: int


def keyed_rows(session_id: int, rows: Iterable[tuple], keys: KeyDeriver) -> Iterator[tuple]:
    """Event.as_row() tuples as `events` rows: session and idempotency key in front."""
    return ((session_id, keys.key(row), *row) for row in rows)


def insert_keyed_rows(conn: sqlite3.Connection, rows: Iterable[tuple]) -> int:
    """Insert keyed_rows(); returns how many were new. Call inside a transaction."""
    before = conn.total_changes
    conn.executemany(INSERT_EVENT, rows)
    return conn.total_changes - before


class EventQueries(Writer):
    def events(self, session_id: int, kinds: Sequence[str] | None = None) -> list[Event]:
        sql = "SELECT * FROM events WHERE session_id = ?"
        params: list[Any] = [session_id]
        if kinds:
            sql += f" AND kind IN ({', '.join('?' * len(kinds))})"
            params.extend(kinds)
        rows = self.reader().query(sql + " ORDER BY ts, seq", params)
        return [Event.from_row({**row, "id": row["event_id"]}) for row in rows]

    def event_count(self, session_id: int) -> int:
        return (
            self.reader()
            .execute("SELECT count(*) FROM events WHERE session_id = ?", [session_id])
            .fetchone()[0]
        )

    def add_events(
        self, session_id: int, events: Sequence[Event], *, block: bool = True
    ) -> Future[AddResult]:
        """Queue events for one session; the Future resolves after commit.

        Small batches from many callers are coalesced into one transaction by the writer.
        """
        rows = [e.as_row() for e in events]

        def insert(conn: sqlite3.Connection) -> AddResult:
            added = insert_keyed_rows(conn, keyed_rows(session_id, rows, KeyDeriver()))
            return AddResult(added, len(rows) - added)

        return self.submit(insert, coalesce=True, block=block)
