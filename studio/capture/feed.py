"""The reading side of the capture worker: a feed that (re)connects, paces a recording and
puts every frame on the session timeline.

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
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

from studio.capture.health_log import ReconnectAttempt
from studio.capture.sources import Frame, SourceSpec, open_source
from studio.capture.synthetic import SyntheticFeed
from studio.capture.updates import WorkerState
from studio.core.message import Message, told

log = logging.getLogger(__name__)


class FrameSource(Protocol):
    """What the worker reads: VideoSource, SyntheticSource, or anything alike."""

    declared_fps: float | None
    luma_range: Literal["limited", "full"]

    def read(self) -> Frame | None: ...

    def close(self) -> None: ...


Opener = Callable[[], FrameSource]  # opens a fresh connection; raises SourceError if it cannot


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


class Timeline:
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


class Feed:
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
        self._timeline = Timeline(jump_s if live else math.inf)
        self._source: FrameSource | None = None
        self._lock = threading.Lock()  # close() from the worker vs the reading thread
        self._attempt = 0  # reconnect attempts since the connection was lost
        self.attempts: deque[ReconnectAttempt] = deque(maxlen=1000)  # drained by the worker
        self.state = WorkerState.CONNECTING
        self.error: Message | str | None = None
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
            self.error = told(exc)
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


def make_opener(source: SourceSpec | str | Path | SyntheticFeed | Opener, open_timeout_s: float,
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
