"""RecordParser: rows of any layout into storage tuples, compiled once per layout."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from decimal import Decimal
from typing import Any

from studio.core.events.fields import (
    FALSE_WORDS,
    FIELD_PARSERS,
    TEXT_FIELDS,
    TRUE_WORDS,
    Timestamp,
    check_encodable,
    parse_amount,
    parse_bool,
    parse_kind,
    parse_ts,
    text_field,
)
from studio.core.events.kinds import FIELDS, MAX_FIELD_CHARS, MAX_TS, MIN_TS, REQUIRED, SOURCES
from studio.core.events.record import Event, FieldError
from studio.core.message import N_, message

# What the compiled checks say (the templates below are code in strings, so their sentences are
# marked here, where the catalog extractor sees them).
REQUIRED_FOR = N_("required for {kind} events")
NOT_POSITIVE = message(N_("is not a positive whole number"))
NEEDED_WITH_AMOUNT = message(N_("required with an amount"))

_POSITION = {name: i for i, name in enumerate(FIELDS)}
_REQUIRED_AT = {kind: tuple(_POSITION[name] for name in names) for kind, names in REQUIRED.items()}
# The usual spelling of a value, recognised by one dict lookup; anything else goes through the
# field's parser, which normalises it or names what is wrong.
_USUAL = {
    "source": {source: source for source in SOURCES},
    "is_new": {**dict.fromkeys(TRUE_WORDS, 1), **dict.fromkeys(FALSE_WORDS, 0)},
}

# RecordParser compiles one function per layout with exec, as dataclasses and namedtuple do: a
# straight line of code with a local variable per column runs about twice as fast as a loop
# over a plan, and a large import spends most of its time here. Only trusted text goes into the
# source (field names from FIELDS, column positions); column names from the file are passed in
# as values (EXTRA_NAMES), never spliced into code.
_TS_ISO = """\
    moment = None
    if type({col}) is str:
        try:
            moment = fromisoformat({col})
        except ValueError:
            pass
    if moment is not None and moment.tzinfo is not None:
        ts = moment.timestamp()
        naive = False
    if moment is None or moment.tzinfo is None or not MIN_TS <= ts <= MAX_TS:
        stamp = slow_ts({col})
        ts, naive = stamp.seconds, stamp.naive
"""
_TS_FORMAT = """\
    stamp = slow_ts({col})
    ts, naive = stamp.seconds, stamp.naive
"""
_KIND = """\
    kind = {col}
    if type(kind) is not str or kind not in REQUIRED_AT:
        kind = parse_kind(kind)
"""
_TEXT = """\
    if type({col}) is str:
        value = {col}.strip()
        if value and (len(value) > MAX_FIELD_CHARS or not value.isascii()):
            value = text_field({name!r}, value)
        f_{name} = value or None
    elif {col} is not None:
        f_{name} = text_field({name!r}, {col})
"""
_FIELD = """\
    if {col} is not None and {col} != "":
        f_{name} = parse_{name}({col})
"""
_USUAL_FIELD = """\
    if {col} is not None and {col} != "":
        f_{name} = USUAL_{name}.get({col}) if type({col}) is str else None
        if f_{name} is None:
            f_{name} = parse_{name}({col})
"""
_CHECKS = """\
    for position in REQUIRED_AT[kind]:
        if row[position] is None:
            raise FieldError(FIELDS[position], "", message(REQUIRED_FOR, kind=kind))
"""
_QTY_CHECK = """\
    if f_qty is not None and f_qty <= 0:
        raise FieldError("qty", f_qty, NOT_POSITIVE)
"""
_AMOUNT_CHECK = """\
    if f_amount is not None and {currency} is None:
        raise FieldError("currency", "", NEEDED_WITH_AMOUNT)
"""
_EXTRA = """\
    row += (extra_json(({extra_values},)),)
"""
_RELABEL = """\
def parse(values):
    try:
        return parse_fields(values)
    except FieldError as exc:
        raise relabelled(exc) from None
