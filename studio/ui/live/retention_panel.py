"""The retention curve S(t): the share of viewers who stayed at least t, with the 1-minute
(bounce) and 3-minute (effective viewer) lines of spec/metrics.md."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout, QWidget

from studio.i18n import _
from studio.ui.live.graphs import curve, live_plot
from studio.ui.live.label_lanes import LabelLanes
from studio.ui.theme import graph_colours

RETENTION_VIEW_MIN = 15.0  # minutes shown at first; the plot pans to the rest
REFERENCE_VIEW_MIN = 3.5  # the least shown: both reference lines, from the start
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
        self.references.set_labels(((1, _("1 min")), (3, _("3 min"))))
        for minutes in (1, 3):
            self.plot.addItem(pg.InfiniteLine(
                pos=minutes, angle=90, pen=pg.mkPen(colour, style=pg.QtCore.Qt.PenStyle.DotLine)))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)

    def show_figures(self, figures: Mapping[str, Any]) -> None:
        retention = figures["retention_curve"]
        points = np.asarray(retention["points"], dtype=float).reshape(-1, 2)
        if len(points):
            # S holds from its last change on to the longest stay (on air: viewers still there)
            points = np.vstack([points, [retention["max_dwell_s"], points[-1, 1]]])
            # S(t) is a step function: draw it as steps, in minutes.
            self.curve.setData(points[:, 0] / 60.0, points[:, 1], stepMode=None)
            # The first minutes decide the show; a 4-hour tail would squeeze them into a line.
            # Both reference lines stay in view, even before anybody has watched 3 minutes.
            longest = max(points[-1, 0] / 60.0, REFERENCE_VIEW_MIN)
            self.plot.setXRange(0, min(longest, RETENTION_VIEW_MIN), padding=0.02)
        else:
            self.curve.setData([], [])
