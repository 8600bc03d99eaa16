"""The audience simulator: deterministic, well-formed, and shaped like a real show."""

from __future__ import annotations

import csv
import statistics
from collections import Counter, defaultdict
from datetime import UTC
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studio.core.events import FIELDS, VIEWER_KINDS, parse_record
from studio.core.markets import UnknownMarket, market, markets
from studio.core.simulate import (
    PlanError,
    ShowPlan,
    ViewerPool,
    realtime,
    simulate_replay,
    simulate_show,
    write_events_csv,
    write_replay,
    write_show,
)
from studio.core.simulate.phrases import comment_languages, phrasebook

FUNNEL = ("join", "product_click", "add_to_cart", "order", "payment")


@pytest.fixture(scope="module")
def show():
    return ShowPlan(), list(simulate_show(ShowPlan()))


def viewers_with(events, kind):
    return {e.viewer for e in events if e.kind == kind}


def presence(events, end):
    """Dwell per viewer, walking joins and leaves as spec/metrics.md does."""
    since: dict[str, float] = {}
    dwell: dict[str, float] = defaultdict(float)
    for e in events:
        if e.kind == "join":
            since.setdefault(e.viewer, e.ts)
            dwell[e.viewer] += 0
        elif e.kind == "leave" and e.viewer in since:
            dwell[e.viewer] += e.ts - since.pop(e.viewer)
    for viewer, t in since.items():
        dwell[viewer] += end - t
    return dwell


def check_well_formed(plan, events, *, start=None, end=None):
    start = plan.start if start is None else start
    end = plan.end if end is None else end
    stamps = [e.ts for e in events]
    assert stamps == sorted(stamps)
    assert all(start <= t <= end for t in stamps)
    present: set[str] = set()
    seen: set[str] = set()
    orders = {}
    for e in events:
        if e.kind == "marker":
            assert e.label and e.viewer is None
            continue
        assert e.kind in VIEWER_KINDS and e.viewer
        if e.kind == "join":
            assert e.source is not None and e.is_new is not None
            assert e.viewer not in present, "a join while already present"
            present.add(e.viewer)
            seen.add(e.viewer)
        elif e.kind == "leave":
            assert e.viewer in present, "a leave while absent"
            present.discard(e.viewer)
        else:
            assert e.viewer in seen, f"{e.kind} before the viewer's first join"
        if e.kind == "order":
            assert e.order_id not in orders and e.qty >= 1 and e.sku
            orders[e.order_id] = e
        if e.kind == "payment":
            order = orders[e.order_id]  # a payment follows its order
            assert order.viewer == e.viewer and order.amount == e.amount
            assert e.currency == order.currency == market(plan.market).currency
            assert isinstance(e.amount, Decimal) and e.amount > 0
    stages = [viewers_with(events, kind) for kind in FUNNEL]
    for later, earlier in zip(stages[1:], stages, strict=False):
        assert later <= earlier


def test_default_show_is_well_formed(show):
    plan, events = show
    check_well_formed(plan, events)
    kinds = Counter(e.kind for e in events)
    assert set(kinds) == {*VIEWER_KINDS, "marker"}
    assert len(viewers_with(events, "join")) == plan.viewers


def test_funnel_narrows_at_every_step(show):
    _, events = show
    sizes = [len(viewers_with(events, kind)) for kind in FUNNEL]
    assert sizes[0] > sizes[1] > sizes[2] > sizes[3] > sizes[4] > 0
    ordered = {e.order_id for e in events if e.kind == "order"}
    paid = {e.order_id for e in events if e.kind == "payment"}
    assert paid < ordered, "some orders are never paid (payment failures)"
    assert 0.005 < sizes[4] / sizes[0] < 0.06


def test_traffic_sources_differ_in_quality(show):
    plan, events = show
    dwell = presence(events, plan.end)
    source = {}
    for e in events:
        if e.kind == "join":
            source.setdefault(e.viewer, e.source)
    by_source = defaultdict(list)
    for viewer, seconds in dwell.items():
        by_source[source[viewer]].append(seconds)

    def bounce(name):
        return sum(s < 60 for s in by_source[name]) / len(by_source[name])

    assert bounce("ads") > 0.65
    assert bounce("follow_feed") < 0.25
    assert bounce("follow_feed") < bounce("organic") < bounce("ads")
    assert statistics.median(by_source["follow_feed"]) > 4 * statistics.median(by_source["ads"])
    assert 0.3 < sum(s < 60 for s in dwell.values()) / len(dwell) < 0.65


def test_a_flash_sale_brings_a_burst(show):
    plan, events = show
    first = plan.flash_sales[0] * 60 + plan.start
    window = (first, first + 120)

    def rate(kind, span):
        count = sum(span[0] <= e.ts < span[1] for e in events if e.kind == kind)
        return count / (span[1] - span[0])

    whole = (plan.start, plan.end)
    assert rate("join", window) > 1.5 * rate("join", whole)
    sale = (first, first + plan.flash_minutes * 60)
    assert rate("product_click", sale) > 2 * rate("product_click", whole)
    assert rate("order", sale) > 2 * rate("order", whole)
    labels = [e.label for e in events if e.kind == "marker"]
    assert labels.count("flash sale start") == len(plan.flash_sales)
    assert any(label.startswith("pin SKU-") for label in labels)


