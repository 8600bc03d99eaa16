"""What every metrics module shares: the vocabulary of the figures, the session window, safe
ratios. The references the figures are read against are in `references`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from studio.core.events import SOURCES

# Traffic sources; "unknown" collects viewers none of whose joins named a source (many platform
# exports have no source column), so that they are not passed off as "other".
SOURCE_KEYS = (*SOURCES, "unknown")
FUNNEL_STEPS = ("click", "cart", "order", "pay")
FUNNEL_STAGES = ("viewers", "clicked", "carted", "ordered", "paid")
# The event kind behind each funnel stage after the first.
STAGE_KINDS = {
    "clicked": "product_click",
    "carted": "add_to_cart",
    "ordered": "order",
    "paid": "payment",
}
# What a viewer does in the room beyond coming and going: a viewer with any of these but no join
# counts in the warning "activity without a join" (docs/metrics.md). Every path counts the same
# kinds; the two database paths read comments with their texts, and the others apart.
ACTIVITY_KINDS = ("comment", "follow", *STAGE_KINDS.values())
ACTIVITY_BUT_COMMENTS = tuple(kind for kind in ACTIVITY_KINDS if kind != "comment")

RATIO_DIGITS = 6


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
