"""The compact on-air window: small, always on top, readable from two metres.

It shows only what the host needs mid-sentence: the status light and why it is not green, fps,
drops, viewers now and the next unanswered question.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from studio.capture.worker import HealthUpdate
from studio.core.markets import market
from studio.core.onair.board import BoardView
from studio.core.onair.risk import RiskAlert
from studio.i18n import _
from studio.i18n.format import MISSING, number, share
from studio.ui.health_text import not_live_text, reasons_text, status_name, status_text
from studio.ui.live.controller import LiveController
from studio.ui.live.flags_panel import alert_text
from studio.ui.widgets import Banner, StatusLight, line_height, sized

QUESTION_CHARS = 120  # about three lines at this size: the rest is in the tooltip


def _clipped(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUESTION_CHARS else text[: QUESTION_CHARS - 1] + "…"


class CompactWindow(QWidget):
    hidden = Signal()
    def __init__(self, controller: LiveController, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Tool | Qt.WindowType.WindowStaysOnTopHint)
        self.setWindowTitle(_("On air"))
        self.light = StatusLight(72)
        self.status = sized(QLabel(MISSING), 28, bold=True)
        self.reason = sized(QLabel(""), 16)  # why WARN or CRIT, in two lines kept for it
        self.reason.setWordWrap(True)
        self.reason.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.reason.setFixedHeight(2 * line_height(self.reason))
        self.fps = sized(QLabel(MISSING), 26, bold=True)
        self.drops = sized(QLabel(MISSING), 26, bold=True)
        self.viewers = sized(QLabel(MISSING), 26, bold=True)
        self.question = sized(QLabel(MISSING), 18)
        self.question.setWordWrap(True)
        self.question.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.risk = Banner(14)
        layout = QGridLayout(self)
        layout.addWidget(self.light, 0, 0, 2, 1)
        layout.addWidget(self.status, 0, 1)
        layout.addWidget(self.reason, 1, 1)
        for row, (caption, value) in enumerate(
            ((_("FPS"), self.fps), (_("Dropped"), self.drops), (_("Viewers now"), self.viewers)),
            start=2,
        ):
            layout.addWidget(sized(QLabel(caption), 14), row, 0)
            layout.addWidget(value, row, 1)
        layout.addWidget(sized(QLabel(_("Next question")), 14), 5, 0, 1, 2)
        layout.addWidget(self.question, 6, 0, 1, 2)
        layout.addWidget(self.risk, 7, 0, 1, 2)
        layout.setRowStretch(6, 1)
        self.resize(460, 420)
        self._controller = controller
        controller.health.connect(self.show_update)
        controller.board.connect(self.show_view)
        controller.alert.connect(self.show_alert)
        controller.stopped.connect(self.show_stopped)

    def show_update(self, update: HealthUpdate) -> None:
        snap = update.snapshot
        status = status_text(snap)
        self.light.set_status(status)
        self.status.setText(status_name(status) or MISSING)
        not_live = not_live_text(update)
        self.reason.setText(not_live or (reasons_text(snap.reasons) if status else ""))
        self.fps.setText(MISSING if not_live else number(snap.fps_actual, 1))
        self.drops.setText(f"{number(snap.dropped)} ({share(snap.drop_ratio, 1)})")

    def show_stopped(self, _session=None) -> None:
        """Off air: nothing here may still look live."""
        self.light.set_status("")
        for label in (self.status, self.fps, self.drops, self.viewers, self.question):
            label.setText(MISSING)
        self.reason.setText("")
        self.question.setToolTip("")
        self.risk.dismiss()

    def show_view(self, view: BoardView) -> None:
        self.viewers.setText(number(view.figures.concurrency.latest))
        question = view.next_question
        self.question.setText(_clipped(question.text) if question else MISSING)
        self.question.setToolTip(question.text if question else "")

    def show_alert(self, alert: RiskAlert) -> None:
        session = self._controller.session
        tz = market(session.market).tz_name if session else None
        self.risk.show_message(alert_text(alert, tz), Banner.ALERT_S)

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        self.hidden.emit()
