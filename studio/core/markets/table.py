"""The markets table: each market's buyers (locale, languages, currency, zones, payment), how a
show speaks to them (shipping and returns wording, speaking rate, prime time) and the stream's
target resolution.

The table lives in resources/markets.toml (data, not code; its sources are in docs/markets.md).
Babel supplies names and formats in the UI language and the market's own.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError

from studio.core.markets.formatting import amount as format_amount
from studio.core.message import N_, message
from studio.resources import resource

# Languages whose speaking rate is counted in characters: they are written without spaces
# between words (zh, ja, th) or their rate is usually given in syllable blocks (ko).
CHARACTER_RATE_LANGUAGES = frozenset({"zh", "ja", "ko", "th"})

_SLOT = re.compile(r"([01]\d|2[0-3]):[0-5]\d-(([01]\d|2[0-3]):[0-5]\d|24:00)")


class UnknownMarket(ValueError):
    pass


class MarketTableError(ValueError):
    """resources/markets.toml has a row the studio cannot use."""


@dataclass(frozen=True, slots=True)
class Market:
    code: str
    locale: str
    currency: str
    tz_names: tuple[str, ...]  # the first is the market's main zone
    target: tuple[int, int]
    languages: tuple[str, ...]  # language codes, the first is the main one
    platforms: tuple[str, ...]  # where live selling runs there (codes)
    payment_methods: tuple[str, ...]  # the names buyers use
    shipping: str  # `{shipping}` in a script, in the main language
    returns: str  # `{returns}` in a script, in the main language
    speaking_rate: int  # per minute, in rate_unit
    rate_unit: str  # "words" or "chars"
    prime_time: tuple[str, ...]  # "HH:MM-HH:MM" in the main zone
    rtl: bool

    @property
    def tz_name(self) -> str:
        return self.tz_names[0]

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.tz_name)

    @property
    def language(self) -> str:
        return self.languages[0]

    def name(self, ui_locale: str = "en") -> str:
        """The market's country name in the UI language, e.g. 美国 for US in zh_CN."""
        return Locale.parse(ui_locale).territories.get(self.code, self.code)

    def local_and_utc(self, ts: float, *, seconds: bool = False) -> str:
        """A moment as the market's viewers and a UTC log read it, each named:
        '2026-11-25 20:00 America/New_York (2026-11-26 01:00 UTC)'."""
        pattern = "%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M"
        local = datetime.fromtimestamp(ts, self.tz).strftime(pattern)
        return f"{local} {self.tz_name} ({datetime.fromtimestamp(ts, UTC).strftime(pattern)} UTC)"

    def money(self, amount: Decimal | float, currency: str | None = None) -> str:
        """An amount as the market's buyers write it, rounded to the currency's digits:
        'Rp150.000', '1.234,50 €'. A price said on air goes through formatting.price."""
        return format_amount(amount, currency or self.currency, self.locale)


class _Row:
    """One market's table, read with errors that name the market and the key."""

    def __init__(self, code: str, row: dict[str, Any]) -> None:
        self.code = code
        self.row = row

    def bad(self, key: str, expected: str) -> MarketTableError:
        return MarketTableError(message(
            N_("resources/markets.toml: market {code}: {key} {value} is not valid "
               "(expected {expected})"),
            code=self.code, key=key, value=repr(self.row.get(key)), expected=message(expected)))

    def text(self, key: str) -> str:
        value = self.row.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.bad(key, N_("a text"))
        return value

    def texts(self, key: str, *, allow_empty: bool = False) -> tuple[str, ...]:
        value = self.row.get(key)
        if (not isinstance(value, list) or not all(isinstance(v, str) and v for v in value)
                or not (value or allow_empty)):
            raise self.bad(key, N_("a list of texts"))
        return tuple(value)


def _market(code: str, row: dict[str, Any]) -> Market:
    read = _Row(code, row)
    locale = read.text("locale")
    try:
        Locale.parse(locale)
    except (ValueError, UnknownLocaleError):
        raise read.bad("locale", N_("a CLDR locale such as de_DE")) from None
    zones = read.texts("tz")
    for zone in zones:
        try:
            ZoneInfo(zone)
        except (ValueError, ZoneInfoNotFoundError):
            raise read.bad("tz", N_("IANA zones such as Europe/Berlin")) from None
    try:
        width, height = (int(x) for x in read.text("target").lower().split("x"))
    except ValueError:
        raise read.bad("target", N_("WIDTHxHEIGHT such as 1920x1080")) from None
    languages = read.texts("languages")
    rate = row.get("speaking_rate")
    if not isinstance(rate, int) or isinstance(rate, bool) or rate <= 0:
        raise read.bad("speaking_rate", N_("a whole number per minute above 0"))
    prime_time = read.texts("prime_time")
    if not all(_SLOT.fullmatch(slot) for slot in prime_time):
        raise read.bad("prime_time", N_("slots such as 19:00-22:00"))
    rtl = row.get("rtl", False)
    if not isinstance(rtl, bool):
        raise read.bad("rtl", N_("true or false"))
    return Market(
        code=code,
        locale=locale,
        currency=read.text("currency"),
        tz_names=zones,
        target=(width, height),
        languages=languages,
        platforms=read.texts("platforms", allow_empty=True),
        payment_methods=read.texts("payment_methods"),
        shipping=read.text("shipping"),
        returns=read.text("returns"),
        speaking_rate=rate,
        rate_unit="chars" if languages[0] in CHARACTER_RATE_LANGUAGES else "words",
        prime_time=prime_time,
        rtl=rtl,
    )


@cache
def markets() -> dict[str, Market]:
    with resource("markets.toml").open("rb") as fh:
        table = tomllib.load(fh)
    return {code: _market(code, row) for code, row in table.items()}


def market(code: str) -> Market:
    try:
        return markets()[code.upper()]
    except KeyError:
        known = ", ".join(sorted(markets()))
        raise UnknownMarket(message(N_('market "{code}" is not known (known: {known})'),
                                    code=code, known=known)) from None
