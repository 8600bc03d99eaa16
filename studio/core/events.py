"""The session event record (spec/events.md): kinds, fields, parsing and stable keys.

Every source (imports, live ingest, hotkeys, the capture monitor, the simulator) turns what it
receives into an :class:`Event`. Parsing lives here, once, so that a field means the same thing
whichever door it came through. The hot path (a million-row import) works on plain tuples; the
dataclass is the public, frozen face of a record.
"""

from __future__ import annotations

import hashlib
import json
import math
import pickle
import re
import struct
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Any

from babel.numbers import NumberFormatError, parse_decimal

VIEWER_KINDS = (
    "join",
    "leave",
    "comment",
    "follow",
    "like",
    "share",
    "product_click",
    "add_to_cart",
    "order",
    "payment",
)
# Written by the capture monitor (spec/health.md); details go into `extra`.
HEALTH_KINDS = (
    "health_incident_start",
    "health_incident_end",
    "health_status",
    "health_resolution",
    "health_reconnect",
)
KINDS = (*VIEWER_KINDS, "marker", *HEALTH_KINDS)
SOURCES = ("organic", "search", "social", "ads", "influencer", "follow_feed", "other")

# Fields a kind cannot do without. Everything else is optional.
REQUIRED: dict[str, tuple[str, ...]] = {k: ("viewer",) for k in VIEWER_KINDS}
REQUIRED.update(
    comment=("viewer", "text"),
    product_click=("viewer", "sku"),
    add_to_cart=("viewer", "sku"),
    order=("viewer", "order_id"),
    payment=("viewer", "order_id", "amount", "currency"),
    marker=("label",),
)
for _k in HEALTH_KINDS:
    REQUIRED[_k] = ()

# The record's fields in storage order (the `events` table mirrors this, plus session and key).
FIELDS = (
    "ts",
    "kind",
    "viewer",
    "source",
    "is_new",
    "text",
    "sku",
    "qty",
    "order_id",
    "amount",
    "currency",
    "label",
    "id",
)
COLUMN_FIELDS = frozenset(FIELDS)

MAX_FIELD_CHARS = 1 << 20  # 1 MiB: anything longer is garbage, not a comment
# SQLite stores integers in 64 bits; a bigger count is garbage that would fail the insert.
MAX_INT = (1 << 63) - 1
# The times datetime can show (years 1 to 9999): outside them a "time" is garbage (or
# milliseconds taken for seconds) and would break every later date conversion.
MIN_TS = datetime(1, 1, 2, tzinfo=UTC).timestamp()
MAX_TS = datetime(9999, 12, 30, tzinfo=UTC).timestamp()

_DECIMAL = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)")
_CURRENCY = re.compile(r"[A-Z]{3}")
_TRUE = frozenset({"true", "1", "yes", "y", "t"})
_FALSE = frozenset({"false", "0", "no", "n", "f"})


class FieldError(ValueError):
    """A field's value is not what the record allows. `str()` is the user-facing message."""

    def __init__(self, field_name: str, value: object, expected: str) -> None:
        self.field = field_name
        self.value = value
        self.expected = expected
        shown = _shorten(value)
        super().__init__(
            f'{field_name} "{shown}" {expected}'
            if value not in (None, "")
            else f"{field_name} is missing: {expected}"
        )


