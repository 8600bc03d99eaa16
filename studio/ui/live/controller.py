"""LiveController: starts and stops a live session and the workers around it.

A session on air has three workers: the capture worker (the feed's health, logging into the
session), the board worker (figures from the session's events) and, in the demo, the
simulated audience. The controller owns them, relays what they report to the GUI thread as
Qt signals carrying frozen dataclasses, and does the database work of starting and ending a
session on a worker thread too, so that no click waits for a disk.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from studio.capture.health_log import HealthLog
from studio.capture.sources import SourceError, SourceSpec
from studio.capture.synthetic import SyntheticFeed
from studio.capture.worker import CaptureWorker, HealthUpdate
from studio.core.health import HealthChange, HealthConfig, IncidentEnded, IncidentStarted
from studio.core.markets import market
from studio.core.onair.board import BoardView, review_view
from studio.core.onair.markers import marker_event
from studio.core.simulate import ShowPlan
from studio.core.simulate.feeder import AudienceFeeder
from studio.core.store import Session, Store
from studio.i18n import _
from studio.i18n.render import render_error
from studio.ui.bridge import Relay
from studio.ui.live.board_worker import BoardWorker

log = logging.getLogger(__name__)

DEMO_SOURCE = "demo"  # the synthetic test pattern with scripted incidents


@dataclass(frozen=True, slots=True)
class SessionRequest:
    market: str
    title: str
    source: str  # DEMO_SOURCE, a device index, a URL or a file
    platform: str = ""
    demo_audience: bool = False
    demo_viewers: int = 3000
    demo_minutes: float = 60
    speed: float = 1.0  # the demo audience's pace (60: a show-minute a second)
    preview_fps: float = 15.0  # how often the preview is redrawn
    demo_feed_fps: float = 30.0  # the test pattern's frame rate


@dataclass(frozen=True, slots=True)
class ControllerError:
    message: str


class OnAirHistory:
    """What the widgets were last told about the session on air (GUI thread only), so that a
    window rebuilt for a language or theme switch shows the show as it stands. Alerts need
    no copy: every one is in the latest board view's flags."""

    def __init__(self) -> None:
        self.latest: HealthUpdate | None = None
        self.incidents: deque[HealthChange] = deque(maxlen=400)
        self.view: BoardView | None = None

    def health(self, update: HealthUpdate) -> None:
        self.latest = update
        self.incidents.extend(c for c in update.changes
                              if isinstance(c, IncidentStarted | IncidentEnded))


