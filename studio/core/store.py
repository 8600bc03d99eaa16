"""The session database: schema, migrations, and the one writer thread.

Every write goes through a single writer thread (as Anki serialises collection access through a
single-worker executor): a job is a function of the writer's connection, it runs in a
transaction, and its Future resolves only after COMMIT returned, so "acknowledged" means
"on disk". Consecutive small event writes are coalesced into one transaction. Readers open
their own connections (WAL lets them read while the writer writes).

The schema is created and read with sqlite-utils. Writes inside the writer use plain SQL on its
connection: sqlite-utils' write helpers commit by themselves, which would break the writer's
transactions, and a million-row import cannot afford a dict per row anyway.
"""

from __future__ import annotations

import queue
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, TypeVar

import platformdirs
import sqlite_utils

from studio.core.events import FIELDS, Event, KeyDeriver

T = TypeVar("T")

APP_NAME = "live-studio-companion"
SCHEMA_VERSION = 1
MODES = ("live", "replay")

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


def default_db_path() -> Path:
    return platformdirs.user_data_path(APP_NAME, appauthor=False) / "studio.db"


class StoreError(Exception):
    """A problem with the database that the user must hear about in plain words."""


class StoreCorrupt(StoreError):
    pass


class WriterBusy(StoreError):
    """The writer's queue is full: the caller should slow down (HTTP 429), not drop."""


class UnknownSession(StoreError):
    pass


class MissingDatabase(StoreError):
    """Opened without `create` where there is no database file: a mistyped path must not
    leave an empty database behind."""


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


@dataclass(frozen=True, slots=True)
class AddResult:
    accepted: int
    duplicates: int


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


# ---------------------------------------------------------------------------------------------
# Schema and migrations. Each migration moves the schema from version i to i + 1.


def _migrate_to_1(db: sqlite_utils.Database) -> None:
    db["sessions"].create(
        {
            "id": int,
            "market": str,
            "platform": str,
            "account": str,
            "title": str,
            "mode": str,
            "replay_of": int,
            "started_at": float,
            "ended_at": float,
            "script_variant": str,
            "created_at": float,
        },
        pk="id",
        if_not_exists=True,
        not_null={"market", "platform", "account", "title", "mode", "created_at"},
        defaults={"platform": "", "account": "", "mode": "live"},
        foreign_keys=[("replay_of", "sessions", "id")],
    )
    db["events"].create(
        {
            "seq": int,
            "session_id": int,
            "key": bytes,  # KeyDeriver: time-prefixed content hash, or b"id:" + event id
            "ts": float,
            "kind": str,
            "viewer": str,
            "source": str,
            "is_new": int,
            "text": str,
            "sku": str,
            "qty": int,
            "order_id": str,
            "amount": str,  # exact decimal text; sums are done with Decimal
            "currency": str,
            "label": str,
            "event_id": str,
            "extra": str,  # JSON object of fields outside the record
        },
        pk="seq",
        if_not_exists=True,
        not_null={"session_id", "key", "ts", "kind"},
        foreign_keys=[("session_id", "sessions", "id")],
    )
    # Idempotency: one row per (session, stable key).
    db["events"].create_index(
        ["session_id", "key"], unique=True, index_name="events_key", if_not_exists=True
    )
    # The metric queries: per kind, in time order, covering the viewer (presence walks, distinct
    # viewers per funnel stage, interactions). Time before viewer: events arrive in time order,
    # so inserts land at the end of each kind's range instead of all over the index, which
    # keeps a million-row import from thrashing the page cache.
    db["events"].create_index(
        ["session_id", "kind", "ts", "viewer"], index_name="events_kind", if_not_exists=True
    )
    db["health_samples"].create(
        {
            "session_id": int,
            "ts": float,
            "fps": float,
            "fps_nominal": float,
            "received": int,
            "dropped": int,
            "status": str,
            "width": int,
            "height": int,
        },
        pk=("session_id", "ts"),
        if_not_exists=True,
        foreign_keys=[("session_id", "sessions", "id")],
    )
    db["imports"].create(
        {
            "id": int,
            "session_id": int,
            "path": str,
            "format": str,
            "imported_at": float,
            "rows": int,
            "added": int,
            "duplicates": int,
            "assumed_tz": str,
        },
        pk="id",
        if_not_exists=True,
        foreign_keys=[("session_id", "sessions", "id")],
    )
    # Host markers are events of kind `marker`; the view gives them their own name.
    db.create_view(
        "markers",
        "SELECT session_id, ts, label, extra FROM events WHERE kind = 'marker'",
        ignore=True,
    )


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_migrate_to_1]
assert len(MIGRATIONS) == SCHEMA_VERSION