def _shorten(value: object, limit: int = 60) -> str:
    # backslashreplace: a message must be printable even when the value is not valid text.
    text = str(value).encode(errors="backslashreplace").decode()
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True, slots=True)
class Event:
    """One thing that happened in a session. `ts` is Unix seconds, UTC."""

    ts: float
    kind: str
    viewer: str | None = None
    source: str | None = None
    is_new: bool | None = None
    text: str | None = None
    sku: str | None = None
    qty: int | None = None
    order_id: str | None = None
    amount: Decimal | None = None
    currency: str | None = None
    label: str | None = None
    id: str | None = None
    extra: Mapping[str, Any] | None = field(default=None, compare=False)

    def as_row(self) -> tuple:
        """The storage tuple, in FIELDS order, then the JSON of `extra`."""
        return (
            self.ts,
            self.kind,
            self.viewer,
            self.source,
            None if self.is_new is None else int(self.is_new),
            self.text,
            self.sku,
            self.qty,
            self.order_id,
            None if self.amount is None else str(self.amount),
            self.currency,
            self.label,
            self.id,
            json.dumps(dict(self.extra), ensure_ascii=False, sort_keys=True)
            if self.extra
            else None,
        )

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Event:
        extra = row.get("extra")
        return cls(
            ts=row["ts"],
            kind=row["kind"],
            viewer=row.get("viewer"),
            source=row.get("source"),
            is_new=None if row.get("is_new") is None else bool(row["is_new"]),
            text=row.get("text"),
            sku=row.get("sku"),
            qty=row.get("qty"),
            order_id=row.get("order_id"),
            amount=None if row.get("amount") is None else Decimal(row["amount"]),
            currency=row.get("currency"),
            label=row.get("label"),
            id=row.get("id"),
            extra=json.loads(extra) if extra else None,
        )

    def to_json(self) -> dict[str, Any]:
        """The JSON Lines form of spec/events.md (ts as ISO 8601 UTC), without empty fields."""
        out: dict[str, Any] = {"ts": _iso_utc(self.ts)}
        for name in FIELDS[1:]:
            value = getattr(self, name)
            if value is not None:
                out[name] = str(value) if isinstance(value, Decimal) else value
        if self.extra:
            out.update(self.extra)
        return out


