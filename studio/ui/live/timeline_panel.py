"""Concurrency over the show, with health incidents as bands and the host's markers as lines.

One timeline for everything, so that "38 viewers left in the minute after the freeze" is
something the producer sees, not something they compute. The markers' labels sit in lanes above
the plot (label_lanes), clear of the curve and the bands.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout, QWidget

from studio.core.metrics.model import Concurrency, Incident
from studio.core.onair.markers import caption
from studio.i18n import _
from studio.i18n.render import render
from studio.ui.health_text import incident_name
from studio.ui.live.graphs import curve, live_plot
from studio.ui.live.label_lanes import LabelLanes
from studio.ui.theme import graph_colours


class TimelinePanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = live_plot(_("Concurrent viewers"), _("minutes into the show"),
                              _("viewers"), least_x=5, least_y=10)
        self.labels = LabelLanes(MARKER_LANES, graph_colours().marker)
        self.plot.setAxisItems({"top": self.labels})
        self.curve = curve(self.plot)
        self._bands: list[pg.LinearRegionItem] = []
        self._lines: list[pg.InfiniteLine] = []
        self._shown_incidents: tuple = ()
        self._shown_markers: tuple = ()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)

    def show_timeline(self, series: Concurrency, incidents: Sequence[Incident],
                      markers: Sequence[tuple[float, str]]) -> None:
        start, step = series.start, series.bucket_s or 1
        values = np.asarray(series.viewers, dtype=float)
        minutes = np.arange(len(values)) * (step / 60.0)
        self.curve.setData(minutes, values)
        if tuple(incidents) != self._shown_incidents:
            self._draw_incidents(tuple(incidents), start)
        if tuple(markers) != self._shown_markers:
            self._draw_markers(tuple(markers), start)

    @property
    def points(self) -> int:
        x, _y = self.curve.getData()
        return 0 if x is None else len(x)

    @property
    def band_count(self) -> int:
        return len(self._bands)

    @property
    def marker_count(self) -> int:
        return len(self._lines)

    def _draw_incidents(self, incidents: tuple[Incident, ...], start: float) -> None:
        for band in self._bands:
            self.plot.removeItem(band)
        colour = graph_colours().incident
        self._bands = []
        for incident in incidents:
            began, ended = incident.start, incident.end
            band = pg.LinearRegionItem(
                values=((began - start) / 60, (max(ended, began + 1) - start) / 60),
                movable=False, brush=colour, pen=pg.mkPen(None))
            band.setToolTip(incident_name(incident.kind))
            band.setZValue(-10)
            self.plot.addItem(band)
            self._bands.append(band)
        self._shown_incidents = incidents

    def _draw_markers(self, markers: tuple, start: float) -> None:
        for line in self._lines:
            self.plot.removeItem(line)
        pen = pg.mkPen(graph_colours().marker, width=1, style=pg.QtCore.Qt.PenStyle.DashLine)
        self._lines = []
        labels = []
        for ts, label in _merged(tuple((ts, render(caption(label))) for ts, label in markers)):
            line = pg.InfiniteLine(pos=(ts - start) / 60, angle=90, pen=pen)
            self.plot.addItem(line)
            self._lines.append(line)
            labels.append((line.value(), label))
        self.labels.set_labels(labels)
        self._shown_markers = markers


MARKER_LANES = 3
MERGE_WITHIN_S = 5.0  # markers this close share one line and one label


def _merged(markers: tuple) -> list[tuple[float, str]]:
    merged: list[tuple[float, list[str]]] = []
    for ts, label in markers:
        if merged and ts - merged[-1][0] <= MERGE_WITHIN_S:
            merged[-1][1].append(label)
        else:
            merged.append((ts, [label]))
    return [(ts, " · ".join(labels)) for ts, labels in merged]
