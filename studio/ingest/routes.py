"""The ingest endpoint's routes (docs/ingest.md): what each request is answered.

`EventRoutes` builds the aiohttp application the server runs: the bearer-token guard, the
health and OpenAPI routes, events into a session (parsed on the pool, answered after COMMIT),
and a session's figures. It counts what it did for `IngestServer.stats()`.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import hmac
import json
import logging
import sqlite3
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from aiohttp import web

from studio.core.events import MAX_INT
from studio.core.markets import market
from studio.core.store import AddResult, Store, StoreError, UnknownSession, WriterBusy
from studio.ingest.body import BodyError, parse_events
from studio.ingest.openapi import API_PREFIX

logger = logging.getLogger(__name__)

HEALTH_PATH = f"{API_PREFIX}/health"
RETRY_AFTER_S = 1

_dumps = functools.partial(json.dumps, ensure_ascii=False, default=str)


@dataclass(frozen=True, slots=True)
class Limits:
    max_body: int  # bytes of one request body
    body_timeout: float  # seconds for a body to arrive
    commit_timeout: float  # seconds for the database to confirm a write


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


class EventRoutes:
    """`counts` (batches, accepted, duplicates, rejected, busy, last_batch_at) is updated in
    place; `token()` gives the bearer token's bytes at the time of each request, so that a
    replaced token takes effect at once."""

    def __init__(
        self,
        store: Store,
        pool: concurrent.futures.Executor,
        limits: Limits,
        token: Callable[[], bytes],
        document: Callable[[], dict[str, Any]],
        version: str,
        counts: dict[str, Any],
    ) -> None:
        self._store = store
        self._pool = pool
        self._limits = limits
        self._token = token
        self._document = document
        self._version = version
        self._counts = counts
        self._zones: dict[int, tzinfo] = {}

    def app(self) -> web.Application:
        app = web.Application(client_max_size=self._limits.max_body, middlewares=[self._guard])
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
        return hmac.compare_digest(given, self._token())

    # -- routes ---------------------------------------------------------------------------

    async def _health(self, request: web.Request) -> web.Response:
        return web.json_response({"status": "ok", "version": self._version})

    async def _openapi(self, request: web.Request) -> web.Response:
        return web.json_response(self._document(), dumps=_dumps)

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
                    asyncio.shield(asyncio.wrap_future(future)), self._limits.commit_timeout
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
            self._counts["last_batch_at"] = time.time()
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
            # The JSON object is made on the pool too: a long show's curves are long lists.
            figures = await loop.run_in_executor(
                self._pool, lambda: compute(self._store, session_id).to_json())
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
        limits = self._limits
        too_large = (f"the body is larger than {limits.max_body} bytes: send the events in "
                     "smaller batches")
        length = request.content_length
        if length is not None and length > limits.max_body:
            self._counts["rejected"] += 1
            raise _Reply(_error(413, too_large))
        try:
            async with asyncio.timeout(limits.body_timeout):
                return await request.read()
        except TimeoutError:
            response = _error(408, f"the body did not arrive within {limits.body_timeout:g} s")
            response.force_close()
            raise _Reply(response) from None
        except web.HTTPRequestEntityTooLarge:
            self._counts["rejected"] += 1
            raise _Reply(_error(413, too_large)) from None

