"""Properties of the figures on generated logs (hypothesis): ratios stay in [0, 1] and are
null over an empty denominator, comment shares sum to 1, and neither re-importing the same
events nor storing them in another order changes any figure."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from metrics_logs import SESSION_END, fake_classify, logs, make_session

from studio.core.metrics import compute


def _ratios(figures: dict) -> list[tuple[str, float | None, float]]:
    """(name, value, denominator) for every ratio of the figures' JSON object, by its keys."""
    n = figures["viewers"]
    funnel = figures["funnel"]
    out = [(key, figures[key], n) for key in (
        "effective_ratio", "bounce_rate", "new_viewer_ratio", "returning_ratio",
        "comment_rate", "question_rate", "follow_rate")]
    out += [(f"comment_mix.{k}", v, figures["comments"]) for k, v in figures["comment_mix"].items()]
    stages = ("viewers", "clicked", "carted", "ordered", "paid")
    out += [(f"funnel.rates.{step}", funnel["rates"][step], funnel[stages[i]])
            for i, step in enumerate(("click", "cart", "order", "pay"))]
    out.append(("funnel.rates.overall", funnel["rates"]["overall"], n))
    for key, source in figures["sources"].items():
        out += [(f"sources.{key}.{name}", source[name], source["viewers"])
                for name in ("effective_ratio", "bounce_rate", "conversion")]
    out += [(f"top_buyer_share.{k}", v, figures["gmv"][k])
            for k, v in figures["top_buyer_share"].items()]
    out += [("retention", share, n) for _, share in figures["retention_curve"]["points"]]
    return out


SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(events=logs())
def test_ratios_are_in_unit_interval_and_null_over_zero(store, events):
    figures = compute(store, make_session(store, events, end=SESSION_END),
                      classify=fake_classify).to_json()
    for name, value, denominator in _ratios(figures):
        if denominator:
            assert value is not None and 0 <= value <= 1, (name, value)
        else:
            assert value is None, name
    shares = [v for v in figures["comment_mix"].values() if v is not None]
    if figures["comments"]:
        assert sum(shares) == pytest.approx(1, abs=1e-5)
    else:
        assert shares == []


@SETTINGS
@given(events=logs())
def test_reimporting_changes_nothing(store, events):
    session_id = make_session(store, events, end=SESSION_END)
    before = compute(store, session_id, classify=fake_classify)
    store.add_events(session_id, events).result()
    assert compute(store, session_id, classify=fake_classify) == before


@SETTINGS
@given(data=st.data())
def test_input_order_changes_nothing(store, data):
    events = data.draw(logs())
    shuffled = data.draw(st.permutations(events))
    # Sessions of one account that start at the same time are not "earlier" than each other,
    # so the two sessions see the same history.
    first = compute(store, make_session(store, events, end=SESSION_END), classify=fake_classify)
    second = compute(store, make_session(store, shuffled, end=SESSION_END),
                     classify=fake_classify)
    assert second == dataclasses.replace(first, session=second.session)
