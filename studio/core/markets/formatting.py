"""Amounts, moments and countdowns as a market's buyers read them (Babel/CLDR).

A price said on air is never rounded: TikTok Shop requires the live price to match the
listing, and Babel would round 9.995 USD half-even to "$10.00". `price` says an amount exactly
in its currency's digits or raises `InexactPrice`. The digits are pinned in
resources/currency_digits.toml so that the output does not change with the installed CLDR
release. Digits are Latin (CLDR's "latn" numbering system) in every market, as the platforms
show prices.
"""

from __future__ import annotations

import copy
import tomllib
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING

from babel import Locale
from babel.dates import format_date, format_time, get_timezone_name
from babel.lists import format_list
from babel.numbers import get_currency_precision
from babel.units import format_unit

from studio.core.message import Np_, message
from studio.resources import resource

if TYPE_CHECKING:
    from studio.core.markets.table import Market


class InexactPrice(ValueError):
    """A price that its currency's digits cannot say without rounding."""


@cache
def _pinned_digits() -> dict[str, int]:
    with resource("currency_digits.toml").open("rb") as fh:
        return tomllib.load(fh)


def currency_digits(code: str) -> int:
    """The decimal places a price in `code` is said in: 0 for IDR, JPY, KRW and VND."""
    code = code.upper()
    pinned = _pinned_digits().get(code)
    return pinned if pinned is not None else get_currency_precision(code)


def _currency(value: Decimal, currency: str, locale: str, digits: int) -> str:
    where = Locale.parse(locale)
    pattern = copy.copy(where.currency_formats["standard"])
    pattern.frac_prec = (digits, digits)
    return pattern.apply(value, where, currency=currency.upper(), currency_digits=False)


def price(amount: Decimal | int, currency: str, locale: str) -> str:
    """A price exactly as the listing has it: price(Decimal("150000"), "IDR", "id_ID") is
    'Rp150.000'; one that would need rounding raises InexactPrice."""
    value = Decimal(amount)
    digits = currency_digits(currency)
    if not value.is_finite() or value != value.quantize(Decimal(1).scaleb(-digits)):
        raise InexactPrice(message(
            Np_("{amount} {currency} cannot be said exactly: {currency} prices have "
                "{n} decimal place, and a price on air is never rounded",
                "{amount} {currency} cannot be said exactly: {currency} prices have "
                "{n} decimal places, and a price on air is never rounded"),
            amount=str(amount), currency=currency.upper(), n=digits))
    return _currency(value, currency, locale, digits)


def amount(value: Decimal | float, currency: str, locale: str) -> str:
    """A figure (a total, an average) rounded half-even to its currency's digits."""
    return _currency(Decimal(str(value)) if isinstance(value, float) else Decimal(value),
                     currency, locale, currency_digits(currency))


def moment(when: float | datetime, market: Market) -> str:
    """A moment in the market's main zone, said in its locale with the zone's name:
    'Nov 25, 2026, 8:00 PM Eastern Standard Time'. `when` is Unix seconds or a datetime; a
    datetime without a zone is read as the market's own time."""
    zone = market.tz
    if isinstance(when, datetime):
        local = when.replace(tzinfo=zone) if when.tzinfo is None else when.astimezone(zone)
    else:
        local = datetime.fromtimestamp(when, zone)
    where = Locale.parse(market.locale)
    date = format_date(local, "medium", locale=where)
    time = format_time(local, "short", tzinfo=zone, locale=where)
    zone_name = get_timezone_name(local, width="long", locale=where)
    return f"{str(where.datetime_formats['medium']).format(time, date)} {zone_name}"


_UNITS = (("duration-day", 86400), ("duration-hour", 3600), ("duration-minute", 60))


def countdown(seconds: float, locale: str) -> str:
    """Time left as a presenter says it, in whole units and never more than there is:
    '1 hour and 30 minutes', '45 seconds' under a minute. A moment already past counts as
    0 seconds. The units are joined with CLDR's "and" list: Babel's data for the "unit" list
    style is incomplete for es and empty for most other languages."""
    left = max(0, int(seconds))
    if left < 60:
        return format_unit(left, "duration-second", length="long", locale=locale)
    parts = []
    for unit, size in _UNITS:
        count, left = divmod(left, size)
        if count:
            parts.append(format_unit(count, unit, length="long", locale=locale))
    return format_list(parts, style="standard", locale=locale)
