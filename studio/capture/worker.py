"""The live capture worker: one feed watched in the background while the show runs.

Two plain threads (no Qt, so it runs headless in tests; the UI wraps it with a signal adapter):

- the *reading* thread (a FrameReader) opens the source, decodes, puts each frame's time on the
  session timeline and, for a live source, reconnects with backoff when the feed goes away;
- the *worker* thread analyses each frame (HealthAnalyzer), notices silence (signal loss),
  writes the health log, and hands the UI a throttled, downscaled preview and regular updates.

Neither ever touches a widget, and no callback gets a full-size frame at full rate.

Session timeline. Every time the worker reports (incidents, samples, events) is Unix seconds on
a clock that never goes back: the wall clock read once at start plus monotonic time since.
A frame's own time (its presentation timestamp, or the monotonic arrival time for devices) is
mapped onto it with an offset fixed per connection: ``session = frame time + offset``, where
the offset makes the first frame of a connection land at its arrival time. Within a connection
the spacing of the frames is therefore exactly the source's (a gap in the timestamps is a gap on
the timeline, so dropped frames are counted from timestamps, not from arrival jitter); across a
reconnect the timestamps restart, and the new offset puts the first frame where it arrived, so
the loss keeps its real length. The offset is also re-anchored when a live source's timestamps
go back, or leap ahead of the time that really passed by more than the signal-loss threshold
(a wrapped or restarted encoder clock without a reconnect). A recording (file) is paced: its
frames are delivered at their timestamps' rate, so playing a file "live" behaves like a feed.

Signal loss. "No frame for > 2 s" is measured on arrival: when no frame has arrived for the
threshold, the analyzer's ``idle()`` opens ``signal_lost`` from the last frame's time, and the
first frame back ends it. Meanwhile the reading thread, whose source read has timed out, closes
the source and reopens it after 0.5, 1, 2, 4, 8, 10, 10 ... seconds, each attempt logged, until
the feed returns or the worker is stopped.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Literal, Protocol

import cv2
import numpy as np

from studio.capture.health_log import HealthLog, ReconnectAttempt
from studio.capture.reader import FrameReader
from studio.capture.sources import Frame, SourceSpec, open_source
from studio.capture.synthetic import SyntheticFeed
from studio.core.health import (
    HealthAnalyzer,
    HealthChange,
    HealthConfig,
    HealthSnapshot,
    IncidentEnded,
    IncidentStarted,
)
from studio.core.store import HealthSample

log = logging.getLogger(__name__)


class FrameSource(Protocol):
    """What the worker reads: VideoSource, SyntheticSource, or anything alike."""

    declared_fps: float | None
    luma_range: Literal["limited", "full"]

    def read(self) -> Frame | None: ...

    def close(self) -> None: ...


Opener = Callable[[], FrameSource]  # opens a fresh connection; raises SourceError if it cannot


class WorkerState(StrEnum):
    CONNECTING = "connecting"  # no frame yet
    LIVE = "live"  # frames are coming
    RECONNECTING = "reconnecting"  # the source went away; trying again with backoff
    ENDED = "ended"  # a recording reached its end
    STOPPED = "stopped"  # stop() was called
    FAILED = "failed"  # the source could not be read (a recording), see HealthUpdate.error


@dataclass(frozen=True, slots=True)
class PreviewFrame:
    image: np.ndarray  # BGR, at most preview_width wide; a copy the UI may keep
    t: float  # session time of the frame
    source_size: tuple[int, int]  # the frame's full width and height


@dataclass(frozen=True, slots=True)
class HealthUpdate:
    snapshot: HealthSnapshot
    changes: tuple[HealthChange, ...]  # since the previous update
    state: WorkerState
    preview: PreviewFrame | None  # the latest preview, if any
    reconnects: tuple[ReconnectAttempt, ...] = ()  # since the previous update
    error: str | None = None  # why the source failed (FAILED), or the last failed attempt
    skipped_frames: int = 0  # frames the analysis could not read (garbage), since the start
    log_backlog: int = 0  # health records waiting for the database


@dataclass(frozen=True, slots=True)
class Backoff:
    """Seconds to wait before reconnect attempt n (1, 2, ...): first * 2^(n-1), capped."""

    first: float = 0.5
    cap: float = 10.0

    def __post_init__(self) -> None:
        if not (0 < self.first <= self.cap and math.isfinite(self.cap)):
            raise ValueError(f"backoff needs 0 < first <= cap, got {self.first}, {self.cap}")

    def delay(self, attempt: int) -> float:
        return min(self.cap, self.first * 2.0 ** min(attempt - 1, 60))


class SessionClock:
    """Unix seconds that never go back: the wall clock at start plus monotonic time since."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic,
                 wall: Callable[[], float] = time.time) -> None:
        self._monotonic = monotonic
        self._base = wall() - monotonic()

    def now(self) -> float:
        return self._base + self._monotonic()


