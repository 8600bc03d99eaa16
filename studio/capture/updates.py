"""What the capture worker reports: its state, the preview frame and the regular update."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from studio.capture.health_log import ReconnectAttempt
from studio.core.health import HealthChange, HealthSnapshot
from studio.core.message import Message


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
    error: Message | str | None = None  # why the source failed (FAILED), or the last failed
    # attempt: a Message to render, or the words of an OpenCV or OS error
    skipped_frames: int = 0  # frames the analysis could not read (garbage), since the start
    log_backlog: int = 0  # health records waiting for the database
