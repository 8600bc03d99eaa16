"""`studio session create`, `studio import` and `studio sessions`, run in-process (spec/cli.md)."""

from __future__ import annotations

import json
import sys

import pytest

from studio.cli import main
from studio.core.store import Store

EVENTS = (
    "ts,kind,viewer,text,order_id,amount,currency\n"
    "2026-11-25T20:00:00,join,u1,,,,\n"
    "2026-11-25T20:00:05,comment,u1,这个多少钱？,,,\n"
    "2026-11-25T20:03:00,payment,u1,,A-1,19.90,usd\n"
)


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "studio.db")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def create_session(capsys, db: str, *extra: str) -> str:
    code, out, _ = run(capsys, "session", "create", "--db", db, "--market", "US",
                       "--title", "Black Friday", *extra)
    assert code == 0
    return out.strip()


def test_create_import_list(capsys, db, tmp_path):
    sid = create_session(capsys, db, "--platform", "tiktok", "--start", "2026-11-25T20:00")
    assert sid == "1"
    path = tmp_path / "events.csv"
    path.write_bytes(EVENTS.encode("utf-16"))
    code, out, err = run(capsys, "import", str(path), "--db", db, "--session", sid)
    assert code == 0
    assert out == "events.csv: 3 events read (generic, utf-16), 3 added, 0 already there\n"
    assert "America/New_York" in err and "note:" in err  # times without offset: say which zone
    code, out, _ = run(capsys, "sessions", "--db", db)
    assert code == 0
    assert "Black Friday" in out and "tiktok" in out and "2026-11-26 01:00 UTC" in out
    assert out.splitlines()[1].split()[:2] == ["1", "US"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "gb18030"])
def test_every_encoding_through_the_command_line_and_reimport_is_a_no_op(
    capsys, db, tmp_path, encoding
):
    sid = create_session(capsys, db)
    path = tmp_path / "events.csv"
    path.write_bytes(EVENTS.encode(encoding))
    assert run(capsys, "import", str(path), "--db", db, "--session", sid)[0] == 0
    code, out, _ = run(capsys, "import", str(path), "--db", db, "--session", sid)
    assert code == 0 and "0 added, 3 already there" in out


def test_import_json_report(capsys, db, tmp_path):
    sid = create_session(capsys, db)
    path = tmp_path / "events.jsonl"
    path.write_text('{"ts": "2026-11-25T20:00:00Z", "kind": "like", "viewer": "a", "room": 1}\n')
    code, out, _ = run(capsys, "import", str(path), "--db", db, "--session", sid, "--json")
    assert code == 0
    report = json.loads(out)
    assert report["added"] == 1 and report["unknown_columns"] == ["room"]
    assert report["assumed_tz"] is None and report["format"] == "generic"


def test_sessions_json_counts_events(capsys, db, tmp_path):
    sid = create_session(capsys, db)
    path = tmp_path / "events.csv"
    path.write_text(EVENTS)
    run(capsys, "import", str(path), "--db", db, "--session", sid)
    code, out, _ = run(capsys, "sessions", "--db", db, "--json")
    assert code == 0
    (session,) = json.loads(out)
    assert (session["id"], session["market"], session["events"]) == (1, "US", 3)


def test_no_sessions_yet(capsys, db):
    Store(db).close()  # a database the window made, say
    assert run(capsys, "sessions", "--db", db)[1] == "no sessions yet\n"


def test_the_database_option_may_come_before_the_verb(capsys, db, tmp_path):
    sid = create_session(capsys, db)
    path = tmp_path / "events.csv"
    path.write_text(EVENTS)
    assert run(capsys, "--db", db, "import", str(path), "--session", sid)[0] == 0
    assert json.loads(run(capsys, "--db", db, "sessions", "--json")[1])[0]["events"] == 3


@pytest.mark.parametrize("terminal", [False, True])
def test_a_long_import_with_progress(capsys, monkeypatch, db, tmp_path, terminal):
    sid = create_session(capsys, db)
    path = tmp_path / "big.csv"
    path.write_text("ts,kind,viewer\n" + "".join(f"{1795636800 + i % 3600},like,v{i % 500}\n"
                                                 for i in range(30_000)))
    monkeypatch.setattr(sys.stderr, "isatty", lambda: terminal)
    code, out, err = run(capsys, "import", str(path), "--db", db, "--session", sid)
    assert code == 0 and "30000 events read" in out
    # The bar is drawn on a terminal only, never into a pipe or a log.
    assert ("big.csv:" in err) is terminal


