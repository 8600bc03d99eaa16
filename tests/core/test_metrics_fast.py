"""compute()'s fast path (studio.core.metrics.columns, ids) against the row-by-row path it falls
back to: the same figures on generated logs, and the fallback wherever the fast path could not
be exact (ids or texts holding the separator, times it cannot carry, rows written between two
reads, hash collisions)."""

from __future__ import annotations

import math
import random
from collections import Counter
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from metrics_logs import MAIN, SAMPLES, SESSION_END, T0, ev, fake_classify, logs, make_session

from studio.core.events import SOURCES, Event
from studio.core.metrics import compute, ids
from studio.core.metrics.batch import figures_from_rows, read_rows
from studio.core.metrics.columns import (
    SEP,
    Packed,
    SessionColumns,
    exact_clock,
    figures_from_columns,
    read_columns,
)
from studio.core.metrics.model import Figures

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def fast_and_rows(store, session_id: int) -> tuple[Figures | None, Figures]:
    columns = read_columns(store, session_id)
    fast = None if columns is None else figures_from_columns(columns, fake_classify)
    return fast, figures_from_rows(read_rows(store, session_id), fake_classify)


def test_the_main_log_takes_the_fast_path(store):
    make_session(store, [ev(-9000, "join", "c")], start=-10_000, end=-8000)
    session_id = make_session(store, MAIN, samples=SAMPLES)
    fast, rows = fast_and_rows(store, session_id)
    assert fast is not None
    assert fast == rows


@SETTINGS
@given(events=logs())
def test_fast_path_equals_row_path_on_generated_logs(store, events):
    make_session(store, [ev(-500, "join", "v1"), ev(-400, "join", "v3")], start=-1000,
                 end=-100)  # an earlier session: v1 and v3 are returning unless flagged
    fast, rows = fast_and_rows(store, make_session(store, events, end=SESSION_END))
    assert fast is not None
    assert fast == rows


# Ids with separators other than SEP, quotes, non-ASCII text, prefixes of each other, empty
# and long; times to the microsecond, some outside the session, ties.
VIEWERS = st.sampled_from(("a", "ab", "a,b", "a'b", '"', "émile", "用户", "7", "07", "x y", "",
                           "n" * 8, "n" * 9, "long-" * 70, "long-" * 70 + "x"))
OFFSETS = st.one_of(st.integers(-20, 320).map(float),
                    st.floats(-20, 320, allow_nan=False).map(lambda t: round(t, 6)))


@st.composite
def mixed_events(draw) -> list[Event]:
    events = []
    for _ in range(draw(st.integers(0, 40))):
        kind = draw(st.sampled_from(("join", "join", "leave", "leave", "comment", "follow",
                                     "product_click", "payment")))
        fields: dict = {}
        if kind == "join":
            fields = {"source": draw(st.sampled_from((*SOURCES, None))),
                      "is_new": draw(st.sampled_from((None, True, False)))}
        elif kind == "comment":
            fields = {"text": draw(st.sampled_from(("price:how much?", "chitchat:hi", "x")))}
        elif kind == "product_click":
            fields = {"sku": draw(st.sampled_from(("S1", "S,2", "")))}
        elif kind == "payment":
            fields = {"order_id": draw(st.sampled_from(("o1", "o2"))),
                      "amount": Decimal(draw(st.integers(1, 999))) / 100, "currency": "USD"}
        events.append(Event(ts=T0 + draw(OFFSETS), kind=kind, viewer=draw(VIEWERS), **fields))
    return events


@SETTINGS
@given(events=mixed_events())
def test_fast_path_equals_row_path_on_awkward_ids_and_times(store, events):
    fast, rows = fast_and_rows(store, make_session(store, events, end=300))
    assert fast is not None
    assert fast == rows


@pytest.mark.parametrize("events", [
    [ev(0, "join", f"a{SEP}b"), ev(10, "leave", f"a{SEP}b"), ev(5, "join", "c")],
    [ev(0, "join", "a"), ev(3, "comment", "a", text=f"price:how{SEP}much?")],
    [ev(0, "join", "a"), ev(3, "product_click", "a", sku=f"S{SEP}1")],
    [ev(0, "join", "a"), ev(3, "payment", f"b{SEP}", order_id="o", amount="5", currency="USD")],
], ids=["viewer", "comment", "sku", "payer"])
def test_a_value_holding_the_separator_takes_the_row_path(store, events):
    session_id = make_session(store, events)
    fast, rows = fast_and_rows(store, session_id)
    assert fast is None
    assert compute(store, session_id, classify=fake_classify) == rows


@pytest.mark.parametrize("times", [(-5.0, 5.0), (0.0, 10.0), (100.0, 300.0)],
                         ids=["negative", "zero", "more than doubling"])
def test_times_the_clock_cannot_carry_take_the_row_path(store, times):
    first, last = times
    session_id = store.create_session(market="US", title="t", started_at=first, ended_at=last)
    store.add_events(session_id, [
        Event(ts=first, kind="join", viewer="a"), Event(ts=last, kind="leave", viewer="a"),
        Event(ts=(first + last) / 2, kind="join", viewer="b"),
    ]).result()
    assert read_columns(store, session_id) is None
    figures = compute(store, session_id, classify=fake_classify)
    assert figures == figures_from_rows(read_rows(store, session_id), fake_classify)
    assert figures.traffic.viewers == 2