class LiveController(QObject):
    health = Signal(object)  # HealthUpdate
    preview = Signal(object)  # PreviewFrame
    board = Signal(object)  # BoardView
    alert = Signal(object)  # RiskAlert
    started = Signal(object)  # Session
    stopped = Signal(object)  # Session
    failed = Signal(object)  # ControllerError

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.session: Session | None = None
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="live-control")
        self._relays = {name: Relay(self) for name in ("health", "preview", "board", "alert",
                                                        "started", "stopped", "failed")}
        # The controller's own state changes first, then the widgets hear of it.
        self._relays["preview"].arrived.connect(self.preview.emit)
        self._relays["failed"].arrived.connect(self.failed.emit)
        self._relays["health"].arrived.connect(self._on_health)
        self._relays["board"].arrived.connect(self._on_board)
        self._relays["alert"].arrived.connect(self.alert.emit)
        self._relays["started"].arrived.connect(self._on_started)
        self._relays["stopped"].arrived.connect(self._on_stopped)
        self._capture: CaptureWorker | None = None
        self._board: BoardWorker | None = None
        self._audience: AudienceFeeder | None = None
        self._running: Session | None = None  # the control thread's view of what is on air
        self._pending: Future | None = None
        self._clock: Callable[[], float] = time.time
        self._busy = False
        self.history = OnAirHistory()

    @property
    def on_air(self) -> bool:
        return self.session is not None

    @property
    def busy(self) -> bool:
        return self._busy

    # -- GUI thread --

    def start(self, request: SessionRequest) -> Future | None:
        """Starts a session on the control thread; None when one is on air or starting."""
        if self._busy or self.session is not None:
            return None
        self._busy = True
        self.history = OnAirHistory()
        self._pending = self._executor.submit(self._start, request)
        return self._pending

    def stop(self) -> Future | None:
        if self.session is None or self._busy:
            return None
        self._busy = True
        self._pending = self._executor.submit(self._stop, final_view=True)
        return self._pending

    def add_marker(self, label: str) -> Future:
        """Writes a host marker into the session on air (raises MarkerError for a bad label)."""
        if self.session is None:
            raise RuntimeError("no session on air")
        # On the show's clock: an accelerated demo audience lives in show time too.
        event = marker_event(label, self._clock())
        future = self.store.add_events(self.session.id, [event], block=False)
        future.add_done_callback(self._marker_written)
        return future

    def answer(self, key: str) -> None:
        if self._board is not None:
            self._board.answer(key)

    def shutdown(self) -> None:
        """At exit: stop everything and wait for it (the workers flush their logs), also when
        a start is still under way."""
        if self._pending is not None:
            self._pending.result()
        self._executor.submit(self._stop_if_running).result()
        self._executor.shutdown(wait=True)

    def disconnect_widgets(self) -> None:
        """Before the window is rebuilt: the old widgets stop listening."""
        for signal in (self.health, self.preview, self.board, self.alert, self.started,
                       self.stopped, self.failed):
            with contextlib.suppress(RuntimeError, TypeError):  # nothing was connected
                signal.disconnect()

    def _on_started(self, session: Session) -> None:
        self.session = session
        self._busy = False
        self.started.emit(session)

    def _on_stopped(self, session: Session | None) -> None:
        self.session = None
        self._busy = False
        self.stopped.emit(session)

    def _on_health(self, update: HealthUpdate) -> None:
        self.history.health(update)
        self.health.emit(update)

    def _on_board(self, view: BoardView) -> None:
        self.history.view = view
        self.board.emit(view)


    # -- control thread --

    def _start(self, request: SessionRequest) -> None:
        try:
            where = market(request.market)
            if request.source != DEMO_SOURCE:
                _check_source(request.source)
            now = time.time()
            session_id = self.store.create_session(
                market=where.code, title=request.title, platform=request.platform,
                account="demo" if request.demo_audience else "", started_at=now)
            session = self.store.session(session_id)
            self._running = session
            self._clock = _show_clock(now, request.speed)
            self._start_capture(session, request, where.target)
            self._board = BoardWorker(self.store, session_id,
                                      on_view=self._relays["board"].send,
                                      on_alert=self._relays["alert"].send,
                                      on_error=self._graphs_failed,
                                      clock=self._clock)
            self._board.start()
            if request.demo_audience:
                plan = ShowPlan(market=where.code, viewers=request.demo_viewers,
                                minutes=request.demo_minutes, seed=int(now) % 10_000)
                self._audience = AudienceFeeder(self.store, session_id, plan,
                                                speed=request.speed, started_at=now)
                self._audience.start()
        except Exception as exc:
            log.exception("starting the session failed")
            self._stop_workers()
            if self._running is not None:  # created but not on air: end it at once
                self.store.update_session(self._running.id, ended_at=time.time())
                self._running = None
            self._busy = False
            self._relays["failed"].send(ControllerError(render_error(exc) or type(exc).__name__))
            return
        self._relays["started"].send(session)

    def _start_capture(self, session: Session, request: SessionRequest,
                       target: tuple[int, int]) -> None:
        source: SyntheticFeed | str = request.source
        if request.source == DEMO_SOURCE:
            # The test pattern holds its own size except in its scripted low-resolution step.
            source = SyntheticFeed(fps=request.demo_feed_fps)
            target = source.size
        self._capture = CaptureWorker(
            source, HealthConfig(target=target),
            on_update=self._relays["health"].send,
            on_preview=self._relays["preview"].send,
            preview_fps=request.preview_fps,
            health_log=HealthLog(self.store, session.id),
        )
        self._capture.start()

    def _stop_if_running(self) -> None:
        if self._running is not None:
            self._stop()

    def _stop(self, *, final_view: bool = False) -> None:
        """Ends the session on the show's own clock (an accelerated demo's events run ahead
        of the wall clock). With `final_view`, the widgets get the show's final figures
        before they hear it stopped, so nothing still says "now" or "so far"."""
        session = self._running
        self._running = None
        ended_at = self._clock()
        self._clock = time.time
        self._stop_workers()
        if session is not None:
            try:
                self.store.update_session(session.id, ended_at=ended_at)
                session = self.store.session(session.id)
                if final_view:
                    self._relays["board"].send(review_view(self.store, session.id))
            except Exception as exc:
                log.exception("ending the session failed")
                self._relays["failed"].send(ControllerError(render_error(exc)))
        self._relays["stopped"].send(session)

    def _stop_workers(self) -> None:
        if self._audience is not None:
            self._audience.stop()
            self._audience = None
        if self._capture is not None:
            self._capture.stop()
            self._capture = None
        if self._board is not None:
            self._board.stop()
            self._board: BoardWorker | None = None

    def _graphs_failed(self, message: str) -> None:
        self._relays["failed"].send(ControllerError(
            _("The live figures stopped updating ({error}); the capture monitor and the "
              "event log go on.").format(error=message)))

    def _marker_written(self, future: Future) -> None:
        error = future.exception()
        if error is not None:
            self._relays["failed"].send(ControllerError(render_error(error)))


def _show_clock(started_at: float, speed: float) -> Callable[[], float]:
    """The show's own time: the wall clock, or faster for an accelerated demo audience, whose
    events are spaced in show time (see simulate.realtime)."""
    if speed == 1.0:
        return time.time
    return lambda: started_at + (time.time() - started_at) * speed


def _check_source(text: str) -> None:
    """A recording that is not there is an error before any session is made; devices and
    streams may come and go, so the monitor keeps trying those."""
    if not text.strip():  # the controls start empty when no camera is found
        raise SourceError(_("Choose a source first: a camera, a stream URL, a recording or "
                            "the demo test pattern."))
    spec = SourceSpec.parse(text)
    if spec.kind == "file" and not Path(str(spec.location)).is_file():
        raise SourceError(f"{spec.location}: no such recording")
