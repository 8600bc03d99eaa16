"""The endpoint in-process: routes, answers, idempotency, back-pressure, timeouts, clean stop."""

from __future__ import annotations

import json
import socket
import sqlite3
import threading
from pathlib import Path

import pytest
from ingest_helpers import T0, TOKEN, call, joins, post_events

from studio.core.importers import import_file
from studio.core.store import Store
from studio.ingest import IngestError, IngestServer, installation_token


@pytest.fixture
def session(store):
    return store.create_session(market="US", title="live show")


@pytest.fixture
def server(store, session):
    with IngestServer(store, token=TOKEN) as running:
        yield running


def test_health_needs_no_token_and_names_the_version(server):
    reply = call(server.port, "GET", "/v1/health", token=None)
    assert reply.status == 200
    assert reply.json() == {"status": "ok", "version": "0.1.0"}


def test_it_listens_on_loopback_only_by_default(server):
    assert server.host == "127.0.0.1" and not server.exposed
    assert server.url == f"http://127.0.0.1:{server.port}"


@pytest.mark.parametrize("token", [None, "", "wrong-token-0123456789", TOKEN + "x"])
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/v1/sessions/1/events"),
        ("GET", "/v1/sessions/1/metrics"),
        ("GET", "/v1/openapi.json"),
        ("GET", "/v1/elsewhere"),
    ],
)
def test_every_route_but_health_needs_the_token(server, store, session, method, path, token):
    headers = {"Authorization": token} if token == "" else None
    reply = call(server.port, method, path, json.dumps(joins(3)), token=token, headers=headers)
    assert reply.status == 401
    assert reply.headers["www-authenticate"].startswith("Bearer")
    assert "Authorization: Bearer <token>" in reply.json()["error"]
    assert store.event_count(session) == 0


def test_the_scheme_is_case_insensitive(server):
    reply = call(server.port, "GET", "/v1/openapi.json", token=None,
                 headers={"Authorization": f"bearer {TOKEN}"})
    assert reply.status == 200


def test_the_installation_token_is_the_default(store, session):
    with IngestServer(store) as server:
        assert server.token == installation_token()
        assert call(server.port, "GET", "/v1/openapi.json", token=server.token).status == 200


def test_posted_events_are_committed_before_the_answer(server, store, session):
    reply = post_events(server.port, session, joins(25))
    assert reply.status == 200
    assert reply.json() == {"accepted": 25, "duplicates": 0}
    # A separate connection (as the live view polls by seq) sees them at once.
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("SELECT count(*), max(seq) FROM events").fetchone() == (25, 25)
    assert server.stats().accepted == 25 and server.stats().batches == 1


def test_json_lines_are_taken_too(server, store, session):
    body = "\n".join(json.dumps(e) for e in joins(4)) + "\n"
    reply = post_events(server.port, session, body,
                        headers={"Content-Type": "application/x-ndjson"})
    assert reply.json() == {"accepted": 4, "duplicates": 0}


def test_posting_again_adds_nothing(server, store, session):
    events = joins(10)
    assert post_events(server.port, session, events).json() == {"accepted": 10, "duplicates": 0}
    assert post_events(server.port, session, events[5:] + joins(3, prefix="new")).json() == {
        "accepted": 3,
        "duplicates": 5,
    }
    assert store.event_count(session) == 13


def test_events_without_id_get_the_importers_stable_key(server, store, session, tmp_path):
    lines = [
        json.dumps({"ts": T0 + i, "kind": "comment", "viewer": "u1", "text": "有货吗？"})
        for i in range(5)
    ] + [json.dumps({"ts": T0, "kind": "payment", "viewer": "u1", "order_id": "A-1",
                     "amount": "25.98", "currency": "USD", "coupon": "BF"})]
    assert post_events(server.port, session, "\n".join(lines)).json()["accepted"] == 6
    path: Path = tmp_path / "same.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_file(store, session, path)
    assert (report.added, report.duplicates) == (0, 6)


def test_a_bad_body_writes_nothing_and_says_where(server, store, session):
    events = joins(5)
    events[3]["kind"] = "buy"
    reply = post_events(server.port, session, events)
    assert reply.status == 400
    error = reply.json()
    assert error["error"].startswith('[3].kind: "buy" is not a known kind (join, leave,')
    assert error["problems"] == [error["error"]]
    assert store.event_count(session) == 0
    assert server.stats().rejected == 1


def test_an_unknown_session_is_404(server, store):
    for session_id in ("999", "99999999999999999999999"):
        reply = post_events(server.port, session_id, joins(1))
        assert reply.status == 404
        assert reply.json() == {"error": f"session {session_id} does not exist"}
    assert call(server.port, "GET", "/v1/sessions/999/metrics").status == 404
    assert call(server.port, "GET", "/v1/sessions/abc/metrics").status == 404


def test_a_body_over_the_limit_is_413_unread(store, session):
    with IngestServer(store, token=TOKEN, max_body=10_000) as server:
        big = json.dumps(joins(400))
        assert len(big) > 10_000
        reply = post_events(server.port, session, big)
        assert reply.status == 413
        assert "larger than 10000 bytes" in reply.json()["error"]
        # The same without a Content-Length (chunked): refused while reading.
        reply = call(
            server.port, "POST", f"/v1/sessions/{session}/events",
            iter([big[:6000].encode(), big[6000:].encode()]),  # http.client sends it chunked
        )
        assert reply.status == 413
        assert post_events(server.port, session, joins(5)).status == 200
    assert store.event_count(session) == 5


