"""Bad input never crashes nor half-imports; errors name file:line, column and expectation."""

from __future__ import annotations

import json
import random
import zipfile

import pytest
from openpyxl import Workbook

from studio.core.events import MAX_FIELD_CHARS
from studio.core.importers import ImportFailed, import_file

GOOD_ROW = "2026-11-25T20:00:00Z,comment,v1,hello\n"
HEADER = "ts,kind,viewer,text\n"


@pytest.fixture
def session(store):
    return store.create_session(market="US", title="t")


def refused(store, session, path, **kw) -> str:
    """Import `path`, expect ImportFailed, check that nothing was written; return the message."""
    with pytest.raises(ImportFailed) as info:
        import_file(store, session, path, **kw)
    assert store.event_count(session) == 0
    assert store.reader().execute("SELECT count(*) FROM imports").fetchone()[0] == 0
    return str(info.value)


def garbage(size: int, seed: int = 7) -> bytes:
    return random.Random(seed).randbytes(size)


# -- very long lines --------------------------------------------------------------------------


def test_a_10_mb_csv_line_is_refused_naming_its_line(store, session, tmp_path):
    path = tmp_path / "events.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write(HEADER + GOOD_ROW * 3)
        fh.write("2026-11-25T20:00:01Z,comment,v2," + "啊" * (10 << 20) + "\n")
        fh.write(GOOD_ROW)
    assert refused(store, session, path) == (
        f"events.csv:5: is longer than {MAX_FIELD_CHARS} characters"
    )


def test_a_10_mb_line_without_any_newline_is_refused(store, session, tmp_path):
    path = tmp_path / "events.csv"
    path.write_bytes(HEADER.encode() + b"x" * (10 << 20))
    assert refused(store, session, path).startswith("events.csv:2: is longer than")


def test_a_10_mb_json_line_is_refused_naming_its_line(store, session, tmp_path):
    path = tmp_path / "events.jsonl"
    good = json.dumps({"ts": 1795636800, "kind": "like", "viewer": "v"}) + "\n"
    long = json.dumps({"ts": 1, "kind": "comment", "viewer": "v", "text": "x" * (10 << 20)})
    path.write_text(good * 2 + long + "\n" + good)
    assert refused(store, session, path).startswith("events.jsonl:3: is longer than")


def test_a_quoted_multiline_field_cannot_grow_past_the_limit(store, session, tmp_path):
    path = tmp_path / "events.csv"
    lines = ("y" * 1000 + "\n") * 2000  # 2 MB inside one quoted field, no single long line
    path.write_text(HEADER + f'2026-11-25T20:00:00Z,comment,v,"{lines}"\n')
    assert "events.csv:" in refused(store, session, path)


# -- not text, not this format ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["events.csv", "events.jsonl", "events.xlsx", "events.txt"])
def test_binary_garbage(store, session, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(garbage(200_000))
    message = refused(store, session, path)
    assert message.startswith(name)
    assert "Traceback" not in message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is not a text file"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n\x00\x00", "is not a text file"),
        (b"<!doctype html><html><body>Login</body></html>\n", "neither the generic event format"),
        (b"", "is empty"),
        (b"\n\n\n", "is empty"),
        (b"ts,kind,viewer\n", "holds no events"),
        (b"time,type,user\n1,join,a\n", "neither the generic event format"),
    ],
)
def test_files_that_are_not_event_csv(store, session, tmp_path, content, expected):
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    assert expected in refused(store, session, path)


