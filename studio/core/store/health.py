"""Health samples: one a second from the capture monitor, and the query that adds them."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass

from studio.core.store.writer import Writer


@dataclass(frozen=True, slots=True)
class HealthSample:
    ts: float
    fps: float | None
    fps_nominal: float | None
    received: int
    dropped: int
    status: str
    width: int | None = None
    height: int | None = None


class HealthQueries(Writer):
    def add_health_samples(
        self, session_id: int, samples: Sequence[HealthSample], *, block: bool = True
    ) -> Future[None]:
        rows = [
            (
                session_id,
                s.ts,
                s.fps,
                s.fps_nominal,
                s.received,
                s.dropped,
                s.status,
                s.width,
                s.height,
            )
            for s in samples
        ]

        def insert(conn: sqlite3.Connection) -> None:
            conn.executemany(
                "INSERT OR REPLACE INTO health_samples (session_id, ts, fps, fps_nominal, "
                "received, dropped, status, width, height) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )

        return self.submit(insert, coalesce=True, block=block)
