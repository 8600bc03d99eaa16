"""The panels show the right figures for a known log (tests/core/onair_logs.py)."""

from __future__ import annotations

from studio.core.onair.board import review_view
from studio.core.onair.risk import RiskAlert
from studio.i18n import set_language
from studio.ui.compact import CompactWindow
from studio.ui.live.board_panels import BoardPanels
from studio.ui.live.flags_panel import alert_text, flag_text
from tests.core.metrics_logs import T0
from tests.core.onair_logs import show_session


def test_board_panels_show_the_known_show(qtbot, store):
    set_language("en")
    view = review_view(store, show_session(store))
    panels = BoardPanels()
    qtbot.addWidget(panels)
    panels.show_view(view)
    assert panels.viewers.value.text() == "3"
    assert panels.orders.value.text() == "1"
    assert panels.gmv.value.text() == "$20.00"
    assert panels.elapsed.value.text() == "10:00"
    assert panels.funnel.counts == [3, 2, 1, 1, 1]
    assert panels.timeline.marker_count == 3
    assert panels.timeline.band_count == 1  # the freeze
    assert panels.timeline.points == 600
    assert panels.interaction.question_count("logistics") == 2
    assert panels.interaction.question_count("price") == 1
    assert panels.interaction.comment_rate.value.text() == "100.0%"
    assert panels.flags.list.count() >= 1


def test_answering_a_question_removes_it_and_tells_the_board(qtbot, store):
    view = review_view(store, show_session(store))
    panels = BoardPanels()
    qtbot.addWidget(panels)
    panels.show_view(view)
    group = panels.interaction._groups["logistics"]
    panels.interaction.questions.setCurrentItem(group.child(0))
    with qtbot.waitSignal(panels.interaction.answered) as answered:
        panels.interaction._answer(panels.interaction.questions.currentItem())
    assert answered.args == ["q3"]
    assert panels.interaction.question_count("logistics") == 1


def test_compact_window_shows_viewers_and_the_next_question(qtbot, store, studio):
    view = review_view(store, show_session(store))
    compact = CompactWindow(studio.controller)
    qtbot.addWidget(compact)
    compact.show_view(view)
    assert compact.viewers.text() == "1"  # b never left
    assert compact.question.text() == "can I return it if it does not fit?"


def test_flag_and_alert_sentences_are_formatted():
    set_language("en")
    flag = {"code": "high_bounce_rate", "params": {"value": 0.6, "reference": "< 50%"},
            "message": "fallback"}
    assert "60%" in flag_text(flag)
    assert flag_text({"code": "unknown", "message": "as is"}) == "as is"
    alert = RiskAlert("freeze", T0, "SKU-1", False)
    assert "SKU-1" in alert_text(alert, "UTC") and "Freeze" in alert_text(alert, "UTC")