def _iso_utc(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat().replace("+00:00", "Z")


# ---------------------------------------------------------------------------------------------
# Field parsing. Each function takes the raw value (str from CSV, any JSON type from JSON Lines)
# and returns the stored value or raises FieldError naming what was expected.


def _text(name: str, value: Any) -> str | None:
    if type(value) is str:  # the hot path: every CSV field
        text = value.strip()
        if len(text) > MAX_FIELD_CHARS:
            raise FieldError(name, text[:40], f"is longer than {MAX_FIELD_CHARS} characters")
        if not text.isascii():
            _check_encodable(name, text)
        return text or None
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise FieldError(name, value, "is not text")
    text = str(value).strip() if not isinstance(value, str) else value.strip()
    if not text:
        return None
    if len(text) > MAX_FIELD_CHARS:
        raise FieldError(name, text[:40], f"is longer than {MAX_FIELD_CHARS} characters")
    if not text.isascii():
        _check_encodable(name, text)
    return text


def _check_encodable(name: str, text: str) -> None:
    # Lone surrogates come from bytes the file's encoding cannot read (the readers decode with
    # surrogateescape) or from JSON's \ud800 escapes; SQLite cannot store them.
    try:
        text.encode()
    except UnicodeEncodeError:
        raise FieldError(
            name,
            text,
            "is not valid text (bytes the file's encoding cannot read, or a lone surrogate)",
        ) from None


def parse_kind(value: Any) -> str:
    kind = _text("kind", value)
    if kind is None:
        raise FieldError("kind", "", f"one of {', '.join(KINDS)}")
    kind = kind.lower()
    if kind not in REQUIRED:
        raise FieldError("kind", value, "is not a known kind (" + ", ".join(KINDS) + ")")
    return kind


def parse_source(value: Any) -> str | None:
    source = _text("source", value)
    if source is None:
        return None
    source = source.lower()
    if source not in SOURCES:
        raise FieldError("source", value, "is not a traffic source (" + ", ".join(SOURCES) + ")")
    return source


def parse_bool(name: str, value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if not text:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise FieldError(name, value, "is not true or false")


def parse_int(name: str, value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        if isinstance(value, bool):
            raise FieldError(name, value, "is not a whole number")
        return None
    if isinstance(value, int):
        return _bounded_int(name, value)
    text = str(value).strip()
    if not text:
        return None
    try:
        number = float(text) if isinstance(value, float) else int(text)
    except ValueError:
        raise FieldError(name, value, "is not a whole number") from None
    if isinstance(number, float):
        if not number.is_integer():
            raise FieldError(name, value, "is not a whole number")
        number = int(number)
    return _bounded_int(name, number)


def _bounded_int(name: str, number: int) -> int:
    if abs(number) > MAX_INT:
        raise FieldError(name, number, "is too large")
    return number


def parse_amount(value: Any, locale: str | None = None) -> Decimal | None:
    """A decimal number. Without `locale`: digits, one optional point, an optional minus, no
    guessing. With a Babel locale: as that locale writes numbers ("150.000" is 150000 in id_ID),
    strictly, so an ambiguous grouping is refused rather than read wrong.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise FieldError("amount", value, "is not a number")
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise FieldError("amount", value, "is not a finite number")
        return Decimal(str(value))
    text = str(value).strip()
    if locale is not None:
        try:
            return parse_decimal(text, locale=locale, strict=True)
        except NumberFormatError:
            raise FieldError("amount", value, f"is not a number as written in {locale}") from None
    if not _DECIMAL.fullmatch(text):
        raise FieldError("amount", value, "is not a number")
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern already rules this out
        raise FieldError("amount", value, "is not a number") from None


def parse_currency(value: Any) -> str | None:
    text = _text("currency", value)
    if text is None:
        return None
    text = text.upper()
    if not _CURRENCY.fullmatch(text):
        raise FieldError("currency", value, "is not an ISO 4217 code like USD")
    return text


@dataclass(frozen=True, slots=True)
class Timestamp:
    """A parsed time: Unix seconds (UTC) and whether the source gave no offset."""

    seconds: float
    naive: bool


def parse_ts(value: Any, tz: tzinfo, fmt: str | None = None) -> Timestamp:
    """ISO 8601 with or without offset, Unix seconds, or `fmt` (strptime) from a mapping.

    A time without an offset is read in `tz` (the session market's zone) and flagged naive, so
    that the import report can say which zone it assumed.
    """
    if value is None or isinstance(value, bool):
        raise FieldError("ts", value, "is not a time (ISO 8601 or Unix seconds)")
    if isinstance(value, datetime):  # a date cell of a spreadsheet
        return _in_range(value, _from_datetime(value, tz))
    if isinstance(value, int | float):
        return _in_range(value, Timestamp(float(value), False))
    text = str(value).strip()
    if not text:
        raise FieldError("ts", "", "a time (ISO 8601 or Unix seconds)")
    try:
        stamp = (
            Timestamp(float(text), False)
            if text[0].isdigit() and _is_number(text)
            else (
                _from_datetime(
                    datetime.strptime(text, fmt) if fmt else datetime.fromisoformat(text), tz
                )
            )
        )
    except (ValueError, OverflowError):
        expected = (
            f"does not match the time format {fmt}"
            if fmt
            else ("is not a time (ISO 8601 or Unix seconds)")
        )
        raise FieldError("ts", value, expected) from None
    return _in_range(value, stamp)


def _in_range(value: Any, stamp: Timestamp) -> Timestamp:
    # NaN fails both comparisons, infinities one of them.
    if not MIN_TS <= stamp.seconds <= MAX_TS:
        raise FieldError(
            "ts", value, "is not a time in years 1 to 9999 (Unix seconds, not milliseconds)"
        )
    return stamp


def _is_number(text: str) -> bool:
    # Eight bare digits are an ISO 8601 basic date (20261125), never a Unix time in 1973.
    return _DECIMAL.fullmatch(text) is not None and len(text) != 8


def _from_datetime(dt: datetime, tz: tzinfo) -> Timestamp:
    if dt.tzinfo is None:
        return Timestamp(dt.replace(tzinfo=tz).timestamp(), True)
    return Timestamp(dt.timestamp(), False)


TEXT_FIELDS = frozenset({"viewer", "text", "sku", "order_id", "label", "id"})

# Parsers for every field but ts and kind (those come first and shape the rest).
FIELD_PARSERS: dict[str, Callable[[Any], Any]] = {
    "viewer": lambda v: _text("viewer", v),
    "source": parse_source,
    "is_new": lambda v: parse_bool("is_new", v),
    "text": lambda v: _text("text", v),
    "sku": lambda v: _text("sku", v),
    "qty": lambda v: parse_int("qty", v),
    "order_id": lambda v: _text("order_id", v),
    "amount": parse_amount,
    "currency": parse_currency,
    "label": lambda v: _text("label", v),
    "id": lambda v: _text("id", v),
}


_POSITION = {name: i for i, name in enumerate(FIELDS)}
_REQUIRED_AT = {kind: tuple(_POSITION[name] for name in names) for kind, names in REQUIRED.items()}
# The usual spelling of a value, recognised by one dict lookup; anything else goes through the
# field's parser, which normalises it or names what is wrong.
_USUAL = {
    "source": {source: source for source in SOURCES},
    "is_new": {**dict.fromkeys(_TRUE, 1), **dict.fromkeys(_FALSE, 0)},
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
            raise FieldError(FIELDS[position], "", f"required for {kind} events")
"""
_QTY_CHECK = """\
    if f_qty is not None and f_qty <= 0:
        raise FieldError("qty", f_qty, "is not a positive whole number")
"""
_AMOUNT_CHECK = """\
    if f_amount is not None and {currency} is None:
        raise FieldError("currency", "", "required with an amount")
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
            raise FieldError(missing[0], "", "every event needs ts and kind")
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
            "text_field": _text,
            "extra_json": lambda values: _extra_json(extra_names, values),
            "FieldError": FieldError,
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
        _check_encodable(", ".join(extra), dumped)
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


# ---------------------------------------------------------------------------------------------
# Stable keys: what makes re-importing a file (or an overlapping export) add nothing.


_MILLIS = struct.Struct(">q")
_OCCURRENCE = struct.Struct(">I")


class KeyDeriver:
    """Derives each event's idempotency key.

    An event with an `id` is keyed by it. Without one, the key is the time followed by a hash of
    the whole record and the occurrence number of identical records: two identical comments in
    the same second are two events, and the same file read twice yields the same keys. The key
    starts with the time so that keys of a time-ordered file arrive nearly sorted (cheap B-tree
    inserts). Occurrences are counted among the last `window` to 2 x `window` records (two
    generations of counts), which bounds memory for any file size; identical records further
    apart than that in an unsorted file are taken as one event.
    """

    def __init__(self, window: int = 65536) -> None:
        self._window = window
        self._current: dict[bytes, int] = {}
        self._previous: dict[bytes, int] = {}

    def key(self, row: tuple) -> bytes:
        """`row` is Event.as_row() (FIELDS order, then extra JSON)."""
        event_id = row[12]
        if event_id is not None:
            return b"id:" + event_id.encode()
        # The time to the millisecond, then a hash of the other fields pickled (protocol 4 is
        # a fixed format, so keys stay stable across versions; a float's repr would cost more
        # than the rest of the key together).
        stem = _MILLIS.pack(int(row[0] * 1000)) + hashlib.blake2b(
            pickle.dumps(row[1:12], 4), digest_size=12
        ).digest()
        current = self._current
        n = current.get(stem)
        if n is None:
            n = self._previous.get(stem, 0)
            if len(current) >= self._window:
                self._previous, self._current = current, {}
                current = self._current
        current[stem] = n + 1
        # Bytes, not hex text: half the size in the unique index; time first, so keys sort.
        return stem + _OCCURRENCE.pack(n) if n else stem
