"""The retention curve S(t): the share of viewers who stayed at least t, with the bounce
(1-minute) and effective viewer (3-minute) lines of docs/metrics.md."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout, QWidget

from studio.core.metrics.model import RetentionCurve
from studio.core.metrics.references import BOUNCE_DWELL_S, EFFECTIVE_DWELL_S, minutes
from studio.i18n import _
from studio.ui.live.graphs import curve, live_plot
from studio.ui.live.label_lanes import LabelLanes
from studio.ui.reference_text import minutes_label
from studio.ui.theme import graph_colours

REFERENCES_S = (BOUNCE_DWELL_S, EFFECTIVE_DWELL_S)  # a dotted line at each
RETENTION_VIEW_MIN = 15.0  # minutes shown at first; the plot pans to the rest
# the least shown: both reference lines, from the start
REFERENCE_VIEW_MIN = minutes(max(REFERENCES_S)) + 0.5
TOP = 1.05  # room above 100 % for the axis's "1.0"


class RetentionPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = live_plot(_("Retention"), _("minutes watched"), _("share still watching"),
                              least_x=REFERENCE_VIEW_MIN, least_y=TOP)
        # fixed ranges: the panel sets x itself as the show goes on
        self.plot.setRange(xRange=(0, REFERENCE_VIEW_MIN), yRange=(0, TOP), padding=0)
        self.curve = curve(self.plot, accent=True)
        colour = graph_colours().foreground
        # the two labels in two lanes above the plot: on a small plot they would collide
        self.references = LabelLanes(2, colour)
        self.plot.setAxisItems({"top": self.references})
        self.references.set_labels(
            tuple((minutes(seconds), minutes_label(seconds)) for seconds in REFERENCES_S))
        for seconds in REFERENCES_S:
            self.plot.addItem(pg.InfiniteLine(pos=minutes(seconds), angle=90, pen=pg.mkPen(
                colour, style=pg.QtCore.Qt.PenStyle.DotLine)))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)

    def show_curve(self, retention: RetentionCurve) -> None:
        points = np.asarray(retention.points, dtype=float).reshape(-1, 2)
        if len(points):
            # S holds from its last change on to the longest stay (on air: viewers still there)
            points = np.vstack([points, [retention.max_dwell_s, points[-1, 1]]])
            # S(t) is a step function: draw it as steps, in minutes.
            self.curve.setData(points[:, 0] / 60.0, points[:, 1], stepMode=None)
            # The first minutes decide the show; a 4-hour tail would squeeze them into a line.
            # Both reference lines stay in view, even before anybody has watched 3 minutes.
            longest = max(points[-1, 0] / 60.0, REFERENCE_VIEW_MIN)
            self.plot.setXRange(0, min(longest, RETENTION_VIEW_MIN), padding=0.02)
        else:
            self.curve.setData([], [])