def _blocked_writer(store: Store) -> threading.Event:
    """Occupy the writer thread until the returned event is set."""
    started, release = threading.Event(), threading.Event()

    def block(conn):
        started.set()
        release.wait(30)

    store.submit(block)
    assert started.wait(30)
    return release


def test_a_full_writer_queue_is_429_never_a_silent_drop(tmp_path):
    with Store(tmp_path / "busy.db", queue_size=1) as store:
        session = store.create_session(market="US", title="busy")
        with IngestServer(store, token=TOKEN) as server:
            release = _blocked_writer(store)
            filler = store.submit(lambda conn: None)  # the queue's one place
            reply = post_events(server.port, session, joins(5))
            assert reply.status == 429
            assert reply.headers["retry-after"] == "1"
            assert "nothing of this body was written" in reply.json()["error"]
            release.set()
            filler.result(timeout=30)
            assert post_events(server.port, session, joins(5)).json()["accepted"] == 5
            assert server.stats().busy == 1
        assert store.event_count(session) == 5


def test_a_commit_not_confirmed_in_time_is_503_and_safe_to_resend(store, session):
    with IngestServer(store, token=TOKEN, commit_timeout=0.2) as server:
        release = _blocked_writer(store)
        reply = post_events(server.port, session, joins(5))
        assert reply.status == 503
        assert "send the same body again" in reply.json()["error"]
        release.set()
        # The write was queued, not cancelled: sending it again finds it there.
        assert post_events(server.port, session, joins(5)).json() == {
            "accepted": 0,
            "duplicates": 5,
        }


def test_metrics_are_the_sessions_figures(server, store, session):
    post_events(server.port, session, joins(20))
    reply = call(server.port, "GET", f"/v1/sessions/{session}/metrics")
    assert reply.status == 200
    figures = reply.json()
    assert figures["session"]["id"] == session
    assert figures["viewers"] == 20 and "funnel" in figures


def test_the_openapi_document_describes_the_running_endpoint(server):
    doc = call(server.port, "GET", "/v1/openapi.json").json()
    assert doc["openapi"].startswith("3.1")
    assert doc["servers"] == [{"url": server.url}]
    assert set(doc["paths"]) == {
        "/v1/health",
        "/v1/sessions/{session_id}/events",
        "/v1/sessions/{session_id}/metrics",
        "/v1/openapi.json",
    }
    assert doc["paths"]["/v1/health"]["get"]["security"] == []


def test_a_wrong_method_is_405_in_json(server, session):
    reply = call(server.port, "DELETE", f"/v1/sessions/{session}/events")
    assert reply.status == 405
    assert reply.json() == {"error": "method not allowed"}
    assert "POST" in reply.headers["allow"]


def _raw(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=20)
    return sock


def _read_all(sock: socket.socket) -> bytes:
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    return data


def test_a_slow_body_gets_408_and_never_holds_up_others(store, session):
    with IngestServer(store, token=TOKEN, body_timeout=0.5) as server, _raw(server.port) as slow:
        slow.sendall(
            f"POST /v1/sessions/{session}/events HTTP/1.1\r\nHost: x\r\n"
            f"Authorization: Bearer {TOKEN}\r\nContent-Length: 1000\r\n\r\n[".encode()
        )
        # While that body is stuck, another client is served.
        assert post_events(server.port, session, joins(3)).json()["accepted"] == 3
        answer = _read_all(slow)  # the server answers, then closes the connection
        assert answer.startswith(b"HTTP/1.1 408")
        assert b"did not arrive within 0.5 s" in answer


def test_a_client_stuck_in_its_headers_is_cut_off(store, session):
    with IngestServer(store, token=TOKEN, idle_timeout=0.5) as server, _raw(server.port) as slow:
        slow.sendall(b"POST /v1/sessions/1/events HTTP/1.1\r\nHost: x\r\n")
        assert post_events(server.port, session, joins(3)).json()["accepted"] == 3
        assert _read_all(slow) == b""  # closed without an answer


def test_keep_alive_connections_are_reused(server, session):
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=20)
    try:
        for batch in range(5):
            reply = post_events(server.port, session, joins(10, prefix=f"b{batch}-"), conn=conn)
            assert reply.json()["accepted"] == 10
    finally:
        conn.close()


def test_a_taken_port_is_a_clear_error_and_leaves_no_thread(server, store):
    other = IngestServer(store, token=TOKEN, port=server.port)
    with pytest.raises(IngestError, match=f"cannot listen on 127.0.0.1 port {server.port}"):
        other.start()
    assert not other.running


def test_stop_closes_idle_connections_and_the_port_can_be_reused(store, session):
    server = IngestServer(store, token=TOKEN)
    server.start()
    port = server.port
    idle = _raw(port)
    assert post_events(port, session, joins(2)).status == 200
    server.stop()
    assert not server.running
    assert _read_all(idle) == b""
    idle.close()
    with IngestServer(store, token=TOKEN, port=port) as again:
        assert call(again.port, "GET", "/v1/health").status == 200


def test_the_token_can_be_replaced_while_running(server):
    new = "replaced-token-0123456789"
    server.token = new
    assert call(server.port, "GET", "/v1/openapi.json").status == 401
    assert call(server.port, "GET", "/v1/openapi.json", token=new).status == 200


def test_concurrent_clients_lose_nothing(server, store, session):
    failures = []

    def client(number: int) -> None:
        for batch in range(10):
            reply = post_events(server.port, session, joins(20, prefix=f"c{number}b{batch}-"))
            if reply.status != 200 or reply.json()["accepted"] != 20:
                failures.append(reply)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures
    assert store.event_count(session) == 4 * 10 * 20
