"""Scanning a recording, a stream or a device once, for `studio health-scan` (docs/cli.md).

One thread decodes (FrameReader), this one analyses (HealthAnalyzer), so the scan runs at the
decoder's speed. The result carries the docs/health.md figures and the incidents, with
``to_json()`` giving exactly the keys docs/cli.md names.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from studio.capture.reader import FrameReader
from studio.capture.sources import SourceError, SourceSpec, VideoSource, open_source
from studio.core.health import (
    HealthAnalyzer,
    HealthChange,
    HealthConfig,
    IncidentEnded,
    ResolutionChanged,
)
from studio.core.message import N_, message

Progress = Callable[[int], None]  # frames done so far


@dataclass(frozen=True, slots=True)
class Span:
    start: float
    end: float


@dataclass(frozen=True, slots=True)
class ScanResult:
    source: str
    width: int
    height: int
    fps_nominal: float | None
    frames: int
    dropped_frames: int
    drop_ratio: float
    freezes: tuple[Span, ...]
    blacks: tuple[Span, ...]
    resolution_changes: tuple[ResolutionChanged, ...]
    duration_s: float
    low_res_s: float
    target: tuple[int, int] | None = None  # the resolution checked against, if one was given

    def to_json(self) -> dict[str, Any]:
        def spans(items: tuple[Span, ...]) -> list[dict[str, float]]:
            return [{"start": round(s.start, 3), "end": round(s.end, 3)} for s in items]

        data = {
            "width": self.width,
            "height": self.height,
            "fps_nominal": None if self.fps_nominal is None else round(self.fps_nominal, 3),
            "frames": self.frames,
            "dropped_frames": self.dropped_frames,
            "drop_ratio": round(self.drop_ratio, 6),
            "freezes": spans(self.freezes),
            "blacks": spans(self.blacks),
            "resolution_changes": [
                {"t": round(c.t, 3), "old": _size(c.old), "new": _size(c.new)}
                for c in self.resolution_changes
            ],
            "duration_s": round(self.duration_s, 3),
        }
        if self.target is not None:  # the spec's keys, and these two when a target was given
            data["target"] = _size(self.target)
            data["below_target_s"] = round(self.low_res_s, 3)
        return data


def scan(
    source: str | Path | SourceSpec | VideoSource,
    *,
    seconds: float | None = None,
    target: tuple[int, int] | None = None,
    progress: Progress | None = None,
    config: HealthConfig | None = None,
) -> ScanResult:
    """Analyse a source from its start, for `seconds` of it or to its end.

    `seconds` counts frame time, and for live sources (streams, devices) also wall-clock time, so
    a stalled stream still ends the scan. `config` overrides the detection settings; `target`
    and the source's luma range are filled in. An already open VideoSource is used as it is and
    left open; anything else is opened here (luma-only decoding) and closed again.
    """
    if seconds is not None and not seconds > 0:
        raise SourceError(message(N_("seconds to scan must be a positive number, got {seconds}"),
                                  seconds=seconds))
    if isinstance(source, VideoSource):
        return _scan(source, seconds, target, progress, config)
    with open_source(source, luma=True) as opened:
        return _scan(opened, seconds, target, progress, config)


def _scan(
    source: VideoSource,
    seconds: float | None,
    target: tuple[int, int] | None,
    progress: Progress | None,
    config: HealthConfig | None,
) -> ScanResult:
    base = config or HealthConfig()
    config = replace(base, target=target or base.target, luma_range=source.luma_range)
    analyzer = HealthAnalyzer(config, declared_fps=source.declared_fps)
    changes: list[HealthChange] = []
    first_t: float | None = None
    done = 0
    deadline = time.monotonic() + seconds if seconds is not None and source.spec.live else None
    with FrameReader(source) as reader:
        try:
            for frame in reader:
                if first_t is None:
                    first_t = frame.t
                if seconds is not None and frame.t - first_t >= seconds:
                    break
                changes += analyzer.feed(frame.image, frame.t)
                done += 1
                if progress is not None:
                    progress(done)
                if deadline is not None and time.monotonic() >= deadline:
                    break
        except KeyboardInterrupt:
            # A live source has no end: Ctrl+C is how a scan of it ends, with what it saw.
            if not source.spec.live or first_t is None:
                raise
    if first_t is None:
        raise SourceError(message(N_("{source}: no video frames could be decoded"),
                                  source=source.label))
    changes += analyzer.finish()
    snap = analyzer.snapshot()
    assert snap.width is not None and snap.height is not None and snap.t is not None
    fps = snap.fps_nominal
    return ScanResult(
        source=source.label,
        width=snap.width,
        height=snap.height,
        fps_nominal=fps,
        frames=snap.received,
        dropped_frames=snap.dropped,
        drop_ratio=snap.drop_ratio,
        freezes=_spans(changes, "freeze"),
        blacks=_spans(changes, "black"),
        resolution_changes=tuple(c for c in changes if isinstance(c, ResolutionChanged)),
        # the last frame is shown for one frame interval
        duration_s=snap.t - first_t + (1.0 / fps if fps else 0.0),
        low_res_s=snap.low_res_s,
        target=config.target,
    )


def _size(size: tuple[int, int]) -> str:
    return f"{size[0]}x{size[1]}"


def _spans(changes: list[HealthChange], kind: str) -> tuple[Span, ...]:
    return tuple(
        Span(c.incident.start, c.incident.end)
        for c in changes
        if isinstance(c, IncidentEnded) and c.incident.kind == kind and c.incident.end is not None
    )
