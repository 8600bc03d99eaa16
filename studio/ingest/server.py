"""The live ingest endpoint: an aiohttp server on a thread of its own, with its own event loop.

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
import functools
import hmac
import ipaddress
import json
import logging
import sqlite3
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import tzinfo
from importlib import metadata
from typing import Any

from aiohttp import web

from studio.core.events import MAX_INT
from studio.core.markets import market
from studio.core.store import AddResult, Store, StoreError, UnknownSession, WriterBusy
from studio.ingest.body import BodyError, parse_events
from studio.ingest.defaults import DEFAULT_HOST, DEFAULT_MAX_BODY
from studio.ingest.openapi import API_PREFIX, document
from studio.ingest.token import check_token, installation_token

logger = logging.getLogger(__name__)

HEALTH_PATH = f"{API_PREFIX}/health"
RETRY_AFTER_S = 1
LINGER_S = 2.0

try:
    VERSION = metadata.version("live-studio-companion")
except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
    VERSION = "0+unknown"

_dumps = functools.partial(json.dumps, ensure_ascii=False, default=str)


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


class _Reply(Exception):
    """Raised by a handler's helpers to answer at once with `response`."""

    def __init__(self, response: web.Response) -> None:
        self.response = response


def _error(
    status: int, message: str, *, headers: dict[str, str] | None = None, **more: Any
) -> web.Response:
    return web.json_response(
        {"error": message, **more}, status=status, headers=headers, dumps=_dumps
    )


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
        self._zones: dict[int, tzinfo] = {}
        self._document: dict[str, Any] | None = None
        self._counts = {"batches": 0, "accepted": 0, "duplicates": 0, "rejected": 0, "busy": 0}
        self._last_batch_at: float | None = None

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
        return IngestStats(**self._counts, last_batch_at=self._last_batch_at)

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
                raise IngestError(
                    f"cannot listen on {self.host} port {self._requested_port}: "
                    f"{exc.strerror or exc}"
                ) from exc
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
        runner = web.AppRunner(
            self._app(),
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

    def _app(self) -> web.Application:
        app = web.Application(client_max_size=self.max_body, middlewares=[self._guard])
        app.router.add_get(HEALTH_PATH, self._health)
        app.router.add_get(f"{API_PREFIX}/openapi.json", self._openapi)
        app.router.add_post(rf"{API_PREFIX}/sessions/{{session_id:\d+}}/events", self._add_events)
        app.router.add_get(rf"{API_PREFIX}/sessions/{{session_id:\d+}}/metrics", self._metrics)
        return app

    @web.middleware
    async def _guard(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        if request.path != HEALTH_PATH and not self._authorised(request):
            return _error(
                401,
                "a valid token is needed: send the header Authorization: Bearer <token> "
                "(the token is shown in the app and by studio serve)",
                headers={"WWW-Authenticate": 'Bearer realm="studio"'},
            )
        try:
            return await handler(request)
        except _Reply as reply:
            return reply.response
        except web.HTTPException as exc:
            if exc.status < 400:
                raise
            headers = {k: v for k, v in exc.headers.items() if k.lower() == "allow"}
            return _error(exc.status, exc.reason.lower(), headers=headers)
        except Exception:
            logger.exception("ingest: %s %s failed", request.method, request.path)
            return _error(500, "internal error; the studio's log has the details")

    def _authorised(self, request: web.Request) -> bool:
        scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer":
            return False
        given = credentials.strip().encode("utf-8", "surrogateescape")
        return hmac.compare_digest(given, self._token_bytes)

    # -- routes ---------------------------------------------------------------------------

    async def _health(self, request: web.Request) -> web.Response:
        return web.json_response({"status": "ok", "version": VERSION})

    async def _openapi(self, request: web.Request) -> web.Response:
        return web.json_response(self._document, dumps=_dumps)

    async def _add_events(self, request: web.Request) -> web.Response:
        session_id = self._session_id(request)
        tz = await self._zone(session_id)
        body = await self._body(request)
        loop = asyncio.get_running_loop()
        try:
            future = await loop.run_in_executor(self._pool, self._submit, session_id, body, tz)
        except BodyError as exc:
            self._counts["rejected"] += 1
            return _error(400, str(exc), problems=exc.problems)
        except WriterBusy as exc:
            self._counts["busy"] += 1
            return _error(
                429,
                f"{exc}; nothing of this body was written",
                headers={"Retry-After": str(RETRY_AFTER_S)},
            )
        except StoreError as exc:  # the store is closing
            return _error(503, f"{exc}; send the body again later")
        if future is None:
            result = AddResult(0, 0)
        else:
            try:
                # shield: a timed-out or cancelled wait must not cancel the write itself.
                result = await asyncio.wait_for(
                    asyncio.shield(asyncio.wrap_future(future)), self.commit_timeout
                )
            except TimeoutError:
                return _error(
                    503,
                    "the database has not confirmed the write in time; it may still be "
                    "written: send the same body again (duplicates are ignored)",
                    headers={"Retry-After": str(RETRY_AFTER_S)},
                )
            except sqlite3.IntegrityError:  # the session was deleted meanwhile
                self._zones.pop(session_id, None)
                raise _Reply(_error(404, f"session {session_id} does not exist")) from None
            self._counts["batches"] += 1
            self._counts["accepted"] += result.accepted
            self._counts["duplicates"] += result.duplicates
            self._last_batch_at = time.time()
        return web.json_response(
            {"accepted": result.accepted, "duplicates": result.duplicates}
        )

    def _submit(
        self, session_id: int, body: bytes, tz: tzinfo
    ) -> concurrent.futures.Future[AddResult] | None:
        """On the pool: the whole body parsed, then queued for the writer without waiting."""
        events = parse_events(body, tz)
        if not events:
            return None
        return self._store.add_events(session_id, events, block=False)

    async def _metrics(self, request: web.Request) -> web.Response:
        from studio.core.metrics import compute

        session_id = self._session_id(request)
        loop = asyncio.get_running_loop()
        try:
            figures = await loop.run_in_executor(self._pool, compute, self._store, session_id)
        except UnknownSession:
            return _error(404, f"session {session_id} does not exist")
        return web.json_response(figures, dumps=_dumps)

    # -- helpers --------------------------------------------------------------------------

    @staticmethod
    def _session_id(request: web.Request) -> int:
        text = request.match_info["session_id"]
        session_id = int(text) if len(text) < 20 else MAX_INT + 1
        if not 1 <= session_id <= MAX_INT:  # SQLite could not even look it up
            raise _Reply(_error(404, f"session {text} does not exist"))
        return session_id

    async def _zone(self, session_id: int) -> tzinfo:
        """The session market's time zone (times without an offset are read in it)."""
        zone = self._zones.get(session_id)
        if zone is None:
            loop = asyncio.get_running_loop()
            try:
                zone = await loop.run_in_executor(self._pool, self._lookup_zone, session_id)
            except UnknownSession:
                raise _Reply(_error(404, f"session {session_id} does not exist")) from None
            self._zones[session_id] = zone
        return zone

    def _lookup_zone(self, session_id: int) -> tzinfo:
        return market(self._store.session(session_id).market).tz

    async def _body(self, request: web.Request) -> bytes:
        too_large = f"the body is larger than {self.max_body} bytes: send the events in smaller "
        too_large += "batches"
        length = request.content_length
        if length is not None and length > self.max_body:
            self._counts["rejected"] += 1
            raise _Reply(_error(413, too_large))
        try:
            async with asyncio.timeout(self.body_timeout):
                return await request.read()
        except TimeoutError:
            response = _error(408, f"the body did not arrive within {self.body_timeout:g} s")
            response.force_close()
            raise _Reply(response) from None
        except web.HTTPRequestEntityTooLarge:
            self._counts["rejected"] += 1
            raise _Reply(_error(413, too_large)) from None
