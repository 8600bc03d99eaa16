"""AudienceFeeder: a simulated audience writing into a live session as the show goes on.

The live demo's audience: `realtime` paces the show, and the feeder hands what fell due to the
store's writer a few times a second (one transaction per batch, like a chat relay would). It is
a plain thread with a stop flag, so the demo and its tests run without a window.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from studio.core.background import Background
from studio.core.events import Event
from studio.core.simulate.pacing import realtime
from studio.core.simulate.plan import ShowPlan
from studio.core.simulate.viewers import ViewerPool
from studio.core.store import Store, StoreError

log = logging.getLogger(__name__)


class AudienceFeeder(Background):
    def __init__(
        self,
        store: Store,
        session_id: int,
        plan: ShowPlan,
        *,
        speed: float = 1.0,
        started_at: float | None = None,
        flush_every_s: float = 0.2,
        account: str = "demo",
        on_finished: Callable[[], None] | None = None,
    ) -> None:
        super().__init__("demo-audience")
        self.store = store
        self.session_id = session_id
        self.plan = plan
        self.speed = speed
        self.started_at = started_at
        self.flush_every_s = flush_every_s
        self.account = account
        self.written = 0
        self._on_finished = on_finished

    def _run(self) -> None:
        events = realtime(
            self.plan, speed=self.speed, started_at=self.started_at,
            sleep=self._stop.wait, viewer_pool=ViewerPool(self.account),
        )
        batch: list[Event] = []
        next_flush = time.monotonic() + self.flush_every_s
        try:
            for event in events:
                if self._stop.is_set():
                    break
                batch.append(event)
                if time.monotonic() >= next_flush:
                    self._write(batch)
                    batch = []
                    next_flush = time.monotonic() + self.flush_every_s
            if batch and not self._stop.is_set():
                self._write(batch)
        except StoreError as exc:  # the database closed under us: the demo is over
            log.warning("demo audience stopped: %s", exc)
        finally:
            events.close()
            if self._on_finished is not None and not self._stop.is_set():
                self._on_finished()

    def _write(self, batch: list[Event]) -> None:
        self.store.add_events(self.session_id, batch).result()
        self.written += len(batch)
