"""The capture preview: the latest frame painted into its own rectangle.

A QLabel with a new pixmap at 60 fps asks its layout to recompute each time, and the tab
widget then repaints the whole page, graphs included (bench_app measured 59 full-window
repaints a second). This widget only repaints itself: its size never depends on the frame.

While the feed is not live (signal lost, reconnecting, ended) the last frame stays, dimmed,
under a line that says why: a still picture must never pass for the show.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

from studio.capture.worker import PreviewFrame

DIMMED = QColor(0, 0, 0, 170)  # over the last frame while the feed is not live


class PreviewWidget(QWidget):
    def __init__(self, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(192, 108)  # what is left at the smallest window, 1280x800
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.empty_text = empty_text
        self._image: QImage | None = None
        self._not_live = ""  # why the picture is not live; empty while it is

    @property
    def has_frame(self) -> bool:
        return self._image is not None

    @property
    def not_live(self) -> str:
        return self._not_live

    def clear(self) -> None:
        self._image = None
        self._not_live = ""
        self.update()

    def show_frame(self, frame: PreviewFrame) -> None:
        image = frame.image
        height, width = image.shape[:2]
        # copy(): the QImage must own its pixels, the array may go with the next frame
        self._image = QImage(image.data, width, height, image.strides[0],
                             QImage.Format.Format_BGR888).copy()
        self.update()

    def set_not_live(self, reason: str) -> None:
        """`reason` over the dimmed last frame; "" when the feed is live again."""
        if reason != self._not_live:
            self._not_live = reason
            self.update()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#111"))
        if self._image is None:
            painter.setPen(QColor("#aaa"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.empty_text)
            return
        size = self._image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        target = QRect(0, 0, size.width(), size.height())
        target.moveCenter(self.rect().center())
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(target, self._image)
        if self._not_live:
            painter.fillRect(target, DIMMED)
            font = QFont(self.font())
            font.setPointSize(font.pointSize() + 5)
            font.setBold(True)
            painter.setFont(font)
            painter.setPen(QColor("white"))
            painter.drawText(target, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                             self._not_live)
