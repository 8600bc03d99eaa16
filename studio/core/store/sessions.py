"""Sessions: what a show is (market, platform, title, times) and its queries."""

from __future__ import annotations

import time
from dataclasses import dataclass, fields
from typing import Any

from studio.core.message import N_, message
from studio.core.store.errors import StoreError, UnknownSession
from studio.core.store.writer import Writer

MODES = ("live", "replay")


@dataclass(frozen=True, slots=True)
class Session:
    id: int
    market: str
    platform: str
    account: str
    title: str
    mode: str
    replay_of: int | None
    started_at: float | None
    ended_at: float | None
    script_variant: str | None
    created_at: float


SESSION_FIELDS = tuple(f.name for f in fields(Session))


class SessionQueries(Writer):
    def sessions(self) -> list[Session]:
        rows = (
            self.reader()
            .execute(f"SELECT {', '.join(SESSION_FIELDS)} FROM sessions ORDER BY id")
            .fetchall()
        )
        return [Session(*row) for row in rows]

    def session(self, session_id: int) -> Session:
        row = (
            self.reader()
            .execute(f"SELECT {', '.join(SESSION_FIELDS)} FROM sessions WHERE id = ?", [session_id])
            .fetchone()
        )
        if row is None:
            raise UnknownSession(message(N_("session {id} does not exist in {path}"),
                                         id=session_id, path=str(self.path)))
        return Session(*row)

    def create_session(
        self,
        *,
        market: str,
        title: str,
        platform: str = "",
        account: str = "",
        mode: str = "live",
        replay_of: int | None = None,
        started_at: float | None = None,
        ended_at: float | None = None,
        script_variant: str | None = None,
    ) -> int:
        if mode not in MODES:
            raise StoreError(message(N_('mode "{mode}" is not one of {modes}'), mode=mode,
                                     modes=", ".join(MODES)))
        if mode == "replay" and replay_of is None:
            raise StoreError(message(N_("a replay session names the live session it replays "
                                        "(--replay-of)")))
        if started_at is not None and ended_at is not None and ended_at < started_at:
            raise StoreError(message(N_("the session ends before it starts")))
        if replay_of is not None:
            self.session(replay_of)
        record = {
            "market": market,
            "platform": platform,
            "account": account,
            "title": title,
            "mode": mode,
            "replay_of": replay_of,
            "started_at": started_at,
            "ended_at": ended_at,
            "script_variant": script_variant,
            "created_at": time.time(),
        }
        columns = ", ".join(record)
        sql = f"INSERT INTO sessions ({columns}) VALUES ({', '.join('?' * len(record))})"
        return self.write(lambda conn: conn.execute(sql, list(record.values())).lastrowid)

    def update_session(self, session_id: int, **changes: Any) -> None:
        unknown = set(changes) - set(SESSION_FIELDS[1:])
        if unknown:
            raise StoreError(message(N_("sessions have no field {fields}"),
                                     fields=", ".join(sorted(unknown))))
        self.session(session_id)
        sets = ", ".join(f"{name} = ?" for name in changes)
        sql = f"UPDATE sessions SET {sets} WHERE id = ?"
        self.write(lambda conn: conn.execute(sql, [*changes.values(), session_id]))
