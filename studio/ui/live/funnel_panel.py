"""The live funnel: view -> click -> cart -> order -> pay, with counts and step rates, and the
weakest step in the accent colour.

The weakest step is named only when the metrics flag it: a step is not "weak" on a handful of
viewers (FLAG_EVIDENCE), nor when it is no worse than this market's earlier shows."""

from __future__ import annotations

from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from studio.core.metrics.model import Flag, Funnel
from studio.i18n import N_, _
from studio.i18n.format import number, share
from studio.ui.live.graphs import live_plot
from studio.ui.theme import graph_colours

# The stages in FUNNEL_STAGES order, each with the step (FUNNEL_STEPS) that reaches it.
STAGES = (
    (None, N_("Viewers")),
    ("click", N_("Clicked")),
    ("cart", N_("Carted")),
    ("order", N_("Ordered")),
    ("pay", N_("Paid")),
)
DIAGNOSES = {
    "click": N_("Few viewers click: show and pin the products better."),
    "cart": N_("Clicks do not become carts: check the product page (details, pictures, and a "
               "price matching what the host says)."),
    "order": N_("Carts are not ordered: check the checkout (steps, local payment methods)."),
    "pay": N_("Orders are not paid: look for payment failures."),
}


class FunnelPanel(QWidget):
    """Bars across, one stage a row, the viewers on top: the stage names, counts and step rates
    stand in a column of their own on the left, where no two can run together."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = live_plot(_("Funnel"), _("viewers"), "", least_x=10, least_y=len(STAGES))
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.showGrid(x=True, y=False, alpha=0.2)
        self.rows = [len(STAGES) - i for i in range(len(STAGES))]  # the viewers on top
        self.plot.setYRange(0.4, len(STAGES) + 0.6, padding=0)
        self.axis = self.plot.getAxis("left")
        metrics = QFontMetricsF(self.axis.font())
        widest = max(metrics.horizontalAdvance(text) for text in (
            *(_(name) for _step, name in STAGES),
            _stage_figures(WIDEST_COUNT, 1.0)))
        self.axis.setWidth(round(widest) + AXIS_SPACE)
        # each row's two lines of text need their height, or they run into the next row's
        row = 2 * metrics.lineSpacing() + 4
        self.plot.setMinimumHeight(round((len(STAGES) + 0.2) * row) + PLOT_FRAME)
        self.bars = pg.BarGraphItem(x0=0, y=self.rows, width=[0] * len(STAGES), height=0.6,
                                    brush=graph_colours().line)
        self.plot.addItem(self.bars)
        self.diagnosis = QLabel("")
        self.diagnosis.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.diagnosis)
        self.counts: list[int] = [0] * len(STAGES)
        self._set_ticks([None] * len(STAGES))

    def show_funnel(self, funnel: Funnel, flags: Sequence[Flag]) -> None:
        self.counts = list(funnel.counts())
        diagnosis = funnel.diagnosis
        flagged = diagnosis is not None and any(f.code == diagnosis.code for f in flags)
        weakest = diagnosis.step if flagged and diagnosis else None
        colours = graph_colours()
        self.bars.setOpts(width=self.counts, brushes=[
            colours.accent if step is not None and step == weakest else colours.line
            for step, _name in STAGES])
        self.plot.setXRange(0, max(max(self.counts) * 1.05, 10), padding=0)
        self._set_ticks([None, *funnel.rates.steps()])
        self.diagnosis.setText(_diagnosis_text(funnel, flagged))

    def _set_ticks(self, rates: list[float | None]) -> None:
        self.axis.setTicks([[
            (row, f"{_(name)}\n{_stage_figures(count, rate)}")
            for row, count, rate, (_step, name)
            in zip(self.rows, self.counts, rates, STAGES, strict=True)]])


def _diagnosis_text(funnel: Funnel, flagged: bool) -> str:
    diagnosis = funnel.diagnosis
    if diagnosis is None:
        return ""
    if flagged:
        return _("Weakest step: {step} ({rate}). {advice}").format(
            step=_(dict(STAGES)[diagnosis.step]), rate=share(diagnosis.rate),
            advice=_(DIAGNOSES[diagnosis.step]))
    if diagnosis.below_median is False:
        return _("No step is below the median of this market's earlier shows.")
    return _("Too few viewers yet to name a weakest step.")


WIDEST_COUNT = 888_888
AXIS_SPACE = 12  # the axis's tick and the gap before the text
PLOT_FRAME = 80  # the title and the bottom axis with its label


def _stage_figures(count: int, rate: float | None) -> str:
    """"213" for the viewers, "9 · 4.2%" for a step: its count and the share of the stage
    before it that got this far."""
    return number(count) if rate is None else f"{number(count)} · {share(rate)}"
