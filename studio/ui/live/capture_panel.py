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

from studio.capture.worker import HealthUpdate, PreviewFrame
from studio.core.health import IncidentEnded, IncidentStarted
from studio.i18n import _
from studio.i18n.format import MISSING, clock, number, share
from studio.ui.health_text import incident_name, reasons_text, state_name, status_text
from studio.ui.live.preview import PreviewWidget
from studio.ui.widgets import Stat, StatusLight, heading, sized

MAX_INCIDENTS = 200


class CapturePanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = PreviewWidget(_("No feed"))
        self.light = StatusLight(56)
        self.status = sized(QLabel("—"), 20, bold=True)
        self.state = QLabel("")
        self.reasons = QLabel("")
        self.reasons.setWordWrap(True)
        self.resolution = Stat(_("Resolution"))
        self.fps = Stat(_("FPS actual / nominal"))
        self.drops = Stat(_("Dropped frames"))
        self.incidents = QListWidget()
        self.incidents.setAccessibleName(_("Incidents"))
        self._items: dict[str, QListWidgetItem] = {}
        self._tz: str | None = None

        head = QHBoxLayout()
        head.addWidget(self.light)
        words = QVBoxLayout()
        words.addWidget(self.status)
        words.addWidget(self.state)
        head.addLayout(words, 1)
        figures = QGridLayout()
        figures.addWidget(self.resolution, 0, 0)
        figures.addWidget(self.fps, 0, 1)
        figures.addWidget(self.drops, 0, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(_("Stream health")))
        layout.addWidget(self.preview, 3)
        layout.addLayout(head)
        layout.addWidget(self.reasons)
        layout.addLayout(figures)
        layout.addWidget(QLabel(_("Incidents")))
        layout.addWidget(self.incidents, 1)

    def set_time_zone(self, tz: str | None) -> None:
        self._tz = tz

    def clear(self) -> None:
        self.preview.clear()
        self.light.set_status("")
        self.status.setText("—")
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
        self.status.setText(status or "—")
        self.state.setText(state_name(update.state.value))
        self.reasons.setText(reasons_text(snap.reasons) if snap.reasons else "")
        self.resolution.set(f"{snap.width} × {snap.height}" if snap.width else MISSING)
        self.fps.set(f"{number(snap.fps_actual, 1)} / {number(snap.fps_nominal, 1)}")
        total = snap.received + snap.dropped
        self.drops.set(f"{number(snap.dropped)} / {number(total)} ({share(snap.drop_ratio, 2)})"
                       if total else MISSING)
        self.show_incidents(update.changes)
        if update.error and update.state.value in ("reconnecting", "failed", "connecting"):
            self.reasons.setText(update.error)  # why there is no picture, in the source's words
        if update.preview is not None and not self.preview.has_frame:
            self.show_preview(update.preview)

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
