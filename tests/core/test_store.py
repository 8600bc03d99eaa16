from __future__ import annotations

import json
import sqlite3
import threading
from decimal import Decimal

import pytest

from studio.core.events import Event
from studio.core.store import (
    SCHEMA_VERSION,
    HealthSample,
    MissingDatabase,
    Store,
    StoreCorrupt,
    StoreError,
    UnknownSession,
    WriterBusy,
    default_db_path,
)


def _join(ts: float, viewer: str, **kw) -> Event:
    return Event(ts=ts, kind="join", viewer=viewer, **kw)


def test_session_round_trip(store):
    sid = store.create_session(
        market="ID",
        title="Promo 11.11",
        platform="shopee",
        account="acme",
        started_at=100.0,
        ended_at=200.0,
    )
    session = store.session(sid)
    assert (session.market, session.platform, session.account, session.mode) == (
        "ID",
        "shopee",
        "acme",
        "live",
    )
    assert [s.id for s in store.sessions()] == [sid]
    store.update_session(sid, ended_at=300.0, script_variant="B")
    assert store.session(sid).ended_at == 300.0
    assert store.session(sid).script_variant == "B"


def test_unknown_session_and_bad_fields(store):
    with pytest.raises(UnknownSession):
        store.session(42)
    with pytest.raises(StoreError, match="replay"):
        store.create_session(market="US", title="r", mode="replay")
    with pytest.raises(StoreError, match="ends before"):
        store.create_session(market="US", title="t", started_at=10, ended_at=5)
    sid = store.create_session(market="US", title="t")
    with pytest.raises(StoreError, match="no field"):
        store.update_session(sid, colour="red")


def test_a_write_is_acknowledged_only_once_committed(tmp_path, store):
    sid = store.create_session(market="US", title="t")
    result = store.add_events(sid, [_join(1.0, "a"), _join(2.0, "b")]).result()
    assert (result.accepted, result.duplicates) == (2, 0)
    # A connection that is not the writer's sees the rows the moment the future resolved.
    other = sqlite3.connect(tmp_path / "studio.db")
    assert other.execute("SELECT count(*) FROM events").fetchone()[0] == 2
    other.close()


def test_events_are_idempotent_by_id_and_content(store):
    sid = store.create_session(market="US", title="t")
    events = [
        _join(1.0, "a", source="ads"),
        Event(
            ts=2.0,
            kind="payment",
            viewer="a",
            order_id="o1",
            amount=Decimal("9.90"),
            currency="USD",
            id="pay-1",
        ),
    ]
    assert store.add_events(sid, events).result().accepted == 2
    again = store.add_events(sid, events).result()
    assert (again.accepted, again.duplicates) == (0, 2)
    stored = store.events(sid)
    assert stored == events  # amounts come back exact, as Decimal


def test_identical_events_in_one_batch_are_two_events(store):
    sid = store.create_session(market="US", title="t")
    hi = Event(ts=5.0, kind="comment", viewer="a", text="hi")
    assert store.add_events(sid, [hi, hi]).result().accepted == 2
    assert store.add_events(sid, [hi, hi]).result().accepted == 0


