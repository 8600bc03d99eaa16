"""Flags fire only on a minimum of evidence (references.FLAG_EVIDENCE): at the minimum they fire,
one short of it they do not, and the first seconds of a show flag nothing but incidents."""

from __future__ import annotations

import pytest
from metrics_logs import T0, ev, fake_classify, make_session

from studio.core.metrics import LiveMetrics, compute
from studio.core.metrics.common import FUNNEL_STEPS
from studio.core.metrics.references import FLAG_EVIDENCE, Evidence


def _codes(figures) -> set[str]:
    return {f.code for f in figures.flags}


def _audience(count: int, *, stay: float, **join) -> list:
    """`count` viewers who join at 0 and leave after `stay` seconds."""
    viewers = [f"v{i}" for i in range(count)]
    return ([ev(0, "join", v, **join) for v in viewers]
            + [ev(stay, "leave", v) for v in viewers])


def _funnel(viewers: int, ordered: int) -> list:
    """`ordered` of the viewers click, cart and order; nobody pays: the weakest step is
    order to payment, and its base is `ordered`."""
    events = _audience(viewers, stay=400)
    for i in range(ordered):
        events += [ev(10, "product_click", f"v{i}", sku="S"),
                   ev(11, "add_to_cart", f"v{i}", sku="S"),
                   ev(12, "order", f"v{i}", order_id=f"o{i}", sku="S")]
    return events


def _chitchat(comments: int, commenters: int) -> list:
    return [ev(1 + i, "comment", f"v{i % commenters}", text="chitchat:lol")
            for i in range(comments)]


def _flags_of(store, events, length: float) -> set[str]:
    return _codes(compute(store, make_session(store, events, end=length),
                          classify=fake_classify))


def test_the_minimums_are_sensible():
    for code, needed in FLAG_EVIDENCE.items():
        assert needed != Evidence(), code  # every listed flag asks for something
    assert set(FLAG_EVIDENCE) >= {f"funnel_weak_{step}" for step in FUNNEL_STEPS}


# Each flag with exactly its minimum (viewers, comments, step base, minutes), and one short.
CASES = {
    "low_effective_ratio": (lambda k: _audience(30 - k, stay=20), 300),
    "high_bounce_rate": (lambda k: _audience(30 - k, stay=20), 120),
    "few_returning_viewers": (lambda k: _audience(30 - k, stay=400, is_new=True), 300),
    "funnel_weak_pay": (lambda k: _funnel(50, 10 - k), 300),
    "funnel_weak_click": (lambda k: _audience(50 - k, stay=400), 300),
}


@pytest.mark.parametrize("code", CASES)
def test_a_flag_fires_at_its_minimum_and_not_below(store, code):
    log, length = CASES[code]
    assert code in _flags_of(store, log(0), length)
    assert code not in _flags_of(store, log(1), length)  # one viewer short
    assert code not in _flags_of(store, log(0), length - 1)  # a second short of the minutes


def test_chitchat_needs_twenty_comments_from_five_viewers(store):
    room = _audience(5, stay=400)
    assert "chitchat_over_product" in _flags_of(store, room + _chitchat(20, 5), 600)
    assert "chitchat_over_product" not in _flags_of(store, room + _chitchat(19, 5), 600)
    assert "chitchat_over_product" not in _flags_of(store, room + _chitchat(40, 4), 600)
    flag = next(f for f in compute(store, make_session(
        store, room + _chitchat(20, 5) + [ev(2, "comment", "v0", text="product:fits?")]),
        classify=fake_classify).flags if f.code == "chitchat_over_product")
    assert (flag.value, str(flag.reference)) == (round(20 / 21, 6), "product questions 5%")


def test_one_comment_is_no_chitchat_flag(store):
    assert "chitchat_over_product" not in _flags_of(
        store, [ev(0, "join", "a"), ev(1, "comment", "a", text="chitchat:hello")], 600)


def test_three_seconds_in_with_one_viewer_nothing_is_flagged(store):
    """The show of the issue: at 0:03 one new viewer said "100 % of viewers were new" and
    "View to click is the weakest step"."""
    session = store.session(make_session(store, [], end=None))
    live = LiveMetrics(session, classify=fake_classify)
    live.add([ev(0, "join", "a", is_new=True), ev(2, "comment", "a", text="chitchat:hi")])
    figures = live.snapshot(T0 + 3)
    assert figures.traffic.new_viewer_ratio == 1.0 and figures.funnel.rates.click == 0.0
    assert figures.flags == ()


def test_on_air_a_share_counts_only_viewers_whose_outcome_is_known(store):
    """At 2:10, 20 newcomers of 30 s are undecided: the bounce flag waits for 30 decided."""
    def room(bounced: int) -> list:
        events = _audience(bounced, stay=10)
        events += [ev(0, "join", "stayer")]  # 130 s by now: decided, no bounce
        events += [ev(100, "join", f"n{i}") for i in range(20)]
        return sorted(events, key=lambda e: e.ts)

    for bounced, fires in ((29, True), (28, False)):
        session = store.session(make_session(store, [], end=None))
        live = LiveMetrics(session, classify=fake_classify)
        live.add(room(bounced))
        figures = live.snapshot(T0 + 130)
        assert figures.undecided.bounce_rate == 20
        assert figures.traffic.bounce_rate >= 0.5
        assert ("high_bounce_rate" in _codes(figures)) is fires
