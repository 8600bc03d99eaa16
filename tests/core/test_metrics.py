"""spec/metrics.md on small hand-computed logs: every key, with the arithmetic in comments."""

from __future__ import annotations

import pytest
from metrics_logs import MAIN, SAMPLES, T0, ev, fake_classify, make_session, paid_order

from studio.core.comments import CATEGORIES
from studio.core.metrics import compute as compute_figures
from studio.core.metrics.common import SOURCE_KEYS
from studio.core.store import UnknownSession


def compute(*args, **kwargs) -> dict:
    """The figures as the JSON object of spec/metrics.md, whose keys these tests check."""
    return compute_figures(*args, **kwargs).to_json()


@pytest.fixture
def main(store):
    # Earlier sessions of the same account: c joined one (so c is returning); b joined one of
    # another account and d joins a later one, neither of which makes them returning.
    make_session(store, [ev(-9000, "join", "c")], start=-10_000, end=-8000, market="DE")
    make_session(store, [ev(-9000, "join", "b")], start=-10_000, end=-8000, account="other")
    session_id = make_session(store, MAIN, samples=SAMPLES)
    make_session(store, [ev(9000, "join", "d")], start=8000, end=10_000)
    return compute(store, session_id, classify=fake_classify)


def test_session_window(main):
    assert main["session"]["start"] == T0
    assert main["session"]["end"] == T0 + 600
    assert main["session"]["duration_s"] == 600
    assert main["session"]["mode"] == "live"


def test_traffic_quality(main):
    assert main["viewers"] == 5
    assert main["effective_ratio"] == 0.6  # a, c, e: 3 / 5
    assert main["bounce_rate"] == 0.4  # b, d: 2 / 5
    # a: is_new=false on the join; c: joined an earlier session of the account. b, d, e new.
    assert main["new_viewer_ratio"] == 0.6
    assert main["returning_ratio"] == 0.4
    assert main["avg_dwell_s"] == 212.0  # 1060 / 5
    assert main["peak_concurrent"] == 3  # a, d, b at 10-40 s; a, c, e at 200-260 s
    assert main["avg_concurrent"] == pytest.approx(1060 / 600, abs=1e-3)


def test_sources(main):
    sources = main["sources"]
    assert list(sources) == list(SOURCE_KEYS[:-1])  # "unknown" only when someone has no source
    assert sources["organic"] == {  # b (30 s), c (500 s, paid)
        "viewers": 2, "effective_ratio": 0.5, "bounce_rate": 0.5, "payers": 1, "conversion": 0.5,
    }
    assert sources["ads"] == {  # a (300 s, paid), e (180 s; its first join said ads)
        "viewers": 2, "effective_ratio": 1.0, "bounce_rate": 0.0, "payers": 1, "conversion": 0.5,
    }
    assert sources["search"] == {  # d (50 s)
        "viewers": 1, "effective_ratio": 0.0, "bounce_rate": 1.0, "payers": 0, "conversion": 0.0,
    }
    assert sources["social"] == {
        "viewers": 0, "effective_ratio": None, "bounce_rate": None, "payers": 0,
        "conversion": None,
    }


def test_interaction(main):
    assert main["comment_rate"] == 0.8  # a, b, c, e
    assert main["question_rate"] == 0.6  # a (size?), c (how much?), e (ship to TX?)
    assert main["follow_rate"] == 0.4  # a, c (twice)
    assert main["comments"] == 7
    assert main["comment_mix"] == {
        "product": round(1 / 7, 6), "price": round(2 / 7, 6), "usage": 0.0,
        "logistics": round(1 / 7, 6), "chitchat": round(3 / 7, 6), "other": 0.0,
    }