def test_the_same_plan_gives_byte_identical_csv(tmp_path):
    plan = ShowPlan(viewers=300, minutes=20, seed=7, market="ID")
    one, two, other = tmp_path / "1.csv", tmp_path / "2.csv", tmp_path / "3.csv"
    rows = write_events_csv(one, simulate_show(plan))
    assert write_events_csv(two, simulate_show(ShowPlan(viewers=300, minutes=20, seed=7,
                                                        market="ID"))) == rows
    assert one.read_bytes() == two.read_bytes()
    write_events_csv(other, simulate_show(ShowPlan(viewers=300, minutes=20, seed=8, market="ID")))
    assert one.read_bytes() != other.read_bytes()


def test_csv_follows_the_generic_format(tmp_path):
    plan = ShowPlan(viewers=200, minutes=15, seed=3, market="JP")
    events = list(simulate_show(plan))
    path = tmp_path / "show.csv"
    assert write_events_csv(path, events, tz=market("JP").tz) == len(events)
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames) == FIELDS
        rows = list(reader)
    assert rows[0]["ts"].endswith("+09:00")
    for row, event in zip(rows, events, strict=True):
        parsed = parse_record(row, UTC)
        assert not parsed.naive_ts
        assert parsed.event == event


def test_comments_are_in_the_markets_language():
    plan = ShowPlan(market="JP", viewers=600, minutes=30, seed=2)
    texts = [e.text for e in simulate_show(plan) if e.kind == "comment"]
    english = set(_all_phrases("en"))
    japanese = [t for t in texts if any("\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff"
                                        for c in t)]
    assert len(japanese) > 0.6 * len(texts)
    assert any(_matches(t, english) for t in texts), "some English beside the market's language"
    assert any(t.endswith("?") or t.endswith("?") or t.endswith("??") for t in texts)


def _all_phrases(language):
    return [p for group in phrasebook(language).phrases for p in group]


def _matches(text, templates):
    prefix = {t.split("{")[0] for t in templates if t.split("{")[0]}
    return any(text.startswith(p) for p in prefix)


def test_every_market_has_phrases_and_prices():
    for code, where in markets().items():
        for language, share in comment_languages(where):
            assert phrasebook(language).phrases and share > 0
        plan = ShowPlan(market=code)
        exponent = plan.products[0].price.as_tuple().exponent
        assert all(p.price.as_tuple().exponent == exponent for p in plan.products)
        assert all(0 < p.flash_price < p.price for p in plan.products)


def test_logistics_questions_come_up(show):
    _, events = show
    logistics = set(phrasebook("en").phrases[3])
    asked = [e.text for e in events if e.kind == "comment" and _matches(e.text, logistics)]
    assert len(asked) >= 10


def test_returning_viewers_across_shows_of_one_account(store):
    first = write_show(store, ShowPlan(viewers=1500, seed=1), account="shop-a")
    second = write_show(store, ShowPlan(viewers=1500, seed=2), account="shop-a")
    other = write_show(store, ShowPlan(viewers=1500, seed=2), account="shop-b")
    joins = {sid: [e for e in store.events(sid, ["join"])] for sid in (first, second, other)}
    ids = {sid: {e.viewer for e in js} for sid, js in joins.items()}
    shared = ids[first] & ids[second]
    assert 0.05 * 1500 < len(shared) < 0.6 * 1500
    assert not ids[first] & ids[other]
    firsts = {}
    for e in joins[second]:
        firsts.setdefault(e.viewer, e)
    assert all(not firsts[v].is_new for v in shared)
    followers_back = sum(firsts[v].source == "follow_feed" for v in shared) / len(shared)
    followers_all = sum(e.source == "follow_feed" for e in firsts.values()) / len(firsts)
    assert followers_back > 2 * followers_all


def test_viewer_pool_is_deterministic_per_account():
    plan = ShowPlan(viewers=200, minutes=10)
    a = [e.viewer for e in simulate_show(plan, viewer_pool=ViewerPool("x")) if e.kind == "join"]
    b = [e.viewer for e in simulate_show(plan, viewer_pool=ViewerPool("x")) if e.kind == "join"]
    c = [e.viewer for e in simulate_show(plan, viewer_pool=ViewerPool("y")) if e.kind == "join"]
    assert a == b and set(a).isdisjoint(c)


def test_write_show_stores_the_session(store):
    plan = ShowPlan(viewers=400, minutes=20, seed=5, market="DE")
    session_id = write_show(store, plan, platform="tiktok", account="acme")
    session = store.session(session_id)
    assert (session.market, session.platform, session.account, session.mode) == (
        "DE", "tiktok", "acme", "live")
    assert (session.started_at, session.ended_at) == (plan.start, plan.end)
    assert store.event_count(session_id) == len(list(simulate_show(plan,
                                                                   viewer_pool=ViewerPool("acme"))))


