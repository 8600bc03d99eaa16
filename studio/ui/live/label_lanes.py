"""Labels of vertical lines (the host's markers, the 1- and 3-minute lines) in a strip above
the plot, in a few lanes.

Each label starts at its line, in the lowest lane where it overlaps no other; near the right
edge it ends at its line instead. A label that finds no lane with room for all of it is
shortened to the room there is, and every label is whole in the tooltip. Above the plot the
labels never cover the curve or the incident bands, and inside its width none is cut off.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPen

PAD = 3.0  # between a line and its label
GAP = 10.0  # between two labels in one lane
HOVER = 4.0  # how near a line the pointer counts as on it


@dataclass(frozen=True, slots=True)
class Spot:
    lane: int  # 0 is the lane next to the plot
    left: float
    width: float  # the room the label got: its own width, or less (then it is shortened)


def place(lines: Sequence[float], widths: Sequence[float], *, lanes: int, right: float,
          least: float) -> list[Spot | None]:
    """Where each label goes: `lines` are the lines' x in pixels, ascending, from 0 to
    `right`; `widths` the labels' natural widths; a label given less than `least` is left out
    (None), the tooltip still has it.

    A label never reaches past the line `lanes` places after its own: that line's label then
    always finds a free lane."""
    ends = [-math.inf] * lanes  # where each lane's last label ends
    spots: list[Spot | None] = []
    for i, (x, width) in enumerate(zip(lines, widths, strict=True)):
        limit = min(right, lines[i + lanes] - GAP) if i + lanes < len(lines) else right
        after, before = [], []  # (room, lane, left)
        for lane, end in enumerate(ends):
            free = max(0.0, end + GAP)
            if free <= x + PAD:
                after.append((min(width, limit - x - PAD), lane, x + PAD))
            room = min(width, x - PAD - free)
            before.append((room, lane, x - PAD - room))
        options = after + before  # a label after its line reads best, in the lowest lane
        whole = [o for o in options if o[0] >= width]
        room, lane, left = whole[0] if whole else max(options, key=lambda o: (o[0], -o[1]))
        if room < least:
            spots.append(None)
            continue
        ends[lane] = left + room
        spots.append(Spot(lane, left, room))
    return spots


class LabelLanes(pg.AxisItem):
    """The strip, as the plot's top axis: it follows the plot's x range and width."""

    def __init__(self, lanes: int, colour: QColor | str) -> None:
        super().__init__("top", maxTickLength=0)
        self.lanes = lanes
        self._font = QFont()
        self.setTickFont(self._font)
        self.setTextPen(colour)
        self._tick_pen = pg.mkPen(colour, width=1)
        self._labels: tuple[tuple[float, str], ...] = ()
        self.placed: list[tuple[QRectF, str, str]] = []  # rect, text shown, whole label
        self.lines: list[tuple[float, str]] = []  # x in pixels, whole label
        self.setHeight(round(lanes * QFontMetricsF(self._font).height()) + 2)
        self.setAcceptHoverEvents(True)

    def set_labels(self, labels: Sequence[tuple[float, str]]) -> None:
        """(x in the plot's units, text) of every line."""
        self._labels = tuple(sorted(labels))
        self.picture = None
        self.update()

    def generateDrawSpecs(self, p):
        bounds = self.mapRectFromParent(self.geometry())
        low, high = self.range
        axis = (QPen(Qt.PenStyle.NoPen), bounds.bottomLeft(), bounds.bottomRight())
        self.placed, self.lines = [], []
        if high <= low or bounds.width() <= 0:
            return axis, [], []
        metrics = QFontMetricsF(self._font)
        scale = bounds.width() / (high - low)
        slack = 1.0 / scale  # a line a pixel outside (0.0 against a range from 0.001) counts
        self.lines = [(bounds.left() + (min(max(x, low), high) - low) * scale, text)
                       for x, text in self._labels if low - slack <= x <= high + slack]
        spots = place([x for x, _text in self.lines],
                      [metrics.horizontalAdvance(text) for _x, text in self.lines],
                      lanes=self.lanes, right=bounds.right(),
                      least=metrics.horizontalAdvance("M…"))
        line_height = metrics.height()
        ticks, texts = [], []
        for (x, text), spot in zip(self.lines, spots, strict=True):
            if spot is None:
                continue
            top = bounds.bottom() - (spot.lane + 1) * line_height
            rect = QRectF(spot.left, top, spot.width, line_height)
            shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, spot.width + 0.5)
            texts.append((rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                          shown))
            ticks.append((self._tick_pen, QPointF(x, top + 2), QPointF(x, top + line_height)))
            self.placed.append((rect, shown, text))
        return axis, ticks, texts

    def tooltip_at(self, pos: QPointF) -> str:
        """Every label under the pointer or of a line beside it, whole."""
        texts = [whole for rect, _shown, whole in self.placed if rect.contains(pos)]
        texts += [text for x, text in self.lines if abs(x - pos.x()) <= HOVER]
        return "\n".join(dict.fromkeys(texts))

    def hoverMoveEvent(self, event) -> None:
        self.setToolTip(self.tooltip_at(event.pos()))
