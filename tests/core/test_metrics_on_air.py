"""Live figures while the show runs: a viewer still in the room has not left. Retention is the
Kaplan-Meier curve with those viewers censored at their dwell so far, the stay and bounce
shares are read off it, and the viewers whose outcome is still open are counted."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from metrics_logs import T0, ev, fake_classify, make_session

from studio.core.events import Event
from studio.core.metrics import LiveMetrics
from studio.core.metrics.model import RetentionCurve, Undecided

# Joins and leaves in time order, and the moments the tests look at.
#   viewer  presence                     at 100 s            at 200 s
#   a       0-20                         20, gone            20, gone
#   b       0-                           100, still there    200, still there
#   c       70-                          30, still there     130, still there
#   d       40-90                        50, gone            50, gone
#   e       90-                          10, still there     110, still there
ROOM = [ev(0, "join", "a"), ev(0, "join", "b"), ev(20, "leave", "a"), ev(40, "join", "d"),
        ev(70, "join", "c"), ev(90, "leave", "d"), ev(90, "join", "e")]


def _on_air(store, events, end=None) -> LiveMetrics:
    session = store.session(make_session(store, [], end=end))
    live = LiveMetrics(session, classify=fake_classify)
    live.add(events)
    return live


def test_retention_on_air_is_kaplan_meier_by_hand(store):
    figures = _on_air(store, ROOM).snapshot(T0 + 100)
    # At risk after u whole seconds: everybody with at least u, gone or still there.
    # a leaves at 20 with a, b, c, d at risk (e has 10): S = 1 - 1/4 = 0.75 from 21 s;
    # d leaves at 50 with b, d at risk (c has 30): S = 0.75 * (1 - 1/2) = 0.375 from 51 s.
    assert figures.retention_curve == RetentionCurve(
        step_s=1, max_dwell_s=100.0, points=((0, 1.0), (21, 0.75), (51, 0.375)))
    assert figures.traffic.bounce_rate == 0.625  # 1 - S(60); counting b, c, e as gone gave 0.8
    assert figures.traffic.effective_ratio is None  # nobody has stayed 3 minutes yet
    assert figures.undecided == Undecided(effective_ratio=3, bounce_rate=2)  # b, c, e; c, e

    later = _on_air(store, ROOM).snapshot(T0 + 200)
    # b, c and e are still there with 200, 130 and 110 s: a leaves with all 5 at risk,
    # d with b, c, d, e: S = 0.8 * 0.75 = 0.6 from 51 s on.
    assert later.retention_curve.points == ((0, 1.0), (21, 0.8), (51, 0.6))
    assert (later.traffic.effective_ratio, later.traffic.bounce_rate) == (0.6, 0.4)
    assert later.undecided == Undecided(effective_ratio=2, bounce_rate=0)  # c, e: short of 180


def test_after_the_end_nobody_is_censored(store):
    over = _on_air(store, ROOM, end=300).snapshot(T0 + 300)
    # Dwell a 20, b 300, c 230, d 50, e 210: plain shares, and S falls to 0 after 300 s.
    assert (over.traffic.effective_ratio, over.traffic.bounce_rate) == (0.6, 0.4)
    assert over.retention_curve.points == ((0, 1.0), (21, 0.8), (51, 0.6), (211, 0.4),
                                           (231, 0.2))
    assert over.undecided is None and "undecided" not in over.to_json()
    # Before the session's declared end the same log is still on air.
    on_air = _on_air(store, ROOM, end=300).snapshot(T0 + 299)
    assert on_air.undecided is not None and "undecided" in on_air.to_json()


def test_one_minute_in_with_most_viewers_still_watching(store):
    """The show of the issue: at 1:07, 48 of 55 viewers are still watching. Counting everybody
    still there as gone now said 96.4 % left within a minute (53 of 55)."""
    events = [ev(0, "join", f"left{i}") for i in range(7)]
    events += [ev(20, "leave", f"left{i}") for i in range(7)]  # 20 s each
    events += [ev(0, "join", "long0"), ev(3, "join", "long1")]  # 67 and 64 s by 1:07
    events += [ev(8 + i, "join", f"new{i}") for i in range(46)]  # 59 .. 14 s by 1:07
    figures = _on_air(store, sorted(events, key=lambda e: e.ts)).snapshot(T0 + 67)
    assert figures.traffic.viewers == 55 and figures.concurrency.latest == 48
    # The 7 leave after 20 s with 49 at risk: themselves, long0 and long1, and the 40 newcomers
    # who have 20 s or more (joined by 47 s). S(60) = 1 - 7/49.
    assert figures.traffic.bounce_rate == round(7 / 49, 6)
    assert figures.undecided == Undecided(effective_ratio=48, bounce_rate=46)
    assert figures.retention_curve.points == ((0, 1.0), (21, round(42 / 49, 6)))
    assert all(f.code != "high_bounce_rate" for f in figures.flags)


def _plain_kaplan_meier(events: list[Event], now: float) -> tuple[dict, set]:
    """Dwell per viewer and who is still there, one event at a time; then S(t) for t = 0 ..
    the longest whole-second dwell, straight from the definition."""
    present: dict[str, float] = {}
    dwell: dict[str, float] = {}
    for e in events:
        if e.kind == "join":
            dwell.setdefault(e.viewer, 0.0)
            present.setdefault(e.viewer, e.ts)
        elif e.viewer in present:
            dwell[e.viewer] += e.ts - present.pop(e.viewer)
    for viewer, since in present.items():
        dwell[viewer] += now - since
    whole = {viewer: math.floor(d) for viewer, d in dwell.items()}
    survival = [1.0] if whole else []
    for u in range(max(whole.values(), default=0)):
        at_risk = sum(1 for w in whole.values() if w >= u)
        leaving = sum(1 for v, w in whole.items() if w == u and v not in present)
        survival.append(survival[-1] * (1 - leaving / at_risk))
    return dwell, set(present), survival


def _expand(points: list, length: int) -> list[float]:
    values, i = [], 0
    for t in range(length):
        while i + 1 < len(points) and points[i + 1][0] <= t:
            i += 1
        values.append(points[i][1])
    return values


@st.composite
def room(draw) -> list[Event]:
    """Joins and leaves in time order (some leaves of absent viewers, some repeated joins)."""
    events = []
    for _ in range(draw(st.integers(0, 25))):
        events.append(ev(draw(st.floats(0, 400, allow_nan=False).map(lambda t: round(t, 3))),
                         draw(st.sampled_from(("join", "join", "leave"))),
                         draw(st.sampled_from("abcdefghij"))))
    return sorted(events, key=lambda e: (e.ts, e.kind == "leave"))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(events=room(), now=st.floats(0, 400, allow_nan=False))
def test_retention_on_air_equals_a_plain_kaplan_meier(store, events, now):
    seen = [e for e in events if e.ts <= T0 + now]
    figures = _on_air(store, seen).snapshot(T0 + now)
    dwell, present, survival = _plain_kaplan_meier(seen, T0 + now)
    points = figures.retention_curve.points
    assert all(abs(a - b) <= 1e-6 for a, b in zip(_expand(points, len(survival)), survival,
                                                   strict=True))
    longest = max(map(math.floor, dwell.values()), default=-1)
    for key, threshold in (("effective_ratio", 180), ("bounce_rate", 60)):
        undecided = sum(1 for v in present if dwell[v] < threshold)
        assert getattr(figures.undecided, key) == undecided
        if not dwell or (present and longest < threshold):
            expected = None  # no viewers; or nobody has stayed that long yet: nobody can tell
        elif not present:
            expected = sum(1 for d in dwell.values() if d >= threshold) / len(dwell)
        else:
            expected = survival[threshold]
        share = getattr(figures.traffic, key)
        stayed = share if key == "effective_ratio" else (None if share is None else 1 - share)
        assert (stayed is None) == (expected is None)
        assert stayed is None or abs(stayed - expected) <= 1e-6
