"""LiveMetrics: fed the events as they come, it gives the figures compute() gives."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from metrics_logs import MAIN, SAMPLES, SESSION_END, T0, ev, fake_classify, logs, make_session

from studio.core.metrics import LiveMetrics, compute, load_prior
from studio.core.metrics.model import Undecided
from studio.core.store import HealthSample


def _in_time_order(events):
    return sorted(events, key=lambda e: (e.ts, e.kind == "leave"))


def _feed(live: LiveMetrics, events, chunk: int) -> None:
    ordered = _in_time_order(events)
    for i in range(0, len(ordered), chunk):
        live.add(ordered[i:i + chunk])


@pytest.mark.parametrize("chunk", [1, 7, 1000])
def test_live_equals_batch_on_the_main_log(store, chunk):
    make_session(store, [ev(-9000, "join", "c")], start=-10_000, end=-8000, market="DE")
    session_id = make_session(store, MAIN, samples=SAMPLES)
    session = store.session(session_id)
    live = LiveMetrics(session, classify=fake_classify, prior=load_prior(store, session))
    _feed(live, MAIN, chunk)
    live.add_health_samples([HealthSample(T0 + t, 30.0, 30.0, r, d, "OK") for t, r, d in SAMPLES])
    assert live.snapshot(T0 + 600) == compute(store, session_id, classify=fake_classify)


def test_snapshot_closes_open_presence_at_now(store):
    session = store.session(make_session(store, [], end=None))
    live = LiveMetrics(session, classify=fake_classify)
    live.add([e for e in _in_time_order(MAIN) if e.ts <= T0 + 100 and e.kind in ("join", "leave")])
    figures = live.snapshot(T0 + 100)
    # Seen by 100 s: a 0-now (100), b 10-40 (30), c joins at 100 (0), d 0-50 (50); a and c are
    # still in the room (censored). At risk after 30 s: a, b, d; after 50 s: a, d.
    traffic = figures.traffic
    assert traffic.viewers == 4
    assert traffic.avg_dwell_s == 45.0  # 180 / 4, so far
    assert figures.retention_curve.points == ((0, 1.0), (31, 0.666667), (51, 0.333333))
    assert traffic.bounce_rate == 0.666667  # 1 - S(60) = 1 - (1 - 1/3)(1 - 1/2)
    assert traffic.effective_ratio is None  # nobody has stayed 3 minutes yet
    assert figures.undecided == Undecided(effective_ratio=2, bounce_rate=1)  # a, c; c
    assert figures.session.duration_s == 100
    assert figures.concurrency.bucket_s == 1 and len(figures.concurrency.viewers) == 100
    later = live.snapshot(T0 + 200)  # nobody left since: a and c stay present
    assert later.traffic.avg_dwell_s == 95.0  # (200 + 30 + 100 + 50) / 4


def test_snapshot_before_any_event(store):
    session = store.session(make_session(store, []))
    figures = LiveMetrics(session, classify=fake_classify).snapshot(T0 + 10)
    assert figures.traffic.viewers == 0
    assert figures.traffic.effective_ratio is None


def test_add_does_not_look_back(store):
    """add() keeps running state only: the cost of a batch does not grow with the session."""
    session = store.session(make_session(store, []))
    live = LiveMetrics(session, classify=fake_classify)
    live.add([ev(0, "join", "a")])
    live.add([ev(5, "leave", "a"), ev(6, "join", "b")])
    assert live.snapshot(T0 + 10).traffic.avg_dwell_s == 4.5  # a 5, b 4


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(events=logs(), chunk=st.integers(1, 20))
def test_live_equals_batch(store, events, chunk):
    session_id = make_session(store, events, end=SESSION_END)
    session = store.session(session_id)
    live = LiveMetrics(session, classify=fake_classify, prior=load_prior(store, session))
    _feed(live, events, chunk)
    assert live.snapshot(T0 + SESSION_END) == compute(store, session_id, classify=fake_classify)
