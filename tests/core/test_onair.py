"""The on-air core: markers and show state, revenue at risk, open questions, the follower,
the live board and the simulated audience feeder."""

from __future__ import annotations

import time

import pytest

from studio.core.comments import classifier_for
from studio.core.onair.board import LiveBoard, review_view
from studio.core.onair.follow import EventFollower
from studio.core.onair.markers import (
    MarkerError,
    ShowState,
    marker_event,
    pin_label,
    segment_label,
)
from studio.core.onair.questions import QuestionBoard
from studio.core.onair.risk import escalate
from studio.core.simulate import ShowPlan, simulate_show
from studio.core.simulate.feeder import AudienceFeeder
from tests.core.metrics_logs import T0, ev
from tests.core.onair_logs import SHOW, show_session


def test_show_state_follows_pins_flash_sales_and_segments():
    state = ShowState().after([
        ev(0, "marker", label="segment: opening"),
        ev(1, "marker", label="pin SKU-12"),
        ev(2, "marker", label="Flash sale start"),
    ])
    assert state == ShowState(pinned="SKU-12", flash_sale=True, segment="opening")
    later = state.after([ev(3, "marker", label="flash sale end"), ev(4, "marker", label="unpin")])
    assert later == ShowState(pinned=None, flash_sale=False, segment="opening")


def test_marker_labels_are_checked_and_ids_unique():
    assert pin_label(" SKU-3 ") == "pin SKU-3"
    assert segment_label("shipping Q&A") == "segment: shipping Q&A"
    with pytest.raises(MarkerError):
        pin_label("  ")
    with pytest.raises(MarkerError):
        marker_event("   ")
    with pytest.raises(MarkerError):
        marker_event("x" * 201)
    first, second = marker_event("flash sale start"), marker_event("flash sale start")
    assert first.kind == "marker" and first.id != second.id


def test_an_incident_is_escalated_only_while_a_sale_is_exposed():
    assert escalate("freeze", T0, ShowState()) is None
    pinned = escalate("black", T0, ShowState(pinned="SKU-1"))
    assert pinned is not None and pinned.pinned == "SKU-1" and not pinned.flash_sale
    flash = escalate("signal_lost", T0, ShowState(flash_sale=True))
    assert flash is not None and flash.flash_sale


def test_question_board_groups_open_questions_and_forgets_answered_ones():
    board = QuestionBoard(classifier_for("US").classify, per_group=2)
    board.add(SHOW)
    groups = board.open_questions()
    assert [q.key for q in groups["logistics"]] == ["q3", "q1"]  # newest first
    assert [q.key for q in groups["price"]] == ["q2"]
    assert all(q.key != "c1" for g in groups.values() for q in g)  # not a question
    assert board.next_question().key == "q3"  # a logistics doubt comes first
    board.answer("q3")
    board.add([e for e in SHOW if e.id == "q3"])  # seen again: stays answered
    assert [q.key for q in board.open_questions()["logistics"]] == ["q1"]
    board.add([ev(200 + i, "comment", "d", text=f"when does it ship {i}?", id=f"s{i}")
               for i in range(3)])
    assert [q.key for q in board.open_questions()["logistics"]] == ["s2", "s1"]  # capped


def test_the_next_question_prefers_the_sale_over_small_talk():
    board = QuestionBoard(classifier_for("US").classify)
    board.add([ev(1, "comment", "a", text="is it really $20?", id="p"),
               ev(2, "comment", "b", text="where are you from?", id="chat")])
    assert board.open_questions()["chitchat"][0].key == "chat"
    assert board.next_question().key == "p"
    board.answer("p")
    assert board.next_question().key == "chat"
    board.answer("chat")
    assert board.next_question() is None


def test_follower_returns_each_committed_event_once_in_order(store):
    session_id = show_session(store)
    follower = EventFollower(store.path, session_id, batch=5)
    try:
        seen = []
        while batch := follower.poll():
            seen += batch
        assert [e.id for e in seen if e.id] == [e.id for e in SHOW if e.id]
        assert len(seen) == len(SHOW)
        store.add_events(session_id, [ev(400, "join", "z")]).result()
        assert [e.viewer for e in follower.poll()] == ["z"]
        assert follower.poll() == []
    finally:
        follower.close()


def test_live_board_escalates_the_freeze_in_the_flash_sale(store):
    session_id = show_session(store)
    board = LiveBoard(store, store.session(session_id))
    alerts = board.add(SHOW)
    assert len(alerts) == 1
    assert alerts[0].incident == "freeze" and alerts[0].flash_sale and alerts[0].pinned == "SKU-1"
    view = board.view(T0 + 600)
    assert [label for _ts, label in view.markers] == [
        "pin SKU-1", "flash sale start", "flash sale end"]
    assert view.show == ShowState(pinned="SKU-1", flash_sale=False)
    assert view.figures.funnel.clicked == 2 and view.figures.funnel.paid == 1
    assert view.figures.traffic.viewers == 3
    assert {q.key for q in view.questions["logistics"]} == {"q1", "q3"}
    assert view.events == len(SHOW)
    board.answer("q1")
    assert [q.key for q in board.view(T0 + 600).questions["logistics"]] == ["q3"]


def test_review_view_matches_the_live_board_at_the_end(store):
    session_id = show_session(store)
    live = LiveBoard(store, store.session(session_id))
    live.add(SHOW)
    after = review_view(store, session_id)
    ended = live.view(T0 + 600)
    for part in ("traffic", "funnel", "sales", "health"):
        assert getattr(after.figures, part) == getattr(ended.figures, part), part
    assert after.markers == ended.markers
    assert after.events == len(SHOW)
    assert after.alerts == ended.alerts and len(after.alerts) == 1  # the freeze in the sale
    assert after.show == ended.show


def test_audience_feeder_writes_the_whole_show_paced(store):
    plan = ShowPlan(market="US", viewers=40, minutes=1, seed=3)
    expected = list(simulate_show(plan))
    session_id = store.create_session(market="US", title="demo", started_at=time.time())
    feeder = AudienceFeeder(store, session_id, plan, speed=600, flush_every_s=0.02)
    feeder.start()
    feeder.join(30)
    assert not feeder.is_alive()
    assert feeder.written == len(expected) == store.event_count(session_id)


def test_audience_feeder_stops_promptly(store):
    plan = ShowPlan(market="US", viewers=200, minutes=30, seed=3)
    session_id = store.create_session(market="US", title="demo", started_at=time.time())
    feeder = AudienceFeeder(store, session_id, plan, speed=1)
    feeder.start()
    time.sleep(0.3)
    began = time.monotonic()
    feeder.stop()
    assert not feeder.is_alive()
    assert time.monotonic() - began < 2
    assert store.event_count(session_id) == feeder.written