def test_a_csv_without_a_ts_column_names_it(store, session, tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("time,kind,viewer\n1,join,a\n")
    message = refused(store, session, path, fmt="generic")
    assert message.startswith("events.csv:1: the header has no ts column")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('[{"ts": 1, "kind": "join", "viewer": "a"}]\n', "events.jsonl:1: is a JSON array"),
        ('{"ts": 1, "kind": "join", "viewer": "a"}\n42\n', "events.jsonl:2: is not a JSON object"),
        ('{"ts": 1, "kind": "join", "viewer": "a"}\n{oops}\n', "events.jsonl:2: is not valid JSON"),
        ('{"kind": "join", "viewer": "a"}\n', "events.jsonl:1: the object has no ts"),
        ('{"ts": [1], "kind": "join", "viewer": "a"}\n', 'events.jsonl:1: ts "[1]"'),
        ('{"ts": 1e400, "kind": "join", "viewer": "a"}\n', "events.jsonl:1: ts "),
        ('{"ts": 1795636800000, "kind": "join", "viewer": "a"}\n', "not milliseconds"),
        ('{"ts": 1, "kind": "add_to_cart", "viewer": "a", "sku": "s", "qty": 1e30}\n',
         "events.jsonl:1: qty"),
        ('{"ts": 1, "kind": "comment", "viewer": "a", "text": "\\udc00"}\n',
         "events.jsonl:1: text "),
        ('{"ts": 1, "kind": "join", "viewer": "a", "note": {"x": "\\ud800"}}\n',
         "events.jsonl:1: note "),
        ("", "is empty"),
    ],
)
def test_bad_json_lines(store, session, tmp_path, content, expected):
    path = tmp_path / "events.jsonl"
    path.write_text(content, encoding="utf-8")
    assert expected in refused(store, session, path)


def test_a_nul_byte_past_the_sampled_head_does_not_crash(store, session, tmp_path):
    # The detector only sees the first 64 KiB; Python's csv (3.11+) reads NUL as a character.
    path = tmp_path / "events.csv"
    path.write_bytes((HEADER + GOOD_ROW * 3000).encode() + b"2026-11-25T20:00:00Z,like,a\x00b,\n")
    assert import_file(store, session, path).added == 3001


# -- cut short --------------------------------------------------------------------------------


