"""Stream health joined to the audience (docs/metrics.md, "Stream health joined to the audience").

Inputs are what the capture monitor wrote (docs/health.md): health samples with cumulative
received/dropped counters, and health_incident_start/_end events whose `extra` names the
incident kind and id. The audience side is the times of the leaves that ended a presence.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from studio.core.metrics.common import Window, ratio, seconds
from studio.core.metrics.model import Health, Incident, ViewerLoss
from studio.core.metrics.references import LOSS_WINDOW_S

# In the order of Health's fields.
INCIDENT_KINDS = ("freeze", "black", "low_res", "signal_lost")


def _incident(incident_id: str, kind: str, start: float, end: float) -> Incident:
    return Incident(incident_id or None, kind, start, end, seconds(end - start))


@dataclass(frozen=True, slots=True)
class Incidents:
    items: tuple[Incident, ...]
    unmatched_ends: int


def pair_incidents(events: Iterable[tuple[float, str, Mapping[str, Any] | None]],
                   window: Window) -> Incidents:
    """Pairs start and end events by incident id (by kind, first in first out, without one).

    An incident still open at the session end ends there.
    """
    rows = sorted(
        (ts, kind != "health_incident_start", str((extra or {}).get("incident", "")),
         str((extra or {}).get("incident_id", "")))
        for ts, kind, extra in events
    )
    open_: dict[tuple[str, str], list[tuple[float, str]]] = {}
    done: list[Incident] = []
    unmatched = 0
    for ts, is_end, kind, incident_id in rows:
        key = (incident_id, "" if incident_id else kind)
        if not is_end:
            open_.setdefault(key, []).append((ts, kind))
            continue
        starts = open_.get(key)
        if not starts:
            unmatched += 1
            continue
        start, start_kind = starts.pop(0)
        done.append(_incident(incident_id, start_kind or kind, start, ts))
    for (incident_id, _), starts in open_.items():
        done.extend(_incident(incident_id, kind, s, max(s, window.end)) for s, kind in starts)
    done.sort(key=lambda i: (i.start, i.kind, i.id or ""))
    return Incidents(tuple(done), unmatched)


def counter_total(values: Sequence[int | None]) -> int:
    """The total of a cumulative counter that restarts from 0 when the monitor restarts."""
    total = previous = 0
    for value in values:
        if value is None:
            continue
        total += value - previous if value >= previous else value
        previous = value
    return total


def _union_seconds(spans: list[tuple[float, float]]) -> float:
    total = 0.0
    reach = -np.inf
    for start, end in sorted(spans):
        if end > reach:
            total += end - max(start, reach)
            reach = end
    return total


def health_figures(
    samples: Sequence[tuple[float, int | None, int | None]],
    incidents: Incidents,
    leave_times: np.ndarray,
    window: Window,
) -> Health:
    """`samples` are (ts, received, dropped) in time order."""
    if samples:
        received = counter_total([s[1] for s in samples])
        dropped: int | None = counter_total([s[2] for s in samples])
        drop_ratio = ratio(dropped, received + dropped)
    else:
        dropped = drop_ratio = None
    in_kind = {
        kind: seconds(_union_seconds([(i.start, i.end) for i in incidents.items if i.kind == kind]))
        for kind in INCIDENT_KINDS
    }
    leaves = np.sort(leave_times)
    in_session = np.count_nonzero((leaves >= window.start) & (leaves <= window.end))
    minutes = window.duration / LOSS_WINDOW_S
    mean = in_session / minutes if minutes else None
    loss = []
    for incident in incidents.items:
        after = int(
            np.searchsorted(leaves, incident.start + LOSS_WINDOW_S, "left")
            - np.searchsorted(leaves, incident.start, "left")
        )
        loss.append(ViewerLoss(
            incident_id=incident.id,
            kind=incident.kind,
            start=incident.start,
            leaves_60s=after,
            mean_leaves_60s=None if mean is None else round(mean, 3),
            times_mean=None if mean is None else ratio(after, mean),
        ))
    return Health(
        dropped_frames=dropped,
        drop_ratio=drop_ratio,
        freeze_s=in_kind["freeze"],
        black_s=in_kind["black"],
        low_res_s=in_kind["low_res"],
        signal_lost_s=in_kind["signal_lost"],
        incidents=incidents.items,
        viewer_loss=tuple(loss),
    )