class _Timeline:
    """Maps one connection's frame times onto the session clock (see the module docstring)."""

    def __init__(self, jump_s: float) -> None:
        self._jump_s = jump_s  # inf for recordings: their gaps are real
        self._last_mapped: float | None = None
        self.restart()

    def restart(self) -> None:
        self._offset: float | None = None
        self._last_src = 0.0
        self._last_arrival = 0.0

    def map(self, t: float, arrival: float) -> float:
        if (self._offset is None or t < self._last_src
                or (t - self._last_src) - (arrival - self._last_arrival) > self._jump_s):
            self._offset = arrival - t
            if self._last_mapped is not None:  # never back, never twice the same time
                self._offset = max(self._offset, self._last_mapped + 1e-3 - t)
        self._last_src, self._last_arrival = t, arrival
        self._last_mapped = mapped = t + self._offset
        return mapped


class _Feed:
    """The reading thread's source: frames on the session timeline, for as long as it lasts.

    A live feed's ``read()`` returns None only once the worker stops: a read that fails or
    times out closes the connection and reopens it with backoff. A recording's ``read()`` paces
    the frames and returns None at its end; its errors go to the worker.
    """

    def __init__(self, opener: Opener, *, live: bool, clock: SessionClock, backoff: Backoff,
                 wait: Callable[[float], bool], stop: threading.Event, jump_s: float) -> None:
        self._opener = opener
        self.live = live
        self._clock = clock
        self._backoff = backoff
        self._wait = wait
        self._stop = stop
        self._timeline = _Timeline(jump_s if live else math.inf)
        self._source: FrameSource | None = None
        self._lock = threading.Lock()  # close() from the worker vs the reading thread
        self._attempt = 0  # reconnect attempts since the connection was lost
        self.attempts: deque[ReconnectAttempt] = deque(maxlen=1000)  # drained by the worker
        self.state = WorkerState.CONNECTING
        self.error: str | None = None
        self.declared_fps: float | None = None
        self.luma_range: Literal["limited", "full"] = "limited"

    def read(self) -> Frame | None:
        while not self._stop.is_set():
            source = self._source if self._source is not None else self._connect()
            if source is None:
                continue
            try:
                frame = source.read()
            except Exception as exc:  # cv2.error, OSError...: a live feed just reconnects
                if not self.live:
                    raise
                self.error = f"{type(exc).__name__}: {exc}"
                frame = None
            if frame is None or self._stop.is_set():
                if not self.live:
                    break  # the end of the recording
                self._drop_connection()
                continue
            t = self._timeline.map(frame.t, self._clock.now())
            if not self.live:
                delay = t - self._clock.now()
                if delay > 0 and self._wait(delay):
                    break
            self.state = WorkerState.LIVE
            return Frame(frame.image, t)
        self.close()
        return None

    def close(self) -> None:
        with self._lock:
            source, self._source = self._source, None
        if source is not None:
            source.close()

    def _connect(self) -> FrameSource | None:
        reconnecting = self.state != WorkerState.CONNECTING or self._attempt > 0
        if reconnecting:
            self._attempt += 1
            if self._wait(self._backoff.delay(self._attempt)):
                return None
        try:
            source = self._opener()
        except Exception as exc:  # SourceError, or anything a custom opener raises
            if not self.live:
                raise
            self.error = str(exc)
            if reconnecting:
                self._report(ok=False)
            else:  # the first open failed: what follows are reconnects
                self.state = WorkerState.RECONNECTING
            return None
        if reconnecting:
            self._report(ok=True)
        self._attempt = 0
        self.error = None
        self.declared_fps = source.declared_fps
        self.luma_range = source.luma_range
        self._timeline.restart()
        with self._lock:
            self._source = source
        return source

    def _drop_connection(self) -> None:
        if not self._stop.is_set():
            log.warning("capture: the feed went away (%s); reconnecting",
                        self.error or "no frame within the read timeout")
        self.close()
        self.state = WorkerState.RECONNECTING

    def _report(self, *, ok: bool) -> None:
        self.attempts.append(
            ReconnectAttempt(self._clock.now(), self._attempt, ok, None if ok else self.error))


