"""The live ingest endpoint: an aiohttp server on a thread of its own, with its own event loop.

This module runs it (bind, start, stop, stats); `routes.py` says what each request is answered.

aiohttp parses HTTP and runs each connection as its own task, so one slow or stuck client holds
only its own connection, and timeouts bound even that: a connection idle (or still sending its
headers) for `idle_timeout` is closed, a body that takes longer than `body_timeout` gets 408,
and a commit the database has not confirmed within `commit_timeout` gets 503 (not
acknowledged; sending it again is safe). Parsing a body and queueing its write run on a small
thread pool, so a 5 MB body does not hold up the event loop. The answer comes after COMMIT
(the Store's Future), and a full writer queue is answered 429, never dropped.

Nothing here imports Qt: the app starts an IngestServer beside its window, `studio serve`
without one.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import ipaddress
import logging
import threading
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from studio.core.identity import app_version
from studio.core.message import N_, message
from studio.core.store import Store
from studio.ingest.defaults import DEFAULT_HOST, DEFAULT_MAX_BODY
from studio.ingest.openapi import document
from studio.ingest.routes import EventRoutes, Limits
from studio.ingest.token import check_token, installation_token

logger = logging.getLogger(__name__)

LINGER_S = 2.0

VERSION = app_version()


class IngestError(Exception):
    """The endpoint could not start (e.g. the port is taken). `str()` is for the user."""


@dataclass(frozen=True, slots=True)
class IngestStats:
    """What the endpoint has done since it started, for the app's status line."""

    batches: int  # bodies committed
    accepted: int  # events newly written
    duplicates: int  # events that were already there
    rejected: int  # bodies refused as malformed (400) or too large (413)
    busy: int  # bodies answered 429 (writer queue full)
    last_batch_at: float | None  # Unix time of the last committed body


def is_loopback(host: str) -> bool:
    """Whether binding `host` keeps the endpoint on this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class IngestServer:
    """The HTTP endpoint of docs/ingest.md over one Store.

    `start()` binds and returns once the endpoint accepts connections (raising IngestError if
    it cannot bind); `port` and `url` are then the bound ones (port=0 picks a free port).
    `stop()` finishes the requests in flight (up to `shutdown_timeout`), closes every
    connection and joins the endpoint's threads. Stop it before closing the store.
    `token=None` uses installation_token().
    """

    def __init__(
        self,
        store: Store,
        host: str = DEFAULT_HOST,
        port: int = 0,
        token: str | None = None,
        max_body: int = DEFAULT_MAX_BODY,
        *,
        body_timeout: float = 30.0,
        idle_timeout: float = 15.0,
        commit_timeout: float = 30.0,
        shutdown_timeout: float = 5.0,
        workers: int = 2,
    ) -> None:
        if max_body < 1:
            raise ValueError("max_body must be positive")
        self._store = store
        self.host = host
        self._requested_port = port
        self.token = installation_token() if token is None else token
        self.max_body = max_body
        self.body_timeout = body_timeout
        self.idle_timeout = idle_timeout
        self.commit_timeout = commit_timeout
        self.shutdown_timeout = shutdown_timeout
        self._workers = workers
        self._port: int | None = None
        self._thread: threading.Thread | None = None
        self._pool: concurrent.futures.ThreadPoolExecutor | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None
        self._document: dict[str, Any] = {}
        self._counts: dict[str, Any] = {
            "batches": 0, "accepted": 0, "duplicates": 0, "rejected": 0, "busy": 0,
            "last_batch_at": None,
        }

    # -- the app's side -------------------------------------------------------------------

    @property
    def token(self) -> str:
        return self._token

    @token.setter
    def token(self, value: str) -> None:
        """Replace the token; requests from then on need the new one."""
        check_token(value)
        self._token = value
        self._token_bytes = value.encode()

    @property
    def exposed(self) -> bool:
        """True when the endpoint listens beyond this machine."""
        return not is_loopback(self.host)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the ingest server is not running")
        return self._port

    @property
    def url(self) -> str:
        """The base URL, e.g. http://127.0.0.1:8427 (routes start with /v1)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def stats(self) -> IngestStats:
        return IngestStats(**self._counts)

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("the ingest server is already running")
        if self.exposed:
            logger.warning(
                "the ingest endpoint listens on %s: other machines can reach it; anyone with "
                "the token can write into the database",
                self.host,
            )
        self._pool = concurrent.futures.ThreadPoolExecutor(
            max_workers=self._workers, thread_name_prefix="studio-ingest-work"
        )
        ready: concurrent.futures.Future[None] = concurrent.futures.Future()
        self._thread = threading.Thread(
            target=self._run, args=(ready,), name="studio-ingest", daemon=True
        )
        self._thread.start()
        try:
            ready.result()
        except BaseException as exc:
            self._thread.join()
            self._finish()
            if isinstance(exc, OSError):
                raise IngestError(message(
                    N_("cannot listen on {host} port {port}: {reason}"), host=self.host,
                    port=self._requested_port, reason=exc.strerror or str(exc))) from exc
            raise

    def stop(self) -> None:
        thread, loop, stopping = self._thread, self._loop, self._stopping
        if thread is None:
            return
        if loop is not None and stopping is not None:
            with contextlib.suppress(RuntimeError):  # the loop already ended
                loop.call_soon_threadsafe(stopping.set)
        thread.join()
        self._finish()

    def _finish(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
        self._pool = None
        self._thread = None
        self._loop = None
        self._stopping = None
        self._port = None

    def __enter__(self) -> IngestServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- the endpoint's thread ------------------------------------------------------------

    def _run(self, ready: concurrent.futures.Future[None]) -> None:
        try:
            asyncio.run(self._serve(ready))
        except BaseException as exc:  # pragma: no cover - _serve reports its own failures
            if not ready.done():
                ready.set_exception(exc)
            else:
                logger.exception("the ingest endpoint stopped on an error")

    async def _serve(self, ready: concurrent.futures.Future[None]) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopping = asyncio.Event()
        routes = EventRoutes(
            self._store,
            self._pool,
            Limits(self.max_body, self.body_timeout, self.commit_timeout),
            lambda: self._token_bytes,
            lambda: self._document,
            VERSION,
            self._counts,
        )
        runner = web.AppRunner(
            routes.app(),
            handle_signals=False,
            access_log=None,
            keepalive_timeout=self.idle_timeout,
            # After an early answer (413, 401, 408) aiohttp reads and drops the rest of the
            # body for this long, so that the client gets to read the answer.
            lingering_time=min(LINGER_S, self.body_timeout),
            shutdown_timeout=self.shutdown_timeout,
        )
        try:
            await runner.setup()
            site = web.TCPSite(runner, self.host, self._requested_port)
            await site.start()
            self._port = runner.addresses[0][1]
            self._document = document(VERSION, self.max_body, self.url)
        except BaseException as exc:
            await runner.cleanup()
            ready.set_exception(exc)
            return
        ready.set_result(None)
        try:
            await self._stopping.wait()
        finally:
            await runner.cleanup()