def test_concurrent_writers_are_coalesced_and_all_land(store):
    sid = store.create_session(market="US", title="t")
    futures = []
    lock = threading.Lock()

    def post(worker: int) -> None:
        for i in range(50):
            future = store.add_events(sid, [_join(float(i), f"w{worker}-{i}")])
            with lock:
                futures.append(future)

    threads = [threading.Thread(target=post, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(f.result().accepted for f in futures) == 200
    assert store.event_count(sid) == 200


def test_one_failing_job_does_not_fail_its_batch(store):
    sid = store.create_session(market="US", title="t")
    gate = threading.Event()
    blocker = store.submit(lambda conn: gate.wait(5))
    good = store.add_events(sid, [_join(1.0, "a")])
    bad = store.add_events(999, [_join(1.0, "b")])  # no such session: foreign key fails
    also_good = store.add_events(sid, [_join(2.0, "c")])
    gate.set()
    blocker.result()
    assert good.result().accepted == 1
    assert also_good.result().accepted == 1
    with pytest.raises(sqlite3.IntegrityError):
        bad.result()
    assert store.event_count(sid) == 2


def test_a_full_queue_pushes_back_instead_of_dropping(tmp_path):
    with Store(tmp_path / "s.db", queue_size=1) as small:
        gate = threading.Event()
        running = threading.Event()
        first = small.submit(lambda conn: (running.set(), gate.wait(5)))
        running.wait(5)
        small.submit(lambda conn: None)  # fills the one place in the queue
        with pytest.raises(WriterBusy):
            small.submit(lambda conn: None, block=False)
        gate.set()
        first.result()


def test_wal_and_foreign_keys(tmp_path, store):
    db = store.reader()
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    with pytest.raises(sqlite3.OperationalError):
        db.execute("INSERT INTO sessions (market, title, created_at) VALUES ('US', 't', 0)")


def test_health_samples_and_markers_view(store):
    sid = store.create_session(market="US", title="t")
    store.add_health_samples(sid, [HealthSample(1.0, 59.9, 60.0, 60, 0, "OK", 1920, 1080)]).result()
    store.add_events(sid, [Event(ts=3.0, kind="marker", label="flash sale")]).result()
    db = store.reader()
    assert db.execute("SELECT fps, status FROM health_samples").fetchone() == (59.9, "OK")
    assert db.execute("SELECT label FROM markers").fetchone() == ("flash sale",)


def test_reopening_keeps_data_and_schema_version(tmp_path):
    with Store(tmp_path / "s.db") as first:
        sid = first.create_session(market="US", title="t")
    with Store(tmp_path / "s.db") as second:
        assert second.session(sid).title == "t"
        assert second.reader().execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_opening_without_create_refuses_a_missing_file_and_makes_nothing(tmp_path):
    path = tmp_path / "typo" / "shows.db"
    with pytest.raises(MissingDatabase, match="no such database file"):
        Store(path, create=False)
    assert not path.parent.exists()
    with Store(path) as made:
        sid = made.create_session(market="US", title="t")
    with Store(path, create=False) as existing:
        assert existing.session(sid).title == "t"


def test_an_unreadable_database_is_kept_aside_and_never_written(tmp_path):
    path = tmp_path / "broken.db"
    garbage = b"SQLite format 3\x00" + bytes(range(256)) * 40
    path.write_bytes(garbage)
    with pytest.raises(StoreCorrupt, match="cannot be read") as caught:
        Store(path)
    assert path.read_bytes() == garbage
    backups = list(tmp_path.glob("broken.db.unreadable-*"))
    assert len(backups) == 1 and backups[0].read_bytes() == garbage
    assert str(backups[0]) in str(caught.value)


def test_a_damaged_page_is_detected_by_quick_check(tmp_path):
    path = tmp_path / "s.db"
    with Store(path) as db:
        sid = db.create_session(market="US", title="t")
        db.add_events(sid, [_join(float(i), f"v{i}", text="x" * 200) for i in range(2000)]).result()
    data = bytearray(path.read_bytes())
    page = 4096
    data[page * 5 : page * 5 + 200] = b"\xff" * 200  # scribble over an interior page
    path.write_bytes(bytes(data))
    with pytest.raises(StoreCorrupt):
        Store(path)


def test_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "future.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer version"):
        Store(path)


def test_default_database_lives_in_the_user_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_db_path().is_relative_to(tmp_path / "data")
    assert default_db_path().name == "studio.db"


def test_every_session_field_round_trips(store):
    live = store.create_session(market="ID", title="Harbolnas 12.12", platform="shopee",
                                account="acme-id", started_at=1_795_636_800.0,
                                ended_at=1_795_644_000.0, script_variant="B")
    replay = store.create_session(market="ID", title="Harbolnas replay", mode="replay",
                                  replay_of=live)
    first, second = store.sessions()
    assert (first.id, first.market, first.platform, first.account, first.title, first.mode,
            first.replay_of, first.started_at, first.ended_at, first.script_variant) == (
        live, "ID", "shopee", "acme-id", "Harbolnas 12.12", "live", None, 1_795_636_800.0,
        1_795_644_000.0, "B")
    assert (second.id, second.mode, second.replay_of, second.platform) == (
        replay, "replay", live, "")
    assert first.created_at > 1_700_000_000 and second.created_at >= first.created_at


def test_every_event_field_and_the_extra_json_round_trip(store):
    sid = store.create_session(market="US", title="t")
    events = [
        Event(ts=1.5, kind="join", viewer="u1", source="influencer", is_new=False,
              extra={"nickname": "小美", "level": 3}),
        Event(ts=2.0, kind="comment", viewer="u1", text="有货吗? 🙂", id="c-1"),
        Event(ts=3.0, kind="add_to_cart", viewer="u1", sku="SKU-12", qty=2),
        Event(ts=4.0, kind="order", viewer="u1", sku="SKU-12", qty=2, order_id="A-77",
              amount=Decimal("25.98"), currency="USD"),
        Event(ts=5.0, kind="payment", viewer="u1", order_id="A-77", amount=Decimal("25.98"),
              currency="USD", id="pay-A-77"),
        Event(ts=6.0, kind="marker", label="segment: shipping Q&A"),
        Event(ts=7.0, kind="health_status", extra={"status": "WARN", "reason": "drops"}),
    ]
    store.add_events(sid, events).result()
    back = store.events(sid)
    assert back == events
    assert [e.extra for e in back] == [e.extra for e in events]  # extra is not compared by ==
    raw = store.reader().execute("SELECT extra FROM events WHERE kind = 'join'").fetchone()[0]
    assert json.loads(raw) == {"level": 3, "nickname": "小美"}


def test_the_indices_the_queries_and_the_keys_rely_on(store):
    db = store.reader()
    indexes = {row[1]: row for row in db.execute("PRAGMA index_list(events)").fetchall()}
    assert indexes["events_key"][2] == 1  # unique: the idempotency key
    columns = [r[2] for r in db.execute("PRAGMA index_info(events_key)").fetchall()]
    assert columns == ["session_id", "key"]
    columns = [r[2] for r in db.execute("PRAGMA index_info(events_kind)").fetchall()]
    assert columns == ["session_id", "kind", "ts", "viewer"]
    for table in ("events", "health_samples", "imports"):
        keys = db.execute(f"PRAGMA foreign_key_list({table})").fetchall()
        assert [(k[2], k[3], k[4]) for k in keys] == [("sessions", "session_id", "id")]


def test_every_write_runs_on_the_one_writer_thread(store):
    seen = []

    def where(conn):
        seen.append(threading.current_thread().name)

    threads = [threading.Thread(target=lambda: store.write(where)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    sid = store.create_session(market="US", title="t")
    store.add_events(sid, [_join(1.0, "a")]).result()
    assert seen == ["studio-db-writer"] * 4


def test_small_writes_waiting_together_share_one_transaction(store, monkeypatch):
    sid = store.create_session(market="US", title="t")
    transactions = []
    plain = Store._transaction

    def counted(conn, fns):
        transactions.append(len(fns))
        return plain(conn, fns)

    monkeypatch.setattr(Store, "_transaction", staticmethod(counted))
    gate = threading.Event()
    blocker = store.submit(lambda conn: gate.wait(5))
    futures = [store.add_events(sid, [_join(float(i), f"v{i}")]) for i in range(40)]
    gate.set()
    blocker.result()
    assert sum(f.result().accepted for f in futures) == 40
    assert transactions == [1, 40]  # the blocker alone, then the 40 waiting writes together


def test_a_database_from_before_any_migration_or_cut_short_is_brought_up_to_date(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)  # version 0, and the first table of the schema only
    conn.execute("CREATE TABLE sessions (id INTEGER PRIMARY KEY, market TEXT NOT NULL, "
                 "platform TEXT NOT NULL DEFAULT '', account TEXT NOT NULL DEFAULT '', "
                 "title TEXT NOT NULL, mode TEXT NOT NULL DEFAULT 'live', replay_of INTEGER "
                 "REFERENCES sessions(id), started_at FLOAT, ended_at FLOAT, script_variant "
                 "TEXT, created_at FLOAT NOT NULL)")
    conn.execute("INSERT INTO sessions (market, title, created_at) VALUES ('US', 'kept', 1)")
    conn.commit()
    conn.close()
    with Store(path) as db:
        assert db.reader().execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert [s.title for s in db.sessions()] == ["kept"]
        db.add_events(1, [_join(1.0, "a")]).result()
        assert db.event_count(1) == 1


def test_a_damaged_database_is_left_byte_for_byte_as_it_was(tmp_path):
    path = tmp_path / "s.db"
    with Store(path) as db:
        sid = db.create_session(market="US", title="t")
        db.add_events(sid, [_join(float(i), f"v{i}", text="x" * 200) for i in range(2000)]).result()
    data = bytearray(path.read_bytes())
    data[4096 * 5 : 4096 * 5 + 200] = b"\xff" * 200
    path.write_bytes(bytes(data))
    for _ in range(2):
        with pytest.raises(StoreCorrupt, match="nothing will be written into it"):
            Store(path)
    assert path.read_bytes() == bytes(data)
    assert not path.with_name("s.db-wal").exists() or not path.with_name("s.db-wal").stat().st_size


def test_a_damaged_database_whose_copy_cannot_be_made_is_still_reported(tmp_path, monkeypatch):
    path = tmp_path / "broken.db"
    path.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 40)

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("studio.core.store.files.shutil.copy2", refuse)
    with pytest.raises(StoreCorrupt, match=r"cannot be read .*No copy could be kept "
                                           r"\(Permission denied\)"):
        Store(path)
