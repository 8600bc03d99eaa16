"""The event record: field parsing, the compiled row parser and stable keys (spec/events.md)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from studio.core.events import (
    FIELDS,
    MAX_FIELD_CHARS,
    Event,
    FieldError,
    KeyDeriver,
    RecordParser,
    parse_amount,
    parse_int,
    parse_record,
    parse_ts,
)

NEW_YORK = ZoneInfo("America/New_York")
JAKARTA = ZoneInfo("Asia/Jakarta")


def utc(*args: int) -> float:
    return datetime(*args, tzinfo=UTC).timestamp()


# -- times ------------------------------------------------------------------------------------


def test_time_with_offset_is_not_naive_and_ignores_the_market_zone():
    stamp = parse_ts("2026-11-25T20:00:00+07:00", NEW_YORK)
    assert stamp.seconds == utc(2026, 11, 25, 13)
    assert not stamp.naive
    assert parse_ts("2026-11-25T13:00:00Z", JAKARTA).seconds == utc(2026, 11, 25, 13)


def test_time_without_offset_is_read_in_the_market_zone_and_flagged():
    ny = parse_ts("2026-11-25T20:00:00", NEW_YORK)
    jkt = parse_ts("2026-11-25T20:00:00", JAKARTA)
    assert ny.naive and jkt.naive
    assert ny.seconds == utc(2026, 11, 26, 1)  # EST is UTC-5 in November
    assert jkt.seconds == utc(2026, 11, 25, 13)  # WIB is UTC+7


def test_unix_seconds_as_text_and_as_number():
    assert parse_ts("1795636800", NEW_YORK).seconds == 1795636800.0
    assert parse_ts("1795636800.25", NEW_YORK).seconds == 1795636800.25
    assert parse_ts(1795636800, NEW_YORK).seconds == 1795636800.0
    assert not parse_ts(1795636800, NEW_YORK).naive


def test_eight_digits_are_an_iso_basic_date_not_unix_time():
    midnight = datetime(2026, 11, 25, tzinfo=JAKARTA).timestamp()
    assert parse_ts("20261125", JAKARTA).seconds == midnight


def test_mapping_time_format_and_spreadsheet_date_cells():
    fmt = "%m/%d/%Y %I:%M:%S %p"
    stamp = parse_ts("11/25/2026 08:03:11 PM", NEW_YORK, fmt)
    assert stamp.seconds == utc(2026, 11, 26, 1, 3, 11) and stamp.naive
    # An XLSX date cell arrives as a datetime, whatever the mapping's text format.
    cell = parse_ts(datetime(2026, 11, 25, 20, 3, 11), NEW_YORK, fmt)
    assert cell == stamp


@pytest.mark.parametrize(
    "value",
    ["", "yesterday", "2026-13-45T00:00", "25/11/2026", "1e5", "nan", float("nan"),
     float("inf"), 1e308, "9" * 400, 1_795_636_800_000, [1], {"a": 1}, True, None],
)
def test_bad_times_raise_field_error_naming_ts(value):
    with pytest.raises(FieldError) as info:
        parse_ts(value, NEW_YORK)
    assert info.value.field == "ts"
    assert str(info.value).startswith("ts ")


def test_milliseconds_are_refused_with_a_hint():
    with pytest.raises(FieldError, match="not milliseconds"):
        parse_ts(1_795_636_800_000, NEW_YORK)


def test_time_not_matching_the_mapping_format_names_the_format():
    with pytest.raises(FieldError, match=r"does not match the time format %Y-%m-%d"):
        parse_ts("25 Nov 2026", NEW_YORK, "%Y-%m-%d")


# -- numbers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("12.50", Decimal("12.50")), ("-3", Decimal(-3)), (".5", Decimal("0.5")), (7, Decimal(7)),
     (2.5, Decimal("2.5")), ("", None), (None, None)],
)
def test_amounts_are_exact_decimals(raw, expected):
    assert parse_amount(raw) == expected


@pytest.mark.parametrize("raw", ["12,5O", "1e5", "$12", "12.5.1", "NaN", float("inf"), True])
def test_amounts_that_are_not_numbers(raw):
    with pytest.raises(FieldError) as info:
        parse_amount(raw)
    assert info.value.field == "amount"


def test_the_spec_example_message():
    with pytest.raises(FieldError) as info:
        parse_amount("12,5O")
    assert str(info.value) == 'amount "12,5O" is not a number'


def test_amounts_as_a_market_writes_them():
    assert parse_amount("150.000", "id_ID") == Decimal(150000)
    assert parse_amount("1.234,50", "de_DE") == Decimal("1234.50")
    assert parse_amount("1,234.50", "en_US") == Decimal("1234.50")
    with pytest.raises(FieldError, match="as written in id_ID"):
        parse_amount("12.50", "id_ID")  # a grouping that cannot be right: refused, not guessed


@pytest.mark.parametrize(("raw", "expected"), [("3", 3), (3, 3), (3.0, 3), ("", None)])
def test_whole_numbers(raw, expected):
    assert parse_int("qty", raw) == expected


@pytest.mark.parametrize("raw", ["3.5", 3.5, "three", True, 10**30, str(10**30), 1e300])
def test_not_whole_numbers_or_too_large(raw):
    with pytest.raises(FieldError) as info:
        parse_int("qty", raw)
    assert info.value.field == "qty"


# -- whole records ----------------------------------------------------------------------------


def test_parse_record_builds_an_event():
    parsed = parse_record(
        {"ts": "2026-11-25T20:00:00Z", "kind": "Payment", "viewer": "v1", "order_id": "o1",
         "amount": "12.50", "currency": "usd", "coupon": "BF10"},
        NEW_YORK,
    )
    assert parsed.event == Event(
        ts=utc(2026, 11, 25, 20), kind="payment", viewer="v1", order_id="o1",
        amount=Decimal("12.50"), currency="USD",
    )
    assert parsed.event.extra == {"coupon": "BF10"}
    assert not parsed.naive_ts


@pytest.mark.parametrize(
    ("record", "field"),
    [
        ({"kind": "join", "viewer": "a"}, "ts"),
        ({"ts": 1, "viewer": "a"}, "kind"),
        ({"ts": 1, "kind": "wave", "viewer": "a"}, "kind"),
        ({"ts": 1, "kind": "join"}, "viewer"),
        ({"ts": 1, "kind": "comment", "viewer": "a"}, "text"),
        ({"ts": 1, "kind": "comment", "viewer": "a", "text": "   "}, "text"),
        ({"ts": 1, "kind": "order", "viewer": "a"}, "order_id"),
        ({"ts": 1, "kind": "payment", "viewer": "a", "order_id": "o", "amount": "1"}, "currency"),
        ({"ts": 1, "kind": "marker"}, "label"),
        ({"ts": 1, "kind": "join", "viewer": "a", "source": "tv"}, "source"),
        ({"ts": 1, "kind": "join", "viewer": "a", "is_new": "maybe"}, "is_new"),
        ({"ts": 1, "kind": "order", "viewer": "a", "order_id": "o", "qty": 0}, "qty"),
        ({"ts": 1, "kind": "order", "viewer": "a", "order_id": "o", "currency": "dollars"},
         "currency"),
        ({"ts": 1, "kind": "join", "viewer": {"id": 1}}, "viewer"),
        ({"ts": 1, "kind": "comment", "viewer": "a", "text": "x" * (MAX_FIELD_CHARS + 1)},
         "text"),
    ],
)
def test_bad_records_name_the_field(record, field):
    with pytest.raises(FieldError) as info:
        parse_record(record, NEW_YORK)
    assert info.value.field == field
    assert str(info.value).startswith(field)


def test_lone_surrogates_are_refused_with_a_printable_message():
    with pytest.raises(FieldError) as info:
        parse_record({"ts": 1, "kind": "comment", "viewer": "a", "text": "hi \ud800"}, NEW_YORK)
    assert info.value.field == "text"
    str(info.value).encode("utf-8")  # printable: the surrogate is shown escaped


def test_health_kinds_need_no_viewer_and_keep_details_in_extra():
    parsed = parse_record({"ts": 5, "kind": "health_status", "status": "WARN"}, NEW_YORK)
    assert parsed.event.kind == "health_status" and parsed.event.extra == {"status": "WARN"}


def test_row_parser_reports_unknown_columns_and_needs_ts_and_kind():
    parser = RecordParser(("ts", "kind", "viewer", "room"), NEW_YORK)
    assert parser.extra_columns == ("room",)
    row, naive = parser.parse(("2026-11-25T20:00:00", "join", "v", "A"))
    assert naive and row[13] == '{"room": "A"}'
    with pytest.raises(FieldError):
        RecordParser(("time", "kind"), NEW_YORK)


def test_event_row_round_trip_and_json_form():
    event = Event(ts=utc(2026, 11, 25, 20), kind="order", viewer="v", sku="SKU-1", qty=2,
                  order_id="o1", amount=Decimal("9.90"), currency="EUR", extra={"k": "v"})
    row = event.as_row()
    assert len(row) == len(FIELDS) + 1
    back = Event.from_row(dict(zip((*FIELDS, "extra"), row, strict=True)))
    assert back == event and back.extra == {"k": "v"}
    assert event.to_json()["ts"] == "2026-11-25T20:00:00Z"
    assert event.to_json()["amount"] == "9.90"


# -- stable keys ------------------------------------------------------------------------------


def _comment(ts: float, text: str = "hi", viewer: str = "v") -> tuple:
    return Event(ts=ts, kind="comment", viewer=viewer, text=text).as_row()


def test_identical_records_at_one_instant_get_distinct_keys():
    keys = KeyDeriver()
    first, second = keys.key(_comment(10.0)), keys.key(_comment(10.0))
    assert first != second


def test_keys_are_the_same_when_the_file_is_read_again():
    rows = [_comment(10.0), _comment(10.0), _comment(11.0, "x"), _comment(10.0, "y")]
    once, twice = KeyDeriver(), KeyDeriver()
    assert [once.key(r) for r in rows] == [twice.key(r) for r in rows]


def test_different_records_get_different_keys():
    keys = KeyDeriver()
    variants = [_comment(10.0), _comment(10.0, "other"), _comment(10.0, viewer="w"),
                _comment(10.001)]
    assert len({keys.key(r) for r in variants}) == len(variants)


def test_an_event_id_is_the_key():
    keys = KeyDeriver()
    row = Event(ts=1.0, kind="join", viewer="v", id="evt-9").as_row()
    assert keys.key(row) == keys.key(row) == b"id:evt-9"


def test_extra_fields_do_not_change_the_key():
    plain = Event(ts=1.0, kind="join", viewer="v").as_row()
    with_extra = Event(ts=1.0, kind="join", viewer="v", extra={"room": "A"}).as_row()
    assert KeyDeriver().key(plain) == KeyDeriver().key(with_extra)


def test_occurrence_counting_is_bounded_by_the_window():
    keys = KeyDeriver(window=2)
    first = keys.key(_comment(1.0))
    assert keys.key(_comment(1.0)) != first  # within the window: a second occurrence
    for ts in (2.0, 3.0, 4.0, 5.0):
        keys.key(_comment(ts))
    # The record at 1.0 has left both generations: it counts as the first one again.
    assert keys.key(_comment(1.0)) == first


def test_an_amount_without_a_currency_column_names_the_currency():
    parser = RecordParser(("ts", "kind", "viewer", "sku", "qty", "amount"), NEW_YORK)
    with pytest.raises(FieldError) as raised:
        parser.parse(("2026-11-20T20:00:00Z", "add_to_cart", "v1", "S1", "1", "12.50"))
    assert raised.value.field == "currency"
    row, _naive = parser.parse(("2026-11-20T20:00:00Z", "add_to_cart", "v1", "S1", "1", ""))
    assert row[1] == "add_to_cart"
