"""A finished session's figures are what they were before live figures learned about viewers
still in the room (censoring), and before flags asked for a minimum of evidence.

`post_show_figures.json` holds compute()'s figures of these logs as made by the code before
either change (commit 424435a; only the sentences of flags and warnings that say a count were
reworded since, in the singular or the plural by that count). Every figure must still be
exactly that, from compute() and from LiveMetrics once the session has ended. Flags may only
have lost entries, and only entries whose evidence falls short of `flags.MINIMUMS`: on the
seeded shows, all of them still fire.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from metrics_logs import MAIN, SAMPLES, T0, ev, fake_classify, make_session, seeded_show

from studio.core.metrics import LiveMetrics, compute, load_prior
from studio.core.metrics.model import Figures
from studio.core.store import HealthSample, Store

GOLDEN = Path(__file__).with_name("post_show_figures.json")
SHOWS = {"show-1": (1, 60, 600), "show-2": (2, 200, 1200), "show-3": (3, 500, 1800)}


def post_show_sessions(store: Store) -> dict[str, int]:
    """The logs, stored; session ids by name."""
    make_session(store, [ev(-9000, "join", "c")], start=-10_000, end=-8000, market="DE")
    ids = {"main": make_session(store, MAIN, samples=SAMPLES)}
    for name, (seed, viewers, length) in SHOWS.items():
        ids[name] = make_session(store, seeded_show(seed, viewers, length), end=length)
    ids["replay"] = make_session(store, seeded_show(4, 80, 900), end=900, mode="replay",
                                 replay_of=ids["show-2"])
    return ids


def _json(figures: Figures | dict) -> dict:
    """The JSON object as `studio metrics --json` prints it, read back."""
    if isinstance(figures, Figures):
        figures = figures.to_json()
    return json.loads(json.dumps(figures))


@pytest.fixture(scope="module")
def golden() -> dict:
    return json.loads(GOLDEN.read_text(encoding="utf-8"))


def _same_but_flags(figures: dict, before: dict) -> tuple[list, list]:
    figures, before = _json(figures), dict(before)
    flags, flags_before = figures.pop("flags"), before.pop("flags")
    assert figures == before
    assert all(flag in flags_before for flag in flags)
    return flags, flags_before


def test_compute_gives_the_figures_it_gave_before(store, golden):
    for name, session_id in post_show_sessions(store).items():
        flags, before = _same_but_flags(compute(store, session_id, classify=fake_classify),
                                        golden[name])
        if name in SHOWS or name == "replay":
            assert flags == before, name  # enough evidence: every flag still fires


def test_live_figures_after_the_end_are_the_figures_of_before(store, golden):
    for name, session_id in post_show_sessions(store).items():
        session = store.session(session_id)
        live = LiveMetrics(session, classify=fake_classify, prior=load_prior(store, session))
        events = sorted(store.events(session_id), key=lambda e: (e.ts, e.kind == "leave"))
        for i in range(0, len(events), 97):
            live.add(events[i:i + 97])
        if name == "main":
            live.add_health_samples([HealthSample(T0 + t, 30.0, 30.0, r, d, "OK")
                                     for t, r, d in SAMPLES])
        figures = live.snapshot(session.ended_at + 60)
        assert _json(figures) == _json(compute(store, session_id, classify=fake_classify))
        _same_but_flags(figures, golden[name])
