"""`studio metrics ID --db DB [--json]`: every figure of spec/metrics.md, or a table."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

# The hand-made logs live beside the core metrics tests; tests/ is not a package.
sys.path.insert(0, str(Path(__file__).parents[1] / "core"))
from metrics_logs import MAIN, SAMPLES, ev, make_session, paid_order

from studio.cli import main
from studio.core.store import Store

SPEC_KEYS = {
    "viewers", "effective_ratio", "bounce_rate", "new_viewer_ratio", "returning_ratio",
    "avg_dwell_s", "peak_concurrent", "avg_concurrent", "sources", "comment_rate",
    "question_rate", "follow_rate", "comment_mix", "funnel", "gmv", "paid_orders", "payers",
    "aov", "gpm", "top_buyer_share", "products", "retention_curve", "concurrency", "replay",
    "health", "flags", "warnings",
}


@pytest.fixture
def db(tmp_path) -> tuple[Path, int]:
    path = tmp_path / "studio.db"
    with Store(path) as store:
        session_id = make_session(store, MAIN, samples=SAMPLES)
    return path, session_id


def test_json_has_every_key_of_the_spec(db, capsys):
    path, session_id = db
    assert main(["metrics", str(session_id), "--db", str(path), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures.keys() >= SPEC_KEYS
    assert set(figures["funnel"]["rates"]) == {"click", "cart", "order", "pay", "overall"}
    assert {"completion_rate", "conversion"} <= figures["replay"].keys()
    assert {"dropped_frames", "drop_ratio", "freeze_s", "black_s", "low_res_s", "incidents",
            "viewer_loss"} <= figures["health"].keys()
    # Figures that do not depend on the comment classifier, as worked out in test_metrics.py.
    assert figures["viewers"] == 5
    assert figures["effective_ratio"] == 0.6
    assert figures["gmv"] == {"USD": 55.5}
    assert figures["health"]["dropped_frames"] == 3
    assert sum(figures["comment_mix"].values()) == pytest.approx(1, abs=1e-5)


def test_table_without_json(db, capsys):
    path, session_id = db
    assert main(["metrics", str(session_id), "--db", str(path)]) == 0
    out = capsys.readouterr().out
    for label in ("Traffic", "Sources", "Interaction", "Funnel", "Sales", "Retention",
                  "Stream health", "Flags", "Data-quality warnings"):
        assert label in out
    assert "$55.50" in out


def test_table_in_another_language_formats_numbers_for_it(db, capsys):
    path, session_id = db
    assert main(["--lang", "de_DE", "metrics", str(session_id), "--db", str(path)]) == 0
    assert "55,50" in capsys.readouterr().out


def test_unknown_session_is_one_line_on_stderr(db, capsys):
    path, _ = db
    assert main(["metrics", "99", "--db", str(path), "--json"]) == 1
    err = capsys.readouterr().err
    assert "session 99 does not exist" in err and len(err.strip().splitlines()) == 1


def test_missing_database_is_not_created(tmp_path, capsys):
    missing = tmp_path / "nope.db"
    assert main(["metrics", "1", "--db", str(missing)]) == 1
    assert "no such database file" in capsys.readouterr().err
    assert not missing.exists()


def test_a_session_id_must_be_a_number(db):
    path, _ = db
    with pytest.raises(SystemExit) as exit_:
        main(["metrics", "first", "--db", str(path)])
    assert exit_.value.code == 2


# -- what the table says about time, empty sessions and shares ---------------------------------


def test_an_empty_session_says_there_is_nothing_to_measure(tmp_path, capsys):
    path = tmp_path / "studio.db"
    with Store(path) as store:
        session_id = store.create_session(market="US", title="not yet")
    assert main(["metrics", str(session_id), "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert "1970" not in out and " 0 s" not in out
    assert "start  not given" in out
    assert "No events and no stream-health samples yet: there is nothing to measure." in out


def test_times_are_in_market_time_and_utc_and_say_which(db, capsys):
    path, session_id = db
    assert main(["metrics", str(session_id), "--db", str(path)]) == 0
    # T0 is 2025-12-29 09:20 UTC, 04:20 in New York
    assert ("start   2025-12-29 04:20:00 America/New_York (2025-12-29 09:20:00 UTC)"
            in capsys.readouterr().out)


def _sales_line(out: str) -> str:
    return next(line for line in out.splitlines() if "Top 20% buyers' share" in line)


def test_the_top_buyers_share_is_a_share_without_a_currency(db, capsys):
    path, session_id = db
    assert main(["metrics", str(session_id), "--db", str(path)]) == 0
    line = _sales_line(capsys.readouterr().out)
    assert "USD" not in line and "$" not in line and line.rstrip().endswith("%")


def test_with_two_currencies_each_share_says_whose_gmv_it_is(tmp_path, capsys):
    path = tmp_path / "studio.db"
    with Store(path) as store:
        session_id = make_session(store, [
            ev(0, "join", "a"), ev(1, "join", "b"),
            *paid_order(10, "a", "A-1", "SKU-1", 1, "10.00", "USD"),
            *paid_order(20, "b", "B-1", "SKU-1", 1, "9.00", "EUR"),
        ])
    assert main(["metrics", str(session_id), "--db", str(path)]) == 0
    line = _sales_line(capsys.readouterr().out)
    assert "100.0% of USD GMV" in line and "100.0% of EUR GMV" in line


def test_sessions_shows_the_start_metrics_uses(tmp_path, capsys):
    path = tmp_path / "studio.db"
    with Store(path) as store:
        session_id = make_session(store, MAIN, start=None)  # the first event's time stands in
    assert main(["sessions", "--db", str(path)]) == 0
    listed = capsys.readouterr().out.splitlines()[1]
    assert main(["metrics", str(session_id), "--db", str(path)]) == 0
    start = capsys.readouterr().out.splitlines()[1].split("start   ")[1]
    assert re.sub(r"(\d\d:\d\d):\d\d", r"\1", start) in listed  # to the minute
    assert "America/New_York" in listed and " UTC)" in listed
    assert main(["sessions", "--db", str(path), "--json"]) == 0
    (shown,) = json.loads(capsys.readouterr().out)
    assert shown["started_at"] is None and shown["start"] is not None
