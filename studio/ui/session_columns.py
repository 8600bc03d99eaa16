"""The Sessions table's columns, each defined once: its heading, the text of its cell and the key
it sorts by, read from the listed session (known at once) or from its figures (computed on a
worker, so they fill in later). The view finds a column by the object, never by its number."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from studio.core.markets import UnknownMarket, market
from studio.core.metrics.model import Figures
from studio.core.platforms import PLATFORM_NAMES
from studio.core.store import Session
from studio.i18n import _, current_language
from studio.i18n.format import MISSING, duration, money, number, share
from studio.ui.reference_text import stayed_heading


@dataclass(frozen=True, slots=True)
class ListedSession:
    """A session as the list knows it before its figures: with the start its figures use (the
    given start, else its first event's time: `session_bounds`, as `studio sessions` says)."""

    session: Session
    start: float | None


Source = TypeVar("Source", ListedSession, Figures)


@dataclass(frozen=True, slots=True)
class Column(Generic[Source]):
    heading: Callable[[], str]  # in the interface language, asked when the header is made
    text: Callable[[Source], str]
    sort_key: Callable[[Source], object]
    stretch: bool = False  # takes the width the others leave


def _started(listed: ListedSession) -> str:
    if listed.start is None:
        return MISSING
    return format_datetime(datetime.fromtimestamp(listed.start, UTC), format="short",
                           tzinfo=_zone(listed.session.market), locale=current_language())


def _zone(code: str) -> ZoneInfo | None:
    try:
        return market(code).tz
    except UnknownMarket:  # a market since removed from resources/markets.toml
        return None


ID: Column[ListedSession] = Column(
    lambda: _("Id"), lambda r: str(r.session.id), lambda r: r.session.id)
TITLE: Column[ListedSession] = Column(
    lambda: _("Title"), lambda r: r.session.title, lambda r: r.session.title, stretch=True)
MARKET: Column[ListedSession] = Column(
    lambda: _("Market"), lambda r: r.session.market, lambda r: r.session.market)
PLATFORM: Column[ListedSession] = Column(
    lambda: _("Platform"), lambda r: PLATFORM_NAMES.get(r.session.platform, r.session.platform),
    lambda r: r.session.platform)
MODE: Column[ListedSession] = Column(
    lambda: _("Mode"), lambda r: _("replay") if r.session.mode == "replay" else _("live"),
    lambda r: r.session.mode)
STARTED: Column[ListedSession] = Column(lambda: _("Started"), _started, lambda r: r.start or 0)
SESSION_COLUMNS = (ID, TITLE, MARKET, PLATFORM, MODE, STARTED)

LENGTH: Column[Figures] = Column(lambda: _("Length"), lambda f: duration(f.session.duration_s),
                                 lambda f: f.session.duration_s or 0)
VIEWERS: Column[Figures] = Column(lambda: _("Viewers"), lambda f: number(f.traffic.viewers),
                                  lambda f: f.traffic.viewers)
STAYED: Column[Figures] = Column(stayed_heading, lambda f: share(f.traffic.effective_ratio),
                                 lambda f: f.traffic.effective_ratio or 0)
BOUNCED: Column[Figures] = Column(lambda: _("Bounced"), lambda f: share(f.traffic.bounce_rate),
                                  lambda f: f.traffic.bounce_rate or 0)
PAID_ORDERS: Column[Figures] = Column(
    lambda: _("Paid orders"), lambda f: number(f.sales.paid_orders), lambda f: f.sales.paid_orders)
GMV: Column[Figures] = Column(lambda: _("GMV"), lambda f: money(f.sales.gmv),
                              lambda f: sum(f.sales.gmv.values()))
FIGURE_COLUMNS = (LENGTH, VIEWERS, STAYED, BOUNCED, PAID_ORDERS, GMV)

COLUMNS: tuple[Column, ...] = (*SESSION_COLUMNS, *FIGURE_COLUMNS)