"""


class RecordParser:
    """Turns rows laid out as `columns` into storage tuples (Event.as_row() order).

    Compiled once per layout (a CSV header, a JSON object's keys) so that a million-row import
    pays for the column lookup once. Columns outside the record go into `extra`.
    `parse(values)` takes one row (values in `columns` order) and returns (storage tuple,
    whether ts had no offset); it raises FieldError naming the field and what was expected.
    """

    parse: Callable[[Sequence[Any]], tuple[tuple, bool]]

    def __init__(
        self,
        columns: Sequence[str],
        tz: tzinfo,
        *,
        ts_format: str | None = None,
        amount_locale: str | None = None,
        labels: Mapping[str, str] | None = None,
    ) -> None:
        """`labels` names fields in errors as the file names them (a mapped export's columns)."""
        self.columns = tuple(columns)
        if "ts" not in self.columns or "kind" not in self.columns:
            missing = [c for c in ("ts", "kind") if c not in self.columns]
            raise FieldError(missing[0], "", message(N_("every event needs ts and kind")))
        self._tz = tz
        self._ts_format = ts_format
        self._ts_cache: dict[Any, Timestamp] = {}
        self._extras = [(i, name) for i, name in enumerate(self.columns) if name not in _POSITION]
        self.extra_columns = tuple(name for _, name in self._extras)
        self.source = self._source(ts_format is None)
        namespace = self._namespace(amount_locale)
        exec(compile(self.source, "<RecordParser>", "exec"), namespace)
        self.parse = namespace["parse_fields"]
        if labels:
            names = dict(labels)
            namespace["parse_fields"] = self.parse
            namespace["relabelled"] = lambda exc: (
                FieldError(names[exc.field], exc.value, exc.expected)
                if exc.field in names
                else exc
            )
            exec(_RELABEL, namespace)
            self.parse = namespace["parse"]

    def _source(self, iso: bool) -> str:
        """The parse function's code for this layout (see the templates above)."""
        col = [f"c{i}" for i in range(len(self.columns))]
        present = {name for name in self.columns if name in FIELD_PARSERS}
        # ts and kind: the first such column, like any later reader of the header would take.
        lines = [
            "def parse_fields(values):\n",
            f"    {', '.join(col)}, = values\n",
            (_TS_ISO if iso else _TS_FORMAT).format(col=col[self.columns.index("ts")]),
            _KIND.format(col=col[self.columns.index("kind")]),
        ]
        if present:
            lines.append(f"    {' = '.join(f'f_{name}' for name in sorted(present))} = None\n")
        # Text fields first, then the others, each in column order: the first error a row
        # shows does not depend on how the file orders its columns within those groups.
        for index, name in enumerate(self.columns):
            if name in TEXT_FIELDS:
                lines.append(_TEXT.format(col=col[index], name=name))
        for index, name in enumerate(self.columns):
            if name in FIELD_PARSERS and name not in TEXT_FIELDS:
                template = _USUAL_FIELD if name in _USUAL else _FIELD
                lines.append(template.format(col=col[index], name=name))
        values = ", ".join(f"f_{name}" if name in present else "None" for name in FIELDS[2:])
        lines.append(f"    row = (ts, kind, {values}{'' if self._extras else ', None'})\n")
        lines.append(_CHECKS)
        if "qty" in present:
            lines.append(_QTY_CHECK)
        if "amount" in present:
            # A layout without a currency column has no f_currency: every amount lacks one.
            currency = "f_currency" if "currency" in present else "None"
            lines.append(_AMOUNT_CHECK.format(currency=currency))
        if self._extras:
            lines.append(_EXTRA.format(extra_values=", ".join(col[i] for i, _ in self._extras)))
        lines.append("    return row, naive\n")
        return "".join(lines)

    def _namespace(self, amount_locale: str | None) -> dict[str, Any]:
        parsers = dict(FIELD_PARSERS)
        # Stored forms: is_new as 0/1, amount as exact decimal text.
        parsers["is_new"] = lambda v: _stored_bool(parse_bool("is_new", v))
        parsers["amount"] = lambda v: _stored_amount(parse_amount(v, amount_locale))
        extra_names = self.extra_columns
        return {
            "fromisoformat": datetime.fromisoformat,
            "slow_ts": self._ts,
            "parse_kind": parse_kind,
            "text_field": text_field,
            "extra_json": lambda values: _extra_json(extra_names, values),
            "FieldError": FieldError,
            "message": message,
            "REQUIRED_FOR": REQUIRED_FOR,
            "NOT_POSITIVE": NOT_POSITIVE,
            "NEEDED_WITH_AMOUNT": NEEDED_WITH_AMOUNT,
            "FIELDS": FIELDS,
            "REQUIRED_AT": _REQUIRED_AT,
            "MIN_TS": MIN_TS,
            "MAX_TS": MAX_TS,
            "MAX_FIELD_CHARS": MAX_FIELD_CHARS,
            **{f"parse_{name}": parser for name, parser in parsers.items()},
            **{f"USUAL_{name}": usual for name, usual in _USUAL.items()},
        }

    def _ts(self, value: Any) -> Timestamp:
        """Every time but ISO 8601 with an offset (the compiled fast path) comes here."""
        # Mapped exports often write whole seconds without an offset: the same text repeats,
        # and strptime is slow.
        if not isinstance(value, str):  # JSON numbers, spreadsheet dates; a list is unhashable
            return parse_ts(value, self._tz, self._ts_format)
        stamp = self._ts_cache.get(value)
        if stamp is None:
            stamp = parse_ts(value, self._tz, self._ts_format)
            if len(self._ts_cache) > 8192:
                self._ts_cache.clear()
            self._ts_cache[value] = stamp
        return stamp


def _stored_bool(value: bool | None) -> int | None:
    return None if value is None else int(value)


def _stored_amount(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _extra_json(names: Sequence[str], values: Sequence[Any]) -> str | None:
    extra = {
        name: value for name, value in zip(names, values, strict=True) if value not in (None, "")
    }
    if not extra:
        return None
    dumped = json.dumps(extra, ensure_ascii=False, sort_keys=True, default=str)
    if not dumped.isascii():
        check_encodable(", ".join(extra), dumped)
    return dumped


@dataclass(frozen=True, slots=True)
class ParsedRecord:
    event: Event
    naive_ts: bool


def parse_record(raw: Mapping[str, Any], tz: tzinfo, ts_format: str | None = None) -> ParsedRecord:
    """Validate one raw record (a JSON object, a dict) into an Event. Raises FieldError."""
    parser = RecordParser(tuple(raw), tz, ts_format=ts_format)
    row, naive = parser.parse(tuple(raw.values()))
    return ParsedRecord(Event.from_row(dict(zip((*FIELDS, "extra"), row, strict=True))), naive)