def test_funnel(main):
    funnel = main["funnel"]
    assert [funnel[k] for k in ("viewers", "clicked", "carted", "ordered", "paid")] == [
        5, 3, 2, 2, 2]
    assert funnel["rates"] == {
        "click": 0.6, "cart": round(2 / 3, 6), "order": 1.0, "pay": 1.0, "overall": 0.4,
    }
    # No earlier US session: the weakest step is simply the lowest rate.
    assert funnel["diagnosis"] == {
        "step": "click", "rate": 0.6, "basis": "steps", "median": None, "sessions_compared": 0,
        "below_median": None, "code": "funnel_weak_click",
    }


def test_sales(main):
    assert main["gmv"] == {"USD": 55.5}  # 40.00 + 15.50
    assert main["paid_orders"] == 2
    assert main["payers"] == 2
    assert main["aov"] == {"USD": 27.75}  # 55.50 / 2
    assert main["gpm"] == {"USD": 11100.0}  # 55.50 / 5 x 1000
    # Top 20 % of 2 buyers: ceil(0.4) = 1 buyer, a with 40.00 of 55.50.
    assert main["top_buyer_share"] == {"USD": round(40 / 55.5, 6)}
    assert main["products"] == [
        {"sku": "SKU-1", "clicks": 2, "carts": 1, "orders": 1, "paid_units": 2,
         "gmv": {"USD": 40.0}},
        {"sku": "SKU-2", "clicks": 2, "carts": 1, "orders": 1, "paid_units": 1,
         "gmv": {"USD": 15.5}},
    ]


def test_retention_curve(main):
    # Dwells 30, 50, 180, 300, 500: S drops by 1/5 just after each.
    assert main["retention_curve"] == {
        "step_s": 1,
        "max_dwell_s": 500.0,
        "points": [[0, 1.0], [31, 0.8], [51, 0.6], [181, 0.4], [301, 0.2]],
    }


def test_concurrency(main):
    series = main["concurrency"]
    assert series["start"] == T0
    assert series["bucket_s"] == 1  # 600 s fit in 1-second buckets
    viewers = series["viewers"]
    assert len(viewers) == 600
    assert sum(viewers) == pytest.approx(1060)  # the integral of presence is the dwell sum
    assert viewers[0] == 2  # a, d
    assert viewers[10] == 3  # a, d, b
    assert viewers[45] == 2  # a, d (b left at 40)
    assert viewers[50] == 1  # a
    assert viewers[599] == 1  # c


def test_replay_figures_are_null_for_a_live_session(main):
    assert main["replay"] == {"completion_rate": None, "conversion": None,
                              "live_conversion": None, "live_session": None, "length_s": None}


def test_health(main):
    health = main["health"]
    assert health["dropped_frames"] == 3
    assert health["drop_ratio"] == round(3 / 131, 6)
    assert (health["freeze_s"], health["black_s"], health["low_res_s"],
            health["signal_lost_s"]) == (6.0, 3.0, 50.0, 0.0)
    assert [(i["kind"], i["start"] - T0, i["end"] - T0) for i in health["incidents"]] == [
        ("freeze", 20, 26), ("black", 250, 253), ("low_res", 550, 600)]
    # Presence-ending leaves: b 40, d 50, e 260, a 300, e 520: 5 in 10 min = 0.5 a minute.
    assert [(v["kind"], v["leaves_60s"], v["mean_leaves_60s"], v["times_mean"])
            for v in health["viewer_loss"]] == [
        ("freeze", 2, 0.5, 4.0),  # b 40, d 50 in 20-80 s
        ("black", 2, 0.5, 4.0),  # e 260, a 300 in 250-310 s
        ("low_res", 0, 0.5, 0.0),
    ]


def test_flags(main):
    # 5 viewers and 7 comments are too few for the chitchat and funnel flags
    # (tests/core/test_metrics_flags.py); an incident needs no minimum.
    flags = {f["code"]: f for f in main["flags"]}
    assert list(flags) == ["health_freeze", "health_black", "health_low_res"]
    assert flags["health_freeze"]["params"]["count"] == 1
    for flag in flags.values():
        assert flag["reference"]
        assert str(flag["message"]).endswith(".")