def test_a_csv_cut_in_the_middle_of_a_row(store, session, tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(HEADER + GOOD_ROW * 3 + "2026-11-25T20:00:00Z,comm")
    assert refused(store, session, path) == (
        "events.csv:5: has 2 fields where the header has 4 (the file may be cut short)"
    )


def test_a_csv_cut_inside_a_quoted_comment(store, session, tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(HEADER + GOOD_ROW + '2026-11-25T20:00:00Z,comment,v1,"she said ""hi')
    assert refused(store, session, path).startswith("events.csv:3: is not valid CSV")


def test_a_jsonl_file_cut_short(store, session, tmp_path):
    path = tmp_path / "events.jsonl"
    path.write_text('{"ts": 1, "kind": "like", "viewer": "a"}\n{"ts": 2, "kind": "li')
    assert refused(store, session, path) == (
        "events.jsonl:2: is not valid JSON (Unterminated string starting at) "
        "(the file may be cut short)"
    )


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_utf8_cut_inside_a_multibyte_character(store, session, tmp_path, suffix):
    if suffix == ".csv":
        text = HEADER + GOOD_ROW + "2026-11-25T20:00:00Z,comment,v1,好看吗"
    else:
        text = '{"ts": 1, "kind": "comment", "viewer": "v1", "text": "好看吗"}'
    data = text.encode("utf-8")[:-1 if suffix == ".csv" else -4]  # half of the last character
    path = tmp_path / f"events{suffix}"
    path.write_bytes(data)
    message = refused(store, session, path)
    assert message.startswith(f"events{suffix}:"), message
    if suffix == ".csv":
        assert message.startswith('events.csv:3: text "好看')
        assert "is not valid text" in message


def test_utf16_cut_to_an_odd_number_of_bytes(store, session, tmp_path):
    path = tmp_path / "events.csv"
    text = HEADER + GOOD_ROW * 2 + "2026-11-25T20:00:00Z,comment,v1,好"
    path.write_bytes(text.encode("utf-16")[:-1])
    assert refused(store, session, path).startswith("events.csv:")


def test_an_xlsx_cut_short(store, session, tmp_path):
    path = tmp_path / "events.xlsx"
    book = Workbook()
    book.active.append(["ts", "kind", "viewer"])
    for i in range(100):
        book.active.append([f"2026-11-25T20:00:{i % 60:02d}Z", "like", f"v{i}"])
    book.save(path)
    path.write_bytes(path.read_bytes()[:-300])
    assert refused(store, session, path).startswith("events.xlsx: is not a readable .xlsx")


def test_an_xlsx_with_a_damaged_sheet_names_the_row(store, session, tmp_path):
    good, path = tmp_path / "good.xlsx", tmp_path / "events.xlsx"
    book = Workbook()
    book.active.append(["ts", "kind", "viewer"])
    for i in range(200):
        book.active.append([1795636800 + i, "like", f"v{i}"])
    book.save(good)
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            dst.writestr(item, data)
    message = refused(store, session, path)
    assert message.startswith("events.xlsx:") and "is not a readable .xlsx workbook" in message


def test_a_csv_renamed_to_xlsx(store, session, tmp_path):
    path = tmp_path / "events.xlsx"
    path.write_text(HEADER + GOOD_ROW)
    assert "is not a readable .xlsx workbook" in refused(store, session, path)


# -- wrong encodings --------------------------------------------------------------------------


def test_a_windows_1252_line_far_into_a_utf8_file_names_line_and_column(store, session, tmp_path):
    # Past the 64 KiB the detector samples, and not on an 8 KiB decoding boundary.
    path = tmp_path / "events.csv"
    path.write_bytes(
        (HEADER + GOOD_ROW * 2500).encode("utf-8")
        + "2026-11-25T20:00:00Z,comment,v9,café crème\n".encode("cp1252")
        + (GOOD_ROW * 10).encode("utf-8")
    )
    message = refused(store, session, path)
    assert message.startswith('events.csv:2502: text "caf')
    assert "is not valid text" in message


def test_a_file_in_an_encoding_the_importer_does_not_read(store, session, tmp_path):
    path = tmp_path / "events.csv"
    path.write_bytes((HEADER + "2026-11-25T20:00:00Z,comment,v1,Grüße ÿ\n").encode("cp1252"))
    assert "is not text in UTF-8, UTF-16 or GB18030" in refused(store, session, path)


@pytest.mark.parametrize(("text", "encoding", "hint"), [
    # Each of these bytes is valid GB18030 as well: without the plausibility check they were
    # stored as nonsense Chinese (Japanese Excel saves CSV as Shift-JIS, Western Excel as 1252).
    ("こんにちは、在庫ありますか？Mサイズ", "cp932", "Shift-JIS"),
    ("Grüße aus München, Frau Müller", "cp1252", "Windows-1252"),
    ("¿Tienen talla M? Envío a España", "cp1252", "Windows-1252"),
])
def test_text_that_only_happens_to_decode_as_gb18030_is_refused(store, session, tmp_path, text,
                                                                encoding, hint):
    data = (HEADER + f"2026-11-25T20:00:00Z,comment,v1,{text}\n").encode(encoding)
    data.decode("gb18030")  # the trap: it decodes
    path = tmp_path / "events.csv"
    path.write_bytes(data)
    message = refused(store, session, path)
    assert "is not text in UTF-8, UTF-16 or GB18030" in message
    assert hint in message and "save it as CSV UTF-8" in message


@pytest.mark.parametrize("text", [
    "这个颜色有货吗？M码还有吗",
    "这件衣服們还有吗",  # a character from GBK's extension among common ones
    "小美 ❤ 下单了 😀",  # four-byte sequences
])
def test_chinese_gb18030_is_still_read(store, session, tmp_path, text):
    path = tmp_path / "events.csv"
    path.write_bytes((HEADER + f"2026-11-25T20:00:00Z,comment,v1,{text}\n").encode("gb18030"))
    assert import_file(store, session, path).encoding == "gb18030"
    assert [e.text for e in store.events(session)] == [text]


def test_traditional_chinese_in_gbk_is_refused_with_advice(store, session, tmp_path):
    # Traditional characters lie in GBK's extension, like Shift-JIS and Windows-1252 bytes
    # read as GB18030: refused (docs/importing.md says so), never stored as the wrong text.
    path = tmp_path / "events.csv"
    row = "2026-11-25T20:00:00Z,comment,v1,們這個顏色還有貨嗎\n"
    path.write_bytes((HEADER + row).encode("gbk"))
    assert "save it as CSV UTF-8" in refused(store, session, path)


def test_a_gb18030_file_with_a_broken_character_names_the_line(store, session, tmp_path):
    good = "2026-11-25T20:00:00Z,comment,买家,多少钱\n".encode("gb18030")
    path = tmp_path / "events.csv"
    path.write_bytes(HEADER.encode() + good * 3000 + b"2026-11-25T20:00:00Z,comment,v,\x81\x20\n")
    message = refused(store, session, path)
    assert message.startswith('events.csv:3002: text "')


# -- spreadsheet formulas ---------------------------------------------------------------------


def test_a_formula_in_a_csv_is_kept_as_the_text_it_is(store, session, tmp_path):
    path = tmp_path / "events.csv"
    formula = '=HYPERLINK("http://example.invalid/win","claim prize")'
    quoted = '"' + formula.replace('"', '""') + '"'
    path.write_text(HEADER + f"2026-11-25T20:00:00Z,comment,v1,{quoted}\n")
    import_file(store, session, path)
    assert store.events(session)[0].text == formula  # stored as written, never evaluated


def test_a_formula_where_a_number_belongs_is_refused(store, session, tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(
        "ts,kind,viewer,order_id,amount,currency\n"
        "2026-11-25T20:00:00Z,payment,v1,A-1,\"=HYPERLINK(\"\"http://x\"\",\"\"9.99\"\")\",USD\n"
    )
    assert refused(store, session, path).startswith('events.csv:2: amount "=HYPERLINK(')


def test_formula_cells_in_an_xlsx(store, session, tmp_path):
    # openpyxl writes formulas without a cached result, as a file never opened in Excel has:
    # read with data_only, the cell is empty, so a required field is reported missing.
    path = tmp_path / "events.xlsx"
    book = Workbook()
    book.active.append(["ts", "kind", "viewer", "text"])
    book.active.append(["2026-11-25T20:00:00Z", "comment", "v1", "fine"])
    book.active.append(["2026-11-25T20:00:01Z", "comment", "v2",
                        '=HYPERLINK("http://example.invalid","click")'])
    book.save(path)
    assert refused(store, session, path) == (
        "events.xlsx:3: text is missing: required for comment events"
    )


# -- duplicates and odd but valid sequences ---------------------------------------------------


def test_duplicate_ids_in_one_file_keep_the_first_and_count_the_rest(store, session, tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(
        "id,ts,kind,viewer,text\n"
        "c-1,2026-11-25T20:00:00Z,comment,v1,first\n"
        "c-1,2026-11-25T20:00:05Z,comment,v1,second\n"
        "c-2,2026-11-25T20:00:06Z,comment,v2,other\n"
    )
    report = import_file(store, session, path)
    assert (report.rows, report.added, report.duplicates) == (3, 2, 1)
    assert [e.text for e in store.events(session)] == ["first", "other"]


def test_a_leave_before_any_join_and_a_payment_without_an_order(store, session, tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(
        "ts,kind,viewer,order_id,amount,currency\n"
        "2026-11-25T20:00:00Z,leave,v1,,,\n"
        "2026-11-25T20:00:01Z,payment,v2,A-1,5,usd\n"
    )
    assert import_file(store, session, path).added == 2


def test_events_after_the_end_are_kept_and_reported(store, tmp_path):
    sid = store.create_session(market="US", title="t", started_at=1795636800.0,
                               ended_at=1795640400.0)
    path = tmp_path / "events.csv"
    path.write_text("ts,kind,viewer\n1795640401,like,v1\n1795650000,leave,v1\n")
    report = import_file(store, sid, path)
    assert (report.after_end, report.added) == (2, 2)
    assert any("2 after its end" in w for w in map(str, report.warnings))


# -- wrong requests ---------------------------------------------------------------------------


def test_a_missing_file_and_a_folder(store, session, tmp_path):
    assert refused(store, session, tmp_path / "nope.csv") == "nope.csv: no such file"
    assert "no such file" in refused(store, session, tmp_path)


def test_an_unknown_format_lists_the_known_ones(store, session, tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(HEADER + GOOD_ROW)
    message = refused(store, session, path, fmt="amazon")
    assert 'unknown format "amazon"' in message and "tiktok" in message


# -- many problems: the first 20 listed, the rest counted -------------------------------------


@pytest.mark.parametrize(("bad", "last"), [
    (21, "events.csv: 1 more problem, not listed (only the first 20 are)"),
    (30, "events.csv: 10 more problems, not listed (only the first 20 are)"),
])
def test_the_first_twenty_problems_are_listed_and_the_rest_counted(store, session, tmp_path,
                                                                   bad, last):
    path = tmp_path / "events.csv"
    path.write_text(HEADER + "".join(f"2026-11-25T20:00:{n:02d}Z,shout,v{n},hi\n"
                                     for n in range(bad)))
    lines = refused(store, session, path).splitlines()
    assert len(lines) == 21
    assert lines[0].startswith('events.csv:2: kind "shout" is not')
    assert lines[19].startswith('events.csv:21: kind "shout"')
    assert lines[20] == last
