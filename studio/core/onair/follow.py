"""EventFollower: the events of one session that landed since the last look, in commit order.

Every source writes into the database (the simulator, the ingest endpoint, imports, hotkeys,
the capture monitor), so following the table by its `seq` is the one way the live view learns
about all of them alike. The follower opens its own read-only connection in the thread that
polls (WAL lets it read while the writer writes).
"""

from __future__ import annotations

import json
import sqlite3
from decimal import Decimal
from pathlib import Path

from studio.core.events import Event
from studio.core.store import connect

_COLUMNS = (
    "seq, ts, kind, viewer, source, is_new, text, sku, qty, order_id, amount, currency, label, "
    "event_id, extra"
)


class EventFollower:
    def __init__(self, db_path: Path, session_id: int, *, batch: int = 50_000) -> None:
        self.db_path = Path(db_path)
        self.session_id = session_id
        self.batch = batch
        self.last_seq = 0
        self._conn: sqlite3.Connection | None = None

    def poll(self) -> list[Event]:
        """Events committed since the previous poll (at most `batch` of them)."""
        if self._conn is None:
            self._conn = connect(self.db_path, readonly=True)
        rows = self._conn.execute(
            f"SELECT {_COLUMNS} FROM events WHERE session_id = ? AND seq > ? ORDER BY seq LIMIT ?",
            (self.session_id, self.last_seq, self.batch),
        ).fetchall()
        if rows:
            self.last_seq = rows[-1][0]
        return [_event(row) for row in rows]

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def _event(row: tuple) -> Event:
    (_, ts, kind, viewer, source, is_new, text, sku, qty, order_id, amount, currency, label,
     event_id, extra) = row
    return Event(
        ts=ts, kind=kind, viewer=viewer, source=source,
        is_new=None if is_new is None else bool(is_new), text=text, sku=sku, qty=qty,
        order_id=order_id, amount=None if amount is None else Decimal(amount),
        currency=currency, label=label, id=event_id,
        extra=json.loads(extra) if extra else None,
    )