def test_warnings(main):
    warnings = {w["code"]: w["count"] for w in main["warnings"]}
    assert warnings == {
        "leave_while_absent": 2,  # f never joined; e's leave at 530
        "presence_outside_session": 1,  # d's join at -50
        "incident_end_without_start": 1,
    }


def test_unknown_session_is_a_clear_error(store):
    with pytest.raises(UnknownSession, match="session 99 does not exist"):
        compute(store, 99, classify=fake_classify)


def test_no_viewers_gives_null_ratios_not_zero(store):
    session_id = make_session(store, [ev(5, "comment", "x", text="chitchat:hi")])
    figures = compute(store, session_id, classify=fake_classify)
    assert figures["viewers"] == 0
    for key in ("effective_ratio", "bounce_rate", "new_viewer_ratio", "returning_ratio",
                "avg_dwell_s", "comment_rate", "question_rate", "follow_rate"):
        assert figures[key] is None, key
    assert set(figures["funnel"]["rates"].values()) == {None}
    assert figures["funnel"]["diagnosis"] is None
    assert figures["peak_concurrent"] == 0
    assert figures["avg_concurrent"] == 0.0  # nobody present over a 600 s session
    assert figures["retention_curve"]["points"] == []
    assert figures["gmv"] == {} and figures["top_buyer_share"] == {}
    assert {w["code"] for w in figures["warnings"]} == {"activity_without_join"}
    assert figures["health"]["dropped_frames"] is None
    assert figures["health"]["drop_ratio"] is None


def test_empty_session_without_times(store):
    session_id = make_session(store, [], start=None, end=None)
    figures = compute(store, session_id, classify=fake_classify)
    assert figures["viewers"] == 0
    assert figures["avg_concurrent"] is None  # a window of 0 s
    assert figures["concurrency"]["viewers"] == []


def test_window_from_events_when_the_session_does_not_say(store):
    # No start or end: the window is the first to the last event (a marker at 900 s).
    session_id = make_session(store, [
        ev(100, "join", "a"), ev(200, "join", "b"), ev(900, "marker", label="end"),
    ], start=None, end=None)
    figures = compute(store, session_id, classify=fake_classify)
    assert figures["session"]["duration_s"] == 800
    assert figures["avg_dwell_s"] == 750.0  # a 800, b 700
    assert figures["avg_concurrent"] == pytest.approx(1500 / 800, abs=1e-3)


def test_same_instant_join_is_taken_before_leave(store):
    session_id = make_session(store, [
        ev(50, "leave", "a"), ev(50, "join", "a"),  # zero-length visit: dwell 0
        ev(10, "join", "b"), ev(20, "leave", "b"), ev(20, "join", "c"),  # b, c do not overlap
        ev(30, "leave", "c"),
    ])
    figures = compute(store, session_id, classify=fake_classify)
    assert figures["avg_dwell_s"] == pytest.approx(20 / 3, abs=1e-3)  # a 0, b 10, c 10
    assert figures["peak_concurrent"] == 1
    assert figures["warnings"] == []


def test_unknown_source_and_bounds_of_effective_and_bounce(store):
    session_id = make_session(store, [
        ev(0, "join", "a"), ev(60, "leave", "a"),  # exactly 60 s: not a bounce
        ev(0, "join", "b"), ev(179.5, "leave", "b"),  # just under 3 min: not effective
    ])
    figures = compute(store, session_id, classify=fake_classify)
    assert figures["bounce_rate"] == 0.0
    assert figures["effective_ratio"] == 0.0
    assert figures["sources"]["unknown"]["viewers"] == 2
    assert figures["retention_curve"]["points"] == [[0, 1.0], [61, 0.5]]
    assert figures["retention_curve"]["max_dwell_s"] == 179.5


