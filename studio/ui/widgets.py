"""Small building blocks shared by the views: the status light and a labelled figure."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from studio.ui.theme import STATUS_COLOURS


class StatusLight(QWidget):
    """A round light in the OBS stats colours; grey while there is no feed."""

    def __init__(self, diameter: int = 48, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._status = ""
        self._diameter = diameter
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("status")

    @property
    def status(self) -> str:
        return self._status

    def set_status(self, status: str) -> None:
        if status != self._status:
            self._status = status
            self.setAccessibleDescription(status)
            self.update()

    def sizeHint(self) -> QSize:
        return QSize(self._diameter + 4, self._diameter + 4)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = QColor(STATUS_COLOURS.get(self._status, STATUS_COLOURS[""]))
        painter.setBrush(colour)
        painter.setPen(QPen(colour.darker(130), 2))
        side = min(self.width(), self.height()) - 4
        painter.drawEllipse(QRectF(2, 2, side, side))


class Stat(QWidget):
    """A figure in large type over its caption: legible at a glance."""

    def __init__(self, caption: str, *, size: int = 18, elide: bool = False,
                 parent: QWidget | None = None) -> None:
        """elide: the value gives up width (and is elided) rather than widening the window."""
        super().__init__(parent)
        self.value = sized(QLabel("—"), size, bold=True)
        self._elide = elide
        if elide:
            self.value.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            self.value.setMinimumWidth(60)
        self._text = "—"
        self.caption = QLabel(caption)
        self.caption.setStyleSheet("color: palette(placeholder-text);")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(0)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)
        for label in (self.value, self.caption):
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

    def set(self, text: str, tooltip: str = "") -> None:
        self._text = text
        self.setToolTip("\n".join(t for t in (text, tooltip) if t))
        self._fit()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        if not self._elide:
            self.value.setText(self._text)
            return
        # A long value (GMV in three currencies) is elided, never allowed to widen the window.
        metrics = self.value.fontMetrics()
        self.value.setText(metrics.elidedText(self._text, Qt.TextElideMode.ElideRight,
                                              max(self.value.width(), 40)))


def sized(label: QLabel, points: int, *, bold: bool = False) -> QLabel:
    """`label` in type of `points` points (bold if asked); returns it."""
    font = QFont(label.font())
    font.setPointSize(points)
    font.setBold(bold)
    label.setFont(font)
    return label


def heading(text: str) -> QLabel:
    label = QLabel(text)
    return sized(label, label.font().pointSize() + 1, bold=True)


class Banner(QLabel):
    """A red line across the top: an alert for a while, or an error until dismissed."""

    ALERT_S = 30  # how long a revenue-at-risk alert stays up; the flags keep every one

    def __init__(self, points: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.setWordWrap(True)
        self.setVisible(False)
        self.setStyleSheet("background: #d93a2b; color: white; font-weight: bold;"
                           " padding: 6px; border-radius: 4px;")
        if points is not None:
            sized(self, points, bold=True)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.dismiss)

    def show_message(self, text: str, seconds: float | None = None) -> None:
        """Shows `text`; with `seconds`, hides it again after that long."""
        self.setText(text)
        self.setVisible(True)
        if seconds is None:
            self._timer.stop()
        else:
            self._timer.start(round(seconds * 1000))

    def dismiss(self) -> None:
        self._timer.stop()
        self.setVisible(False)
