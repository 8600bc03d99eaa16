"""Request bodies into events: both shapes, strict JSON, and messages that name the record."""

from __future__ import annotations

import json
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from studio.ingest.body import MAX_PROBLEMS, BodyError, parse_events

NY = ZoneInfo("America/New_York")


def problems(body: str | bytes) -> list[str]:
    with pytest.raises(BodyError) as caught:
        parse_events(body.encode() if isinstance(body, str) else body, NY)
    return caught.value.problems


def test_a_json_array_and_json_lines_give_the_same_events():
    records = [
        {"ts": "2026-11-25T20:00:00+08:00", "kind": "join", "viewer": "u1", "source": "ads"},
        {"ts": 1795636805, "kind": "payment", "viewer": "u1", "order_id": "A-1",
         "amount": "25.98", "currency": "usd", "coupon": "BF10"},
    ]
    as_array = parse_events(json.dumps(records).encode(), NY)
    as_lines = parse_events("\n".join(json.dumps(r) for r in records).encode(), NY)
    assert as_array == as_lines
    payment = as_array[1]
    assert payment.amount == Decimal("25.98") and payment.currency == "USD"
    assert payment.extra == {"coupon": "BF10"}  # keys outside the record are kept aside


def test_times_without_offset_are_read_in_the_session_market_zone():
    (event,) = parse_events(b'{"ts": "2026-11-25 20:00:00", "kind": "like", "viewer": "u"}', NY)
    assert event.ts == 1795654800  # 20:00 in New York is 01:00 UTC the next day


def test_blank_lines_crlf_and_a_bom_are_fine():
    body = '\ufeff{"ts": 1795636805, "kind": "follow", "viewer": "a"}\r\n\r\n' \
           '{"ts": 1795636806, "kind": "follow", "viewer": "b"}\r\n'
    assert [e.viewer for e in parse_events(body.encode(), NY)] == ["a", "b"]


def test_a_line_separator_inside_a_string_does_not_split_the_line():
    body = json.dumps({"ts": 1795636805, "kind": "comment", "viewer": "a", "text": "x\u2028y"},
                      ensure_ascii=False)
    (event,) = parse_events(body.encode(), NY)
    assert event.text == "x\u2028y"


def test_an_empty_array_is_no_events():
    assert parse_events(b"  [ ]  ", NY) == []


def test_field_errors_name_the_array_index_and_field():
    body = json.dumps([
        {"ts": 1795636805, "kind": "join", "viewer": "u"},
        {"ts": 1795636805, "kind": "join", "viewer": "u"},
        {"ts": 1795636805, "kind": "buy", "viewer": "u"},
        {"ts": 1795636805, "kind": "join"},
    ])
    found = problems(body)
    assert found[0].startswith('[2].kind: "buy" is not a known kind (join, leave, comment')
    assert found[1] == "[3].viewer is missing: required for join events"


def test_field_errors_name_the_line_in_json_lines():
    body = (
        '{"ts": 1795636805, "kind": "join", "viewer": "u"}\n'
        "\n"
        '{"ts": 1795636805, "kind": "payment", "viewer": "u", "order_id": "A", '
        '"amount": "12,5O", "currency": "USD"}\n'
    )
    assert problems(body) == ['line 3: amount "12,5O" is not a number']


def test_every_problem_is_found_not_only_the_first():
    lines = [json.dumps({"ts": "soon", "kind": "join", "viewer": "u"})] * (MAX_PROBLEMS + 5)
    with pytest.raises(BodyError) as caught:
        parse_events("\n".join(lines).encode(), NY)
    assert len(caught.value.problems) == MAX_PROBLEMS
    assert caught.value.more == 5
    assert str(caught.value).endswith(f"(and {MAX_PROBLEMS + 4} more problems)")
    assert caught.value.problems[0] == 'line 1: ts "soon" is not a time (ISO 8601 or Unix seconds)'


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("", "the body is empty"),
        ("   \n ", "the body is empty"),
        ("[1, 2", "the body is not valid JSON (Expecting ',' delimiter at line 1, column 6)"),
        ('[{"ts": NaN, "kind": "like", "viewer": "u"}]', "NaN is not a JSON value"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ("[1]", "[0]: is not a JSON object"),
        ('{"ts": 1795636805, "kind": "like"', "line 1: is not valid JSON"),
        ("hello", "line 1: is not valid JSON (Expecting value, column 1); the body is"),
        ('"just a string"', "line 1: is not a JSON object"),
        ('{"kind": "like", "viewer": "u"}', "line 1: ts is missing: every event needs ts and kind"),
        ('[{"ts": 1795636805, "kind": "order", "viewer": "u", "order_id": "A", "qty": 0}]',
         '[0].qty: "0" is not a positive whole number'),
        ('[{"ts": 1795636805000, "kind": "like", "viewer": "u"}]', "not milliseconds"),
        ('[{"ts": 1795636805, "kind": "order", "viewer": "u", "order_id": "A", "amount": 5}]',
         "[0].currency is missing: required with an amount"),
    ],
)
def test_malformed_bodies_are_refused_with_a_precise_message(body, expected):
    assert expected in problems(body)[0]


def test_a_body_that_is_not_utf8_is_refused():
    body = '[{"ts": 1795636805, "kind": "comment", "viewer": "u", "text": "有货吗"}]'
    (found,) = problems(body.encode("gb18030"))
    assert found.startswith("the body is not valid UTF-8 (at byte 6")


def test_a_lone_surrogate_escape_is_refused_not_stored():
    found = problems('[{"ts": 1795636805, "kind": "comment", "viewer": "u", "text": "\\ud800"}]')
    assert found[0].startswith("[0].text:") and "not valid text" in found[0]
