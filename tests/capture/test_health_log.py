"""The monitor's records: health changes as events, samples, and writes that never block."""

from __future__ import annotations

import logging
import threading

import pytest

from studio.capture.health_log import HealthLog, ReconnectAttempt, health_event, reconnect_event
from studio.core.health import (
    Incident,
    IncidentEnded,
    IncidentStarted,
    ResolutionChanged,
    Status,
    StatusChanged,
)
from studio.core.store import HealthSample, Store, WriterBusy

T0 = 1_700_000_000.0
FREEZE = Incident("freeze", "freeze-1700000010000", T0 + 10)
CHANGES = [
    IncidentStarted(FREEZE, detected_at=T0 + 12),
    StatusChanged(T0 + 12, Status.OK, Status.CRIT, ("freeze", "drops")),
    IncidentEnded(Incident("freeze", FREEZE.incident_id, T0 + 10, T0 + 16)),
    ResolutionChanged(T0 + 20, (1920, 1080), (1280, 720)),
]


def sample(i: int) -> HealthSample:
    return HealthSample(ts=T0 + i, fps=30.0, fps_nominal=30.0, received=30 * i, dropped=i,
                        status="OK", width=1280, height=720)


@pytest.fixture
def session(store):
    return store.create_session(market="US", title="health log")


def test_changes_become_events_with_the_shared_kinds_and_extras():
    events = [health_event(c) for c in CHANGES]
    assert [(e.kind, e.ts, dict(e.extra)) for e in events] == [
        ("health_incident_start", T0 + 10,
         {"incident": "freeze", "incident_id": "freeze-1700000010000"}),
        ("health_status", T0 + 12, {"status": "CRIT", "reason": "freeze,drops"}),
        ("health_incident_end", T0 + 16,
         {"incident": "freeze", "incident_id": "freeze-1700000010000"}),
        ("health_resolution", T0 + 20, {"old": "1920x1080", "new": "1280x720"}),
    ]
    assert len({e.id for e in events}) == len(events)
    event = reconnect_event(ReconnectAttempt(T0 + 30, 2, False, "nothing answering"))
    assert (event.kind, dict(event.extra)) == (
        "health_reconnect", {"attempt": 2, "ok": False, "error": "nothing answering"})
    assert dict(reconnect_event(ReconnectAttempt(T0 + 31, 3, True)).extra) == {
        "attempt": 3, "ok": True}
    with pytest.raises(TypeError, match="not a health change"):
        health_event("freeze")  # type: ignore[arg-type]


def test_events_and_samples_land_in_the_session(store, session):
    health_log = HealthLog(store, session)
    health_log.changes(CHANGES)
    health_log.reconnect(ReconnectAttempt(T0 + 30, 1, True))
    for i in range(3):
        health_log.sample(sample(i))
    health_log.flush()
    assert health_log.close() == 0
    kinds = [e.kind for e in store.events(session)]
    assert kinds == ["health_incident_start", "health_status", "health_incident_end",
                     "health_resolution", "health_reconnect"]
    rows = list(store.reader().query(
        "SELECT ts, received, dropped, status FROM health_samples WHERE session_id = ? "
        "ORDER BY ts", [session]))
    assert [(r["ts"], r["received"], r["dropped"]) for r in rows] == [
        (T0, 0, 0), (T0 + 1, 30, 1), (T0 + 2, 60, 2)]


def test_writing_the_same_change_twice_adds_it_once(store, session):
    health_log = HealthLog(store, session)
    health_log.changes(CHANGES)
    health_log.flush()
    health_log.changes(CHANGES)
    health_log.close()
    assert store.event_count(session) == len(CHANGES)


def test_a_busy_writer_keeps_the_records_for_the_next_flush(tmp_path):
    with Store(tmp_path / "busy.db", queue_size=1) as db:
        session = db.create_session(market="US", title="busy")
        gate = threading.Event()
        held = db.submit(lambda conn: gate.wait(10))  # the writer is stuck in this job
        filler = None
        while filler is None:  # ... and the queue behind it is full
            try:
                filler = db.submit(lambda conn: None, block=False)
            except WriterBusy:  # the writer had not taken the first job yet
                threading.Event().wait(0.01)
        health_log = HealthLog(db, session)
        health_log.changes(CHANGES)
        health_log.sample(sample(1))
        health_log.flush()  # must return at once
        assert health_log.backlog == len(CHANGES) + 1
        gate.set()
        held.result(5)
        filler.result(5)
        assert health_log.close() == 0
        assert db.event_count(session) == len(CHANGES)


def test_a_closed_database_keeps_a_bounded_backlog_and_says_so(tmp_path, caplog):
    db = Store(tmp_path / "gone.db")
    session = db.create_session(market="US", title="gone")
    db.close()
    health_log = HealthLog(db, session, max_backlog=5)
    with caplog.at_level(logging.WARNING, logger="studio.capture.health_log"):
        health_log.changes(CHANGES[:2])
        for i in range(6):
            health_log.sample(sample(i))
        health_log.flush()
        assert health_log.backlog == 5 and health_log.lost == 3
        assert health_log.close(timeout=0.1) == 5
    text = caplog.text
    assert "cannot be written" in text and "dropping the oldest" in text
    assert "5 records" in text
    assert len(health_log._events) == 2  # samples go first, the events are kept


def test_refused_records_are_reported(store, caplog):
    health_log = HealthLog(store, session_id=999)  # no such session: the foreign key refuses
    health_log.changes(CHANGES[:1])
    with caplog.at_level(logging.ERROR, logger="studio.capture.health_log"):
        health_log.close()
    assert health_log.failed == 1 and "refused" in caplog.text


def test_max_backlog_must_be_positive(store):
    with pytest.raises(ValueError, match="max_backlog"):
        HealthLog(store, 1, max_backlog=0)