def test_a_platform_export_with_a_user_mapping_folder(capsys, db, tmp_path):
    sid = create_session(capsys, db)
    folder = tmp_path / "mappings"
    folder.mkdir()
    (folder / "relay.toml").write_text(
        'name = "relay"\ndetect = ["When", "Nick", "Said"]\n'
        '[[events]]\nkind = "comment"\n'
        '[events.columns]\nts = "When"\nviewer = "Nick"\ntext = "Said"\n'
    )
    path = tmp_path / "chat.csv"
    path.write_text("When,Nick,Said\n2026-11-25T20:00:00Z,amy,hi\n")
    code, out, _ = run(capsys, "import", str(path), "--db", db, "--session", sid,
                       "--mapping-dir", str(folder))
    assert code == 0 and "(relay, utf-8)" in out
    code, _, err = run(capsys, "import", str(path), "--db", db, "--session", sid)
    assert code == 1 and "neither the generic event format" in err


# -- exit code 1: bad input, one line, no traceback -------------------------------------------


def one_line_error(capsys, *argv: str) -> str:
    code, out, err = run(capsys, *argv)
    assert code == 1
    assert out == ""
    assert err.startswith("studio: ") and err.endswith("\n") and err.count("\n") == 1
    return err


def test_a_bad_value_names_file_line_and_column(capsys, db, tmp_path):
    sid = create_session(capsys, db)
    path = tmp_path / "events.csv"
    path.write_text("ts,kind,viewer,order_id,amount,currency\n"
                    "2026-11-25T20:00:00Z,payment,u1,A-1,\"12,5O\",USD\n")
    err = one_line_error(capsys, "import", str(path), "--db", db, "--session", sid)
    assert err == 'studio: events.csv:2: amount "12,5O" is not a number\n'
    assert json.loads(run(capsys, "sessions", "--db", db, "--json")[1])[0]["events"] == 0


def _bad_rows(tmp_path, count: int):
    path = tmp_path / "events.csv"
    path.write_text("ts,kind,viewer,qty\n" + "".join(
        f"1795636800,add_to_cart,v{n},{n}x\n" for n in range(count)))
    return path


def test_every_problem_is_listed_up_to_twenty_one_line_each(capsys, db, tmp_path):
    sid = create_session(capsys, db)
    path = _bad_rows(tmp_path, 25)
    code, out, err = run(capsys, "import", str(path), "--db", db, "--session", sid)
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert lines[:2] == ['studio: events.csv:2: qty "0x" is not a whole number',
                         'studio: events.csv:3: qty "1x" is not a whole number']
    assert lines[19] == 'studio: events.csv:21: qty "19x" is not a whole number'
    assert lines[20:] == ["studio: events.csv: 5 more problems, not listed (only the first 20 "
                          "are)"]


def test_the_json_report_of_a_failed_import_lists_the_problems(capsys, db, tmp_path):
    sid = create_session(capsys, db)
    path = _bad_rows(tmp_path, 3)
    code, out, err = run(capsys, "import", str(path), "--db", db, "--session", sid, "--json")
    assert code == 1
    report = json.loads(out)
    assert report["file"] == str(path) and report["more_problems"] == 0
    assert report["problems"] == [
        {"file": "events.csv", "line": n + 2, "message": f'qty "{n}x" is not a whole number',
         "message_id": "is not a whole number"}
        for n in range(3)
    ]
    assert len(err.splitlines()) == 3


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "is not a text file"),
        (b"ts,kind,viewer\n2026-11-25T20:00:00Z,join", "may be cut short"),
        (b"ts,kind,viewer\n2026-11-25T20:00:00Z,join,\xe4\xbd", "is not valid text"),
        (b"", "is empty"),
    ],
)
def test_bad_files_exit_1(capsys, db, tmp_path, content, expected):
    sid = create_session(capsys, db)
    path = tmp_path / "events.csv"
    path.write_bytes(content)
    assert expected in one_line_error(capsys, "import", str(path), "--db", db, "--session", sid)


