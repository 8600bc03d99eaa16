"""The compact on-air window: small, always on top, readable from two metres.

It shows only what the host needs mid-sentence: the status light, fps, drops, viewers now and
the next unanswered question.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from studio.capture.worker import HealthUpdate
from studio.core.markets import market
from studio.core.onair.board import BoardView
from studio.core.onair.risk import RiskAlert
from studio.i18n import _
from studio.i18n.format import MISSING, number, share
from studio.ui.live.controller import LiveController
from studio.ui.live.flags_panel import alert_text
from studio.ui.live.view import BANNER_S
from studio.ui.widgets import StatusLight


def _big(size: int) -> QLabel:
    label = QLabel(MISSING)
    font = QFont(label.font())
    font.setPointSize(size)
    font.setBold(True)
    label.setFont(font)
    return label


QUESTION_CHARS = 120  # about three lines at this size: the rest is in the tooltip


def _caption(text: str) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setPointSize(14)
    label.setFont(font)
    return label


def _clipped(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUESTION_CHARS else text[: QUESTION_CHARS - 1] + "…"


class CompactWindow(QWidget):
    hidden = Signal()
    def __init__(self, controller: LiveController, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Tool | Qt.WindowType.WindowStaysOnTopHint)
        self.setWindowTitle(_("On air"))
        self.light = StatusLight(72)
        self.status = _big(28)
        self.fps = _big(26)
        self.drops = _big(26)
        self.viewers = _big(26)
        self.question = QLabel(MISSING)
        font = QFont(self.question.font())
        font.setPointSize(18)
        self.question.setFont(font)
        self.question.setWordWrap(True)
        self.question.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.risk = QLabel("")
        self.risk.setWordWrap(True)
        self.risk.setVisible(False)
        self.risk.setStyleSheet("background: #d93a2b; color: white; font-weight: bold;"
                                " padding: 4px; border-radius: 4px;")
        risk_font = QFont(self.risk.font())
        risk_font.setPointSize(14)
        self.risk.setFont(risk_font)
        self._risk_timer = QTimer(self)
        self._risk_timer.setSingleShot(True)
        self._risk_timer.timeout.connect(lambda: self.risk.setVisible(False))
        layout = QGridLayout(self)
        layout.addWidget(self.light, 0, 0, 2, 1)
        layout.addWidget(self.status, 0, 1)
        for row, (caption, value) in enumerate(
            ((_("FPS"), self.fps), (_("Dropped"), self.drops), (_("Viewers now"), self.viewers)),
            start=2,
        ):
            layout.addWidget(_caption(caption), row, 0)
            layout.addWidget(value, row, 1)
        layout.addWidget(_caption(_("Next question")), 5, 0, 1, 2)
        layout.addWidget(self.question, 6, 0, 1, 2)
        layout.addWidget(self.risk, 7, 0, 1, 2)
        layout.setRowStretch(6, 1)
        self.resize(460, 420)
        self._controller = controller
        controller.health.connect(self.show_update)
        controller.board.connect(self.show_view)
        controller.alert.connect(self.show_alert)

    def show_update(self, update: HealthUpdate) -> None:
        snap = update.snapshot
        status = snap.status.value if snap.t is not None else ""
        self.light.set_status(status)
        self.status.setText(status or MISSING)
        self.fps.setText(number(snap.fps_actual, 1))
        self.drops.setText(f"{number(snap.dropped)} ({share(snap.drop_ratio, 1)})")

    def show_view(self, view: BoardView) -> None:
        series = view.figures["concurrency"]["viewers"]
        self.viewers.setText(number(series[-1] if series else None))
        question = view.next_question
        self.question.setText(_clipped(question.text) if question else MISSING)
        self.question.setToolTip(question.text if question else "")

    def show_alert(self, alert: RiskAlert) -> None:
        session = self._controller.session
        self.risk.setText(alert_text(alert, market(session.market).tz_name if session else None))
        self.risk.setVisible(True)
        self._risk_timer.start(BANNER_S * 1000)

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        self.hidden.emit()