def test_threshold_flags(store):
    # 60 viewers, all new, 45 bounce, none effective.
    viewers = [f"v{i}" for i in range(60)]
    events = [ev(0, "join", v) for v in viewers]
    events += [ev(10, "leave", v) for v in viewers[:45]] + [ev(100, "leave", v)
                                                            for v in viewers[45:]]
    figures = compute(store, make_session(store, events), classify=fake_classify)
    flags = {f["code"]: (f["value"], str(f["reference"])) for f in figures["flags"]}
    assert flags == {
        "low_effective_ratio": (0.0, ">= 30%"),
        "high_bounce_rate": (0.75, "< 50%"),
        "few_returning_viewers": (1.0, "<= 70%"),
        "funnel_weak_click": (0.0, "lowest of the four step rates"),  # 0 of 60 clicked
    }


def test_a_stage_larger_than_the_one_before_is_kept_with_a_warning(store):
    events = [ev(0, "join", v) for v in "abc"]
    events += [ev(5, "product_click", "a", sku="S"), ev(6, "add_to_cart", "a", sku="S"),
               ev(6, "add_to_cart", "b", sku="S")]
    figures = compute(store, make_session(store, events), classify=fake_classify)
    assert figures["funnel"]["rates"]["cart"] == 2.0  # 2 carted / 1 clicked, kept as is
    warning = figures["warnings"][0]
    assert warning["code"] == "stage_exceeds_previous"
    assert warning["params"] == {"count": 2, "stage": "carted", "previous": "clicked",
                                 "previous_count": 1}


def test_diagnosis_relative_to_earlier_sessions_of_the_market(store):
    def funnel_log(clickers: int, carters: int, viewers: int = 10) -> list:
        events = [ev(0, "join", f"v{i}") for i in range(viewers)]
        events += [ev(1, "product_click", f"v{i}", sku="S") for i in range(clickers)]
        events += [ev(2, "add_to_cart", f"v{i}", sku="S") for i in range(carters)]
        events += [ev(3, "order", f"v{i}", order_id=f"o{i}", sku="S") for i in range(carters)]
        return events

    # Earlier US sessions: click 0.5, 0.5, 0.8 (median 0.5); cart 0.8, 0.8, 0.5 (median 0.8).
    for clickers, carters in ((5, 4), (5, 4), (8, 4)):
        make_session(store, funnel_log(clickers, carters), start=-5000, end=-4000)
    make_session(store, funnel_log(1, 1), start=-5000, end=-4000, market="DE")  # not US
    # This session: click 0.4 (0.8 of its median), cart 0.5 (0.625 of its median).
    figures = compute(store, make_session(store, funnel_log(24, 12, viewers=60)),
                      classify=fake_classify)
    diagnosis = figures["funnel"]["diagnosis"]
    assert diagnosis == {
        "step": "cart", "rate": 0.5, "basis": "earlier_sessions", "median": 0.8,
        "sessions_compared": 3, "below_median": True, "code": "funnel_weak_cart",
    }
    flag = next(f for f in figures["flags"] if f["code"] == "funnel_weak_cart")
    assert flag["reference"] == "median 80.0% over 3 earlier sessions"


def test_currencies_are_kept_apart(store):
    events = [ev(0, "join", v) for v in "abcdef"]
    events += paid_order(10, "a", "o1", "S1", 1, "10.00")
    events += paid_order(10, "b", "o2", "S1", 1, "30.00")
    events += paid_order(10, "c", "o3", "S2", 1, "5.50", "EUR")
    events += paid_order(20, "a", "o4", "S2", 1, "2.25", "EUR")
    figures = compute(store, make_session(store, events), classify=fake_classify)
    assert figures["gmv"] == {"EUR": 7.75, "USD": 40.0}
    assert figures["paid_orders"] == 4
    assert figures["payers"] == 3
    assert figures["aov"] == {"EUR": 3.875, "USD": 20.0}
    assert figures["gpm"] == {"EUR": round(7.75 / 6 * 1000, 4), "USD": round(40 / 6 * 1000, 4)}
    # Per currency: 2 buyers each, top 1: b 30 of 40; c 5.50 of 7.75.
    assert figures["top_buyer_share"] == {"EUR": round(5.5 / 7.75, 6), "USD": 0.75}