def test_a_missing_file_an_unknown_session_and_an_unknown_format(capsys, db, tmp_path):
    sid = create_session(capsys, db)
    path = tmp_path / "events.csv"
    path.write_text(EVENTS)
    assert "nope.csv: no such file" in one_line_error(
        capsys, "import", str(tmp_path / "nope.csv"), "--db", db, "--session", sid)
    assert "session 42 does not exist" in one_line_error(
        capsys, "import", str(path), "--db", db, "--session", "42")
    assert 'unknown format "amazon"' in one_line_error(
        capsys, "import", str(path), "--db", db, "--session", sid, "--format", "amazon")


def test_a_broken_mapping_file_is_a_user_error(capsys, db, tmp_path):
    sid = create_session(capsys, db)
    folder = tmp_path / "mappings"
    folder.mkdir()
    (folder / "mine.toml").write_text("name = [")
    path = tmp_path / "events.csv"
    path.write_text(EVENTS)
    err = one_line_error(capsys, "import", str(path), "--db", db, "--session", sid,
                         "--mapping-dir", str(folder))
    assert "mine.toml: not a readable mapping" in err


def test_bad_session_options_exit_1(capsys, db):
    assert 'market "XX" is not known' in one_line_error(
        capsys, "session", "create", "--db", db, "--market", "XX", "--title", "t")
    assert '--start "tonight"' in one_line_error(
        capsys, "session", "create", "--db", db, "--market", "US", "--title", "t",
        "--start", "tonight")
    assert "ends before it starts" in one_line_error(
        capsys, "session", "create", "--db", db, "--market", "US", "--title", "t",
        "--start", "2026-11-25T20:00", "--end", "2026-11-25T19:00")
    assert "--replay-of" in one_line_error(
        capsys, "session", "create", "--db", db, "--market", "US", "--title", "t",
        "--mode", "replay")


def test_a_file_that_is_not_a_database(capsys, tmp_path):
    db = tmp_path / "notes.db"
    db.write_text("my shopping list\n" * 100)
    err = one_line_error(capsys, "sessions", "--db", str(db))
    assert "cannot be read" in err


def test_a_damaged_database_is_copied_aside_once_however_often_it_is_opened(capsys, tmp_path):
    db = tmp_path / "shows.db"
    db.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 40)
    before = db.read_bytes()
    for _ in range(3):
        assert "A copy was kept at" in one_line_error(capsys, "sessions", "--db", str(db))
    assert db.read_bytes() == before
    assert len(list(tmp_path.glob("shows.db.unreadable-*[0-9]"))) == 1


@pytest.mark.parametrize(("where", "expected"), [
    ("folder", "is a folder; --db takes a database file"),
    ("under-a-file", "is a file, not a folder"),
    ("/dev/null", "cannot be opened as a database"),
])
def test_a_db_path_that_cannot_be_a_database_is_one_line_not_a_traceback(capsys, tmp_path, where,
                                                                         expected):
    if where == "folder":
        path = tmp_path / "shows.db"
        path.mkdir()
    elif where == "under-a-file":
        (tmp_path / "notes.txt").write_text("x")
        path = tmp_path / "notes.txt" / "shows.db"
    else:
        path = where
    assert expected in one_line_error(capsys, "sessions", "--db", str(path))


# -- exit code 2: usage errors ----------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["import", "events.csv", "--db", "x.db"],  # no --session
        ["import", "events.csv", "--session", "one"],
        ["session"],  # no verb
        ["session", "create", "--market", "US"],  # no --title
        ["session", "create", "--market", "US", "--title", "t", "--mode", "rerun"],
        ["sessions", "--bogus"],
        ["frobnicate"],
    ],
)
def test_usage_errors_exit_2(capsys, argv):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    out, err = capsys.readouterr()
    assert "usage:" in err and "Traceback" not in out + err


def test_an_unknown_platform_is_refused_naming_the_known_ones(capsys, db):
    with pytest.raises(SystemExit) as info:
        main(["session", "create", "--db", db, "--market", "US", "--title", "t",
              "--platform", "youtube"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "'youtube'" in err and all(p in err for p in ("tiktok", "shopee", "lazada", "amazon"))
    with pytest.raises(SystemExit):
        main(["session", "create", "--help"])
    assert "tiktok, shopee, lazada, amazon" in capsys.readouterr().out
