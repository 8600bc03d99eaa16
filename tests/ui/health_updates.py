"""HealthUpdates as the capture worker sends them, for the panels that show them."""

from __future__ import annotations

import numpy as np

from studio.capture.worker import HealthUpdate, PreviewFrame, WorkerState
from studio.core.health import HealthSnapshot, Status


def health_update(state: WorkerState = WorkerState.LIVE, status: Status = Status.OK,
                  reasons: tuple[str, ...] = (), *, error: str | None = None) -> HealthUpdate:
    """A 1280x720 feed at 30 fps that has been watched for a minute, with a preview."""
    snapshot = HealthSnapshot(
        t=60.0, width=1280, height=720, fps_nominal=30.0, fps_actual=29.9, received=1800,
        dropped=12, drop_ratio=12 / 1812, recent_drop_ratio=0.0, status=status,
        reasons=reasons, open_incidents=(), low_res_s=0.0, too_dark=False, blurred=False)
    preview = PreviewFrame(np.full((90, 160, 3), 128, np.uint8), 60.0, (1280, 720))
    return HealthUpdate(snapshot=snapshot, changes=(), state=state, preview=preview,
                        error=error)
