"""Importing the generic format: encodings, time zones, stable keys, one transaction, progress."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook

from studio.core.events import Event
from studio.core.importers import ImportFailed, import_file
from studio.core.importers.encoding import NotText, detect_encoding
from studio.core.importers.parse import BATCH_ROWS
from studio.core.importers.readers import PROGRESS_EVERY

HEADER = "ts,kind,viewer,source,text,sku,qty,order_id,amount,currency\n"
# A real-looking generic export: Chinese, Indonesian and Arabic comments, an order and its payment.
ROWS = (
    "2026-11-25T20:00:00+08:00,join,u_1001,search,,,,,,\n"
    "2026-11-25T20:00:05+08:00,comment,u_1001,,这个颜色有货吗？,,,,,\n"
    '2026-11-25T20:00:09+08:00,comment,u_1002,,"Ada ukuran XL, kak?",,,,,\n'
    "2026-11-25T20:00:12+08:00,comment,u_1003,,كم السعر؟,,,,,\n"
    "2026-11-25T20:01:00+08:00,add_to_cart,u_1001,,,SKU-12,2,,,\n"
    "2026-11-25T20:01:30+08:00,order,u_1001,,,SKU-12,2,A-77,,\n"
    "2026-11-25T20:02:00+08:00,payment,u_1001,,,,,A-77,25.98,USD\n"
)
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "gb18030")


def utc(*args: int) -> float:
    return datetime(*args, tzinfo=UTC).timestamp()


@pytest.fixture
def session(store):
    return store.create_session(market="US", title="Black Friday warm-up")


def imported_rows(store) -> int:
    return store.reader().execute("SELECT count(*) FROM imports").fetchone()[0]


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_every_listed_encoding_imports_the_same_events(store, session, tmp_path, encoding):
    path = tmp_path / "events.csv"
    path.write_bytes((HEADER + ROWS).encode(encoding))
    report = import_file(store, session, path)
    assert (report.rows, report.added, report.format) == (7, 7, "generic")
    texts = [e.text for e in store.events(session, ["comment"])]
    assert texts == ["这个颜色有货吗？", "Ada ukuran XL, kak?", "كم السعر؟"]
    payment = store.events(session, ["payment"])[0]
    assert (payment.amount, payment.currency) == (Decimal("25.98"), "USD")


@pytest.mark.parametrize(
    ("encoding", "detected"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16"),
        ("utf-16-le", "utf-16-le"),
        ("utf-16-be", "utf-16-be"),
        ("gb18030", "gb18030"),
    ],
)
def test_the_report_names_the_detected_encoding(store, session, tmp_path, encoding, detected):
    path = tmp_path / "events.csv"
    path.write_bytes((HEADER + ROWS).encode(encoding))
    assert import_file(store, session, path).encoding == detected


def test_gb18030_with_chinese_comment_text_is_not_mistaken(store, session, tmp_path):
    # Chinese Excel's default: a GB18030 export whose comments are all Chinese.
    text = "ts,kind,viewer,text\n" + "".join(
        f"2026-11-25T20:00:{i:02d}+08:00,comment,买家{i},这件衣服还有{i}号吗？包邮吗\n"
        for i in range(30)
    )
    path = tmp_path / "导出.csv"
    path.write_bytes(text.encode("gb18030"))
    report = import_file(store, session, path)
    assert report.encoding == "gb18030" and report.added == 30
    assert store.events(session)[3].text == "这件衣服还有3号吗？包邮吗"
    assert store.events(session)[3].viewer == "买家3"


def test_gb18030_whose_first_chinese_text_comes_late(store, session, tmp_path):
    path = tmp_path / "comments.csv"
    path.write_bytes(
        (
            "ts,kind,viewer,text\n"
            + "2026-11-25T20:00:00Z,comment,v1,hello there\n" * 2000
            + "2026-11-25T20:00:01Z,comment,买家,包邮吗\n"
        ).encode("gb18030")
    )
    assert import_file(store, session, path).added == 2001


def test_detect_encoding_rules():
    assert detect_encoding("ts,kind\n".encode("utf-16-le")) == "utf-16-le"
    assert detect_encoding("评论".encode("gb18030")) == "gb18030"
    assert detect_encoding(b"plain ascii") == "utf-8"
    with pytest.raises(NotText):
        detect_encoding(bytes(range(256)))
    with pytest.raises(NotText):
        detect_encoding(b"ts,kind\n\xff\xff,join\n")  # neither UTF-8 nor GB18030


def test_semicolon_and_tab_separated_files(store, session, tmp_path):
    for name, sep in (("semi.csv", ";"), ("tabs.tsv", "\t")):
        path = tmp_path / name
        path.write_text(f"ts{sep}kind{sep}viewer\n1795636800{sep}join{sep}v-{name}\n")
        assert import_file(store, session, path).added == 1


# -- time zones -------------------------------------------------------------------------------


def test_naive_times_use_the_market_zone_and_the_report_says_so(store, tmp_path):
    jakarta = store.create_session(market="ID", title="Harbolnas")
    path = tmp_path / "naive.csv"
    path.write_text("ts,kind,viewer\n2026-11-25T20:00:00,join,a\n2026-11-25T20:00:00Z,join,b\n")
    report = import_file(store, jakarta, path)
    assert report.naive_ts_rows == 1
    assert report.assumed_tz == "Asia/Jakarta"
    assert any("Asia/Jakarta" in w and "market ID" in w for w in map(str, report.warnings))
    by_viewer = {e.viewer: e.ts for e in store.events(jakarta)}
    assert by_viewer == {"a": utc(2026, 11, 25, 13), "b": utc(2026, 11, 25, 20)}
    stored = store.reader().execute("SELECT assumed_tz FROM imports").fetchone()[0]
    assert stored == "Asia/Jakarta"


def test_times_with_offsets_need_no_assumption(store, session, tmp_path):
    path = tmp_path / "offset.csv"
    path.write_text("ts,kind,viewer\n2026-11-25T20:00:00-05:00,join,a\n1795654800,join,b\n")
    report = import_file(store, session, path)
    assert (report.naive_ts_rows, report.assumed_tz) == (0, None)
    assert not any("offset" in w for w in map(str, report.warnings))
    assert [e.ts for e in store.events(session)] == [utc(2026, 11, 26, 1)] * 2


# -- stable keys ------------------------------------------------------------------------------


def test_reimporting_a_file_adds_nothing(store, session, tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(HEADER + ROWS)
    first = import_file(store, session, path)
    again = import_file(store, session, path)
    assert (first.added, again.added, again.duplicates) == (7, 0, 7)
    assert store.event_count(session) == 7


def test_the_same_events_in_another_encoding_or_format_add_nothing(store, session, tmp_path):
    csv_path = tmp_path / "events.csv"
    csv_path.write_bytes((HEADER + ROWS).encode("utf-16"))
    import_file(store, session, csv_path)
    jsonl = tmp_path / "events.jsonl"
    jsonl.write_text(
        "".join(json.dumps(e.to_json(), ensure_ascii=False) + "\n" for e in store.events(session)),
        encoding="utf-8",
    )
    assert import_file(store, session, jsonl).added == 0


def test_an_overlapping_export_adds_only_the_new_events(store, session, tmp_path):
    lines = [
        f"2026-11-25T20:{i // 60:02d}:{i % 60:02d}Z,comment,v{i % 7},msg {i}\n" for i in range(100)
    ]
    early, late = tmp_path / "early.csv", tmp_path / "late.csv"
    early.write_text("ts,kind,viewer,text\n" + "".join(lines[:60]))
    late.write_text("ts,kind,viewer,text\n" + "".join(lines[40:]))
    assert import_file(store, session, early).added == 60
    report = import_file(store, session, late)
    assert (report.rows, report.added, report.duplicates) == (60, 40, 20)
    assert store.event_count(session) == 100


def test_identical_rows_are_separate_events_and_reimport_still_adds_nothing(
    store, session, tmp_path
):
    path = tmp_path / "spam.csv"
    path.write_text(
        "ts,kind,viewer,text\n"
        "2026-11-25T20:00:00Z,comment,v1,666\n"
        "2026-11-25T20:00:00Z,comment,v1,666\n"
        "2026-11-25T20:00:00Z,comment,v1,666\n"
        "2026-11-25T20:00:01Z,comment,v1,666\n"
    )
    assert import_file(store, session, path).added == 4
    assert import_file(store, session, path).added == 0
    assert store.event_count(session) == 4


def test_a_longer_export_with_one_more_identical_row_adds_exactly_one(store, session, tmp_path):
    row = "2026-11-25T20:00:00Z,like,v1\n"
    path = tmp_path / "likes.csv"
    path.write_text("ts,kind,viewer\n" + row * 2)
    import_file(store, session, path)
    path.write_text("ts,kind,viewer\n" + row * 3)
    assert import_file(store, session, path).added == 1


def test_events_with_ids_are_keyed_by_id(store, session, tmp_path):
    path = tmp_path / "ids.jsonl"
    path.write_text('{"id": "e1", "ts": 1795636800, "kind": "join", "viewer": "a"}\n')
    import_file(store, session, path)
    # The same id with a corrected time is the same event: the first stays.
    path.write_text('{"id": "e1", "ts": 1795636801, "kind": "join", "viewer": "a"}\n')
    assert import_file(store, session, path).duplicates == 1
    assert [e.ts for e in store.events(session)] == [1795636800.0]


def test_sessions_do_not_share_keys(store, session, tmp_path):
    other = store.create_session(market="US", title="replay night")
    path = tmp_path / "events.csv"
    path.write_text(HEADER + ROWS)
    import_file(store, session, path)
    assert import_file(store, other, path).added == 7


# -- one transaction --------------------------------------------------------------------------


def test_an_error_on_the_last_row_leaves_nothing(store, session, tmp_path):
    count = BATCH_ROWS + 1000  # past the first batch insert: the rollback must undo it
    body = "".join(f"{1795636800 + i},join,v{i}\n" for i in range(count))
    path = tmp_path / "events.csv"
    path.write_text("ts,kind,viewer\n" + body + "1795699999,join,\n")
    with pytest.raises(ImportFailed) as info:
        import_file(store, session, path)
    expected = f"events.csv:{count + 2}: viewer is missing: required for join events"
    assert str(info.value) == expected
    assert store.event_count(session) == 0
    assert imported_rows(store) == 0


def test_problems_are_listed_in_file_order_and_counted(store, session, tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(
        "ts,kind,viewer,qty\n"
        + "".join(f"1795636800,add_to_cart,v,{q}\n" for q in ("x", "", "-2", "y")).replace(
            ",v,\n", ",,\n"
        )
    )
    with pytest.raises(ImportFailed) as info:
        import_file(store, session, path)
    assert str(info.value.problems[0]) == 'events.csv:2: qty "x" is not a whole number'
    assert [p.line for p in info.value.problems] == [2, 3, 4, 5]
    assert str(info.value).splitlines() == [str(p) for p in info.value.problems]  # all shown
    assert store.event_count(session) == 0


def test_a_successful_import_is_recorded(store, session, tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(HEADER + ROWS)
    import_file(store, session, path)
    row = (
        store.reader()
        .execute("SELECT session_id, format, rows, added, duplicates FROM imports")
        .fetchone()
    )
    assert row == (session, "generic", 7, 7, 0)


# -- report -----------------------------------------------------------------------------------


def test_unknown_columns_are_kept_aside_and_reported(store, session, tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("ts,kind,viewer,room,device\n1795636800,join,a,A,ios\n")
    report = import_file(store, session, path)
    assert report.unknown_columns == ("device", "room")
    assert any("device, room" in w for w in map(str, report.warnings))
    assert store.events(session)[0].extra == {"room": "A", "device": "ios"}


def test_a_leave_without_a_join_is_accepted(store, session, tmp_path):
    path = tmp_path / "leave.csv"
    path.write_text("ts,kind,viewer\n1795636800,leave,ghost\n")
    assert import_file(store, session, path).added == 1
    assert store.events(session)[0].kind == "leave"


def test_events_outside_the_session_are_kept_and_reported(store, tmp_path):
    start, end = utc(2026, 11, 25, 20), utc(2026, 11, 25, 22)
    sid = store.create_session(market="US", title="t", started_at=start, ended_at=end)
    path = tmp_path / "events.csv"
    path.write_text(
        "ts,kind,viewer\n"
        "2026-11-25T19:59:00Z,join,early\n"
        "2026-11-25T21:00:00Z,join,during\n"
        "2026-11-25T22:00:01Z,leave,late\n"
        "2026-11-25T23:30:00Z,like,late\n"
    )
    report = import_file(store, sid, path)
    assert (report.before_start, report.after_end, report.added) == (1, 2, 4)
    assert any("1 event before" in w and "2 after" in w for w in map(str, report.warnings))
    assert store.event_count(sid) == 4


def test_report_json_form(store, session, tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(HEADER + ROWS)
    data = import_file(store, session, path).to_json()
    assert data["added"] == 7 and data["format"] == "generic" and data["encoding"] == "utf-8"
    json.dumps(data)


# -- progress ---------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".xlsx"])
def test_progress_is_reported_and_ends_at_the_total(store, session, tmp_path, suffix):
    count = PROGRESS_EVERY * 2 + 100
    path = tmp_path / f"big{suffix}"
    if suffix == ".csv":
        path.write_text(
            "ts,kind,viewer\n" + "".join(f"{1795636800 + i},like,v\n" for i in range(count))
        )
    elif suffix == ".jsonl":
        path.write_text(
            "".join(
                f'{{"ts": {1795636800 + i}, "kind": "like", "viewer": "v"}}\n' for i in range(count)
            )
        )
    else:
        book = Workbook()  # (write-only workbooks leave out the row count progress needs)
        sheet = book.active
        sheet.append(["ts", "kind", "viewer"])
        for i in range(count):
            sheet.append([1795636800 + i, "like", "v"])
        book.save(path)
    calls: list[tuple[int, int]] = []
    import_file(store, session, path, progress=lambda done, total: calls.append((done, total)))
    size = path.stat().st_size
    assert len(calls) >= 3
    assert calls[-1] == (size, size)
    assert all(total == size for _, total in calls)
    dones = [done for done, _ in calls]
    assert dones == sorted(dones) and 0 < dones[0] < size


def test_jsonl_objects_may_differ_in_their_keys(store, session, tmp_path):
    path = tmp_path / "mixed.jsonl"
    lines = [
        {"ts": "2026-11-25T20:00:00Z", "kind": "join", "viewer": "a", "source": "ads"},
        {"kind": "comment", "ts": 1795636801, "viewer": "a", "text": "hi"},
        {"ts": 1795636802, "kind": "marker", "label": "flash sale"},
    ]
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n\n")
    report = import_file(store, session, path)
    assert report.added == 3
    assert [e.kind for e in store.events(session)] == ["join", "comment", "marker"]
    assert store.events(session)[0] == Event(
        ts=utc(2026, 11, 25, 20), kind="join", viewer="a", source="ads"
    )


def test_a_csv_named_file_holding_json_lines_is_sniffed(store, session, tmp_path):
    path = tmp_path / "events.txt"
    path.write_text('{"ts": 1795636800, "kind": "like", "viewer": "a"}\n')
    assert import_file(store, session, path).added == 1


def test_excel_padding_with_empty_trailing_cells_is_accepted(store, session, tmp_path):
    path = tmp_path / "padded.csv"
    path.write_text(
        "ts,kind,viewer\n2026-11-25T20:00:00Z,join,v1,,\n2026-11-25T20:01:00Z,leave,v1,,\n"
    )
    assert import_file(store, session, path).added == 2
    bad = tmp_path / "extra.csv"
    bad.write_text("ts,kind,viewer\n2026-11-25T20:00:00Z,join,v1,surprise\n")
    with pytest.raises(ImportFailed, match="has 4 fields where the header has 3"):
        import_file(store, session, bad)


def test_a_large_file_is_parsed_in_a_child_process_with_the_same_result(store, tmp_path):
    rows = "".join(
        f"2026-11-25T20:{i // 60:02d}:{i % 60:02d}Z,comment,v{i % 7},,hello {i % 3},,,,,\n"
        for i in range(3000)
    )
    path = tmp_path / "events.csv"
    path.write_text(HEADER + rows)
    here = store.create_session(market="US", title="in process")
    there = store.create_session(market="US", title="in a child")
    seen: list[int] = []
    local = import_file(store, here, path)
    child = import_file(
        store, there, path, child_process_bytes=0, progress=lambda done, total: seen.append(done)
    )
    assert (child.rows, child.added, child.format) == (local.rows, local.added, local.format)
    assert store.events(there) == store.events(here)
    assert seen[-1] == path.stat().st_size
    assert import_file(store, there, path, child_process_bytes=0).added == 0


def test_a_child_process_import_fails_whole_with_the_line_named(store, session, tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(HEADER + ROWS * 3 + "2026-11-25T20:00:00Z,payment,v1,,,,,o1,12,5O,USD\n")
    with pytest.raises(ImportFailed, match=r"events.csv:23: has 11 fields"):
        import_file(store, session, path, child_process_bytes=0)
    assert store.event_count(session) == 0
