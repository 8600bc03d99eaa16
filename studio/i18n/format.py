"""Numbers, shares, money and times as the interface language writes them (Babel).

A missing figure (None: the denominator was 0, see docs/metrics.md) is shown as a dash, never
as 0.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_time
from babel.numbers import format_decimal, format_percent

from studio.core.markets.formatting import amount
from studio.i18n import current_locale

MISSING = "—"


def _locale() -> str:
    return current_locale()


def number(value: float | int | None, digits: int = 0) -> str:
    if value is None:
        return MISSING
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=_locale())


def share(value: float | None, digits: int = 1) -> str:
    if value is None:
        return MISSING
    pattern = "0" + ("." + "0" * digits if digits else "") + "%"
    return format_percent(value, format=pattern, locale=_locale())


def money(amounts: dict[str, float | Decimal] | None) -> str:
    """{"USD": 50.0, "EUR": 3} -> "$50.00 · €3.00" (one amount per currency, never summed),
    each in its currency's digits as a market's buyers see them (studio.core.markets)."""
    if not amounts:
        return MISSING
    return " · ".join(
        amount(value, currency, _locale()) for currency, value in sorted(amounts.items())
    )


def clock(ts: float | None, tz: str | None = None) -> str:
    """A Unix time as the hour of day, in `tz` (the market's zone) or local time."""
    if ts is None:
        return MISSING
    moment = datetime.fromtimestamp(ts, UTC)
    moment = moment.astimezone(ZoneInfo(tz)) if tz else moment.astimezone()
    return format_time(moment, format="HH:mm:ss", locale=_locale())


def duration(seconds: float | None) -> str:
    """Seconds as h:mm:ss or m:ss."""
    if seconds is None:
        return MISSING
    total = max(0, round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
