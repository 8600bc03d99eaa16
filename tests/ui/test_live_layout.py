"""The Live view at the sizes a host uses (1440x900 by default, 1280x800 at least), in English
and Chinese: every figure shows in full, nothing moves as values change or a banner comes."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QSplitter

from studio.app import Studio
from studio.core.onair.board import BoardView, review_view
from studio.core.onair.risk import RiskAlert
from studio.core.store import Store
from studio.i18n.format import money, number, share
from studio.ui.widgets import Stat
from tests.core.metrics_logs import T0, make_session
from tests.core.onair_logs import SHOW
from tests.ui.health_updates import health_update

SIZES = [(1440, 900), (1280, 800)]
LANGUAGES = ["en", "zh_CN"]


@pytest.fixture(params=LANGUAGES)
def window_in(request, qapp, tmp_path):
    """(studio, language): the app in each language; English again afterwards."""
    from studio.ui.language import apply_language

    store = Store(tmp_path / "studio.db")
    studio = Studio(qapp, store, language=request.param, theme="light")
    yield studio, request.param
    studio.window.hide()
    studio.close()
    apply_language(qapp, "en")


def _on_air_view(studio, **parts) -> BoardView:
    """The small show, still on air, with the figures' `parts` in place of its own."""
    view = review_view(studio.store, make_session(studio.store, SHOW, start=0.0, end=None))
    return dataclasses.replace(view, figures=dataclasses.replace(view.figures, **parts))


def _with_gmv(view: BoardView, gmv: dict) -> BoardView:
    figures = view.figures
    return dataclasses.replace(view, figures=dataclasses.replace(
        figures, sales=dataclasses.replace(figures.sales, gmv=gmv)))


def _big(studio) -> BoardView:
    """Values as long as a big show makes them: GMV in rupiah, every share at 100 %."""
    figures = _on_air_view(studio).figures
    replace = dataclasses.replace
    return _with_gmv(_on_air_view(
        studio,
        concurrency=replace(figures.concurrency,
                            viewers=(*figures.concurrency.viewers[:-1], 88_888)),
        session=replace(figures.session, duration_s=4 * 3600 + 59 * 60),
        traffic=replace(figures.traffic, viewers=123_456, effective_ratio=1.0, bounce_rate=1.0),
        sales=replace(figures.sales, paid_orders=12_345),
    ), {"IDR": 20_123_456_789})


def _show(qapp, studio, size) -> None:
    window = studio.window
    window.resize(*size)
    window.show()
    qapp.processEvents()


def _cut(label) -> bool:
    """Some of the label's text falls outside it (a caption may take its two lines)."""
    metrics = label.fontMetrics()
    if not label.wordWrap():
        return label.width() < metrics.horizontalAdvance(label.text())
    laid_out = metrics.boundingRect(QRect(0, 0, label.width(), 100_000),
                                    Qt.TextFlag.TextWordWrap, label.text())
    return laid_out.width() > label.width() or laid_out.height() > label.height()


@pytest.mark.parametrize("size", SIZES)
def test_the_window_fits_the_screen_sizes_a_host_uses(qapp, window_in, size):
    studio, _language = window_in
    _show(qapp, studio, size)
    studio.controller.board.emit(_big(studio))
    qapp.processEvents()
    least = studio.window.minimumSizeHint()
    assert least.width() <= size[0] and least.height() <= size[1]
    assert studio.window.size().toTuple() == size


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("gmv", [{"IDR": 20_123_456_789}, {"USD": 25_431.20}])
def test_every_figure_shows_in_full(qapp, window_in, size, gmv):
    studio, _language = window_in
    _show(qapp, studio, size)
    view = _big(studio)
    view = _with_gmv(view, gmv)
    studio.controller.board.emit(view)
    studio.controller.health.emit(health_update())
    qapp.processEvents()
    panels = studio.window.live.panels
    assert panels.gmv.value.text() == money(gmv)  # not "IDR20,1…"
    assert panels.bounce.value.text() == share(1.0)  # not "100.…"
    assert panels.viewers.value.text() == number(123_456)
    stats = studio.window.live.findChildren(Stat)
    assert len(stats) == 13  # the headline, the capture figures, the interaction rates
    for stat in stats:
        for label in (stat.value, stat.caption):
            assert not _cut(label), f"{label.text()!r} is {label.width()} px wide"


def test_columns_stay_put_as_values_grow(qapp, window_in):
    studio, _language = window_in
    _show(qapp, studio, (1280, 800))
    live = studio.window.live
    studio.controller.board.emit(_on_air_view(studio))
    qapp.processEvents()

    def columns():
        return [(stat.mapTo(live, QPoint(0, 0)).x(), stat.width())
                for stat in live.findChildren(Stat)] + [
            tuple(split.sizes()) for split in live.findChildren(QSplitter)]

    small = columns()
    studio.controller.board.emit(_big(studio))
    studio.controller.health.emit(health_update())
    qapp.processEvents()
    assert columns() == small


def test_the_revenue_at_risk_banner_does_not_push_the_view_down(qapp, window_in):
    studio, _language = window_in
    _show(qapp, studio, (1440, 900))
    live = studio.window.live
    studio.controller.board.emit(_on_air_view(studio))
    qapp.processEvents()

    def places():
        return [w.mapTo(live, QPoint(0, 0)).y() for w in (
            live.panels.viewers_now, live.panels, live.capture, live.panels.timeline)]

    before = places()
    studio.controller.alert.emit(RiskAlert("freeze", T0 + 120, "SKU-1", False))
    qapp.processEvents()
    assert live.banner.isVisible() and "SKU-1" in live.banner.text()
    assert places() == before
    live.banner.dismiss()
    qapp.processEvents()
    assert places() == before
