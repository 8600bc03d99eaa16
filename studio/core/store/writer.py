"""The one writer: every write to the database, on one thread, in transactions.

A job is a function of the writer's connection; it runs in a transaction and its Future
resolves only after COMMIT returned, so "acknowledged" means "on disk". Consecutive small
writes are coalesced into one transaction. Readers open their own read-only connections (WAL
lets them read while the writer writes). The domain query classes (sessions, events, health)
build on `Writer`; `Store` puts them together.
"""

from __future__ import annotations

import queue
import sqlite3
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import sqlite_utils

from studio.core.message import N_, message
from studio.core.store.errors import MissingDatabase, StoreError, WriterBusy
from studio.core.store.files import check_readable, connect
from studio.core.store.schema import migrate

T = TypeVar("T")


@dataclass(slots=True)
class _Job:
    fn: Callable[[sqlite3.Connection], Any]
    future: Future
    coalesce: bool
    bulk: bool = False


_STOP = object()


class Writer:
    """The database of one studio: open it once, share it, close it at exit."""

    def __init__(self, path: Path | str, *, create: bool = True, queue_size: int = 2048) -> None:
        """create=False refuses a path where no database file is (MissingDatabase)."""
        self.path = Path(path)
        if not create and not self.path.exists():
            raise MissingDatabase(message(N_("{path}: no such database file"),
                                          path=str(self.path)))
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
            migrate(conn)
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
            raise StoreError(message(N_("the database is closed")))
        future: Future[T] = Future()
        try:
            self._queue.put(_Job(fn, future, coalesce, bulk), block=block)
        except queue.Full:
            raise WriterBusy(
                message(N_("the database writer is busy; try again shortly"))) from None
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

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def reader(self) -> sqlite_utils.Database:
        """A read-only connection for the calling thread (opened once per thread)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = connect(self.path, readonly=True)
        return sqlite_utils.Database(conn)
