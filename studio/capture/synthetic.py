"""A synthetic live capture feed for the demo and the tests: a moving test pattern with incidents.

``SyntheticFeed`` plays the part of a camera or network sender; ``feed.open()`` connects to it
and gives a ``SyntheticSource`` with the interface of ``VideoSource`` (``read() -> Frame | None``,
``close()``), so the capture worker treats it like any live source. A script puts incidents at
given show times (seconds since the feed was first opened): dropped frames, a freeze, a black
run, a resolution change and a signal loss. During a signal loss a connection's ``read()``
gives up after ``read_timeout_s`` (as OpenCV's read timeout does) and ``open()`` fails, until
the loss is over; frames due meanwhile are gone, as they are from a real sender.

Frames are paced in real time through an injectable clock and sleep, so tests can run a whole
script in a moment on a fake clock. Everything is deterministic: the picture of frame n depends
only on n and the script, and with a fake clock so does every frame time.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import cv2
import numpy as np

from studio.capture.sources import Frame, SourceError
from studio.core.message import N_, message

Effect = Literal["drop", "freeze", "black", "resize", "signal_loss"]
_EFFECTS = ("drop", "freeze", "black", "resize", "signal_loss")


@dataclass(frozen=True, slots=True)
class ScriptStep:
    """`effect` from show time `at` on, for `seconds` (a drop lasts `frames` frames instead).

    A "resize" step shows the picture at `size`, or at `scale` times the feed's own size;
    afterwards the feed's own size returns.
    """

    at: float
    effect: Effect
    seconds: float = 0.0
    frames: int = 0
    size: tuple[int, int] | None = None
    scale: float | None = None

    def __post_init__(self) -> None:
        if self.effect not in _EFFECTS:
            raise ValueError(f'script effect "{self.effect}" is not one of {", ".join(_EFFECTS)}')
        if not (math.isfinite(self.at) and self.at >= 0):
            raise ValueError(f"script step time must be >= 0 seconds, got {self.at!r}")
        if self.effect == "drop" and self.frames <= 0:
            raise ValueError(f"a drop at {self.at} s needs frames > 0, got {self.frames}")
        if self.effect != "drop" and not (math.isfinite(self.seconds) and self.seconds > 0):
            raise ValueError(f"{self.effect} at {self.at} s needs seconds > 0, got {self.seconds}")
        if self.effect == "resize" and (self.size is None) == (self.scale is None):
            raise ValueError(f"resize at {self.at} s needs either a size or a scale")
        if self.size is not None and (len(self.size) != 2 or min(self.size) < 16):
            raise ValueError(f"resize at {self.at} s needs a size of at least 16x16")
        if self.scale is not None and not (math.isfinite(self.scale) and 0 < self.scale <= 4):
            raise ValueError(f"resize at {self.at} s needs a scale between 0 and 4")


@dataclass(frozen=True, slots=True)
class Script:
    """Steps in show time; with `loop_s` the whole script repeats every `loop_s` seconds."""

    steps: tuple[ScriptStep, ...]
    loop_s: float | None = None

    def __post_init__(self) -> None:
        if self.loop_s is not None and not (math.isfinite(self.loop_s) and self.loop_s > 0):
            raise ValueError(f"script loop must be a positive number of seconds, got {self.loop_s}")

    def active(self, t: float, fps: float) -> tuple[ScriptStep, float] | None:
        """The step acting at show time t and when that step began (in show time)."""
        base = 0.0
        if self.loop_s is not None:
            base = math.floor(t / self.loop_s) * self.loop_s
            t -= base
        for step in self.steps:
            length = step.frames / fps if step.effect == "drop" else step.seconds
            # half a frame of slack: frame times are n / fps in floating point
            if step.at - 0.5 / fps <= t < step.at + length - 0.5 / fps:
                return step, base + step.at
        return None


# OK for 20 s (the nominal rate is measured, quality baseline), then every state in turn:
# drops for WARN (12 of 312 frames in 10 s, 3.8 %) and CRIT (30 frames, 9 %), a freeze, a
# black run, a half-size picture (low_res against a target of the feed's size, WARN) and a signal
# loss with reconnects. Each incident is followed by a calm stretch so the states are told apart.
DEFAULT_SCRIPT = Script(
    steps=(
        ScriptStep(20.0, "drop", frames=12),
        ScriptStep(40.0, "drop", frames=30),
        ScriptStep(60.0, "freeze", seconds=5.0),
        ScriptStep(80.0, "black", seconds=4.0),
        ScriptStep(100.0, "resize", seconds=15.0, scale=0.5),
        ScriptStep(130.0, "signal_loss", seconds=5.0),
    ),
    loop_s=160.0,
)


class SyntheticFeed:
    """The sender. Thread-safe: the worker opens connections on its reading thread."""

    def __init__(
        self,
        size: tuple[int, int] = (1280, 720),
        fps: float = 30.0,
        script: Script = DEFAULT_SCRIPT,
        *,
        read_timeout_s: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if len(size) != 2 or min(size) < 16:
            raise ValueError(f"synthetic feed size must be at least 16x16, got {size!r}")
        if not (math.isfinite(fps) and 0 < fps <= 240):
            raise ValueError(f"synthetic feed fps must be between 0 and 240, got {fps!r}")
        self.size = (int(size[0]), int(size[1]))
        self.fps = float(fps)
        self.script = script
        self.read_timeout_s = read_timeout_s
        self.clock = clock
        self.sleep = sleep
        self._lock = threading.Lock()
        self._t0: float | None = None  # clock time of show time 0 (the first open)
        self._next = 0  # index of the next frame to send
        self._patterns = _Patterns()

    def show_time(self) -> float:
        with self._lock:
            return 0.0 if self._t0 is None else self.clock() - self._t0

    def open(self) -> SyntheticSource:
        """Connect; raises SourceError during a signal loss, like a sender that is not there."""
        with self._lock:
            if self._t0 is None:
                self._t0 = self.clock()
            now = self.clock() - self._t0
            step = self.script.active(now, self.fps)
            if step is not None and step[0].effect == "signal_loss":
                raise SourceError(message(N_("synthetic feed: no signal")))
            # frames that fell due while nobody was connected are gone
            self._next = max(self._next, math.ceil(now * self.fps - 1e-9))
        return SyntheticSource(self)

    # -- used by the connections --

    def _take(self) -> tuple[int, float]:
        with self._lock:
            assert self._t0 is not None
            n = self._next
            self._next += 1
            return n, self._t0

    def _render(self, n: int) -> np.ndarray | None:
        """Frame n's picture, or None when it is dropped; `signal_loss` is handled by the caller."""
        t = n / self.fps
        active = self.script.active(t, self.fps)
        if active is None:
            return self._patterns.moving(self.size, n)
        step, began = active
        if step.effect == "drop":
            return None
        if step.effect == "freeze":
            return self._patterns.moving(self.size, math.ceil(began * self.fps - 1e-9))
        if step.effect == "black":
            return self._patterns.black(self.size)
        if step.effect == "resize":
            size = step.size or (max(16, round(self.size[0] * (step.scale or 1))),
                                 max(16, round(self.size[1] * (step.scale or 1))))
            return self._patterns.moving(size, n)
        raise AssertionError(step.effect)


