"""Revenue at risk: an incident while a product is pinned or a flash sale runs is escalated.

A freeze during a flash sale costs orders by the second, so the host must see it louder than
the same freeze during small talk.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from studio.core.events import Event
from studio.core.onair.markers import ShowState


@dataclass(frozen=True, slots=True)
class RiskAlert:
    incident: str  # freeze, black, signal_lost, low_res
    started: float
    pinned: str | None
    flash_sale: bool


def escalate(incident: str, started: float, state: ShowState) -> RiskAlert | None:
    """The alert for an incident that starts in `state`, or None when no sale is exposed."""
    if state.flash_sale or state.pinned:
        return RiskAlert(incident, started, state.pinned, state.flash_sale)
    return None


class RiskWatch:
    """Follows markers and incident starts in time order; says which incidents to escalate."""

    def __init__(self) -> None:
        self.state = ShowState()
        self.alerts: list[RiskAlert] = []

    def see(self, events: Iterable[Event]) -> list[RiskAlert]:
        raised = []
        for event in sorted(events, key=lambda e: e.ts):
            if event.kind == "marker" and event.label:
                self.state = self.state.after([event])
            elif event.kind == "health_incident_start":
                incident = str((event.extra or {}).get("incident", "incident"))
                alert = escalate(incident, event.ts, self.state)
                if alert is not None:
                    raised.append(alert)
        self.alerts += raised
        return raised
