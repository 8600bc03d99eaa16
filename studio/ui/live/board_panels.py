"""BoardPanels: the figures, graphs, questions and flags of one BoardView.

The Live view shows them as the show runs; the Sessions view shows the same panels for a
finished session, so a producer reads one layout live and after the fact.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QSplitter, QVBoxLayout, QWidget

from studio.core.markets import market
from studio.core.onair.board import BoardView
from studio.i18n import _, ngettext
from studio.i18n.format import duration, money, number, share
from studio.ui.live.flags_panel import FlagsPanel
from studio.ui.live.funnel_panel import FunnelPanel
from studio.ui.live.interaction_panel import InteractionPanel
from studio.ui.live.retention_panel import RetentionPanel
from studio.ui.live.timeline_panel import TimelinePanel
from studio.ui.reference_text import bounce_goal, effective_goal, left_caption, stayed_caption
from studio.ui.widgets import Stat

# The widest each headline figure is expected to get, so its column never moves as it grows.
# IDR writes the longest amounts of the markets' currencies: 88 billion rupiah in 11 digits.
WIDEST_COUNT = 888_888
WIDEST_GMV = {"IDR": 88_888_888_888}
WIDEST_DURATION_S = 99 * 3600 + 59 * 60 + 59


class BoardPanels(QWidget):
    def __init__(self, parent: QWidget | None = None, *, headline_inside: bool = True) -> None:
        """headline_inside=False: the owner places `headline` (the Live view runs it across
        the whole window, where every figure has room)."""
        super().__init__(parent)
        count, whole = number(WIDEST_COUNT), share(1.0)
        self.viewers_now = Stat(_("viewers now"), size=20, caption_lines=2, widest=(count,))
        self.viewers_now.reserve(captions=(_("viewers at the end"),))
        self.viewers = Stat(_("viewers in all"), size=20, caption_lines=2, widest=(count,))
        self.effective = Stat(stayed_caption(), size=20, caption_lines=2, widest=(whole,))
        self.effective.reserve(captions=(
            stayed_caption(so_far=True), stayed_caption(undecided=WIDEST_COUNT)))
        self.bounce = Stat(left_caption(), size=20, caption_lines=2, widest=(whole,))
        self.bounce.reserve(captions=(
            left_caption(so_far=True), left_caption(undecided=WIDEST_COUNT)))
        self.orders = Stat(_("paid orders"), size=20, caption_lines=2, widest=(count,))
        self.gmv = Stat(_("GMV"), size=20, caption_lines=2, widest=(money(WIDEST_GMV),))
        self.elapsed = Stat(_("on air"), size=20, caption_lines=2,
                            widest=(duration(WIDEST_DURATION_S),))
        self.elapsed.reserve(captions=(_("show length"),))
        self.headline = QWidget()
        headline = QGridLayout(self.headline)
        headline.setContentsMargins(0, 0, 0, 0)
        for column, stat in enumerate((self.viewers_now, self.viewers, self.effective,
                                       self.bounce, self.orders, self.gmv, self.elapsed)):
            headline.addWidget(stat, 0, column)
            headline.setColumnStretch(column, 1)
        self.funnel = FunnelPanel()
        self.timeline = TimelinePanel()
        self.retention = RetentionPanel()
        self.interaction = InteractionPanel()
        self.flags = FlagsPanel()

        graphs = QSplitter(Qt.Orientation.Vertical)
        graphs.addWidget(self.timeline)
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(self.funnel)
        lower.addWidget(self.retention)
        graphs.addWidget(lower)
        graphs.setSizes([300, 300])
        side = QSplitter(Qt.Orientation.Vertical)
        side.addWidget(self.interaction)
        side.addWidget(self.flags)
        side.setSizes([420, 200])
        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(graphs)
        body.addWidget(side)
        body.setStretchFactor(0, 3)
        body.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if headline_inside:
            layout.addWidget(self.headline)
        layout.addWidget(body, 1)
        self.view: BoardView | None = None

    def show_view(self, view: BoardView) -> None:
        self.view = view
        figures = view.figures
        tz = market(view.session.market).tz_name
        for panel in (self.interaction, self.flags):
            panel.set_time_zone(tz)
        latest = figures.concurrency.latest
        ended = not view.on_air
        now = int(latest or 0)
        self.viewers_now.set_caption(
            ngettext("viewer at the end", "viewers at the end", now) if ended
            else ngettext("viewer now", "viewers now", now))
        # On air, a viewer still watching has not bounced or stayed yet: the shares are so far,
        # estimated from the retention curve, and say how many viewers are still undecided.
        undecided = figures.undecided
        self.effective.set_caption(stayed_caption(
            so_far=not ended, undecided=None if undecided is None else undecided.effective_ratio))
        self.bounce.set_caption(left_caption(
            so_far=not ended, undecided=None if undecided is None else undecided.bounce_rate))
        self.elapsed.set_caption(_("show length") if ended else _("on air"))
        traffic, sales = figures.traffic, figures.sales
        self.viewers_now.set(number(latest))
        self.viewers.set(number(traffic.viewers),
                         _("peak {peak}").format(peak=number(traffic.peak_concurrent)))
        self.effective.set(share(traffic.effective_ratio), effective_goal())
        self.bounce.set(share(traffic.bounce_rate), bounce_goal())
        self.orders.set(number(sales.paid_orders))
        self.orders.set_caption(ngettext("paid order", "paid orders", sales.paid_orders))
        self.viewers.set_caption(ngettext("viewer in all", "viewers in all", traffic.viewers))
        self.gmv.set(money(sales.gmv))
        self.elapsed.set(duration(figures.session.duration_s))
        self.funnel.show_funnel(figures.funnel, figures.flags)
        self.timeline.show_timeline(figures.concurrency, figures.health.incidents, view.markers)
        self.retention.show_curve(figures.retention_curve)
        self.interaction.show_interaction(figures.interaction, figures.flags)
        self.interaction.show_questions(view.questions)
        self.flags.show_flags(figures, view.alerts)