def _opener(source: SourceSpec | str | Path | SyntheticFeed | Opener, open_timeout_s: float,
            read_timeout_s: float) -> tuple[Opener, bool, str]:
    """How to (re)open the source, whether it is live, and its name for messages."""
    if isinstance(source, SyntheticFeed):
        return source.open, True, "synthetic feed"
    if callable(source):
        return source, True, getattr(source, "__qualname__", "custom source")
    spec = source if isinstance(source, SourceSpec) else SourceSpec.parse(source)

    def open_spec() -> FrameSource:
        return open_source(spec, open_timeout_s=open_timeout_s, read_timeout_s=read_timeout_s)

    return open_spec, spec.live, str(spec)


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


class CaptureWorker:
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
        opener, self.live, self.source_name = _opener(source, open_timeout_s, read_timeout_s)
        self._on_update = on_update
        self._on_preview = on_preview
        self._log = health_log
        self._preview_interval = 1.0 / preview_fps
        self._preview_width = preview_width
        self._update_interval = 1.0 / update_hz
        self._read_timeout_s = read_timeout_s
        self._monotonic = monotonic
        self._stop = threading.Event()
        self.clock = SessionClock(monotonic, wall)
        self._feed = _Feed(
            opener, live=self.live, clock=self.clock, backoff=backoff or Backoff(),
            wait=wait or self._stop.wait, stop=self._stop,
            jump_s=self.config.signal_lost_after_s)
        self._analyzer = HealthAnalyzer(self.config)
        self._analyzing = False  # the analyzer was made for the source (first frame seen)
        self._thread = threading.Thread(target=self._run, name="capture-worker", daemon=True)
        self._pending: list[HealthChange] = []
        self._hidden_freezes: set[str] = set()  # freezes that are a signal loss's other face
        self._reconnects: list[ReconnectAttempt] = []
        self._preview_frame: PreviewFrame | None = None
        self._skipped = 0
        self._last_arrival = 0.0
        self._next_preview = self._next_update = self._next_sample = -math.inf
        self.latest: HealthUpdate | None = None  # the last update sent (any thread may read)

    # -- control (any thread) --

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float | None = None) -> bool:
        """Stop and wait (by default a little longer than one source read can block).
        Returns whether the worker has finished."""
        self._stop.set()
        if self._thread.ident is None or self._thread is threading.current_thread():
            return not self._thread.is_alive()  # not started, or called from a listener
        self._thread.join(self._read_timeout_s + 2.0 if timeout is None else timeout)
        return not self._thread.is_alive()

    @property
    def stopping(self) -> bool:
        """stop() was called (or the worker finished); an injected `wait` returns this."""
        return self._stop.is_set()

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    def is_alive(self) -> bool:
        return self._thread.is_alive()

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
            state, error = WorkerState.FAILED, str(exc) or type(exc).__name__
        finally:
            self._stop.set()
            reader.stop()
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

    def _update(self, state: WorkerState, error: str | None) -> None:
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

    def _finish(self, state: WorkerState, error: str | None) -> None:
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
