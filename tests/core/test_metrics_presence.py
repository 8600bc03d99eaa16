"""compute()'s presence figures against a straightforward walk in plain Python, on random logs
with ties, repeated joins, leaves without a join, events before the start and after the end,
times to the microsecond and viewer ids of any text."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from metrics_logs import T0, fake_classify, make_session

from studio.core.events import SOURCES, Event
from studio.core.metrics import compute

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
END = 300.0

# Ids with separators, quotes, non-ASCII text, and ids that are prefixes of each other.
VIEWERS = st.sampled_from(("a", "ab", "a,b", "a'b", '"', "émile", "用户", "7", "07", "x y"))
# Whole seconds (ties are likely) and fractions down to the microsecond, some outside 0..END.
OFFSETS = st.one_of(st.integers(-20, int(END) + 20).map(float),
                    st.floats(-20, END + 20, allow_nan=False).map(lambda t: round(t, 6)))


@st.composite
def moves(draw) -> list[Event]:
    events = []
    for _ in range(draw(st.integers(0, 30))):
        kind = draw(st.sampled_from(("join", "leave")))
        fields = {}
        if kind == "join":
            fields = {"source": draw(st.sampled_from((*SOURCES, None))),
                      "is_new": draw(st.sampled_from((None, True, False)))}
        events.append(Event(ts=T0 + draw(OFFSETS), kind=kind, viewer=draw(VIEWERS), **fields))
    return events


def _plain_walk(events: list[Event], start: float, end: float) -> tuple[dict, list, int]:
    """Dwell per viewer, presence intervals and ignored leaves, one event at a time."""
    present: dict[str, float] = {}
    dwell: dict[str, float] = {}
    intervals = []
    ignored = 0
    for e in sorted(events, key=lambda e: (e.ts, e.kind == "leave")):
        clipped = min(max(e.ts, start), end)
        if e.kind == "join":
            dwell.setdefault(e.viewer, 0.0)
            present.setdefault(e.viewer, clipped)
        elif e.viewer in present:
            opened = present.pop(e.viewer)
            dwell[e.viewer] += clipped - opened
            intervals.append((opened, clipped))
        else:
            ignored += 1
    for viewer, opened in present.items():
        dwell[viewer] += end - opened
        intervals.append((opened, end))
    return dwell, intervals, ignored


def _peak(intervals: list) -> int:
    """Half-open intervals: at the same instant, leaving comes before joining."""
    current = peak = 0
    for _, delta in sorted([(a, 1) for a, _ in intervals] + [(b, -1) for _, b in intervals]):
        current += delta
        peak = max(peak, current)
    return peak


@SETTINGS
@given(events=moves())
def test_presence_figures_equal_a_plain_walk(store, events):
    session_id = make_session(store, events, end=END)
    figures = compute(store, session_id, classify=fake_classify)
    stored = store.events(session_id)  # the import drops exact repeats
    dwell, intervals, ignored = _plain_walk(stored, T0, T0 + END)
    values = list(dwell.values())
    n = len(values)
    traffic = figures.traffic
    assert traffic.viewers == n
    if n:
        assert traffic.effective_ratio == round(sum(d >= 180 for d in values) / n, 6)
        assert traffic.bounce_rate == round(sum(d < 60 for d in values) / n, 6)
        assert math.isclose(traffic.avg_dwell_s, sum(values) / n, abs_tol=1e-3)
        assert math.isclose(figures.retention_curve.max_dwell_s, max(values), abs_tol=1e-3)
        for t, share in figures.retention_curve.points:
            assert share == round(sum(d >= t for d in values) / n, 6)
    else:
        assert traffic.effective_ratio is None
    assert traffic.peak_concurrent == _peak(intervals)
    warnings = {w.code: w.count for w in figures.warnings}
    assert warnings.get("leave_while_absent", 0) == ignored
    outside = sum(1 for e in stored if not T0 <= e.ts <= T0 + END)
    assert warnings.get("presence_outside_session", 0) == outside
