"""Field parsing. Each function takes the raw value (str from CSV, any JSON type from JSON
Lines) and returns the stored value or raises FieldError naming what was expected."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Any

from babel.numbers import NumberFormatError, parse_decimal

from studio.core.events.kinds import (
    KINDS,
    MAX_FIELD_CHARS,
    MAX_INT,
    MAX_TS,
    MIN_TS,
    REQUIRED,
    SOURCES,
)
from studio.core.events.record import FieldError
from studio.core.message import N_, message

_DECIMAL = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)")
_CURRENCY = re.compile(r"[A-Z]{3}")
# What a field was expected to be, said by more than one parser.
NOT_WHOLE = message(N_("is not a whole number"))
NOT_A_NUMBER = message(N_("is not a number"))
NOT_A_TIME = message(N_("is not a time (ISO 8601 or Unix seconds)"))
TOO_LONG = message(N_("is longer than {limit} characters"), limit=MAX_FIELD_CHARS)
TRUE_WORDS = frozenset({"true", "1", "yes", "y", "t"})
FALSE_WORDS = frozenset({"false", "0", "no", "n", "f"})


def text_field(name: str, value: Any) -> str | None:
    if type(value) is str:  # the hot path: every CSV field
        text = value.strip()
        if len(text) > MAX_FIELD_CHARS:
            raise FieldError(name, text[:40], TOO_LONG)
        if not text.isascii():
            check_encodable(name, text)
        return text or None
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise FieldError(name, value, message(N_("is not text")))
    text = str(value).strip() if not isinstance(value, str) else value.strip()
    if not text:
        return None
    if len(text) > MAX_FIELD_CHARS:
        raise FieldError(name, text[:40], TOO_LONG)
    if not text.isascii():
        check_encodable(name, text)
    return text


def check_encodable(name: str, text: str) -> None:
    # Lone surrogates come from bytes the file's encoding cannot read (the readers decode with
    # surrogateescape) or from JSON's \ud800 escapes; SQLite cannot store them.
    try:
        text.encode()
    except UnicodeEncodeError:
        raise FieldError(
            name,
            text,
            message(N_("is not valid text (bytes the file's encoding cannot read, or a lone "
                       "surrogate)")),
        ) from None


def parse_kind(value: Any) -> str:
    kind = text_field("kind", value)
    if kind is None:
        raise FieldError("kind", "", message(N_("one of {kinds}"), kinds=", ".join(KINDS)))
    kind = kind.lower()
    if kind not in REQUIRED:
        raise FieldError("kind", value, message(N_("is not a known kind ({kinds})"),
                                                 kinds=", ".join(KINDS)))
    return kind


def parse_source(value: Any) -> str | None:
    source = text_field("source", value)
    if source is None:
        return None
    source = source.lower()
    if source not in SOURCES:
        raise FieldError("source", value, message(N_("is not a traffic source ({sources})"),
                                                   sources=", ".join(SOURCES)))
    return source


def parse_bool(name: str, value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if not text:
        return None
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise FieldError(name, value, message(N_("is not true or false")))


def parse_int(name: str, value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        if isinstance(value, bool):
            raise FieldError(name, value, NOT_WHOLE)
        return None
    if isinstance(value, int):
        return _bounded_int(name, value)
    text = str(value).strip()
    if not text:
        return None
    try:
        number = float(text) if isinstance(value, float) else int(text)
    except ValueError:
        raise FieldError(name, value, NOT_WHOLE) from None
    if isinstance(number, float):
        if not number.is_integer():
            raise FieldError(name, value, NOT_WHOLE)
        number = int(number)
    return _bounded_int(name, number)


def _bounded_int(name: str, number: int) -> int:
    if abs(number) > MAX_INT:
        raise FieldError(name, number, message(N_("is too large")))
    return number


def parse_amount(value: Any, locale: str | None = None) -> Decimal | None:
    """A decimal number. Without `locale`: digits, one optional point, an optional minus, no
    guessing. With a Babel locale: as that locale writes numbers ("150.000" is 150000 in id_ID),
    strictly, so an ambiguous grouping is refused rather than read wrong.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise FieldError("amount", value, NOT_A_NUMBER)
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise FieldError("amount", value, message(N_("is not a finite number")))
        return Decimal(str(value))
    text = str(value).strip()
    if locale is not None:
        try:
            return parse_decimal(text, locale=locale, strict=True)
        except NumberFormatError:
            raise FieldError("amount", value, message(
                N_("is not a number as written in {locale}"), locale=locale)) from None
    if not _DECIMAL.fullmatch(text):
        raise FieldError("amount", value, NOT_A_NUMBER)
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern already rules this out
        raise FieldError("amount", value, NOT_A_NUMBER) from None


def parse_currency(value: Any) -> str | None:
    text = text_field("currency", value)
    if text is None:
        return None
    text = text.upper()
    if not _CURRENCY.fullmatch(text):
        raise FieldError("currency", value, message(N_("is not an ISO 4217 code like USD")))
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
        raise FieldError("ts", value, NOT_A_TIME)
    if isinstance(value, datetime):  # a date cell of a spreadsheet
        return _in_range(value, _from_datetime(value, tz))
    if isinstance(value, int | float):
        return _in_range(value, Timestamp(float(value), False))
    text = str(value).strip()
    if not text:
        raise FieldError("ts", "", message(N_("a time (ISO 8601 or Unix seconds)")))
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
        expected = (message(N_("does not match the time format {format}"), format=fmt)
                    if fmt else NOT_A_TIME)
        raise FieldError("ts", value, expected) from None
    return _in_range(value, stamp)


def _in_range(value: Any, stamp: Timestamp) -> Timestamp:
    # NaN fails both comparisons, infinities one of them.
    if not MIN_TS <= stamp.seconds <= MAX_TS:
        raise FieldError(
            "ts", value, message(N_("is not a time in years 1 to 9999 (Unix seconds, not "
                                    "milliseconds)"))
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
    "viewer": lambda v: text_field("viewer", v),
    "source": parse_source,
    "is_new": lambda v: parse_bool("is_new", v),
    "text": lambda v: text_field("text", v),
    "sku": lambda v: text_field("sku", v),
    "qty": lambda v: parse_int("qty", v),
    "order_id": lambda v: text_field("order_id", v),
    "amount": parse_amount,
    "currency": parse_currency,
    "label": lambda v: text_field("label", v),
    "id": lambda v: text_field("id", v),
}
