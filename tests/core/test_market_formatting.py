"""Prices, moments and countdowns in each market's conventions, checked against CLDR's own data
(Babel's symbols, zone names and unit patterns), never against the implementation's output."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import babel.core
import pytest
from babel import Locale
from babel.dates import get_timezone_name
from babel.numbers import get_currency_precision, get_currency_symbol
from babel.units import format_unit

from studio.core.markets import market, markets
from studio.core.markets.formatting import (
    InexactPrice,
    amount,
    countdown,
    currency_digits,
    moment,
    price,
)
from studio.core.message import Message

CODES = sorted(markets())
BIDI_AND_SPACES = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u00a0\u202f "), None)


def _number_part(text: str, symbol: str) -> str:
    return text.replace(symbol, "").translate(BIDI_AND_SPACES)


@pytest.mark.parametrize("code", CODES)
def test_a_price_uses_the_markets_symbols_and_its_currencys_digits(code):
    where = market(code)
    digits = currency_digits(where.currency)
    symbols = Locale.parse(where.locale).number_symbols["latn"]
    group, decimal = (symbols["group"].translate(BIDI_AND_SPACES), symbols["decimal"])
    written = price(Decimal("1234567.89")
                    if digits == 2 else Decimal(1234567), where.currency, where.locale)
    symbol = get_currency_symbol(where.currency, where.locale)
    assert symbol in written
    expected = f"1{group}234{group}567" + (f"{decimal}89" if digits else "")
    assert _number_part(written, symbol) == expected


@pytest.mark.parametrize("currency", ["IDR", "VND", "JPY", "KRW"])
def test_no_cents_for_rupiah_dong_yen_and_won(currency):
    assert currency_digits(currency) == 0
    assert not any(sep in price(Decimal(150000), currency, "en_US")[-3:] for sep in ".,")


def test_digits_stay_pinned_when_cldr_changes(monkeypatch):
    # Babel 2.11 (CLDR 42) gave IDR 2 digits; the price said on air must not follow it.
    fractions = babel.core.get_global("currency_fractions")
    monkeypatch.setitem(fractions, "IDR", (2, 0, 0, 0))
    assert get_currency_precision("IDR") == 2
    assert price(Decimal(150000), "IDR", "id_ID") == "Rp150.000"
    assert amount(150000.0, "IDR", "id_ID") == "Rp150.000"


def test_a_currency_not_pinned_uses_the_installed_cldr():
    assert currency_digits("CHF") == get_currency_precision("CHF")
    assert currency_digits("BHD") == get_currency_precision("BHD") == 3


@pytest.mark.parametrize(("value", "currency"), [
    ("9.995", "USD"), ("150000.5", "IDR"), ("0.001", "EUR"), ("1999.9", "JPY"), ("NaN", "USD"),
])
def test_a_price_is_never_rounded(value, currency):
    with pytest.raises(InexactPrice) as raised:
        price(Decimal(value), currency, "en_US")
    said = raised.value.args[0]
    assert isinstance(said, Message)
    assert value in str(said) and currency in str(said) and "never rounded" in str(said)


@pytest.mark.parametrize(("value", "currency", "locale", "expected"), [
    ("9.99", "USD", "en_US", "$9.99"),
    ("9.990", "USD", "en_US", "$9.99"),  # a trailing zero is still exact
    ("2000.00", "JPY", "ja_JP", "￥2,000"),
    ("1E+5", "IDR", "id_ID", "Rp100.000"),
])
def test_an_exact_price_in_any_spelling_is_said(value, currency, locale, expected):
    assert price(Decimal(value), currency, locale) == expected


def test_a_figure_is_rounded_half_even_to_the_digits():
    assert amount(Decimal("9.995"), "USD", "en_US") == "$10.00"
    assert amount(Decimal("0.125"), "USD", "en_US") == "$0.12"
    assert market("DE").money(1234.5) == "1.234,50\u00a0€"


NOV_26_1AM_UTC = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize("code", CODES)
def test_a_moment_is_in_the_markets_zone_and_names_it(code):
    where = market(code)
    local = NOV_26_1AM_UTC.astimezone(where.tz)
    said = moment(NOV_26_1AM_UTC.timestamp(), where)
    assert said.endswith(get_timezone_name(local, width="long", locale=where.locale))
    assert str(local.day) in said and "2026" in said


def test_a_moment_in_new_york_in_summer_and_winter():
    us = market("US")
    assert moment(NOV_26_1AM_UTC, us) == "Nov 25, 2026, 8:00\u202fPM Eastern Standard Time"
    assert moment(datetime(2026, 7, 4, 20, 0), us).endswith("Eastern Daylight Time")
    assert "8:00" in moment(datetime(2026, 7, 4, 20, 0), us)  # no zone: the market's own time


@pytest.mark.parametrize(("seconds", "locale", "expected"), [
    (45, "en_US", "45 seconds"),
    (60, "en_US", "1 minute"),
    (119, "en_US", "1 minute"),  # never more time than there is
    (5400, "en_US", "1 hour and 30 minutes"),
    (86400 + 60, "en_US", "1 day and 1 minute"),
    (-5, "en_US", "0 seconds"),
    # Polish CLDR plural forms: one, few, many
    (60, "pl_PL", "1 minuta"),
    (120, "pl_PL", "2 minuty"),
    (300, "pl_PL", "5 minut"),
    (5400, "de_DE", "1 Stunde und 30 Minuten"),
    (1800, "id_ID", "30 menit"),
])
def test_a_countdown_says_its_units_in_the_language(seconds, locale, expected):
    assert countdown(seconds, locale) == expected


@pytest.mark.parametrize("code", CODES)
def test_a_countdown_uses_the_markets_cldr_units(code):
    locale = market(code).locale
    said = countdown(2 * 3600 + 5 * 60 + 59, locale)
    for count, unit in ((2, "duration-hour"), (5, "duration-minute")):
        assert format_unit(count, unit, length="long", locale=locale) in said
    assert format_unit(59, "duration-second", length="long", locale=locale) not in said
