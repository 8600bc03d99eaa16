"""Small building blocks shared by the views: the status light and a labelled figure."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRect, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from studio.i18n.format import MISSING
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
    """A figure in large type over its caption: legible at a glance.

    Its width is reserved for the widest text it expects (`widest` values and every caption it
    may carry, in up to `caption_lines` lines), so a row of figures keeps its columns while the
    values change. A value wider than that widens the figure for good: a figure is never cut.
    """

    def __init__(self, caption: str, *, size: int = 18, widest: Sequence[str] = (),
                 caption_lines: int = 1, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value = sized(QLabel(MISSING), size, bold=True)
        self.caption = QLabel(caption)
        self.caption.setStyleSheet("color: palette(placeholder-text);")
        self._caption_lines = caption_lines
        self.caption.setWordWrap(caption_lines > 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(0)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)
        self.value.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.reserve(*widest, captions=(caption,))

    def reserve(self, *values: str, captions: Sequence[str] = ()) -> None:
        """Keeps room for these values (in the figure's type) and captions; room only grows."""
        widths = [self.value.fontMetrics().horizontalAdvance(v) for v in values]
        for caption in captions:
            width, height = self._caption_room(caption)
            widths.append(width)
            if height > self.caption.minimumHeight():  # a caption of fewer lines keeps it
                self.caption.setMinimumHeight(height)
        room = max([self.value.minimumWidth(), *widths])
        if room > self.value.minimumWidth():
            self.value.setMinimumWidth(room)

    def set(self, text: str, tooltip: str = "") -> None:
        self.value.setText(text)
        self.setToolTip("\n".join(t for t in (text, tooltip) if t))
        self.reserve(text)

    def set_caption(self, text: str) -> None:
        self.caption.setText(text)
        self.reserve(captions=(text,))

    def _caption_room(self, text: str) -> tuple[int, int]:
        """The least width in which `text` takes no more than the caption's lines, as Qt
        breaks them (between words, or anywhere in Chinese), and the height it then takes."""
        metrics = self.caption.fontMetrics()

        def laid_out(width: int) -> QRect:
            return metrics.boundingRect(QRect(0, 0, width, 100_000), Qt.TextFlag.TextWordWrap,
                                        text)

        whole = laid_out(100_000)  # in one line, as high as its own glyphs (CJK's are higher)
        if self._caption_lines == 1:
            return whole.width(), whole.height()
        most = self._caption_lines * whole.height()
        low, high = 1, whole.width()
        while low < high:
            mid = (low + high) // 2
            wrapped = laid_out(mid)
            if wrapped.height() <= most and wrapped.width() <= mid:
                high = mid
            else:
                low = mid + 1
        return high, max(most, laid_out(high).height())


def sized(label: QLabel, points: int, *, bold: bool = False) -> QLabel:
    """`label` in type of `points` points (bold if asked); returns it."""
    font = QFont(label.font())
    font.setPointSize(points)
    font.setBold(bold)
    label.setFont(font)
    return label


def line_height(widget: QWidget) -> int:
    """The height of one line of the widget's text, Chinese included: the CJK fallback font's
    lines are higher than the widget's own font says (18 px against 14 at 9 pt)."""
    return widget.fontMetrics().boundingRect(QRect(0, 0, 100_000, 1000), 0, "Ag信号").height()


def heading(text: str) -> QLabel:
    label = QLabel(text)
    return sized(label, label.font().pointSize() + 1, bold=True)


class Banner(QLabel):
    """A red message: an alert for a while, or an error until dismissed.

    It keeps the room of `lines` lines whether shown or not, so that nothing under it moves
    when it comes and goes; a longer message is cut there and whole in the tooltip.
    """

    ALERT_S = 30  # how long a revenue-at-risk alert stays up; the flags keep every one
    PADDING = 6

    def __init__(self, points: int | None = None, *, lines: int = 2,
                 parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.setWordWrap(True)
        self.setStyleSheet(f"background: #d93a2b; color: white; padding: {self.PADDING}px;"
                           " border-radius: 4px;")
        sized(self, points or self.font().pointSize(), bold=True)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.setFixedHeight(lines * line_height(self) + 2 * self.PADDING + 2)
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.setSizePolicy(policy)
        self.setVisible(False)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.dismiss)

    def show_message(self, text: str, seconds: float | None = None) -> None:
        """Shows `text`; with `seconds`, hides it again after that long."""
        self.setText(text)
        self.setToolTip(text)
        self.setVisible(True)
        if seconds is None:
            self._timer.stop()
        else:
            self._timer.start(round(seconds * 1000))

    def dismiss(self) -> None:
        self._timer.stop()
        self.setVisible(False)

    def end_alert(self) -> None:
        """Takes down a message shown for a while (an alert); an error stays up."""
        if self._timer.isActive():
            self.dismiss()