def _user_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


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
            version = _user_version(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        problem = str(exc)
    if problem:
        try:
            kept = f"A copy was kept at {_keep_copy(path)}"
        except OSError as exc:  # a read-only folder, a full disk: still say what is wrong
            kept = f"No copy could be kept ({exc.strerror or exc})"
        raise StoreCorrupt(
            f"{path} cannot be read ({problem}). {kept}; nothing will be "
            "written into it. Open another database with --db, or restore a backup."
        )
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path} was written by a newer version of the studio (schema {version}, this "
            f"version knows {SCHEMA_VERSION}); update the studio to open it."
        )


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


def keyed_rows(session_id: int, rows: Iterable[tuple], keys: KeyDeriver) -> Iterator[tuple]:
    """Event.as_row() tuples as `events` rows: session and idempotency key in front."""
    return ((session_id, keys.key(row), *row) for row in rows)


def insert_keyed_rows(conn: sqlite3.Connection, rows: Iterable[tuple]) -> int:
    """Insert keyed_rows(); returns how many were new. Call inside a transaction."""
    before = conn.total_changes
    conn.executemany(INSERT_EVENT, rows)
    return conn.total_changes - before


# ---------------------------------------------------------------------------------------------
# The writer.


@dataclass(slots=True)
class _Job:
    fn: Callable[[sqlite3.Connection], Any]
    future: Future
    coalesce: bool
    bulk: bool = False


_STOP = object()


