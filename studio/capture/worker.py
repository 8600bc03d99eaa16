"""The live capture worker: one feed watched in the background while the show runs.

Two plain threads (no Qt, so it runs headless in tests; the UI wraps it with a signal adapter):

- the *reading* thread (a FrameReader) opens the source, decodes, puts each frame's time on the
  session timeline and, for a live source, reconnects with backoff when the feed goes away;
- the *worker* thread analyses each frame (HealthAnalyzer), notices silence (signal loss),
  writes the health log, and hands the UI a throttled, downscaled preview and regular updates.

Neither ever touches a widget, and no callback gets a full-size frame at full rate.

How the feed reconnects and how frame times reach the session timeline: see feed.py.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np

from studio.capture.feed import Backoff, Feed, Opener, SessionClock, make_opener
from studio.capture.health_log import HealthLog, ReconnectAttempt
from studio.capture.reader import FrameReader
from studio.capture.sources import Frame, SourceSpec
from studio.capture.synthetic import SyntheticFeed
from studio.capture.updates import HealthUpdate, PreviewFrame, WorkerState
from studio.core.background import Background
from studio.core.health import (
    HealthAnalyzer,
    HealthChange,
    HealthConfig,
    IncidentEnded,
    IncidentStarted,
)
from studio.core.message import Message, told
from studio.core.store import HealthSample

log = logging.getLogger(__name__)

__all__ = ["Backoff", "CaptureWorker", "HealthUpdate", "PreviewFrame", "WorkerState"]


def _without_loss_freeze(changes: list[HealthChange], hidden: set[str]) -> list[HealthChange]:
    """When the signal comes back, the analyzer (like ffmpeg) also calls the held picture a
    freeze that started in the same breath; that is the signal loss itself, not a second
    incident. Its start is dropped here and its id kept in `hidden`, so that its end, which
    comes with a later frame, is dropped too."""
    if any(isinstance(c, IncidentEnded) and c.incident.kind == "signal_lost" for c in changes):
        hidden.update(c.incident.incident_id for c in changes
                      if isinstance(c, IncidentStarted) and c.incident.kind == "freeze")
    if not hidden:
        return changes
    kept = []
    for change in changes:
        if isinstance(change, IncidentStarted | IncidentEnded) and \
                change.incident.incident_id in hidden:
            if isinstance(change, IncidentEnded):
                hidden.discard(change.incident.incident_id)
            continue
        kept.append(change)
    return kept


def _preview(image: np.ndarray, max_width: int) -> np.ndarray:
    """A BGR copy at most max_width wide. Area averaging straight from 1080p costs 5 ms; taking
    every other pixel first (nearest) and averaging 2x2 blocks after costs 1.5 ms and still
    keeps the fine detail from aliasing."""
    height, width = image.shape[:2]
    if width > max_width:
        size = (max_width, max(1, round(height * max_width / width)))
        if width > 2 * max_width:
            image = cv2.resize(image, (2 * size[0], 2 * size[1]),
                               interpolation=cv2.INTER_NEAREST)
        image = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
    else:
        image = image.copy()
    if image.ndim == 2:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    if image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_BGRA2BGR)
    return image


class CaptureWorker(Background):
    """Watches one feed until it ends or ``stop()``; see the module docstring.

    ``source`` is a SourceSpec, a path/URL/device index as text, a SyntheticFeed, or an
    opener: a callable that returns a fresh connection, which is taken as live.
    ``on_update`` and ``on_preview`` are called on the worker thread: the UI must hand them
    over to its own thread (a Qt signal) and never block in them. ``health_log`` is flushed
    several times a second and closed when the worker finishes.

    For tests, ``monotonic`` and ``wall`` are the clocks behind the session timeline, and
    ``wait(seconds) -> bool`` is the backoff and pacing wait; it returns True when the worker
    should stop (the default waits on the stop flag, so stop() cuts it short).
    """

    def __init__(
        self,
        source: SourceSpec | str | Path | SyntheticFeed | Opener,
        config: HealthConfig | None = None,
        *,
        on_update: Callable[[HealthUpdate], None] | None = None,
        on_preview: Callable[[PreviewFrame], None] | None = None,
        health_log: HealthLog | None = None,
        preview_fps: float = 15.0,
        preview_width: int = 640,
        update_hz: float = 5.0,
        open_timeout_s: float = 5.0,
        read_timeout_s: float = 1.0,
        backoff: Backoff | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
        wait: Callable[[float], bool] | None = None,
    ) -> None:
        if not (preview_fps > 0 and update_hz > 0 and preview_width >= 16):
            raise ValueError("preview_fps and update_hz must be > 0, preview_width >= 16")
        if not (open_timeout_s > 0 and read_timeout_s > 0):
            raise ValueError("open and read timeouts must be > 0 seconds")
        self.config = config or HealthConfig()
        opener, self.live, self.source_name = make_opener(source, open_timeout_s, read_timeout_s)
        self._on_update = on_update
        self._on_preview = on_preview
        self._log = health_log
        self._preview_interval = 1.0 / preview_fps
        self._preview_width = preview_width
        self._update_interval = 1.0 / update_hz
        self._read_timeout_s = read_timeout_s
        self._monotonic = monotonic
        super().__init__("capture-worker")
        # By default stop() waits a little longer than one source read can block.
        self.stop_timeout = read_timeout_s + 2.0
        self.clock = SessionClock(monotonic, wall)
        self._feed = Feed(
            opener, live=self.live, clock=self.clock, backoff=backoff or Backoff(),
            wait=wait or self._stop.wait, stop=self._stop,
            jump_s=self.config.signal_lost_after_s)
        self._analyzer = HealthAnalyzer(self.config)
        self._analyzing = False  # the analyzer was made for the source (first frame seen)
        self._pending: list[HealthChange] = []
        self._hidden_freezes: set[str] = set()  # freezes that are a signal loss's other face
        self._reconnects: list[ReconnectAttempt] = []
        self._preview_frame: PreviewFrame | None = None
        self._skipped = 0
        self._last_arrival = 0.0
        self._next_preview = self._next_update = self._next_sample = -math.inf
        self.latest: HealthUpdate | None = None  # the last update sent (any thread may read)

    # -- the worker thread --

    def _run(self) -> None:
        reader = FrameReader(self._feed, queue_size=4)  # type: ignore[arg-type]
        state, error = WorkerState.STOPPED, None
        reader.start()
        try:
            while not self._stop.is_set():
                frame = reader.poll(0.05)
                if frame is not None:
                    self._analyse(frame)
                elif reader.ended:  # a live feed's reading ends only when it is stopped
                    if not (self.live or self._stop.is_set()):
                        state = WorkerState.ENDED
                    break
                self._tick(waited=frame is None)
        except Exception as exc:  # a recording that cannot be read, or a bug: never raised
            log.exception("capture worker: %s failed", self.source_name)  # into the app
            state, error = WorkerState.FAILED, told(exc) or type(exc).__name__
        finally:
            self._stop.set()
            reader.request_stop()
            reader.join(self._read_timeout_s + 1.0)
            if not reader.is_alive():
                self._feed.close()  # else the reading thread closes it when its read returns
            self._finish(state, error)

    def _analyse(self, frame: Frame) -> None:
        if not self._analyzing:
            config = replace(self.config, luma_range=self._feed.luma_range)
            self._analyzer = HealthAnalyzer(config, declared_fps=self._feed.declared_fps)
            self._analyzing = True
        self._last_arrival = self._monotonic()
        changes: list[HealthChange] = []
        if self.live:  # a gap of more than the threshold is a loss, whenever the worker woke
            changes += self._analyzer.idle(frame.t)
        try:
            fed = self._analyzer.feed(frame.image, frame.t)
        except (ValueError, cv2.error) as exc:  # a garbage frame: skipped, never fatal
            self._skipped += 1
            if self._skipped == 1 or self._skipped % 1000 == 0:
                log.warning("capture worker: skipped %d unreadable frames (%s)", self._skipped,
                            exc)
            self._pending += changes
            return
        self._pending += changes + _without_loss_freeze(fed, self._hidden_freezes)
        # throttled on the frames' own times: the same feed gives the same previews
        if self._on_preview is not None and frame.t >= self._next_preview - 1e-6:
            height, width = frame.image.shape[:2]
            self._preview_frame = PreviewFrame(
                _preview(frame.image, self._preview_width), frame.t, (width, height))
            self._next_preview += self._preview_interval
            if self._next_preview <= frame.t:  # the first frame, or after a gap: start afresh
                self._next_preview = frame.t + self._preview_interval
            self._call(self._on_preview, self._preview_frame)

    def _tick(self, *, waited: bool) -> None:
        """Housekeeping after each frame or wait. Silence counts only after a wait: while
        frames are queued, the last one analysed did not end the feed."""
        while self._feed.attempts:
            attempt = self._feed.attempts.popleft()
            self._reconnects.append(attempt)
            if self._log is not None:
                self._log.reconnect(attempt)
        snapshot = self._analyzer.snapshot()
        if waited and self.live and snapshot.t is not None:
            silence = self._monotonic() - self._last_arrival
            self._pending += self._analyzer.idle(snapshot.t + silence)
        now = self._monotonic()
        if now >= self._next_sample and snapshot.t is not None:
            self._next_sample += 1.0
            if self._next_sample <= now:  # the first sample, or the worker was held up
                self._next_sample = now + 1.0
            self._sample()
        if self._pending or self._reconnects or now >= self._next_update:
            self._next_update = now + self._update_interval
            self._update(self._feed.state, self._feed.error)

    def _sample(self) -> None:
        if self._log is None:
            return
        snap = self._analyzer.snapshot()
        self._log.sample(HealthSample(
            ts=round(self.clock.now(), 3), fps=snap.fps_actual, fps_nominal=snap.fps_nominal,
            received=snap.received, dropped=snap.dropped, status=snap.status.value,
            width=snap.width, height=snap.height))

    def _update(self, state: WorkerState, error: Message | str | None) -> None:
        if self._log is not None:
            self._log.changes(self._pending)
            self._log.flush()
        update = HealthUpdate(
            snapshot=self._analyzer.snapshot(),
            changes=tuple(self._pending),
            state=state,
            preview=self._preview_frame,
            reconnects=tuple(self._reconnects),
            error=error,
            skipped_frames=self._skipped,
            log_backlog=self._log.backlog if self._log is not None else 0,
        )
        self._pending, self._reconnects = [], []
        self.latest = update
        if self._on_update is not None:
            self._call(self._on_update, update)

    def _finish(self, state: WorkerState, error: Message | str | None) -> None:
        try:
            self._tick(waited=True)
            # a live feed's open incidents end now; a recording's at its last frame
            t_end = self.clock.now() if self.live else None
            self._pending += self._analyzer.finish(t_end)
            if self._analyzer.snapshot().t is not None:
                self._sample()
            self._update(state, error or self._feed.error)
        finally:
            if self._log is not None:
                self._log.close(timeout=2.0)

    def _call(self, callback: Callable, arg: object) -> None:
        try:
            callback(arg)
        except Exception:  # a broken listener must not stop the monitoring
            log.exception("capture worker: a listener failed")
