"""BoardWorker: follows the live session's events on its own thread and sends BoardViews.

It polls the database for new events (every source writes there: the simulator, the ingest
endpoint, hotkeys, the monitor) four times a second and sends a fresh view at most once a
second, or at once when a marker or an alert arrives, so the graphs move every second and a
marker shows up without waiting.
"""

from __future__ import annotations

import logging
import queue
import time
from collections.abc import Callable

from studio.core.background import Background
from studio.core.onair.board import BoardView, LiveBoard
from studio.core.onair.follow import EventFollower
from studio.core.onair.risk import RiskAlert
from studio.core.store import Store

log = logging.getLogger(__name__)


class BoardWorker(Background):
    def __init__(
        self,
        store: Store,
        session_id: int,
        *,
        on_view: Callable[[BoardView], None],
        on_alert: Callable[[RiskAlert], None] | None = None,
        on_error: Callable[[str], None] | None = None,
        poll_s: float = 0.25,
        view_every_s: float = 1.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__("live-board")
        self.store = store
        self.session_id = session_id
        self._on_view = on_view
        self._on_alert = on_alert
        self._on_error = on_error
        self._poll_s = poll_s
        self._view_every_s = view_every_s
        self._clock = clock
        self._answers: queue.SimpleQueue[str] = queue.SimpleQueue()

    def answer(self, key: str) -> None:
        """Any thread: the host answered this question."""
        self._answers.put(key)

    def _run(self) -> None:
        follower = EventFollower(self.store.path, self.session_id)
        try:
            board = LiveBoard(self.store, self.store.session(self.session_id))
            next_view = 0.0
            while not self._stop.is_set():
                events = follower.poll()
                alerts = board.add(events)
                changed = False
                while not self._answers.empty():
                    board.answer(self._answers.get())
                    changed = True
                urgent = changed or bool(alerts) or any(e.kind == "marker" for e in events)
                now = time.monotonic()
                if urgent or now >= next_view:
                    next_view = now + self._view_every_s
                    self._on_view(board.view(self._clock()))
                for alert in alerts:
                    if self._on_alert is not None:
                        self._on_alert(alert)
                if len(events) < follower.batch:  # caught up: wait for more
                    self._stop.wait(self._poll_s)
        except Exception as exc:  # never into the app: the graphs stop, the show goes on
            log.exception("live board: following session %s failed", self.session_id)
            if self._on_error is not None:
                self._on_error(str(exc) or type(exc).__name__)
        finally:
            follower.close()
