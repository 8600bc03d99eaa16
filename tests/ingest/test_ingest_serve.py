"""`studio serve` as a process: start-up output, graceful stop, and a SIGKILL mid-stream."""

from __future__ import annotations

import http.client
import signal
import sqlite3
import sys
import threading

import pytest
from ingest_helpers import TOKEN, Serve, call, joins, post_events

from studio.cli import main
from studio.core.store import Store
from studio.ingest import installation_token

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "shows.db"
    with Store(path) as store:
        store.create_session(market="US", title="live")
    return path


def _event_ids(path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {row[0] for row in conn.execute("SELECT event_id FROM events")}


@posix_only
def test_it_prints_url_and_token_and_stops_cleanly_on_sigterm(db):
    server = Serve(db)
    assert server.token_line == f"token {TOKEN}"
    assert post_events(server.port, 1, joins(30)).json() == {"accepted": 30, "duplicates": 0}
    code, _out, err = server.terminate()
    assert code == 0
    assert "stopped: 30 events added, 0 already there" in err
    assert "Traceback" not in err
    assert len(_event_ids(db)) == 30


@posix_only
def test_sigint_stops_it_too(db):
    server = Serve(db)
    server.proc.send_signal(signal.SIGINT)
    _out, err = server.proc.communicate(timeout=30)
    assert server.proc.returncode == 0 and "Traceback" not in err


@posix_only
def test_without_token_it_uses_the_installation_token(db):
    server = Serve(db, token="")
    token = installation_token()  # the same user config folder as the child's
    assert server.token_line == f"token {token}"
    assert call(server.port, "GET", "/v1/openapi.json", token=token).status == 200
    assert server.terminate()[0] == 0


@posix_only
def test_exposing_it_prints_a_warning(db):
    server = Serve(db, "--expose")
    code, _out, err = server.terminate()
    assert code == 0
    assert "warning: the ingest endpoint listens on 0.0.0.0" in err


def test_a_missing_database_is_a_one_line_error(tmp_path, capsys):
    assert main(["serve", "--db", str(tmp_path / "nope.db")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("studio: ") and "no such database file" in err
    assert err.count("\n") == 1


def test_a_bad_token_is_a_one_line_error(db, capsys):
    assert main(["serve", "--db", str(db), "--token", "short"]) == 1
    assert "--token: a token needs at least 16 characters" in capsys.readouterr().err


def test_a_taken_port_is_a_one_line_error(db, capsys):
    with Store(db) as store:
        from studio.ingest import IngestServer

        with IngestServer(store, token=TOKEN) as taken:
            port = taken.port
            assert main(["serve", "--db", str(db), "--port", str(port), "--token", TOKEN]) == 1
    err = capsys.readouterr().err
    assert f"cannot listen on 127.0.0.1 port {port}" in err and "Traceback" not in err


def test_host_and_expose_exclude_each_other(db, capsys):
    with pytest.raises(SystemExit) as caught:
        main(["serve", "--db", str(db), "--host", "127.0.0.1", "--expose"])
    assert caught.value.code == 2


@posix_only
def test_sigkill_during_sustained_posting_loses_no_acknowledged_event(db):
    """Four clients post until the server is killed; every event it acknowledged is on disk."""
    server = Serve(db)
    acknowledged: set[str] = set()
    sent: dict[str, list[dict]] = {}
    lock = threading.Lock()
    enough = threading.Event()

    def client(number: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=20)
        try:
            for batch in range(1000):  # bounded; the kill ends it long before
                events = joins(25, prefix=f"c{number}-b{batch}-")
                with lock:
                    sent[f"{number}-{batch}"] = events
                try:
                    reply = post_events(server.port, 1, events, conn=conn)
                except (OSError, http.client.HTTPException):
                    return  # the server is gone
                if reply.status == 200:
                    with lock:
                        acknowledged.update(e["id"] for e in events)
                        if len(acknowledged) >= 8000:
                            enough.set()
                elif reply.status != 429:
                    raise AssertionError(reply)
        finally:
            conn.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    assert enough.wait(120), "the clients did not get 8000 events acknowledged"
    server.kill()  # SIGKILL: no flush, no clean close
    for t in threads:
        t.join(60)
    assert not any(t.is_alive() for t in threads)

    # After a restart: everything acknowledged is there, and sending every batch again (as a
    # client that never got its answer would) only adds what was lost unacknowledged.
    restarted = Serve(db)
    stored = _event_ids(db)
    assert acknowledged <= stored, f"{len(acknowledged - stored)} acknowledged events lost"
    total = {"accepted": 0, "duplicates": 0}
    for events in sent.values():
        reply = post_events(restarted.port, 1, events).json()
        total = {k: total[k] + reply[k] for k in total}
    assert total["duplicates"] == len(stored)
    assert restarted.terminate()[0] == 0
    assert len(_event_ids(db)) == 25 * len(sent)
