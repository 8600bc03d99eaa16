"""Names of the monitor's states, reasons and incidents in the interface language."""

from __future__ import annotations

from studio.capture.worker import HealthUpdate, WorkerState
from studio.core.health import HealthSnapshot
from studio.core.names import INCIDENT_NAMES, REASON_NAMES, STATUS_NAMES
from studio.i18n import N_, _

STATES = {
    "connecting": N_("Connecting…"),
    "live": N_("Live"),
    "reconnecting": N_("Reconnecting…"),
    "ended": N_("Recording ended"),
    "stopped": N_("Stopped"),
    "failed": N_("Source failed"),
}


def incident_name(kind: str) -> str:
    return _(INCIDENT_NAMES[kind]) if kind in INCIDENT_NAMES else kind


def reasons_text(reasons: tuple[str, ...]) -> str:
    return ", ".join(_(REASON_NAMES[r]) if r in REASON_NAMES else r for r in reasons)


def state_name(state: str) -> str:
    return _(STATES[state]) if state in STATES else state


def status_text(snapshot: HealthSnapshot) -> str:
    """OK, WARN or CRIT once a frame has been seen; empty (a grey light) before."""
    return snapshot.status.value if snapshot.t is not None else ""


def status_name(status: str) -> str:
    """The status light's word in the interface language ("" before the first frame)."""
    return _(STATUS_NAMES[status]) if status in STATUS_NAMES else status


def not_live_text(update: HealthUpdate) -> str:
    """Why the picture is not live now ("" while it is, or before there was any picture)."""
    if update.state == WorkerState.LIVE and "signal_lost" not in update.snapshot.reasons:
        return ""
    if update.state == WorkerState.CONNECTING and update.snapshot.t is None:
        return ""  # no picture yet: nothing could pass for live
    if update.state in (WorkerState.LIVE, WorkerState.RECONNECTING):
        return _("Signal lost — reconnecting")
    return state_name(update.state.value)
