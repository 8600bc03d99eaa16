"""What every graph of the live view shares: a plot set up the way pyqtgraph's live examples
do it (peak downsampling, clip to view, data replaced with setData from a timer)."""

from __future__ import annotations

import pyqtgraph as pg

from studio.ui.theme import graph_colours


def live_plot(title: str, x_label: str, y_label: str, *, least_x: float = 1.0,
              least_y: float = 1.0) -> pg.PlotWidget:
    """Minutes, viewers and shares are never negative: the axes start at 0, and before the
    data arrives (or while it is one point) they span at least `least_x` by `least_y`."""
    plot = pg.PlotWidget()
    plot.setTitle(title)
    plot.setLabel("bottom", x_label)
    if y_label:
        plot.setLabel("left", y_label)
    for side in ("bottom", "left"):  # "minutes (x0.001)" helps nobody on air
        plot.getAxis(side).enableAutoSIPrefix(False)
    plot.showGrid(x=True, y=True, alpha=0.2)
    plot.setMenuEnabled(False)
    plot.setMouseEnabled(x=True, y=False)
    plot.setLimits(xMin=0, yMin=0, minXRange=least_x, minYRange=least_y)
    plot.setRange(xRange=(0, least_x), yRange=(0, least_y), padding=0)
    plot.enableAutoRange()  # setRange turned it off; the data decides from here on
    item = plot.getPlotItem()
    item.setDownsampling(mode="peak")
    item.setClipToView(True)
    return plot


def curve(plot: pg.PlotWidget, *, accent: bool = False) -> pg.PlotDataItem:
    colours = graph_colours()
    pen = pg.mkPen(colours.accent if accent else colours.line, width=2)
    return plot.plot([], [], pen=pen)
