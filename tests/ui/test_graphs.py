"""The graphs stay readable: marker labels in lanes, clear of each other, of the bands and of
the edges; funnel labels that never run together; the retention lines' labels apart; no
negative minutes or viewers before the data."""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QFontMetricsF, QPainter, QPicture

from studio.core.metrics.model import (
    Concurrency,
    Diagnosis,
    Funnel,
    FunnelRates,
    Incident,
    RetentionCurve,
)
from studio.ui.live.funnel_panel import FunnelPanel
from studio.ui.live.label_lanes import place
from studio.ui.live.retention_panel import RetentionPanel
from studio.ui.live.timeline_panel import TimelinePanel

START = 1_700_000_000.0


def _shown(qapp, widget, width, height):
    widget.resize(width, height)
    widget.show()
    qapp.processEvents()
    return widget


def _concurrency(minutes: int = 60) -> Concurrency:
    return Concurrency(start=START, bucket_s=60, viewers=(100.0,) * minutes)


def _incident(kind: str, start: float, end: float) -> Incident:
    return Incident(None, kind, START + start, START + end, end - start)


def _overlap(a, b) -> bool:
    return a.intersects(b) and not a.intersected(b).isEmpty()


def test_placed_labels_never_overlap_and_stay_inside():
    lines = [0, 4, 9, 15, 40, 41, 42, 300, 590, 598]
    widths = [120, 80, 150, 60, 90, 90, 90, 200, 140, 100]
    spots = place(lines, widths, lanes=3, right=600, least=12)
    placed = [s for s in spots if s is not None]
    assert len(placed) >= 8
    for spot in placed:
        assert spot.left >= 0 and spot.left + spot.width <= 600  # never cut by an edge
    for a, b in itertools.combinations(placed, 2):
        if a.lane == b.lane:
            assert a.left + a.width <= b.left or b.left + b.width <= a.left
    last = spots[-1]
    assert last is not None and last.width == 100 and last.left + 100 <= 598  # before its line


def test_markers_labels_sit_in_lanes_above_the_bands(qapp, qtbot):
    timeline = TimelinePanel()
    qtbot.addWidget(timeline)
    _shown(qapp, timeline, 520, 300)
    markers = [(START + 60 * m + s, label) for m, s, label in [
        (1, 0, "segment: opening"), (1, 20, "pin SKU-01"), (2, 0, "flash sale start"),
        (2, 10, "segment: product demo with a long name"), (3, 0, "pin SKU-02"),
        (20, 0, "flash sale end"), (59, 0, "segment: closing")]]
    timeline.show_timeline(_concurrency(), [_incident("freeze", 90, 150)], markers)
    qapp.processEvents()
    timeline.plot.grab()  # paints, and so lays out, the labels
    labels = timeline.labels
    rects = [rect for rect, _shown_text, _whole in labels.placed]
    assert len(rects) >= 5  # the first five lines are a few pixels apart: 3 lanes, 2 elided
    for a, b in itertools.combinations(rects, 2):
        assert not _overlap(a, b)
    strip = labels.mapRectFromParent(labels.geometry())
    for rect, shown, whole in labels.placed:
        assert strip.contains(rect)  # not cut off at an edge
        assert shown == whole or shown.endswith("…")
        assert whole in labels.tooltip_at(rect.center())
    view = timeline.plot.getViewBox()
    plot_area = labels.mapRectFromItem(view, view.boundingRect())
    assert all(not _overlap(rect, plot_area) for rect in rects)  # the bands are in there
    assert "segment: closing" in [shown for _rect, shown, _whole in labels.placed]
    for x, whole in labels.lines:  # a label with no room is in the tooltip of its line
        assert whole in labels.tooltip_at(QPointF(x, strip.center().y()))


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_funnel_stage_labels_never_run_together(qapp, qtbot, language):
    from studio.i18n import set_language

    set_language(language)
    try:
        funnel = FunnelPanel()
        qtbot.addWidget(funnel)
        _shown(qapp, funnel, 200, 10)  # as narrow and short as the layouts make it
        funnel.show_funnel(Funnel(
            viewers=123_456, clicked=12_345, carted=1_234, ordered=123, paid=12,
            rates=FunnelRates(click=0.1, cart=0.1, order=0.1, pay=0.1, overall=0.0001),
            diagnosis=Diagnosis(step="click", rate=0.1, basis="steps", median=None,
                                sessions_compared=0, below_median=None,
                                code="funnel_weak_click")), flags=())
        qapp.processEvents()
        picture = QPicture()
        painter = QPainter(picture)
        _axis, _ticks, texts = funnel.axis.generateDrawSpecs(painter)
        painter.end()
        assert len(texts) == 5
        line = QFontMetricsF(funnel.axis.font()).lineSpacing()
        rows = sorted(rect.center().y() for rect, _flags, _text in texts)
        assert all(b - a >= 2 * line for a, b in itertools.pairwise(rows))  # two lines each
        width = funnel.axis.width()
        metrics = QFontMetricsF(funnel.axis.font())
        for _rect, _flags, text in texts:
            assert all(metrics.horizontalAdvance(part) < width for part in text.split("\n"))
    finally:
        set_language("en")


def test_the_1_and_3_minute_labels_keep_apart_on_a_small_plot(qapp, qtbot):
    retention = RetentionPanel()
    qtbot.addWidget(retention)
    _shown(qapp, retention, 180, 200)
    retention.show_curve(RetentionCurve(step_s=1, max_dwell_s=900, points=((0, 1.0), (900, 0.2))))
    qapp.processEvents()
    retention.plot.grab()
    placed = retention.references.placed
    assert [shown for _rect, shown, _whole in placed] == ["1 min", "3 min"]
    assert not _overlap(placed[0][0], placed[1][0])


def test_no_negative_minutes_or_viewers_before_the_data(qapp, qtbot):
    timeline, funnel, retention = TimelinePanel(), FunnelPanel(), RetentionPanel()
    for panel in (timeline, funnel, retention):
        qtbot.addWidget(panel)
        _shown(qapp, panel, 400, 300)
    timeline.show_timeline(_concurrency(minutes=1), [], [])  # one point, at minute 0
    qapp.processEvents()
    for plot in (timeline.plot, funnel.plot, retention.plot):
        (x_low, _x_high), (y_low, _y_high) = plot.getViewBox().viewRange()
        assert x_low >= 0 and y_low >= 0
    low, high = timeline.plot.getViewBox().viewRange()[1]
    assert high - low >= 10  # whole viewers on the axis, not 0.2 of one
    assert timeline.plot.getViewBox().viewRange()[0][0] == pytest.approx(0)
