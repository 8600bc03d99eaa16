"""The compact on-air window: small, always on top, readable from two metres.

It shows only what the host needs mid-sentence: the status light, fps, drops, viewers now and
the next unanswered question.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from studio.capture.worker import HealthUpdate
from studio.core.onair.board import BoardView
from studio.i18n import _
from studio.i18n.format import MISSING, number, share
from studio.ui.live.controller import LiveController
from studio.ui.widgets import StatusLight


def _big(size: int) -> QLabel:
    label = QLabel(MISSING)
    font = QFont(label.font())
    font.setPointSize(size)
    font.setBold(True)
    label.setFont(font)
    return label


class CompactWindow(QWidget):
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
        layout = QGridLayout(self)
        layout.addWidget(self.light, 0, 0, 2, 1)
        layout.addWidget(self.status, 0, 1)
        for row, (caption, value) in enumerate(
            ((_("FPS"), self.fps), (_("Dropped"), self.drops), (_("Viewers now"), self.viewers)),
            start=2,
        ):
            layout.addWidget(QLabel(caption), row, 0)
            layout.addWidget(value, row, 1)
        layout.addWidget(QLabel(_("Next question")), 5, 0, 1, 2)
        layout.addWidget(self.question, 6, 0, 1, 2)
        self.resize(420, 360)
        controller.health.connect(self.show_update)
        controller.board.connect(self.show_view)

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
        self.question.setText(question.text if question else MISSING)
