"""`studio demo`: one simulated session written, its id printed."""

from __future__ import annotations

from studio.cli import main
from studio.core.store import Store


def test_demo_prints_the_id_of_a_session_with_events(tmp_path, capsys):
    db = tmp_path / "demo.db"
    argv = ["demo", "--db", str(db), "--seed", "3", "--viewers", "300", "--minutes", "20",
            "--market", "id"]
    assert main(argv) == 0
    session_id = int(capsys.readouterr().out.strip())
    with Store(db) as store:
        session = store.session(session_id)
        assert (session.market, session.mode) == ("ID", "live")
        assert session.ended_at - session.started_at == 20 * 60
        joins = store.events(session_id, ["join"])
        assert len({e.viewer for e in joins}) == 300
        payments = store.events(session_id, ["payment"])
        assert payments and {e.currency for e in payments} == {"IDR"}


def test_demo_can_add_a_replay(tmp_path, capsys):
    db = tmp_path / "demo.db"
    assert main(["demo", "--db", str(db), "--viewers", "200", "--minutes", "10", "--replay"]) == 0
    live_id, replay_id = (int(line) for line in capsys.readouterr().out.split())
    with Store(db) as store:
        assert store.session(replay_id).replay_of == live_id
        assert store.event_count(replay_id) > 0


def test_demo_refuses_bad_input_with_one_line(tmp_path, capsys):
    db = tmp_path / "demo.db"
    assert main(["demo", "--db", str(db), "--viewers", "0"]) == 1
    assert "viewers" in capsys.readouterr().err
    assert main(["demo", "--db", str(db), "--market", "Atlantis"]) == 1
    err = capsys.readouterr().err
    assert "Atlantis" in err and len(err.strip().splitlines()) == 1
