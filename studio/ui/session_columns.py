"""The Sessions table's columns, each defined once: its heading, the text of its cell and the key
it sorts by, read from the session (known at once) or from its figures (computed on a worker,
so they fill in later). The view finds a column by the object, never by its number."""

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

Source = TypeVar("Source", Session, Figures)


@dataclass(frozen=True, slots=True)
class Column(Generic[Source]):
    heading: Callable[[], str]  # in the interface language, asked when the header is made
    text: Callable[[Source], str]
    sort_key: Callable[[Source], object]
    stretch: bool = False  # takes the width the others leave


def _started(session: Session) -> str:
    if not session.started_at:
        return MISSING
    return format_datetime(datetime.fromtimestamp(session.started_at, UTC), format="short",
                           tzinfo=_zone(session.market), locale=current_language())


def _zone(code: str) -> ZoneInfo | None:
    try:
        return market(code).tz
    except UnknownMarket:  # a market since removed from resources/markets.toml
        return None


ID: Column[Session] = Column(lambda: _("Id"), lambda s: str(s.id), lambda s: s.id)
TITLE: Column[Session] = Column(lambda: _("Title"), lambda s: s.title, lambda s: s.title,
                                stretch=True)
MARKET: Column[Session] = Column(lambda: _("Market"), lambda s: s.market, lambda s: s.market)
PLATFORM: Column[Session] = Column(
    lambda: _("Platform"), lambda s: PLATFORM_NAMES.get(s.platform, s.platform),
    lambda s: s.platform)
MODE: Column[Session] = Column(
    lambda: _("Mode"), lambda s: _("replay") if s.mode == "replay" else _("live"),
    lambda s: s.mode)
STARTED: Column[Session] = Column(lambda: _("Started"), _started, lambda s: s.started_at or 0)
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
