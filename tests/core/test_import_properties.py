"""Properties of the importer: what goes in comes out, re-imports add nothing, nothing crashes."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from studio.core.events import FIELDS, Event
from studio.core.importers import ImportFailed, import_file

# One store for many examples: each example works in a session of its own.
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TEXT_ALPHABET = st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n\t\r\"',;")
OFFSETS = [UTC, timezone(timedelta(hours=8)), timezone(timedelta(hours=-5)),
           timezone(timedelta(hours=5, minutes=30))]


def words(max_size: int = 24) -> st.SearchStrategy[str]:
    # Values are stored trimmed: generate them trimmed so that what goes in is what comes out.
    return st.text(TEXT_ALPHABET, min_size=1, max_size=max_size).map(str.strip).filter(bool)


@st.composite
def events(draw) -> Event:
    kind = draw(st.sampled_from(("join", "leave", "comment", "follow", "like", "share",
                                 "product_click", "add_to_cart", "order", "payment", "marker")))
    whole_second = draw(st.booleans())
    ts = float(draw(st.integers(1_700_000_000, 1_900_000_000))) + (
        0 if whole_second else draw(st.integers(1, 999)) / 1000
    )
    fields: dict = {"ts": ts, "kind": kind}
    maybe = st.none() | words()
    if kind != "marker":
        fields["viewer"] = draw(words())
    if kind == "join":
        fields["source"] = draw(st.none() | st.sampled_from(("organic", "search", "ads", "other")))
        fields["is_new"] = draw(st.none() | st.booleans())
    if kind == "comment":
        fields["text"] = draw(words(80))
    if kind in ("product_click", "add_to_cart", "order"):
        fields["sku"] = draw(words() if kind != "order" else maybe)
    if kind in ("add_to_cart", "order"):
        fields["qty"] = draw(st.none() | st.integers(1, 10**6))
    if kind in ("order", "payment"):
        fields["order_id"] = draw(words())
        if kind == "payment" or draw(st.booleans()):
            fields["amount"] = draw(st.decimals(-1000, 10**7, places=2))
            fields["currency"] = draw(st.sampled_from(("USD", "IDR", "EUR", "CNY", "SAR")))
    if kind == "marker":
        fields["label"] = draw(words())
    return Event(**fields)


@st.composite
def event_files(draw) -> list[Event]:
    """Events as an export holds them: some repeated verbatim (a viewer spamming '666')."""
    base = draw(st.lists(events(), min_size=1, max_size=25))
    repeats = draw(st.lists(st.sampled_from(base), max_size=5))
    ordered = draw(st.permutations(base + repeats))
    # Ids, when given, are unique: the same id twice is the same event by definition.
    with_ids = draw(st.lists(st.booleans(), min_size=len(ordered), max_size=len(ordered)))
    return [Event(**{**_fields(e), "id": f"evt-{i}"}) if give else e
            for i, (e, give) in enumerate(zip(ordered, with_ids, strict=True))]


def _fields(event: Event) -> dict:
    return {name: getattr(event, name) for name in FIELDS}


def _time_text(ts: float, draw) -> str:
    if ts.is_integer() and draw(st.booleans()):
        zone = draw(st.sampled_from(OFFSETS))
        return datetime.fromtimestamp(ts, UTC).astimezone(zone).isoformat()
    return repr(ts)


def _cell(name: str, value) -> str:
    if value is None:
        return ""
    if name == "is_new":
        return "true" if value else "false"
    return str(value)


@st.composite
def csv_bytes(draw, evs: list[Event]) -> bytes:
    columns = draw(st.permutations(FIELDS))
    out = io.StringIO()
    # csv.writer quotes only the line terminator's characters: with "\n" a bare "\r" in a
    # comment would be written unquoted (a broken file), so that dialect quotes every field.
    lineterminator = draw(st.sampled_from(("\n", "\r\n")))
    quoting = csv.QUOTE_ALL if lineterminator == "\n" else csv.QUOTE_MINIMAL
    writer = csv.writer(out, lineterminator=lineterminator, quoting=quoting)
    writer.writerow(columns)
    for e in evs:
        writer.writerow(_time_text(e.ts, draw) if c == "ts" else _cell(c, getattr(e, c))
                        for c in columns)
    return out.getvalue().encode(draw(st.sampled_from(("utf-8", "utf-8-sig", "utf-16"))))


@st.composite
def jsonl_bytes(draw, evs: list[Event]) -> bytes:
    lines = []
    for e in evs:
        obj = {}
        for name in draw(st.permutations(FIELDS)):
            value = getattr(e, name)
            if name == "ts":
                value = _time_text(value, draw) if draw(st.booleans()) else value
            elif isinstance(value, Decimal):
                value = str(value)  # exact: a JSON number would go through a float
            if value is not None or draw(st.booleans()):
                obj[name] = value
        lines.append(json.dumps(obj, ensure_ascii=draw(st.booleans())))
    return ("\n".join(lines) + "\n").encode(draw(st.sampled_from(("utf-8", "utf-16"))))


@SETTINGS
@given(data=st.data(), evs=event_files())
def test_what_goes_in_comes_out_and_reimports_add_nothing(store, tmp_path, data, evs):
    csv_path, jsonl_path = tmp_path / "events.csv", tmp_path / "events.jsonl"
    csv_path.write_bytes(data.draw(csv_bytes(evs)))
    jsonl_path.write_bytes(data.draw(jsonl_bytes(evs)))
    expected = Counter(evs)
    for first, second in ((csv_path, jsonl_path), (jsonl_path, csv_path)):
        sid = store.create_session(market="US", title="property")
        report = import_file(store, sid, first)
        assert report.rows == len(evs) and report.added == len(expected.keys()) + sum(
            n - 1 for n in expected.values())
        assert Counter(store.events(sid)) == expected
        assert import_file(store, sid, first).added == 0
        assert import_file(store, sid, second).added == 0  # same events, other format


# Common Chinese: GB2312's first level (rows 0xB0-0xD6 are full; 0xD7 ends at 0xF9), what shop
# chat and product names are written in, with ASCII and Chinese punctuation between.
HANZI = st.builds(lambda lead, trail: bytes((lead, trail)).decode("gb2312"),
                  st.integers(0xB0, 0xD6), st.integers(0xA1, 0xFE))
CHINESE = st.text(HANZI | st.sampled_from("，。？！ 0123456789abcXYZ-"), min_size=1,
                  max_size=40).map(str.strip).filter(bool)


@SETTINGS
@given(texts=st.lists(CHINESE, min_size=1, max_size=30), english_rows=st.integers(0, 3))
def test_chinese_gb18030_exports_come_back_exactly(store, tmp_path, texts, english_rows):
    """GB18030 is told from UTF-8 and from the encodings it is refused for, however the
    Chinese text is made up, and also when English rows come first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["ts", "kind", "viewer", "text"])
    rows = [*(["hello"] * english_rows), *texts]
    for i, text in enumerate(rows):
        writer.writerow([1_795_636_800 + i, "comment", f"v{i}", text])
    data = out.getvalue().encode("gb18030")
    # The documented limit: a few characters of GB18030 can be valid UTF-8 too ("隆" is C2 A1,
    # UTF-8's "¡"), and are then read as UTF-8.
    assume(not _is_utf8(data) or data.isascii())
    path = tmp_path / "chat.csv"
    path.write_bytes(data)
    sid = store.create_session(market="US", title="gb18030")
    report = import_file(store, sid, path)
    assert report.encoding == ("utf-8" if data.isascii() else "gb18030")
    assert [e.text for e in store.events(sid)] == rows


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# -- nothing but ImportFailed -----------------------------------------------------------------

