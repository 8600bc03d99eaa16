"""`studio metrics ID --db DB [--json]`: every figure of spec/metrics.md, or a table."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

# The hand-made logs live beside the core metrics tests; tests/ is not a package.
sys.path.insert(0, str(Path(__file__).parents[1] / "core"))
from metrics_logs import MAIN, SAMPLES, make_session

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
