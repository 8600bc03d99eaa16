"""LiveController: starts and stops a live session and the workers around it.

A session on air has three workers: the capture worker (the feed's health, logging into the
session), the board worker (figures from the session's events) and, in the demo, the
simulated audience. The controller owns them, hands what they report to the GUI thread
(`Tasks.on_main`) and re-emits it as Qt signals carrying frozen dataclasses, and does the
database work of starting and ending a session as tasks on its own control thread, so that no
click waits for a disk. Errors are shown in place, in the Live view's banner (`failed`).
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
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
from studio.ui.errors import shown_in_place
from studio.ui.live.board_worker import BoardWorker
from studio.ui.tasks import Tasks

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
        # One control thread: a start and a stop run one after the other, never at once.
        self._tasks = Tasks("live-control", parent=self)
        self._capture: CaptureWorker | None = None
        self._board: BoardWorker | None = None
        self._audience: AudienceFeeder | None = None
        self._running: Session | None = None  # the control thread's view of what is on air
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
        return self._tasks.run(self._start, request, on_done=self._on_started,
                               on_error=self._start_failed)

    def stop(self) -> Future | None:
        if self.session is None or self._busy:
            return None
        self._busy = True
        return self._tasks.run(self._stop, True, on_done=self._on_stopped,
                               on_error=self._stop_failed)

    def add_marker(self, label: str) -> Future:
        """Writes a host marker into the session on air (raises MarkerError for a bad label)."""
        if self.session is None:
            raise RuntimeError("no session on air")
        # On the show's clock: an accelerated demo audience lives in show time too.
        event = marker_event(label, self._clock())
        future = self.store.add_events(self.session.id, [event], block=False)
        future.add_done_callback(self._tasks.on_main(self._marker_written))
        return future

    def answer(self, key: str) -> None:
        if self._board is not None:
            self._board.answer(key)

    def shutdown(self) -> None:
        """At exit: stop everything and wait for it (the workers flush their logs), also when
        a start is still under way. Nothing is reported any more: the window is closing."""
        self._tasks.shutdown(wait=True)  # a start or a stop under way finishes first
        if self._running is None:
            return
        try:  # the control thread is done: the session is ended from here
            self._stop()
        except Exception as error:
            shown_in_place(error, "ending the session at exit")  # only the log is left to tell
        self.session = None

    def disconnect_widgets(self) -> None:
        """Before the window is rebuilt: the old widgets stop listening."""
        for signal in (self.health, self.preview, self.board, self.alert, self.started,
                       self.stopped, self.failed):
            with contextlib.suppress(RuntimeError, TypeError):  # nothing was connected
                signal.disconnect()

    # The controller's own state changes first, then the widgets hear of it.

    def _on_started(self, session: Session) -> None:
        self.session = session
        self._busy = False
        self.started.emit(session)

    def _start_failed(self, error: BaseException) -> None:
        self._busy = False
        self.failed.emit(ControllerError(shown_in_place(error, "starting the session")))

    def _on_stopped(self, session: Session | None) -> None:
        self.session = None
        self._busy = False
        self.stopped.emit(session)

    def _stop_failed(self, error: BaseException) -> None:
        """The workers are stopped; only writing the end failed. The show is off air."""
        self.failed.emit(ControllerError(shown_in_place(error, "ending the session")))
        self._on_stopped(self.session)

    def _on_health(self, update: HealthUpdate) -> None:
        self.history.health(update)
        self.health.emit(update)

    def _on_board(self, view: BoardView) -> None:
        self.history.view = view
        self.board.emit(view)

    def _graphs_failed(self, message: str) -> None:
        self.failed.emit(ControllerError(
            _("The live figures stopped updating ({error}); the capture monitor and the "
              "event log go on.").format(error=message)))

    def _marker_written(self, future: Future) -> None:
        error = future.exception()
        if error is not None:
            self.failed.emit(ControllerError(shown_in_place(error, "writing a marker")))

    # -- control thread --

    def _start(self, request: SessionRequest) -> Session:
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
                                      on_view=self._tasks.on_main(self._on_board),
                                      on_alert=self._tasks.on_main(self.alert.emit),
                                      on_error=self._tasks.on_main(self._graphs_failed),
                                      clock=self._clock)
            self._board.start()
            if request.demo_audience:
                plan = ShowPlan(market=where.code, viewers=request.demo_viewers,
                                minutes=request.demo_minutes, seed=int(now) % 10_000)
                self._audience = AudienceFeeder(self.store, session_id, plan,
                                                speed=request.speed, started_at=now)
                self._audience.start()
        except Exception:
            self._stop_workers()
            if self._running is not None:  # created but not on air: end it at once
                self.store.update_session(self._running.id, ended_at=time.time())
                self._running = None
            raise
        return session

    def _start_capture(self, session: Session, request: SessionRequest,
                       target: tuple[int, int]) -> None:
        source: SyntheticFeed | str = request.source
        if request.source == DEMO_SOURCE:
            # The test pattern holds its own size except in its scripted low-resolution step.
            source = SyntheticFeed(fps=request.demo_feed_fps)
            target = source.size
        self._capture = CaptureWorker(
            source, HealthConfig(target=target),
            on_update=self._tasks.on_main(self._on_health),
            on_preview=self._tasks.on_main(self.preview.emit),
            preview_fps=request.preview_fps,
            health_log=HealthLog(self.store, session.id),
        )
        self._capture.start()

    def _stop(self, final_view: bool = False) -> Session | None:
        """Ends the session on the show's own clock (an accelerated demo's events run ahead
        of the wall clock). With `final_view`, the widgets get the show's final figures
        before they hear it stopped, so nothing still says "now" or "so far"."""
        session = self._running
        self._running = None
        ended_at = self._clock()
        self._clock = time.time
        self._stop_workers()
        if session is None:
            return None
        self.store.update_session(session.id, ended_at=ended_at)
        if final_view:  # on the same queue as the task's result: it arrives first
            self._tasks.on_main(self._on_board)(review_view(self.store, session.id))
        return self.store.session(session.id)

    def _stop_workers(self) -> None:
        if self._audience is not None:
            self._audience.stop()
            self._audience = None
        if self._capture is not None:
            self._capture.stop()
            self._capture = None
        if self._board is not None:
            self._board.stop()
            self._board = None


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
