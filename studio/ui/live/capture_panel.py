"""The capture panel: the preview, a large status light and the feed's figures."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio.capture.worker import HealthUpdate, PreviewFrame, WorkerState
from studio.core.health import IncidentEnded, IncidentStarted
from studio.i18n import _
from studio.i18n.format import MISSING, clock, number, share
from studio.i18n.render import render
from studio.ui.health_text import (
    incident_name,
    not_live_text,
    reasons_text,
    state_name,
    status_name,
    status_text,
)
from studio.ui.live.preview import PreviewWidget
from studio.ui.widgets import Stat, StatusLight, heading, line_height, sized

MAX_INCIDENTS = 200
FIGURE_POINTS = 16


def resolution_text(width: int | None, height: int | None) -> str:
    return f"{width} × {height}" if width and height else MISSING


def fps_text(actual: float | None, nominal: float | None) -> str:
    return f"{number(actual, 1)} / {number(nominal, 1)}"


def drops_text(dropped: int, total: int, ratio: float) -> str:
    return f"{number(dropped)} / {number(total)} ({share(ratio, 2)})"


class CapturePanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = PreviewWidget(_("No feed"))
        self.light = StatusLight(56)
        self.status = sized(QLabel(MISSING), 20, bold=True)
        self.state = QLabel("")
        self.reasons = QLabel("")
        self.reasons.setWordWrap(True)
        # two lines kept whether there is a reason or not: the panel must not jump
        self.reasons.setMinimumHeight(2 * line_height(self.reasons))
        self.reasons.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        # room for the widest each figure gets, so the column never widens on air
        self.resolution = Stat(_("Resolution"), size=FIGURE_POINTS,
                               widest=(resolution_text(8888, 8888),))
        self.fps = Stat(_("FPS actual / nominal"), size=FIGURE_POINTS,
                        widest=(fps_text(888.8, 888.8),))
        self.drops = Stat(_("Dropped frames"), size=FIGURE_POINTS,
                          widest=(drops_text(88_888, 888_888, 0.8888),))
        self.incidents = QListWidget()
        self.incidents.setAccessibleName(_("Incidents"))
        self.incidents.setMinimumHeight(3 * self.incidents.fontMetrics().lineSpacing() + 8)
        self._items: dict[str, QListWidgetItem] = {}
        self._tz: str | None = None

        head = QHBoxLayout()
        head.addWidget(self.light, 0, Qt.AlignmentFlag.AlignTop)
        verdict = QHBoxLayout()
        verdict.setSpacing(12)
        verdict.addWidget(self.status)
        verdict.addWidget(self.state, 1)
        words = QVBoxLayout()
        words.setSpacing(0)
        words.addLayout(verdict)
        words.addWidget(self.reasons)
        head.addLayout(words, 1)
        figures = QGridLayout()
        figures.addWidget(self.resolution, 0, 0)
        figures.addWidget(self.fps, 0, 1)
        figures.addWidget(self.drops, 1, 0, 1, 2)
        figures.setColumnStretch(2, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)  # the Live view's own margins are enough
        layout.setSpacing(4)
        layout.addWidget(heading(_("Stream health")))
        layout.addWidget(self.preview, 3)
        layout.addLayout(head)
        layout.addLayout(figures)
        layout.addWidget(QLabel(_("Incidents")))
        layout.addWidget(self.incidents, 1)

    def set_time_zone(self, tz: str | None) -> None:
        self._tz = tz

    def clear(self) -> None:
        self.preview.clear()
        self.light.set_status("")
        self.status.setText(MISSING)
        self.state.setText("")
        self.reasons.setText("")
        for stat in (self.resolution, self.fps, self.drops):
            stat.set(MISSING)
        self.incidents.clear()
        self._items.clear()

    def show_preview(self, frame: PreviewFrame) -> None:
        self.preview.show_frame(frame)

    def show_update(self, update: HealthUpdate) -> None:
        snap = update.snapshot
        status = status_text(snap)
        self.light.set_status(status)
        self.status.setText(status_name(status) or MISSING)
        self.state.setText(state_name(update.state.value))
        self.reasons.setText(reasons_text(snap.reasons) if snap.reasons else "")
        not_live = not_live_text(update)
        # Without a picture coming, the last resolution and frame rate are history, not now.
        self.resolution.set(resolution_text(snap.width, snap.height) if not not_live
                            else MISSING)
        self.fps.set(fps_text(None if not_live else snap.fps_actual, snap.fps_nominal))
        total = snap.received + snap.dropped
        self.drops.set(drops_text(snap.dropped, total, snap.drop_ratio) if total else MISSING)
        self.show_incidents(update.changes)
        if update.error and update.state.value in ("reconnecting", "failed", "connecting"):
            self.reasons.setText(render(update.error))  # why there is no picture
        if update.preview is not None and not self.preview.has_frame:
            self.show_preview(update.preview)
        self.preview.set_not_live(not_live)

    def show_stopped(self) -> None:
        """The session ended: no light, no live readings, no picture; the incidents and the
        dropped frames stay, they are the show's record."""
        self.preview.clear()
        self.light.set_status("")
        self.status.setText(MISSING)
        self.state.setText(state_name(WorkerState.STOPPED.value))
        self.reasons.setText("")
        self.resolution.set(MISSING)
        self.fps.set(MISSING)

    def show_incidents(self, changes) -> None:
        for change in changes:
            if isinstance(change, IncidentStarted | IncidentEnded):
                self._incident(change)

    def _incident(self, change: IncidentStarted | IncidentEnded) -> None:
        incident = change.incident
        item = self._items.get(incident.incident_id)
        if item is None:
            item = QListWidgetItem()
            self.incidents.insertItem(0, item)
            self._items[incident.incident_id] = item
            while self.incidents.count() > MAX_INCIDENTS:
                old = self.incidents.takeItem(self.incidents.count() - 1)
                self._items = {k: v for k, v in self._items.items() if v is not old}
        start = clock(incident.start, self._tz)
        if incident.end is None:
            item.setText(_("{name} since {start}").format(
                name=incident_name(incident.kind), start=start))
            item.setForeground(Qt.GlobalColor.red)
        else:
            item.setText(_("{name} at {start}, {seconds:.1f} s").format(
                name=incident_name(incident.kind), start=start,
                seconds=incident.end - incident.start))
            item.setData(Qt.ItemDataRole.ForegroundRole, None)
