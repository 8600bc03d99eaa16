"""What every metrics module shares: the session window, reference thresholds, safe ratios.

The thresholds are the seed article's references, quoted in spec/metrics.md; they live here once
so that the flags, the table and the docs cannot drift apart. Beside them, the least evidence
each flag needs before it fires (docs/metrics.md, "Flags and warnings").
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from decimal import Decimal

from studio.core.events import SOURCES

# Traffic sources; "unknown" collects viewers none of whose joins named a source (many platform
# exports have no source column), so that they are not passed off as "other".
SOURCE_KEYS = (*SOURCES, "unknown")
CATEGORIES = ("product", "price", "usage", "logistics", "chitchat", "other")
FUNNEL_STEPS = ("click", "cart", "order", "pay")
FUNNEL_STAGES = ("viewers", "clicked", "carted", "ordered", "paid")
# The event kind behind each funnel stage after the first.
STAGE_KINDS = {
    "clicked": "product_click",
    "carted": "add_to_cart",
    "ordered": "order",
    "paid": "payment",
}

EFFECTIVE_DWELL_S = 180.0  # "有效流量": stayed at least 3 minutes
BOUNCE_DWELL_S = 60.0  # "跳出": left within a minute
REPLAY_COMPLETE_SHARE = 0.90
TOP_BUYER_SHARE = 0.20
LOSS_WINDOW_S = 60.0

RATIO_DIGITS = 6


@dataclass(frozen=True, slots=True)
class Evidence:
    """How much a figure stands on: what a flag needs at least, or what a session has."""

    viewers: int = 0  # viewers the figure counts (a share on air: those whose outcome is known)
    comments: int = 0
    commenters: int = 0
    step_viewers: int = 0  # viewers who reached the funnel step before the weak one
    minutes: float = 0.0  # the session's length (on air: so far)

    def covers(self, needed: Evidence) -> bool:
        return all(getattr(self, f.name) >= getattr(needed, f.name) for f in fields(self))


# The flags' references and, beside each, the least evidence before the flag fires: a share of
# one viewer or a mix of one comment says nothing. On air, a stay or bounce share counts only
# the viewers whose outcome is known. An incident needs no minimum: it was seen, not estimated.
GOOD_EFFECTIVE_RATIO = 0.30
BAD_BOUNCE_RATE = 0.50
MAX_NEW_VIEWER_RATIO = 0.70
_FUNNEL_EVIDENCE = Evidence(viewers=50, step_viewers=10, minutes=5)
FLAG_EVIDENCE: dict[str, Evidence] = {
    "low_effective_ratio": Evidence(viewers=30, minutes=5),
    "high_bounce_rate": Evidence(viewers=30, minutes=2),
    "few_returning_viewers": Evidence(viewers=30, minutes=5),
    "chitchat_over_product": Evidence(comments=20, commenters=5),
    **{f"funnel_weak_{step}": _FUNNEL_EVIDENCE for step in FUNNEL_STEPS},
}


def ratio(numerator: float, denominator: float) -> float | None:
    """numerator / denominator, or None when the denominator is 0 (never 0, never an error)."""
    if not denominator:
        return None
    return round(float(numerator) / float(denominator), RATIO_DIGITS)


def money(amount: Decimal) -> float:
    """An exact Decimal sum as a JSON number; division results keep 4 decimals."""
    return float(round(amount, 4))


def seconds(value: float | None, digits: int = 3) -> float | None:
    return None if value is None or math.isnan(value) else round(float(value), digits)


@dataclass(frozen=True, slots=True)
class Window:
    """The session's time window, Unix seconds UTC. Only presence is clipped to it."""

    start: float
    end: float

    def __post_init__(self) -> None:
        if self.end < self.start:  # every event before the declared start: an empty window
            object.__setattr__(self, "end", self.start)

    @property
    def duration(self) -> float:
        return self.end - self.start

    def clip(self, ts: float) -> float:
        return min(max(ts, self.start), self.end)
