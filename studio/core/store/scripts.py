"""Scripts: each saved text a numbered version, so that any earlier one can be compared and
restored (a restore adds a version; history is never rewritten), and the checklist's manual
items with who ticked them and when."""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass

from studio.core.message import N_, message
from studio.core.store.errors import StoreError
from studio.core.store.writer import Writer


class UnknownScript(StoreError):
    pass


@dataclass(frozen=True, slots=True)
class StoredScript:
    id: int
    name: str
    market: str
    platform: str
    products: str
    created_at: float
    latest: int  # the newest version's number


@dataclass(frozen=True, slots=True)
class ScriptVersion:
    number: int
    text: str
    source: str  # the file it was imported from ("" if none)
    restored_from: int | None  # the version it restored
    created_at: float


@dataclass(frozen=True, slots=True)
class Tick:
    item: str
    ticked_by: str
    ticked_at: float


_VERSION = "SELECT number, text, source, restored_from, created_at FROM script_versions"
_SCRIPT = ("SELECT s.id, s.name, s.market, s.platform, s.products, s.created_at, "
           "MAX(v.number) FROM scripts s JOIN script_versions v ON v.script_id = s.id")


class ScriptQueries(Writer):
    def scripts(self, market: str | None = None) -> list[StoredScript]:
        where, params = ("WHERE s.market = ?", [market]) if market else ("", [])
        rows = self.reader().execute(
            f"{_SCRIPT} {where} GROUP BY s.id ORDER BY s.name", params).fetchall()
        return [StoredScript(*row) for row in rows]

    def script(self, name: str) -> StoredScript:
        row = self.reader().execute(f"{_SCRIPT} WHERE s.name = ? GROUP BY s.id",
                                    [name]).fetchone()
        if row is None:
            raise UnknownScript(message(N_('no script is called "{name}" in {path}'),
                                        name=name, path=str(self.path)))
        return StoredScript(*row)

    def script_versions(self, name: str) -> list[ScriptVersion]:
        script = self.script(name)
        rows = self.reader().execute(
            f"{_VERSION} WHERE script_id = ? ORDER BY number", [script.id]).fetchall()
        return [ScriptVersion(*row) for row in rows]

    def script_version(self, name: str, number: int | None = None) -> ScriptVersion:
        """One version of a script; None is the newest."""
        script = self.script(name)
        wanted = script.latest if number is None else number
        row = self.reader().execute(
            f"{_VERSION} WHERE script_id = ? AND number = ?", [script.id, wanted]).fetchone()
        if row is None:
            raise UnknownScript(message(
                N_('script "{name}" has no version {number} (versions 1 to {latest})'),
                name=name, number=wanted, latest=script.latest))
        return ScriptVersion(*row)

    def save_script(self, name: str, text: str, *, market: str, platform: str = "",
                    products: str = "", source: str = "") -> tuple[ScriptVersion, bool]:
        """Store `text` as the script's next version (the script is made on its first save).
        Returns the newest version and whether it is new: an unchanged text adds none."""

        def save(conn: sqlite3.Connection) -> tuple[ScriptVersion, bool]:
            now = time.time()
            row = conn.execute("SELECT id, market, platform FROM scripts WHERE name = ?",
                               [name]).fetchone()
            if row is None:
                script_id = conn.execute(
                    "INSERT INTO scripts (name, market, platform, products, created_at) "
                    "VALUES (?, ?, ?, ?, ?)", [name, market, platform, products, now]).lastrowid
            else:
                script_id, was_market, was_platform = row
                if (was_market, was_platform) != (market, platform):
                    raise StoreError(message(
                        N_('script "{name}" is for market {market} on "{platform}"; a script '
                           'for another market or platform needs a name of its own'),
                        name=name, market=was_market, platform=was_platform))
            return _add_version(conn, script_id, text, now, source=source)

        return self.write(save)

    def restore_script(self, name: str, number: int) -> tuple[ScriptVersion, bool]:
        """Make version `number`'s text the newest again, as a version of its own."""
        script = self.script(name)
        old = self.script_version(name, number)
        return self.write(lambda conn: _add_version(conn, script.id, old.text, time.time(),
                                                    restored_from=old.number))

    def tick(self, name: str, item: str, ticked_by: str) -> Tick:
        """A manual checklist item ticked by a producer, now."""
        script = self.script(name)
        tick = Tick(item, ticked_by, time.time())
        self.write(lambda conn: conn.execute(
            "INSERT OR REPLACE INTO script_ticks (script_id, item, ticked_by, ticked_at) "
            "VALUES (?, ?, ?, ?)", [script.id, item, ticked_by, tick.ticked_at]))
        return tick

    def untick(self, name: str, item: str) -> None:
        script = self.script(name)
        self.write(lambda conn: conn.execute(
            "DELETE FROM script_ticks WHERE script_id = ? AND item = ?", [script.id, item]))

    def ticks(self, name: str) -> list[Tick]:
        script = self.script(name)
        rows = self.reader().execute(
            "SELECT item, ticked_by, ticked_at FROM script_ticks WHERE script_id = ? "
            "ORDER BY item", [script.id]).fetchall()
        return [Tick(*row) for row in rows]


def _add_version(conn: sqlite3.Connection, script_id: int, text: str, now: float, *,
                 source: str = "", restored_from: int | None = None
                 ) -> tuple[ScriptVersion, bool]:
    latest = conn.execute(
        f"{_VERSION} WHERE script_id = ? ORDER BY number DESC LIMIT 1", [script_id]).fetchone()
    if latest is not None and latest[1] == text:
        return ScriptVersion(*latest), False
    number = latest[0] + 1 if latest else 1
    conn.execute("INSERT INTO script_versions (script_id, number, text, source, restored_from, "
                 "created_at) VALUES (?, ?, ?, ?, ?, ?)",
                 [script_id, number, text, source, restored_from, now])
    return ScriptVersion(number, text, source, restored_from, now), True
