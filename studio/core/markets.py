"""Markets: the buyers' locale, currency, time zone and the stream's target resolution.

The table lives in resources/markets.toml (data, not code). Babel supplies names and formats in
the UI language and the market's own.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.numbers import format_currency

from studio.core.message import N_, message
from studio.resources import resource


class UnknownMarket(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Market:
    code: str
    locale: str
    currency: str
    tz_name: str
    target: tuple[int, int]

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.tz_name)

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
        """An amount as the market's buyers write it: 'Rp 150.000', '1.234,50 €'."""
        return format_currency(amount, currency or self.currency, locale=self.locale)


@cache
def markets() -> dict[str, Market]:
    with resource("markets.toml").open("rb") as fh:
        table = tomllib.load(fh)
    out = {}
    for code, row in table.items():
        width, height = (int(x) for x in row["target"].lower().split("x"))
        out[code] = Market(code, row["locale"], row["currency"], row["tz"], (width, height))
    return out


def market(code: str) -> Market:
    try:
        return markets()[code.upper()]
    except KeyError:
        known = ", ".join(sorted(markets()))
        raise UnknownMarket(message(N_('market "{code}" is not known (known: {known})'),
                                    code=code, known=known)) from None