class SyntheticSource:
    """One connection to a SyntheticFeed. Frame times start at 0 with each connection, as a
    restarted network stream's do."""

    luma_range: Literal["limited", "full"] = "limited"

    def __init__(self, feed: SyntheticFeed) -> None:
        self._feed = feed
        self.declared_fps: float | None = feed.fps
        self._first: int | None = None  # first frame index of this connection
        self._lost = False
        self._closed = False

    def read(self) -> Frame | None:
        """The next frame when it is due, or None if the signal is lost (after the timeout)."""
        feed = self._feed
        while not (self._lost or self._closed):
            n, t0 = feed._take()
            due = n / feed.fps
            active = feed.script.active(due, feed.fps)
            if active is not None and active[0].effect == "signal_loss":
                feed.sleep(feed.read_timeout_s)
                self._lost = True
                break
            delay = t0 + due - feed.clock()
            if delay > 0:
                feed.sleep(delay)
            image = feed._render(n)
            if image is None:
                continue
            if self._first is None:
                self._first = n
            return Frame(image, (n - self._first) / feed.fps)
        return None

    def close(self) -> None:
        self._closed = True


class _Patterns:
    """Pre-rendered pictures: frame n is a window into a wide textured strip, shifted by n.

    Slicing a strip and copying it costs a fraction of drawing a picture, and a textured strip
    makes every pixel change from frame to frame, so a moving frame is never taken as frozen.
    """

    STEP = 8  # pixels per frame
    PERIOD = 64  # frames before the strip wraps

    def __init__(self) -> None:
        self._strips: dict[tuple[int, int], np.ndarray] = {}
        self._black: dict[tuple[int, int], np.ndarray] = {}

    def moving(self, size: tuple[int, int], n: int) -> np.ndarray:
        width, height = size
        strip = self._strips.get(size)
        if strip is None:
            strip = self._strips[size] = _strip(width, height, self.STEP * self.PERIOD)
        x = (n % self.PERIOD) * self.STEP
        return strip[:, x:x + width].copy()

    def black(self, size: tuple[int, int]) -> np.ndarray:
        picture = self._black.get(size)
        if picture is None:
            picture = self._black[size] = np.zeros((size[1], size[0], 3), np.uint8)
        return picture.copy()


def _strip(width: int, height: int, extra: int) -> np.ndarray:
    """Colour bars over a seeded coarse texture, periodic over `extra` pixels so it wraps."""
    rng = np.random.default_rng(7)
    total = width + extra
    cell = max(4, min(width, height) // 45)
    cols = -(-extra // cell)
    texture = rng.integers(0, 90, (-(-height // cell), cols), dtype=np.uint8)
    texture = np.repeat(np.repeat(texture, cell, 0), cell, 1)[:height, :extra]
    texture = np.tile(texture, (1, -(-total // extra)))[:, :total]
    bars = np.array([(235, 235, 235), (16, 235, 235), (235, 235, 16), (16, 235, 16),
                     (235, 16, 235), (16, 16, 235), (235, 16, 16), (16, 16, 16)], np.uint8)
    bar_width = max(1, extra // len(bars))
    index = (np.arange(total) // bar_width) % len(bars)
    picture = bars[index][None, :, :].repeat(height, 0).astype(np.int16)
    picture = picture - texture[:, :, None] // 2 + 20
    picture = np.clip(picture, 0, 255).astype(np.uint8)
    return cv2.GaussianBlur(picture, (3, 3), 0)

