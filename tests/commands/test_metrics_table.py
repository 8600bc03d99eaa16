"""`studio metrics` without --json: the figures as a table, in the interface language."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "core"))
from metrics_logs import MAIN, SAMPLES, ev, fake_classify, make_session, paid_order

from studio.commands._metrics_table import format_table
from studio.core.metrics import compute
from studio.i18n import set_language


@pytest.fixture
def main(store):
    return compute(store, make_session(store, MAIN, samples=SAMPLES), classify=fake_classify)


def test_format_table(main, store):
    text = format_table(main)
    assert "Viewers" in text and "60.0%" in text  # effective ratio
    assert "$55.50" in text
    assert "SKU-1" in text
    assert "Weakest step: Clicked 60.0%" in text
    assert "The picture froze 1 time, 6 s in all" in text
    set_language("de_DE")  # no German catalog: English words, German numbers
    empty = compute(store, make_session(store, []), classify=fake_classify)
    empty_text = format_table(empty)
    assert "Effective (stayed >= 3 min)  —" in empty_text  # null shows as a dash, not 0 %
    assert "Products" not in empty_text and "Flags" not in empty_text
    assert "55,50" in format_table(main)


def test_replay_section(store):
    live = make_session(store, [ev(0, "join", v) for v in "abcd"]
                        + paid_order(10, "a", "o1", "S", 1, "9.00"), end=1000)
    replay = make_session(store, [
        ev(0, "join", "x"), ev(950, "leave", "x"),
        ev(10, "join", "y"), ev(909, "leave", "y"),
        ev(20, "join", "z"), ev(120, "leave", "z"),
        *paid_order(50, "z", "r1", "S", 1, "9.00"),
    ], end=86_400, mode="replay", replay_of=live)
    figures = compute(store, replay, classify=fake_classify)
    assert "Completion (>= 90% watched)  33.3%" in format_table(figures)


def test_the_table_in_chinese_names_stages_sources_and_flags_in_chinese(main):
    set_language("zh_CN")
    text = format_table(main)
    assert "流量" in text and "最薄弱环节" in text
    assert "画面冻结 1 次" in text  # the flag, from core's Message
    assert "median" not in text and "Weakest" not in text and "organic" not in text
    # a wide character takes two terminal columns: the figures still line up
    rows = [line for line in text.splitlines() if line.endswith("60.0%")]
    assert rows
