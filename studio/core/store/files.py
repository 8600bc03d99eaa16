"""The database file: where it lives by default, how it is connected to, and the check that
refuses (and keeps a copy of) a file SQLite cannot read cleanly."""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path

import platformdirs

from studio.core.identity import APP_ID
from studio.core.message import N_, message
from studio.core.store.errors import StoreCorrupt, StoreError
from studio.core.store.schema import SCHEMA_VERSION, user_version


def default_db_path() -> Path:
    return platformdirs.user_data_path(APP_ID, appauthor=False) / "studio.db"


def check_readable(path: Path) -> None:
    """Refuse a database that SQLite cannot read cleanly, keeping a copy of it aside.

    Opens read-only so that a damaged file is never touched; raises StoreCorrupt or StoreError.
    """
    problem = None
    version = 0
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            result = [row[0] for row in conn.execute("PRAGMA quick_check").fetchall()]
            if result != ["ok"]:
                problem = "; ".join(result[:3])
            version = user_version(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        problem = str(exc)
    if problem:
        try:
            kept = message(N_("A copy was kept at {copy}"), copy=str(_keep_copy(path)))
        except OSError as exc:  # a read-only folder, a full disk: still say what is wrong
            kept = message(N_("No copy could be kept ({reason})"),
                           reason=exc.strerror or str(exc))
        raise StoreCorrupt(message(
            N_("{path} cannot be read ({problem}). {kept}; nothing will be written into it. "
               "Open another database with --db, or restore a backup."),
            path=str(path), problem=problem, kept=kept))
    if version > SCHEMA_VERSION:
        raise StoreError(message(
            N_("{path} was written by a newer version of the studio (schema {version}, this "
               "version knows {known}); update the studio to open it."),
            path=str(path), version=version, known=SCHEMA_VERSION))


def _keep_copy(path: Path) -> Path:
    # The same damaged file opened again (every command retries): one copy is enough. copy2
    # keeps the modification time, so an unchanged file matches its copy's size and time.
    state = path.stat()
    for earlier in path.parent.glob(f"{path.name}.unreadable-*[0-9]"):
        kept = earlier.stat()
        if (kept.st_size, kept.st_mtime_ns) == (state.st_size, state.st_mtime_ns):
            return earlier
    stamp = time.strftime("%Y%m%d-%H%M%S")
    backup = path.with_name(f"{path.name}.unreadable-{stamp}")
    shutil.copy2(path, backup)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            shutil.copy2(side, backup.with_name(backup.name + suffix))
    return backup


def connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 30000")
    if readonly:
        conn.execute("PRAGMA query_only = ON")
    else:
        conn.execute("PRAGMA journal_mode = WAL")
        # FULL: an acknowledged write survives a power cut, not only a crashed process.
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA cache_size = -65536")  # 64 MiB: the key index of a 4-hour show
    return conn
