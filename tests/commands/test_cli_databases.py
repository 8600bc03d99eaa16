"""Which verbs may make a database: only `session create` and `demo`; every other verb refuses a
missing --db file in one line and leaves nothing behind (a typo must not become a database)."""

from __future__ import annotations

import pytest

from studio.cli import main

READERS = [
    ["import", "events.csv", "--session", "1"],
    ["sessions"],
    ["metrics", "1"],
    ["metrics", "1", "--json"],
    ["serve", "--port", "0"],
    ["screenshot", "live", "--out", "x.png"],
    ["script", "import", "events.csv", "--market", "US"],
    ["script", "list"],
    ["script", "export", "show"],
    ["script", "versions", "show"],
    ["script", "diff", "show"],
    ["script", "restore", "show", "1"],
]


@pytest.mark.parametrize("argv", READERS, ids=lambda argv: " ".join(argv[:2]))
def test_a_missing_database_is_refused_and_not_created(capsys, tmp_path, monkeypatch, argv):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "events.csv").write_text("ts,kind,viewer\n2026-11-25T20:00:00Z,join,a\n")
    missing = tmp_path / "nosuch.db"
    assert main([*argv, "--db", str(missing)]) == 1
    err = capsys.readouterr().err
    assert err == (f"studio: {missing}: no such database file "
                   "(studio session create or studio demo makes one)\n")
    assert not missing.exists() and not (tmp_path / "x.png").exists()


def test_a_missing_folder_is_not_made_either(capsys, tmp_path):
    missing = tmp_path / "typo" / "shows.db"
    assert main(["sessions", "--db", str(missing)]) == 1
    assert "no such database file" in capsys.readouterr().err
    assert not missing.parent.exists()


def test_the_default_database_is_not_made_by_a_reading_verb(capsys):
    from studio.core.store import default_db_path

    assert main(["sessions"]) == 1
    assert f"{default_db_path()}: no such database file" in capsys.readouterr().err
    assert not default_db_path().exists()


@pytest.mark.parametrize("argv", [
    ["session", "create", "--market", "US", "--title", "t"],
    ["demo", "--viewers", "20", "--minutes", "2"],
])
def test_the_creating_verbs_make_a_new_database(capsys, tmp_path, argv):
    new = tmp_path / "new" / "shows.db"
    assert main([*argv, "--db", str(new)]) == 0
    assert capsys.readouterr().out.strip() == "1"
    assert main(["sessions", "--db", str(new)]) == 0