def test_write_replay_writes_a_smaller_replay(store):
    plan = ShowPlan(viewers=1500, minutes=40, seed=4)
    live_id = write_show(store, plan)
    replay_id = write_replay(store, live_id, plan)
    replay = store.session(replay_id)
    assert replay.mode == "replay" and replay.replay_of == live_id
    assert replay.started_at > plan.end
    length = replay.ended_at - replay.started_at
    assert length == pytest.approx(plan.length_s)
    live_events, replay_events = store.events(live_id), store.events(replay_id)
    check_well_formed(plan, replay_events, start=replay.started_at, end=replay.ended_at)
    live_viewers = len(viewers_with(live_events, "join"))
    replay_viewers = len(viewers_with(replay_events, "join"))
    assert replay_viewers < 0.4 * live_viewers
    live_conversion = len(viewers_with(live_events, "payment")) / live_viewers
    replay_conversion = len(viewers_with(replay_events, "payment")) / replay_viewers
    assert replay_conversion < live_conversion
    dwell = presence(replay_events, replay.ended_at)
    completed = sum(s >= 0.9 * length for s in dwell.values()) / len(dwell)
    assert 0.03 < completed < 0.3
    assert not [e for e in replay_events if e.kind == "marker"]


def test_write_replay_refuses_a_replay_or_another_market(store):
    plan = ShowPlan(viewers=100, minutes=10)
    live_id = write_show(store, plan)
    replay_id = write_replay(store, live_id, plan)
    with pytest.raises(PlanError, match="replay"):
        write_replay(store, replay_id, plan)
    with pytest.raises(PlanError, match="market"):
        write_replay(store, live_id, ShowPlan(viewers=100, minutes=10, market="DE"))


class FakeClock:
    def __init__(self):
        self.now = 100.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def test_realtime_paces_events_against_the_clock():
    plan = ShowPlan(viewers=200, minutes=10, seed=1)
    clock = FakeClock()
    paced = realtime(plan, speed=60, clock=clock, sleep=clock.sleep, started_at=5_000.0)
    originals = iter(simulate_show(plan))
    for count, event in enumerate(paced):
        original = next(originals)
        offset = original.ts - plan.start
        assert event.ts == pytest.approx(5_000.0 + offset, abs=1e-3)
        assert clock.now >= 100.0 + offset / 60 - 1e-9
        assert event.kind == original.kind and event.viewer == original.viewer
        if count == 300:
            break
    assert clock.sleeps and all(s > 0 for s in clock.sleeps)
    slept = len(clock.sleeps)
    paced.close()  # the caller stops iterating: nothing more happens
    assert len(clock.sleeps) == slept


def test_realtime_rejects_a_bad_speed():
    with pytest.raises(PlanError, match="speed"):
        realtime(ShowPlan(viewers=10, minutes=1), speed=0)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"viewers": 0}, "viewers"),
        ({"minutes": -5}, "minutes"),
        ({"seed": -1}, "seed"),
        ({"flash_sales": (70.0,)}, "flash_sales"),
        ({"sources": (("tv", 1.0),)}, "tv"),
        ({"sources": (("ads", 0.0),)}, "sources"),
    ],
)
def test_bad_plans_are_refused_with_the_field_named(changes, message):
    with pytest.raises(PlanError, match=message):
        ShowPlan(**changes)


def test_an_unknown_market_is_refused():
    with pytest.raises(UnknownMarket):
        ShowPlan(market="XX")


def test_a_plan_can_narrow_the_traffic_mix():
    plan = ShowPlan(viewers=300, minutes=15, sources=(("ads", 1.0),), flash_sales=())
    events = list(simulate_show(plan))
    assert {e.source for e in events if e.kind == "join"} == {"ads"}
    assert "flash sale start" not in {e.label for e in events}


def test_event_volume_scales_to_the_benchmark_show():
    # The benchmarks' 4-hour show is ShowPlan(viewers=280_000, minutes=240, seed=1) with about
    # 1.2 million events; a tenth of its viewers must give a tenth of that.
    count = sum(1 for _ in simulate_show(ShowPlan(viewers=28_000, minutes=240, seed=1)))
    assert 100_000 <= count <= 140_000


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    viewers=st.integers(1, 250),
    minutes=st.floats(0.5, 90),
    seed=st.integers(0, 2**32),
    code=st.sampled_from(sorted(markets())),
    replay=st.booleans(),
)
def test_any_small_show_is_well_formed(viewers, minutes, seed, code, replay):
    plan = ShowPlan(market=code, viewers=viewers, minutes=minutes, seed=seed)
    if replay:
        start = plan.end + 3600
        events = list(simulate_replay(plan, start=start))
        check_well_formed(plan, events, start=start, end=start + plan.length_s)
    else:
        check_well_formed(plan, list(simulate_show(plan)))
