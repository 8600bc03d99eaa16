"""The typed figures (studio.core.metrics.model) print as the JSON object of spec/metrics.md,
key for key, in the same order and with the same values, after the show and on air.

`figures_as_printed.json` holds what `studio metrics --json` printed for these logs before the
figures became a tree of dataclasses (commit ae92959, when they were a dict): compute()'s figures
of the main log, and LiveMetrics' figures of a seeded show 400 s in, still on air. The printed
text must be the same to the byte, but for the English sentences of flags and warnings, whose
wording messages.py owns (their codes, values, references and params are pinned here).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from metrics_logs import MAIN, SAMPLES, T0, fake_classify, make_session, seeded_show

from studio.core.metrics import LiveMetrics, compute, load_prior
from studio.core.metrics.model import Figures

PINNED = Path(__file__).with_name("figures_as_printed.json")


def _printed(figures: dict) -> str:
    """As print_json prints it (studio/commands/_common.py), sentences left out."""
    for entry in (*figures["flags"], *figures["warnings"]):
        entry.pop("message")
    return json.dumps(figures, ensure_ascii=False, indent=2, default=str)


@pytest.fixture
def figures(store) -> dict[str, Figures]:
    main = make_session(store, MAIN, samples=SAMPLES)
    on_air = make_session(store, seeded_show(5, 300, 1500), end=None)
    session = store.session(on_air)
    live = LiveMetrics(session, classify=fake_classify, prior=load_prior(store, session))
    events = sorted(store.events(on_air), key=lambda e: (e.ts, e.kind == "leave"))
    live.add([e for e in events if e.ts <= T0 + 400])
    return {"after the show": compute(store, main, classify=fake_classify),
            "on air": live.snapshot(T0 + 400)}


def test_the_json_is_printed_as_before(figures):
    pinned = json.loads(PINNED.read_text(encoding="utf-8"))
    for name, typed in figures.items():
        assert _printed(typed.to_json()) == _printed(pinned[name]), name


def test_the_json_is_plain_json_with_the_english_sentences(figures):
    for typed in figures.values():
        printed = typed.to_json()
        assert json.loads(json.dumps(printed)) == printed  # no objects left for default=str
        for entry, flag in zip(printed["flags"], typed.flags, strict=True):
            assert entry["message"] == str(flag.message) and entry["message"].endswith(".")


def test_undecided_is_in_the_json_on_air_only(figures):
    assert figures["on air"].undecided is not None and "undecided" in figures["on air"].to_json()
    assert figures["after the show"].undecided is None
    assert "undecided" not in figures["after the show"].to_json()


def test_the_groups_are_flat_in_the_json_as_the_spec_lists_them(figures):
    typed = figures["after the show"]
    printed = typed.to_json()
    assert printed["viewers"] == typed.traffic.viewers
    assert printed["comment_mix"] == dict(typed.interaction.comment_mix)
    assert printed["products"][0]["sku"] == typed.sales.products[0].sku
    assert not {"traffic", "interaction", "sales"} & printed.keys()
