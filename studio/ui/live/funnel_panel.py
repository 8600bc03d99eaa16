"""The live funnel: view -> click -> cart -> order -> pay, with counts and step rates."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pyqtgraph as pg
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from studio.i18n import N_, _
from studio.i18n.format import number, share
from studio.ui.live.graphs import live_plot
from studio.ui.theme import graph_colours

STAGES = (
    ("viewers", None, N_("Viewers")),
    ("clicked", "click", N_("Clicked")),
    ("carted", "cart", N_("Carted")),
    ("ordered", "order", N_("Ordered")),
    ("paid", "pay", N_("Paid")),
)
DIAGNOSES = {
    "click": N_("Few viewers click: show and pin the products better."),
    "cart": N_("Clicks do not become carts: check the product page (details, pictures, and a "
               "price matching what the host says)."),
    "order": N_("Carts are not ordered: check the checkout (steps, local payment methods)."),
    "pay": N_("Orders are not paid: look for payment failures."),
}


class FunnelPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = live_plot(_("Funnel"), "", _("viewers"))
        self.plot.setMouseEnabled(x=False, y=False)
        axis = self.plot.getAxis("bottom")
        axis.setTicks([[(i, _(name)) for i, (_key, _rate, name) in enumerate(STAGES)]])
        self.bars = pg.BarGraphItem(x=list(range(len(STAGES))), height=[0] * len(STAGES),
                                    width=0.6, brush=graph_colours().line)
        self.plot.addItem(self.bars)
        self.plot.setYRange(0, 1, padding=0)
        self.labels = [pg.TextItem(anchor=(0.5, 1.0)) for _stage in STAGES]
        for label in self.labels:
            self.plot.addItem(label)
        self.diagnosis = QLabel("")
        self.diagnosis.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.diagnosis)
        self.counts: list[int] = [0] * len(STAGES)

    def show_figures(self, figures: Mapping[str, Any]) -> None:
        funnel = figures["funnel"]
        rates = funnel["rates"]
        self.counts = [int(funnel[key] or 0) for key, _rate, _name in STAGES]
        self.bars.setOpts(height=self.counts)
        top = max(self.counts) or 1
        self.plot.setYRange(0, top * 1.3, padding=0)
        for i, ((_key, rate, _name), label) in enumerate(zip(STAGES, self.labels, strict=True)):
            text = number(self.counts[i])
            if rate is not None:
                text += f"\n{share(rates[rate])}"
            label.setText(text, color=graph_colours().foreground)
            label.setPos(i, self.counts[i] + top * 0.02)
        diagnosis = funnel.get("diagnosis") or {}
        step = diagnosis.get("step")
        self.diagnosis.setText(
            _("Weakest step: {step} ({rate}). {advice}").format(
                step=_(dict((r, n) for _k, r, n in STAGES if r)[step]),
                rate=share(diagnosis.get("rate")), advice=_(DIAGNOSES[step]))
            if step in DIAGNOSES else "")
