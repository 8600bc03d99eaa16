"""Running tallies of comments and money, fed row by row by both the batch and the live path.

Comments and sales are a small share of a show's events (a few percent), so one plain-Python
implementation serves both paths; what is expensive (classifying a comment) is cached per
distinct text, because live rooms repeat the same few comments endlessly.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import compress
from operator import itemgetter
from typing import Any

from studio.core.comments import CATEGORIES
from studio.core.metrics.common import money, ratio
from studio.core.metrics.model import ProductFigures
from studio.core.metrics.references import TOP_BUYER_SHARE

Classify = Callable[[str], Any]  # returns an object with .category and .is_question


def default_classifier(market: str) -> Classify:
    """The market's shared comment classifier (studio.core.comments)."""
    from studio.core.comments import classifier_for  # lazily: it loads keyword lists

    return classifier_for(market).classify


class CommentTally:
    def __init__(self, classify: Classify) -> None:
        self._classify = classify
        self._cache: dict[str, tuple[str, bool]] = {}
        self.categories: Counter[str] = Counter()
        self.commenters: set[str] = set()
        self.askers: set[str] = set()

    def _label(self, text: str) -> tuple[str, bool]:
        known = self._cache.get(text)
        if known is None:
            known = self._cache[text] = label(self._classify, text)
        return known

    def add(self, viewer: str, text: str) -> None:
        category, is_question = self._label(text)
        self.categories[category] += 1
        self.commenters.add(viewer)
        if is_question:
            self.askers.add(viewer)

    def add_rows(self, rows: Sequence[tuple[str, str]]) -> None:
        """Many (viewer, text) rows at once: counted per distinct text, in C-level loops."""
        viewer, text = itemgetter(0), itemgetter(1)
        questions = set()
        for distinct, count in Counter(map(text, rows)).items():
            category, is_question = self._label(distinct)
            self.categories[category] += count
            if is_question:
                questions.add(distinct)
        self.commenters.update(map(viewer, rows))
        self.askers.update(compress(map(viewer, rows),
                                    map(questions.__contains__, map(text, rows))))

    @property
    def commenter_count(self) -> int:
        return len(self.commenters)

    @property
    def asker_count(self) -> int:
        return len(self.askers)

    def mix(self) -> dict[str, float | None]:
        return comment_mix(self.categories)


@dataclass(frozen=True, slots=True)
class CommentCounts:
    """What the figures read from a CommentTally, when the batch path has counted it itself."""

    categories: Counter[str]
    commenter_count: int
    asker_count: int

    def mix(self) -> dict[str, float | None]:
        return comment_mix(self.categories)


def comment_mix(categories: Counter[str]) -> dict[str, float | None]:
    total = sum(categories.values())
    return {c: ratio(categories[c], total) for c in CATEGORIES}


def label(classify: Classify, text: str) -> tuple[str, bool]:
    """(category, is_question) of a comment; a category outside the six counts as "other"."""
    result = classify(text)
    category = result.category if result.category in CATEGORIES else "other"
    return category, bool(result.is_question)


class SalesLedger:
    """Payments, orders and product interest: GMV, AOV, GPM, top buyers, the product table."""

    def __init__(self) -> None:
        self.clicks: Counter[str] = Counter()
        self.carts: Counter[str] = Counter()
        # order id -> sku -> units; an order repeated for the same sku counts once (largest qty)
        self._lines: dict[str, dict[str, int]] = defaultdict(dict)
        self._paid: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        self._buyers: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        self.gmv_by_currency: dict[str, Decimal] = defaultdict(Decimal)

    def add_clicks(self, sku: str | None, n: int = 1) -> None:
        self.clicks[sku or ""] += n

    def add_carts(self, sku: str | None, n: int = 1) -> None:
        self.carts[sku or ""] += n

    def add_order(self, order_id: str, sku: str | None, qty: int | None) -> None:
        lines = self._lines[order_id]
        lines[sku or ""] = max(lines.get(sku or "", 0), qty or 1)

    def add_payment(self, viewer: str, order_id: str, amount: Decimal, currency: str) -> None:
        self._paid[order_id][currency] += amount
        self._buyers[currency][viewer] += amount
        self.gmv_by_currency[currency] += amount

    # -- figures ----------------------------------------------------------------------------

    def paid_orders(self) -> int:
        return len(self._paid)

    def payments_without_order(self) -> int:
        return sum(1 for order_id in self._paid if order_id not in self._lines)

    def gmv(self) -> dict[str, float]:
        return {cur: money(total) for cur, total in sorted(self.gmv_by_currency.items())}

    def aov(self) -> dict[str, float | None]:
        orders: Counter[str] = Counter(cur for paid in self._paid.values() for cur in paid)
        return {
            cur: money(total / orders[cur]) if orders[cur] else None
            for cur, total in sorted(self.gmv_by_currency.items())
        }

    def gpm(self, viewers: int) -> dict[str, float | None]:
        return {
            cur: money(total / viewers * 1000) if viewers else None
            for cur, total in sorted(self.gmv_by_currency.items())
        }

    def top_buyer_share(self) -> dict[str, float | None]:
        """Per currency: share of GMV paid by the top 20 % of that currency's buyers."""
        out: dict[str, float | None] = {}
        for cur, buyers in sorted(self._buyers.items()):
            totals = sorted(buyers.values(), reverse=True)
            top = max(1, math.ceil(TOP_BUYER_SHARE * len(totals)))
            gmv = self.gmv_by_currency[cur]
            out[cur] = ratio(float(sum(totals[:top])), float(gmv)) if gmv > 0 else None
        return out

    def products(self) -> tuple[ProductFigures, ...]:
        """Per sku: clicks, carts, orders, paid units and GMV.

        A paid order's payment is shared among its lines in proportion to their quantities
        (an order of one sku, the usual case, gives that sku the whole payment).
        """
        orders: Counter[str] = Counter()
        units: Counter[str] = Counter()
        gmv: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        for order_id, lines in self._lines.items():
            for sku in lines:
                orders[sku] += 1
            paid = self._paid.get(order_id)
            if not paid:
                continue
            total_qty = sum(lines.values())
            for sku, qty in lines.items():
                units[sku] += qty
                for cur, amount in paid.items():
                    gmv[sku][cur] += amount * qty / total_qty
        skus = set(self.clicks) | set(self.carts) | set(orders)
        rows = [
            ProductFigures(
                sku=sku or None,
                clicks=self.clicks[sku],
                carts=self.carts[sku],
                orders=orders[sku],
                paid_units=units[sku],
                gmv={cur: money(v) for cur, v in sorted(gmv[sku].items())},
            )
            for sku in skus
        ]
        rows.sort(key=lambda r: (-r.paid_units, -r.clicks, r.sku or ""))
        return tuple(rows)
