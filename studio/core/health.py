"""Capture-feed health (docs/health.md): frame analysis and the OK/WARN/CRIT state machine.

Feed it frames and their times; it answers with what changed. No threads, no clock, no Qt: the
capture worker (live) and the scan (recordings) own those, so the same analysis runs in tests on
plain numpy arrays.

Frames are either the decoded luma plane (2-D uint8, exactly what ffmpeg's filters see) or an
OpenCV BGR image (H x W x 3, converted to luma here). Freeze and black detection follow ffmpeg's
``freezedetect`` and ``blackdetect`` filters (libavfilter/vf_freezedetect.c, vf_blackdetect.c)
decision for decision, so that ffmpeg can be the ground truth. For speed they run on a copy that
keeps every n-th pixel of every n-th row: unlike area averaging, such a sample keeps the
distribution of per-pixel differences and levels, so the mean absolute difference and the share of
dark pixels stay unbiased estimates of the full-size figures (docs/health.md has the measurements).
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise
from statistics import median
from typing import Literal

import cv2
import numpy as np

IncidentKind = Literal["freeze", "black", "signal_lost", "low_res"]


class Status(StrEnum):
    OK = "OK"
    WARN = "WARN"
    CRIT = "CRIT"


@dataclass(frozen=True, slots=True)
class HealthConfig:
    """Detection parameters and status thresholds (defaults: ffmpeg's and docs/health.md's)."""

    freeze_noise: float = 0.001  # freezedetect `n`: mean abs. difference (0..1) still "frozen"
    freeze_d: float = 2.0  # freezedetect `d`: seconds a freeze must last to count
    black_pix_th: float = 0.10  # blackdetect `pix_th`: share of the luma range still "black"
    black_pic_th: float = 0.98  # blackdetect `pic_th`: share of black pixels for a black frame
    black_d: float = 2.0  # blackdetect `d`: seconds a black run must last to count
    target: tuple[int, int] | None = None  # the market's target size; None: no low-res checks
    # How the source's luma is coded: "limited" (16..235, almost all video) or "full" (0..255,
    # MJPEG webcams). blackdetect scales pix_th into that range.
    luma_range: Literal["limited", "full"] = "limited"
    analysis_width: int | None = 480  # subsample wider frames to about this width; None: full size
    nominal_window_s: float = 2.0  # nominal fps: median frame interval over this much of the feed
    fps_window_s: float = 5.0  # actual fps: rolling window
    drop_window_s: float = 10.0  # drop ratio behind the status: rolling window
    warn_drop_ratio: float = 0.01
    crit_drop_ratio: float = 0.05
    warn_fps_ratio: float = 0.95  # actual / nominal below this: WARN
    crit_fps_ratio: float = 0.80
    signal_lost_after_s: float = 2.0
    quality: bool = True  # also judge exposure and sharpness against the first minute
    quality_interval_s: float = 0.25
    quality_baseline_s: float = 60.0
    dark_ratio: float = 0.5  # mean luma below this share of the baseline: too dark
    blur_ratio: float = 0.35  # variance of the Laplacian below this share of the baseline: blurred

    def __post_init__(self) -> None:
        unit = ("freeze_noise", "black_pix_th", "black_pic_th", "warn_drop_ratio",
                "crit_drop_ratio", "warn_fps_ratio", "crit_fps_ratio", "dark_ratio", "blur_ratio")
        for name in unit:
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"health setting {name} must be between 0 and 1, got {value!r}")
        positive = ("nominal_window_s", "fps_window_s", "drop_window_s", "signal_lost_after_s",
                    "quality_interval_s", "quality_baseline_s")
        for name in (*positive, "freeze_d", "black_d"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value >= 0) or (name in positive and value == 0):
                raise ValueError(f"health setting {name} must be a positive number, got {value!r}")
        if self.target is not None and (len(self.target) != 2 or min(self.target) <= 0):
            raise ValueError(f"health target must be (width, height) > 0, got {self.target!r}")
        if self.luma_range not in ("limited", "full"):
            raise ValueError(f'luma_range must be "limited" or "full", got {self.luma_range!r}')
        if self.analysis_width is not None and self.analysis_width < 16:
            raise ValueError(f"analysis_width must be >= 16 pixels, got {self.analysis_width}")


# --- what the analyzer reports ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Incident:
    kind: IncidentKind
    incident_id: str  # stable for the same feed: re-scanning a recording gives the same ids
    start: float
    end: float | None = None  # None while open


@dataclass(frozen=True, slots=True)
class IncidentStarted:
    incident: Incident
    detected_at: float  # frame time at which it was known (a freeze is known d seconds late)


@dataclass(frozen=True, slots=True)
class IncidentEnded:
    incident: Incident  # with its end


@dataclass(frozen=True, slots=True)
class StatusChanged:
    t: float
    old: Status
    new: Status
    reasons: tuple[str, ...]  # stable codes: freeze, black, signal_lost, drops, fps, low_res


@dataclass(frozen=True, slots=True)
class ResolutionChanged:
    t: float
    old: tuple[int, int]
    new: tuple[int, int]


HealthChange = IncidentStarted | IncidentEnded | StatusChanged | ResolutionChanged


@dataclass(frozen=True, slots=True)
class HealthSnapshot:
    t: float | None  # time of the last frame
    width: int | None
    height: int | None
    fps_nominal: float | None
    fps_actual: float | None
    received: int
    dropped: int
    drop_ratio: float  # since the start
    recent_drop_ratio: float  # over drop_window_s, what the status looks at
    status: Status
    reasons: tuple[str, ...]
    open_incidents: tuple[Incident, ...]
    low_res_s: float
    too_dark: bool | None  # None until the first minute's baseline exists
    blurred: bool | None


# --- the detectors ------------------------------------------------------------------------------

# Incident boundaries as (kind, start, end-or-None) before they get ids.
_Edge = tuple[str, float, float | None]


def _micros(seconds: float) -> int:
    """ffmpeg compares durations as integers in AV_TIME_BASE (µs) units, rounded to nearest."""
    return math.floor(seconds * 1_000_000 + 0.5)


class _FreezeDetector:
    """vf_freezedetect: each frame is compared with the last *non-frozen* frame (the reference).

    A frame is frozen when the mean absolute difference, divided by 2^bitdepth, is <= noise.
    Once the time since the reference reaches d, the freeze starts at the reference's time; it
    ends at the first frame that differs. A gap of >= d between two different frames is therefore
    a freeze too (ffmpeg reports start and end at once): the picture was held that long.
    """

    def __init__(self, noise: float, d: float) -> None:
        self._noise = noise
        self._d_us = _micros(d)
        self.reset()

    def reset(self) -> None:
        self._ref: np.ndarray | None = None
        self._ref_t = 0.0
        self._ref_n = 0
        self._n = 0
        self._frozen = False  # ffmpeg's s->frozen: a reported freeze is running

    def feed(self, small: np.ndarray, t: float, fps: float | None) -> tuple[bool, list[_Edge]]:
        self._n += 1
        edges: list[_Edge] = []
        frozen = False
        if self._ref is not None and self._ref.shape == small.shape:
            if t < self._ref_t:  # discontinuity: ffmpeg counts frames at the stream's rate
                duration_us = _micros((self._n - self._ref_n) / fps) if fps else 0
            else:
                duration_us = _micros(t - self._ref_t)
            mafd = cv2.norm(small, self._ref, cv2.NORM_L1) / small.size / 256.0
            frozen = mafd <= self._noise
            if duration_us >= self._d_us:
                if not self._frozen:
                    edges.append(("freeze", self._ref_t, None))
                if not frozen:
                    edges.append(("freeze", self._ref_t, t))
                self._frozen = frozen
        if not frozen:
            self._ref, self._ref_t, self._ref_n = small, t, self._n
        return frozen, edges

    def close(self, t_end: float) -> list[_Edge]:
        """End of stream: ffmpeg leaves a running freeze without an end; we end it at t_end."""
        edges: list[_Edge] = [("freeze", self._ref_t, t_end)] if self._frozen else []
        self.reset()
        return edges


class _BlackDetector:
    """vf_blackdetect: a pixel is black when luma <= the threshold, a frame when >= pic_th of them.

    The threshold is pix_th scaled into the luma range and truncated to an integer as the C code
    does: 16 + 0.10 * 219 = 37.9 -> 37 for limited range, 0.10 * 255 -> 25 for full range. A run
    starts at the first black frame and ends at the first frame that is not black; it counts when
    end - start >= d. At end of stream ffmpeg ends the run at the last frame's time.
    Unlike ffmpeg, which reports a run only once it is over, the start is announced as soon as
    the run has lasted d, so that a live monitor can show it.
    """

    def __init__(self, pix_th: float, pic_th: float, d: float, full_range: bool) -> None:
        self.threshold = int(pix_th * 255) if full_range else int(16 + pix_th * (235 - 16))
        self._pic_th = pic_th
        self._d_us = _micros(d)
        self.reset()

    def reset(self) -> None:
        self._started = False  # a black run is going on (maybe still shorter than d)
        self._announced = False  # ... and it has lasted d: an incident
        self.start = 0.0

    def feed(self, small: np.ndarray, t: float) -> tuple[bool, list[_Edge]]:
        black = np.count_nonzero(small <= self.threshold) / small.size >= self._pic_th
        edges: list[_Edge] = []
        if black:
            if not self._started:
                self._started, self._announced, self.start = True, False, t
            elif not self._announced and _micros(t - self.start) >= self._d_us:
                self._announced = True
                edges.append(("black", self.start, None))
        elif self._started:
            edges = self._end(t)
        return black, edges

    def close(self, t_end: float) -> list[_Edge]:
        edges = self._end(t_end) if self._started else []
        self.reset()
        return edges

    def _end(self, t: float) -> list[_Edge]:
        self._started = False
        if not self._announced and _micros(t - self.start) < self._d_us:
            return []
        opened: list[_Edge] = [] if self._announced else [("black", self.start, None)]
        self._announced = False
        return [*opened, ("black", self.start, t)]


class _FrameTiming:
    """Nominal and actual fps and dropped frames from the frame times (docs/health.md).

    While the nominal rate is being measured (the first nominal_window_s of frames, and again
    after a resolution change) the intervals are held back and judged once the median is known,
    so a gap in the first seconds is counted with the right rate, not the container's average.
    """

    def __init__(self, config: HealthConfig, declared_fps: float | None) -> None:
        self._config = config
        self._declared = declared_fps
        self.nominal: float | None = None
        self.received = 0
        self.dropped = 0
        self._last: float | None = None
        self._pending: list[float] | None = []  # frame times while measuring, else None
        self._recent: deque[float] = deque()  # frame times within fps_window_s
        self._judged: deque[tuple[float, int]] = deque()  # (time, dropped before it), drop window
        self._judged_dropped = 0

    @property
    def fps_nominal(self) -> float | None:
        return self.nominal if self.nominal is not None else self._declared

    def add(self, t: float) -> None:
        self.received += 1
        if self._last is not None and t < self._last:  # timestamps went back: start afresh
            self._recent.clear()
        self._recent.append(t)
        while t - self._recent[0] > self._config.fps_window_s:
            self._recent.popleft()
        prev, self._last = self._last, t
        if not self._pending:  # measured already, the very first frame, or the interval into a
            self._judge(prev, t)  # new measuring window (judged at the rate it belongs to)
        if self._pending is not None:
            self._pending.append(t)
            if t - self._pending[0] >= self._config.nominal_window_s:
                self.settle()

    def remeasure(self) -> None:
        """Measure the nominal rate again from the next frames (after a resolution change)."""
        self.settle()
        self._pending = []

    def settle(self) -> None:
        """Close the measuring window with what it holds (also called at end of stream)."""
        if self._pending is None:
            return
        times, self._pending = self._pending, None
        intervals = [b - a for a, b in pairwise(times) if b > a]
        if intervals:
            # The median ignores gaps; averaging the intervals near it undoes the rounding of
            # millisecond timestamps (MKV: 33, 33, 34 ms would read 30.303 fps, not 30).
            typical = median(intervals)
            near = [d for d in intervals if 0.5 * typical < d < 1.5 * typical]
            self.nominal = len(near) / sum(near)
        for a, b in pairwise(times):
            self._judge(a, b)

    def _judge(self, prev: float | None, t: float) -> None:
        missing = self.missing(t - prev) if prev is not None else 0
        self.dropped += missing
        self._judged.append((t, missing))
        self._judged_dropped += missing
        while self._judged and (t - self._judged[0][0] > self._config.drop_window_s
                                or self._judged[0][0] > t):
            self._judged_dropped -= self._judged.popleft()[1]

    def missing(self, gap: float) -> int:
        fps = self.fps_nominal
        if not fps or gap <= 1.5 / fps:
            return 0
        return math.floor(gap * fps + 0.5) - 1

    @property
    def fps_actual(self) -> float | None:
        span = self._recent[-1] - self._recent[0] if len(self._recent) > 1 else 0.0
        return (len(self._recent) - 1) / span if span > 0 else None

    @property
    def fps_span(self) -> float:
        return self._recent[-1] - self._recent[0] if self._recent else 0.0

    @property
    def recent_drop_ratio(self) -> float:
        total = len(self._judged) + self._judged_dropped
        return self._judged_dropped / total if total else 0.0


class _QualityTracker:
    """Too dark (mean luma) and blurred (variance of the Laplacian), against the first minute.

    Sampled every quality_interval_s on the small copy; black and frozen frames say nothing about
    the camera and are skipped. The flags use the median of the last few samples so that a
    single motion-blurred frame does not flip them.
    """

    _RECENT = 4

    def __init__(self, config: HealthConfig) -> None:
        self._config = config
        self._t0: float | None = None
        self._next = -math.inf
        self._baseline: list[tuple[float, float]] | None = []
        self._base_luma = 0.0
        self._base_sharpness = 0.0
        self._recent: deque[tuple[float, float]] = deque(maxlen=self._RECENT)

    def sample(self, small: np.ndarray, t: float) -> None:
        if t < self._next:
            return
        self._next = t + self._config.quality_interval_s
        if self._t0 is None:
            self._t0 = t
        luma = float(cv2.mean(small)[0])
        sharpness = float(cv2.meanStdDev(cv2.Laplacian(small, cv2.CV_16S))[1][0, 0]) ** 2
        if self._baseline is not None:
            if t - self._t0 < self._config.quality_baseline_s:
                self._baseline.append((luma, sharpness))
                return
            self._base_luma = median(x for x, _ in self._baseline) if self._baseline else 0.0
            self._base_sharpness = median(y for _, y in self._baseline) if self._baseline else 0.0
            self._baseline = None
        self._recent.append((luma, sharpness))

    def flags(self) -> tuple[bool | None, bool | None]:
        if self._baseline is not None or not self._recent:
            return None, None
        luma = median(x for x, _ in self._recent)
        sharpness = median(y for _, y in self._recent)
        return (luma < self._config.dark_ratio * self._base_luma,
                sharpness < self._config.blur_ratio * self._base_sharpness)


# --- the analyzer -------------------------------------------------------------------------------

# BT.601: OpenCV's BGR is full range; a limited-range source had luma 16 + gray * 219 / 255.
_FULL_TO_LIMITED = np.round(16 + np.arange(256) * (219 / 255)).astype(np.uint8)


def _is_below(size: tuple[int, int], target: tuple[int, int]) -> bool:
    """Smaller than the target in either dimension, whatever the orientation: a vertical
    1080x1920 TikTok stream meets a 1920x1080 target."""
    return min(size) < min(target) or max(size) < max(target)


class HealthAnalyzer:
    """The health of one feed, frame by frame (docs/health.md).

    ``feed`` each decoded frame with its time in seconds (presentation time where the source has
    one, else arrival time on a monotonic clock), in order; it returns what changed. ``idle``
    tells it that no frame came (live sources), ``finish`` closes what is open at the end.
    """

    def __init__(self, config: HealthConfig | None = None, *,
                 declared_fps: float | None = None) -> None:
        self.config = config = config or HealthConfig()
        valid_fps = declared_fps is not None and math.isfinite(declared_fps) and declared_fps > 0
        self._timing = _FrameTiming(config, declared_fps if valid_fps else None)
        self._freeze = _FreezeDetector(config.freeze_noise, config.freeze_d)
        self._black = _BlackDetector(config.black_pix_th, config.black_pic_th, config.black_d,
                                     config.luma_range == "full")
        self._quality = _QualityTracker(config) if config.quality else None
        self._size: tuple[int, int] | None = None
        self._last_t: float | None = None
        self._open: dict[str, Incident] = {}
        self._status = Status.OK
        self._reasons: tuple[str, ...] = ()
        self._low_res_s = 0.0
        self._finished = False

    # -- input --

    def feed(self, frame: np.ndarray, t: float) -> list[HealthChange]:
        if self._finished:
            raise RuntimeError("this health analyzer has finished; start a new one")
        t = float(t)
        if not math.isfinite(t):
            raise ValueError(f"frame time must be a finite number of seconds, got {t!r}")
        small = self._small_luma(frame)
        size = (int(frame.shape[1]), int(frame.shape[0]))
        changes: list[HealthChange] = []
        if self._last_t is not None and t > self._last_t:
            self._count_low_res(self._last_t, t)
        changes += self._end_incident("signal_lost", t)
        if size != self._size:
            if self._size is not None:
                changes += self._change_resolution(size, t)
            self._size = size
        changes += self._update_low_res(size, t)
        self._timing.add(t)
        frozen, edges = self._freeze.feed(small, t, self._timing.fps_nominal)
        black, black_edges = self._black.feed(small, t)
        changes += self._apply(edges + black_edges, t)
        if self._quality is not None and not (frozen or black):
            self._quality.sample(small, t)
        self._last_t = t
        changes += self._update_status(t)
        return changes

    def idle(self, now: float) -> list[HealthChange]:
        """No frame has come; `now` is on the frame clock. After signal_lost_after_s the signal
        is lost from the last frame on, until the next frame arrives."""
        if (self._last_t is None or "signal_lost" in self._open
                or now - self._last_t <= self.config.signal_lost_after_s):
            return []
        changes: list[HealthChange] = self._apply([("signal_lost", self._last_t, None)], now)
        return changes + self._update_status(now)

    def finish(self, t_end: float | None = None) -> list[HealthChange]:
        """End of the feed: close open incidents at t_end (default: the last frame's time, which
        is where ffmpeg's blackdetect ends a run that lasts until the end)."""
        if self._finished:
            return []
        self._finished = True
        if self._last_t is None:
            return []
        t_end = self._last_t if t_end is None else max(float(t_end), self._last_t)
        self._timing.settle()
        if t_end > self._last_t:
            self._count_low_res(self._last_t, t_end)
        changes = self._apply(self._freeze.close(t_end) + self._black.close(t_end), t_end)
        for kind in list(self._open):
            changes += self._end_incident(kind, t_end)  # type: ignore[arg-type]
        return changes  # the status stays the last one the live feed had

    # -- output --

    def snapshot(self) -> HealthSnapshot:
        timing = self._timing
        total = timing.received + timing.dropped
        too_dark, blurred = self._quality.flags() if self._quality else (None, None)
        return HealthSnapshot(
            t=self._last_t,
            width=self._size[0] if self._size else None,
            height=self._size[1] if self._size else None,
            fps_nominal=timing.fps_nominal,
            fps_actual=timing.fps_actual,
            received=timing.received,
            dropped=timing.dropped,
            drop_ratio=timing.dropped / total if total else 0.0,
            recent_drop_ratio=timing.recent_drop_ratio,
            status=self._status,
            reasons=self._reasons,
            open_incidents=tuple(self._open.values()),
            low_res_s=self._low_res_s,
            too_dark=too_dark,
            blurred=blurred,
        )

    # -- internals --

    def _small_luma(self, frame: np.ndarray) -> np.ndarray:
        if not isinstance(frame, np.ndarray) or frame.dtype != np.uint8:
            raise ValueError("frame must be a uint8 numpy array (luma plane or BGR image)")
        if frame.ndim not in (2, 3) or (frame.ndim == 3 and frame.shape[2] not in (3, 4)):
            raise ValueError(f"frame must be H x W luma or H x W x 3 BGR, got shape {frame.shape}")
        if frame.shape[0] == 0 or frame.shape[1] == 0:
            raise ValueError(f"frame is empty (shape {frame.shape})")
        width = self.config.analysis_width
        step = 1 if width is None else max(1, -(-frame.shape[1] // width))
        if frame.ndim == 2:  # always a copy: the freeze reference must outlive the caller's buffer
            return frame[::step, ::step].copy()
        # numpy gathers three interleaved channels slowly (1.3 ms at 1080p); OpenCV's
        # nearest-neighbour resize takes the same kind of regular sample in 0.2 ms
        height, width = frame.shape[:2]
        small = cv2.resize(frame, (-(-width // step), -(-height // step)),
                           interpolation=cv2.INTER_NEAREST) if step > 1 else frame
        code = cv2.COLOR_BGR2GRAY if small.shape[2] == 3 else cv2.COLOR_BGRA2GRAY
        small = cv2.cvtColor(small, code)
        if self.config.luma_range == "limited":
            small = cv2.LUT(small, _FULL_TO_LIMITED)
        return small

    def _change_resolution(self, size: tuple[int, int], t: float) -> list[HealthChange]:
        """ffmpeg rebuilds its filter graph on a new frame size: the detectors end what runs
        at the last frame and start afresh; the nominal rate is measured again."""
        assert self._size is not None and self._last_t is not None
        last = self._last_t
        changes = self._apply(self._freeze.close(last) + self._black.close(last), last)
        self._timing.remeasure()
        return [*changes, ResolutionChanged(t, self._size, size)]

    def _update_low_res(self, size: tuple[int, int], t: float) -> list[HealthChange]:
        target = self.config.target
        if target is None or not _is_below(size, target):
            return self._end_incident("low_res", t)
        return [] if "low_res" in self._open else self._apply([("low_res", t, None)], t)

    def _count_low_res(self, start: float, end: float) -> None:
        if "low_res" in self._open:
            self._low_res_s += end - start

    def _apply(self, edges: list[_Edge], t: float) -> list[HealthChange]:
        changes: list[HealthChange] = []
        for kind, start, end in edges:
            if end is None:
                incident = Incident(kind, f"{kind}-{round(start * 1000)}", start)  # type: ignore[arg-type]
                self._open[kind] = incident
                changes.append(IncidentStarted(incident, t))
            else:
                changes += self._end_incident(kind, end)  # type: ignore[arg-type]
        return changes

    def _end_incident(self, kind: IncidentKind, end: float) -> list[HealthChange]:
        incident = self._open.pop(kind, None)
        if incident is None:
            return []
        return [IncidentEnded(Incident(kind, incident.incident_id, incident.start, end))]

    def _update_status(self, t: float) -> list[HealthChange]:
        status, reasons = self._judge_status()
        if status == self._status and reasons == self._reasons:
            return []
        old, self._status, self._reasons = self._status, status, reasons
        return [StatusChanged(t, old, status, reasons)] if status != old else []

    def _judge_status(self) -> tuple[Status, tuple[str, ...]]:
        config, timing = self.config, self._timing
        crit = [kind for kind in ("freeze", "black", "signal_lost") if kind in self._open]
        warn: list[str] = []
        if timing.nominal is not None:  # drops are judged only against a measured rate
            ratio = timing.recent_drop_ratio
            if ratio > config.crit_drop_ratio:
                crit.append("drops")
            elif ratio > config.warn_drop_ratio:
                warn.append("drops")
        fps, nominal = timing.fps_actual, timing.fps_nominal
        if fps is not None and nominal and timing.fps_span >= config.fps_window_s / 2:
            if fps < config.crit_fps_ratio * nominal:
                crit.append("fps")
            elif fps < config.warn_fps_ratio * nominal:
                warn.append("fps")
        if "low_res" in self._open:
            warn.append("low_res")
        if crit:
            return Status.CRIT, tuple(crit + warn)
        return (Status.WARN if warn else Status.OK), tuple(warn)