@given(low=st.floats(1e-300, 1e300), data=st.data())
def test_the_clock_gives_back_every_time_exactly(low, data):
    high = data.draw(st.floats(low, 2 * low))
    clock = exact_clock(low, high)
    if clock is None:  # only where 2**k itself would overflow
        assert low < 1e-290
        return
    for ts in (low, high, data.draw(st.floats(low, high)), data.draw(st.floats(low, high))):
        integer = (ts - clock.base) * clock.scale
        assert integer == math.floor(integer) and 0 <= integer < 2**53  # what SQLite prints
        assert clock.times(np.array([int(integer)], dtype=np.int64))[0] == ts


def test_the_clock_refuses_what_it_cannot_carry():
    assert exact_clock(None, None) is not None  # no times at all
    assert exact_clock(0.0, 1.0) is None
    assert exact_clock(-1.0, 1.0) is None
    assert exact_clock(1.0, 2.0000000000000004) is None
    assert exact_clock(1.0, float("inf")) is None


class _Reads(dict):
    def cancel(self) -> None:
        pass


def test_a_row_written_between_two_reads_of_a_kind_takes_the_row_path(store):
    session_id = make_session(store, [ev(0, "join", "a"), ev(5, "join", "b")])
    columns = read_columns(store, session_id)
    columns.reads.wait()
    reads = _Reads((name, columns.reads[name]) for name in (
        "joins", "leaves", "comment_viewers", "activity", "join_facts", "comment_texts",
        "products", "orders", "payments", "samples", "incidents"))
    stale = SessionColumns(columns.session, columns.window, columns.clock, reads,
                           columns.prior, columns.returning)
    assert figures_from_columns(stale, fake_classify) is not None
    reads["join_facts"] = Packed(3, texts="aaa", flags="---")  # a third join arrived between
    assert figures_from_columns(stale, fake_classify) is None


def test_a_failing_read_is_raised_and_leaves_no_thread(store, monkeypatch):
    session_id = make_session(store, MAIN)
    monkeypatch.setattr("studio.core.metrics.columns.SEP", "'")  # breaks the SQL
    columns = read_columns(store, session_id)
    with pytest.raises(Exception, match=r"syntax error|unrecognized token"):
        figures_from_columns(columns, fake_classify)


# -- ids.group_ids ------------------------------------------------------------------------------


def _partition(values: list) -> set[frozenset[int]]:
    groups: dict = {}
    for i, value in enumerate(values):
        groups.setdefault(value, set()).add(i)
    return {frozenset(g) for g in groups.values()}


def _group(strings: list[bytes], chunks: int, rng: random.Random) -> ids.Groups | None:
    cut = sorted(rng.sample(range(1, len(strings)), chunks - 1)) if chunks > 1 else []
    pieces = [strings[a:b] for a, b in zip([0, *cut], [*cut, len(strings)], strict=True)]
    return ids.group_ids([b"\x1f".join(p) for p in pieces], len(strings), b"\x1f")


@pytest.mark.parametrize("seed", range(40))
def test_group_ids_groups_equal_strings_and_only_those(seed):
    rng = random.Random(seed)
    alphabet = rng.choice([b"ab", b"a\x00\xff", bytes(range(32, 127)), "éü用".encode()])
    length = rng.choice([3, 9, 24, 300])
    pool = [bytes(rng.choice(alphabet) for _ in range(rng.randint(0, length)))
            for _ in range(rng.randint(1, 60))]
    strings = [rng.choice(pool) for _ in range(rng.randint(1, 400))]
    result = _group(strings, rng.randint(1, min(4, len(strings))), rng)
    assert result is not None
    assert result.n == len(set(strings))
    assert _partition(result.of.tolist()) == _partition(strings)
    if alphabet.isascii():
        for g in range(result.n):
            assert result.text(g).encode() == strings[result.members[g]]


def test_group_ids_on_no_strings_and_on_empty_ones():
    assert ids.group_ids([], 0, b"\x1f").n == 0
    result = ids.group_ids([b"\x1f\x1f"], 3, b"\x1f")
    assert result.n == 1 and result.of.tolist() == [0, 0, 0]


def test_group_ids_refuses_a_string_holding_the_separator():
    assert ids.group_ids([b"a\x1fb"], 1, b"\x1f") is None
    assert ids.group_ids([b"a", b"b"], 3, b"\x1f") is None


def test_group_ids_never_merges_strings_whose_hashes_collide(monkeypatch):
    monkeypatch.setattr(ids, "_mix", lambda x: np.bitwise_and(x, 0, out=x))  # all hashes alike
    assert ids.group_ids([b"a\x1fb"], 2, b"\x1f") is None
    assert ids.group_ids([b"same\x1fsame"], 2, b"\x1f").n == 1
    long = b"x" * 300
    assert ids.group_ids([long + b"\x1f" + long[:-1] + b"y"], 2, b"\x1f") is None


def test_group_ids_on_many_distinct_ids():
    rng = np.random.default_rng(7)
    strings = [str(v).encode() for v in rng.integers(0, 10**18, 50_000)]
    strings += strings[:20_000]
    result = ids.group_ids([b"\x1f".join(strings)], len(strings), b"\x1f")
    assert result.n == len(set(strings))
    assert Counter(Counter(result.of.tolist()).values()) == Counter(
        Counter(strings).values())
