"""The panels show the right figures for a known log (tests/core/onair_logs.py)."""

from __future__ import annotations

from studio.core.onair.board import LiveBoard, review_view
from studio.core.onair.risk import RiskAlert
from studio.i18n import set_language
from studio.ui.compact import CompactWindow
from studio.ui.live.board_panels import BoardPanels
from studio.ui.live.flags_panel import alert_text, flag_text
from tests.core.metrics_logs import T0, ev, make_session
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


def test_alert_sentences_are_formatted():
    set_language("en")
    alert = RiskAlert("freeze", T0, "SKU-1", False)
    assert "SKU-1" in alert_text(alert, "UTC") and "Freeze" in alert_text(alert, "UTC")


def _shown_flags(panels) -> list[str]:
    return [panels.flags.list.item(i).text() for i in range(panels.flags.list.count())]


def test_on_air_the_shares_are_so_far_with_the_undecided_viewers(qtbot, store):
    set_language("en")
    # At 1:30: a since 0 (90 s), b 10-20 (10 s: bounced), c since 60 (30 s: undecided).
    events = [ev(0, "join", "a"), ev(10, "join", "b"), ev(20, "leave", "b"), ev(60, "join", "c")]
    session_id = make_session(store, events, start=0.0, end=None)
    board = LiveBoard(store, store.session(session_id))
    board.add(events)
    panels = BoardPanels()
    qtbot.addWidget(panels)
    panels.show_view(board.view(T0 + 90))
    # b left with a, b and c at risk: S(60) = 2/3. Counting c as gone said 2 of 3 bounced.
    assert panels.bounce.value.text() == "33.3%"
    assert panels.bounce.caption.text() == "left within 1 min so far, 1 undecided"
    assert panels.effective.value.text() == "—"  # nobody has stayed 3 minutes yet
    assert panels.effective.caption.text() == "stayed 3 min+ so far, 2 undecided"
    assert _shown_flags(panels) == []  # three viewers are no evidence for a flag


def test_after_the_show_the_shares_are_plain(qtbot, store):
    set_language("en")
    events = [ev(0, "join", "a"), ev(10, "join", "b"), ev(20, "leave", "b")]
    session_id = make_session(store, events, start=0.0, end=300.0)
    board = LiveBoard(store, store.session(session_id))
    board.add(events)
    panels = BoardPanels()
    qtbot.addWidget(panels)
    panels.show_view(board.view(T0 + 300))
    assert panels.bounce.caption.text() == "left within 1 min"
    assert panels.effective.caption.text() == "stayed 3 min or more"
    assert (panels.effective.value.text(), panels.bounce.value.text()) == ("50.0%", "50.0%")


def test_a_session_read_back_without_an_end_is_not_said_to_be_on_air(qtbot, store):
    """An imported show (or one never ended) has no end time, but nothing is live about it."""
    set_language("en")
    events = [ev(0, "join", "a"), ev(10, "join", "b"), ev(20, "leave", "b"), ev(400, "leave", "a")]
    view = review_view(store, make_session(store, events, start=0.0, end=None))
    panels = BoardPanels()
    qtbot.addWidget(panels)
    panels.show_view(view)
    assert panels.elapsed.caption.text() == "show length"
    assert panels.viewers_now.caption.text().endswith("at the end")
    assert panels.bounce.caption.text() == "left within 1 min"


def test_the_flags_and_the_chitchat_warning_wait_for_evidence(qtbot, store):
    set_language("en")
    viewers = [f"v{i}" for i in range(40)]
    room = [ev(0, "join", v) for v in viewers] + [ev(20, "leave", v) for v in viewers[:30]]
    talk = [ev(30 + i, "comment", viewers[i % 5], text="lol", id=f"c{i}") for i in range(20)]
    session_id = make_session(store, [], start=0.0, end=None)
    board = LiveBoard(store, store.session(session_id))
    board.add(room + talk[:1])
    panels = BoardPanels()
    qtbot.addWidget(panels)
    panels.show_view(board.view(T0 + 100))  # 1:40, one "lol"
    assert panels.bounce.value.text() == "75.0%"
    assert panels.interaction.chitchat_warning.text() == ""
    assert _shown_flags(panels) == []  # not 2 minutes on air yet, and one comment
    board.add(talk[1:])
    panels.show_view(board.view(T0 + 130))  # 2:10, 20 comments from 5 viewers
    assert "Chitchat" in panels.interaction.chitchat_warning.text()
    shown = _shown_flags(panels)
    assert any("left within a minute" in line for line in shown)
    assert any(line.startswith("Chitchat") for line in shown)


def test_flags_and_their_references_written_in_words_follow_the_interface_language(
        qtbot, store):
    # 40 viewers, 30 of whom bounced, and 20 "lol"s from 5 of them: the bounce and the
    # chitchat flags, whose reference ("product questions 0%") core says in words.
    viewers = [f"v{i}" for i in range(40)]
    room = [ev(0, "join", v) for v in viewers] + [ev(20, "leave", v) for v in viewers[:30]]
    talk = [ev(30 + i, "comment", viewers[i % 5], text="lol", id=f"c{i}") for i in range(20)]
    session_id = make_session(store, [], start=0.0, end=None)
    board = LiveBoard(store, store.session(session_id))
    board.add(room + talk)
    set_language("zh_CN")
    panels = BoardPanels()
    qtbot.addWidget(panels)
    panels.show_view(board.view(T0 + 130))
    shown = _shown_flags(panels)
    flags = board.view(T0 + 130).figures.flags
    assert len(shown) == 2 and all(flag_text(flag) in shown for flag in flags)
    assert any("75%" in line and "1 分钟内" in line for line in shown)
    assert any("商品相关提问 0%" in line for line in shown)
    assert not any("product" in line or "viewers" in line for line in shown)


def test_the_funnel_names_a_weakest_step_only_when_it_is_flagged(qtbot, store):
    set_language("en")
    viewers = [f"v{i}" for i in range(60)]
    room = [ev(0, "join", v) for v in viewers]
    # Steps: 30 of 60 click, 12 of 30 cart (the weakest), 6 of 12 order, 5 of 6 pay.
    funnel = ([ev(10, "product_click", v, sku="S") for v in viewers[:30]]
              + [ev(20, "add_to_cart", v, sku="S") for v in viewers[:12]]
              + [ev(30, "order", v, order_id=f"o-{v}") for v in viewers[:6]]
              + [ev(40, "payment", v, order_id=f"o-{v}", amount="9.99", currency="USD")
                 for v in viewers[:5]])
    session_id = make_session(store, [], start=0.0, end=None)
    board = LiveBoard(store, store.session(session_id))
    board.add(room + funnel)
    panels = BoardPanels()
    qtbot.addWidget(panels)
    panels.show_view(board.view(T0 + 60))  # 1:00 on air: too early to call a step weak
    assert panels.funnel.diagnosis.text() == "Too few viewers yet to name a weakest step."
    panels.show_view(board.view(T0 + 400))  # 6:40
    assert panels.funnel.diagnosis.text().startswith("Weakest step: Carted (40.0%)")