class Store:
    """The database of one studio: open it once, share it, close it at exit."""

    def __init__(self, path: Path | str, *, create: bool = True, queue_size: int = 2048) -> None:
        """create=False refuses a path where no database file is (MissingDatabase)."""
        self.path = Path(path)
        if not create and not self.path.is_file():
            raise MissingDatabase(f"{self.path}: no such database file")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.path.exists() and self.path.stat().st_size > 0:
            check_readable(self.path)
        self._queue: queue.Queue = queue.Queue(maxsize=queue_size)
        self._local = threading.local()
        self._closed = False
        ready: Future = Future()
        self._thread = threading.Thread(
            target=self._writer_loop, args=(ready,), name="studio-db-writer", daemon=True
        )
        self._thread.start()
        ready.result()  # migration errors surface here, in the opener's thread

    # -- writer ---------------------------------------------------------------------------

    def _writer_loop(self, ready: Future) -> None:
        try:
            conn = connect(self.path)
            self._migrate(conn)
        except BaseException as exc:
            ready.set_exception(exc)
            return
        ready.set_result(None)
        try:
            while True:
                job = self._queue.get()
                if job is _STOP:
                    break
                batch = [job]
                stop = False
                while job.coalesce and not job.bulk and len(batch) < 512:
                    try:
                        nxt = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if nxt is _STOP:
                        stop = True
                        break
                    if not nxt.coalesce or nxt.bulk:
                        self._run(conn, batch)
                        batch = [nxt]
                        break
                    batch.append(nxt)
                self._run(conn, batch)
                if stop:
                    break
        finally:
            conn.close()

    def _run(self, conn: sqlite3.Connection, jobs: list[_Job]) -> None:
        live = [j for j in jobs if j.future.set_running_or_notify_cancel()]
        if not live:
            return
        try:
            if live[0].bulk:
                results = self._bulk_transaction(conn, live[0].fn)
            else:
                results = self._transaction(conn, [j.fn for j in live])
        except BaseException as exc:
            if len(live) == 1:
                live[0].future.set_exception(exc)
                return
            # One bad job must not fail the others it was batched with: retry them one by one.
            for job in live:
                try:
                    job.future.set_result(self._transaction(conn, [job.fn])[0])
                except BaseException as single:
                    job.future.set_exception(single)
            return
        for job, result in zip(live, results, strict=True):
            job.future.set_result(result)

    @staticmethod
    def _transaction(conn: sqlite3.Connection, fns: Sequence[Callable]) -> list:
        conn.execute("BEGIN IMMEDIATE")
        try:
            results = [fn(conn) for fn in fns]
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return results

    @classmethod
    def _bulk_transaction(cls, conn: sqlite3.Connection, fn: Callable) -> list:
        # Foreign-key checks cost a parent lookup per row: a quarter of a large import. A bulk
        # job validates its references itself, inside its transaction, where no other writer
        # can change them.
        conn.execute("PRAGMA foreign_keys = OFF")
        try:
            return cls._transaction(conn, [fn])
        finally:
            conn.execute("PRAGMA foreign_keys = ON")

    def _migrate(self, conn: sqlite3.Connection) -> None:
        version = _user_version(conn)
        if version >= SCHEMA_VERSION:
            return
        # sqlite-utils commits each DDL statement itself, so every step is written to be
        # re-runnable (if_not_exists): a migration cut short is finished on the next open.
        db = sqlite_utils.Database(conn)
        for number, step in enumerate(MIGRATIONS[version:], start=version + 1):
            step(db)
            conn.execute(f"PRAGMA user_version = {number}")

    def submit(
        self,
        fn: Callable[[sqlite3.Connection], T],
        *,
        coalesce: bool = False,
        block: bool = True,
        bulk: bool = False,
    ) -> Future[T]:
        """Queue `fn(conn)` for the writer; it runs inside a transaction.

        coalesce: may share a transaction with neighbouring coalescing jobs (small writes).
        bulk: a large write that runs alone with foreign-key checks off; `fn` must check that
        what it references exists. With block=False a full queue raises WriterBusy instead of
        waiting (back-pressure).
        """
        if self._closed:
            raise StoreError("the database is closed")
        future: Future[T] = Future()
        try:
            self._queue.put(_Job(fn, future, coalesce, bulk), block=block)
        except queue.Full:
            raise WriterBusy("the database writer is busy; try again shortly") from None
        return future

    def write(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run `fn` on the writer and wait for its commit."""
        return self.submit(fn).result()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._queue.put(_STOP)
        self._thread.join()
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reads ----------------------------------------------------------------------------

    def reader(self) -> sqlite_utils.Database:
        """A read-only connection for the calling thread (opened once per thread)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = connect(self.path, readonly=True)
        return sqlite_utils.Database(conn)

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
            raise UnknownSession(f"session {session_id} does not exist in {self.path}")
        return Session(*row)

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

    # -- writes ---------------------------------------------------------------------------

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
            raise StoreError(f'mode "{mode}" is not one of {", ".join(MODES)}')
        if mode == "replay" and replay_of is None:
            raise StoreError("a replay session names the live session it replays (--replay-of)")
        if started_at is not None and ended_at is not None and ended_at < started_at:
            raise StoreError("the session ends before it starts")
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
            raise StoreError(f"sessions have no field {', '.join(sorted(unknown))}")
        self.session(session_id)
        sets = ", ".join(f"{name} = ?" for name in changes)
        sql = f"UPDATE sessions SET {sets} WHERE id = ?"
        self.write(lambda conn: conn.execute(sql, [*changes.values(), session_id]))

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