def test_multi_line_orders_share_the_payment_by_quantity(store):
    events = [ev(0, "join", "a"), ev(1, "product_click", "a", sku="S1"),
              ev(2, "add_to_cart", "a", sku="S1"),
              ev(5, "order", "a", order_id="o1", sku="S1", qty=1),
              ev(5, "order", "a", order_id="o1", sku="S2", qty=3),
              ev(6, "payment", "a", order_id="o1", amount="20.00", currency="USD"),
              ev(7, "payment", "a", order_id="o9", amount="1.00", currency="USD")]
    figures = compute(store, make_session(store, events), classify=fake_classify)
    products = {p["sku"]: (p["orders"], p["paid_units"], p["gmv"]) for p in figures["products"]}
    # 20.00 over 4 units: S1 1 unit, 5.00; S2 3 units, 15.00. o9 has no order event.
    assert products == {"S1": (1, 1, {"USD": 5.0}), "S2": (1, 3, {"USD": 15.0})}
    assert figures["gmv"] == {"USD": 21.0}
    assert {w["code"]: w["count"] for w in figures["warnings"]} == {"payment_without_order": 1}


def test_replay_against_its_live_session(store):
    # The live session: 4 viewers over 1000 s, 1 payer (overall 0.25).
    live = make_session(store, [ev(0, "join", v) for v in "abcd"]
                        + paid_order(10, "a", "o1", "S", 1, "9.00"), end=1000)
    # The replay, watched over a day: x watches 950 s (>= 90 % of the 1000 s show), y 899 s,
    # z 100 s and buys.
    replay = make_session(store, [
        ev(0, "join", "x"), ev(950, "leave", "x"),
        ev(10, "join", "y"), ev(909, "leave", "y"),
        ev(20, "join", "z"), ev(120, "leave", "z"),
        *paid_order(50, "z", "r1", "S", 1, "9.00"),
    ], end=86_400, mode="replay", replay_of=live)
    figures = compute(store, replay, classify=fake_classify)
    assert figures["replay"] == {
        "completion_rate": round(1 / 3, 6),
        "conversion": round(1 / 3, 6),
        "live_conversion": 0.25,
        "live_session": live,
        "length_s": 1000.0,
    }


def test_long_shows_use_wider_buckets(store):
    # 4 hours: 10-second buckets, 1440 of them. One viewer from 5 s to 25 s.
    session_id = make_session(store, [ev(5, "join", "a"), ev(25, "leave", "a")], end=4 * 3600)
    series = compute(store, session_id, classify=fake_classify)["concurrency"]
    assert series["bucket_s"] == 10
    assert len(series["viewers"]) == 1440
    assert series["viewers"][:4] == [0.5, 1.0, 0.5, 0.0]


def test_every_key_of_the_spec_is_present(main):
    top = {"viewers", "effective_ratio", "bounce_rate", "new_viewer_ratio", "returning_ratio",
           "avg_dwell_s", "peak_concurrent", "avg_concurrent", "sources", "comment_rate",
           "question_rate", "follow_rate", "comment_mix", "funnel", "gmv", "paid_orders",
           "payers", "aov", "gpm", "top_buyer_share", "products", "retention_curve",
           "concurrency", "replay", "health", "flags", "warnings"}
    assert top <= main.keys()
    assert set(main["comment_mix"]) == set(CATEGORIES)
    assert {"click", "cart", "order", "pay", "overall"} == set(main["funnel"]["rates"])
    assert {"dropped_frames", "drop_ratio", "freeze_s", "black_s", "low_res_s", "incidents",
            "viewer_loss"} <= main["health"].keys()
    assert {"completion_rate", "conversion"} <= main["replay"].keys()