SUFFIXES = st.sampled_from((".csv", ".jsonl", ".xlsx", ".txt", ".tsv"))
ENCODINGS = st.sampled_from(("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "gb18030"))
HEADERS = st.sampled_from(("", "ts,kind,viewer,text\n", "ts;kind;viewer;amount;currency\n",
                           "Order ID,Order Status,Seller SKU,Created Time,Buyer Username\n"))


def import_or_refuse(store, path) -> None:
    """Import; a refusal must be an ImportFailed that wrote nothing; a success is idempotent."""
    sid = store.create_session(market="ID", title="fuzz")
    try:
        report = import_file(store, sid, path)
    except ImportFailed as exc:
        assert str(exc).startswith(path.name)
        assert store.event_count(sid) == 0
        return
    assert store.event_count(sid) == report.added
    assert import_file(store, sid, path).added == 0


@SETTINGS
@given(content=st.binary(max_size=4000), suffix=SUFFIXES)
def test_arbitrary_bytes_are_imported_or_refused(store, tmp_path, content, suffix):
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(content)
    import_or_refuse(store, path)


@SETTINGS
@given(header=HEADERS, body=st.text(max_size=2000), encoding=ENCODINGS, suffix=SUFFIXES)
def test_arbitrary_text_is_imported_or_refused(store, tmp_path, header, body, encoding, suffix):
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes((header + body).encode(encoding, errors="surrogatepass"))
    import_or_refuse(store, path)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
    | st.sampled_from(("2026-11-25T20:00:00", "join", "comment", "payment", "12,5O", "USD")),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                 max_size=3),
    max_leaves=6,
)


@SETTINGS
@given(objects=st.lists(
    st.dictionaries(st.sampled_from((*FIELDS, "extra_note")), JSON_VALUES, max_size=8),
    min_size=1, max_size=5,
))
def test_arbitrary_json_values_are_imported_or_refused(store, tmp_path, objects):
    path = tmp_path / "fuzz.jsonl"
    path.write_text("".join(json.dumps(o) + "\n" for o in objects), encoding="utf-8")
    import_or_refuse(store, path)


@SETTINGS
@given(cells=st.lists(st.lists(st.text(max_size=12), min_size=4, max_size=4), max_size=5))
def test_arbitrary_csv_cells_are_imported_or_refused(store, tmp_path, cells):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["ts", "kind", "viewer", "amount"])
    writer.writerows(cells)
    path = tmp_path / "fuzz.csv"
    path.write_bytes(out.getvalue().encode("utf-8", errors="surrogatepass"))
    import_or_refuse(store, path)
