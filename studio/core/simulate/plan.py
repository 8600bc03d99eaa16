"""ShowPlan: everything that shapes one simulated show, with defaults that look like a real one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from studio.core.markets import Market, market
from studio.core.message import N_, message
from studio.core.simulate.catalog import Product, default_products
from studio.core.simulate.config import audience

# A Friday evening: prime time for the buyers, whatever the market.
DEFAULT_START = datetime(2026, 11, 20, 20, 0)
MAX_VIEWERS = 2_000_000  # about 8 million events: what fits in memory comfortably
MAX_MINUTES = 24 * 60


class PlanError(ValueError):
    """A show plan that cannot be simulated; the message names the field (a Message where the
    field is one `studio demo` takes from the user)."""


@dataclass(frozen=True, slots=True)
class ShowPlan:
    """One show to simulate. Fields left as None get the market's defaults on creation.

    `start` is Unix seconds (default: DEFAULT_START in the market's time zone); `flash_sales`
    are minutes into the show (default: a couple, from audience.toml); `products` are priced in
    the market's currency; `sources` is the traffic mix as (source, share) pairs.
    Defaults are filled in on creation, so `dataclasses.replace(plan, market="DE")` keeps the
    first market's start and prices: build a new plan to change the market.
    """

    market: str = "US"
    viewers: int = 2000
    minutes: float = 60
    seed: int = 0
    start: float | None = None
    flash_sales: tuple[float, ...] | None = None
    flash_minutes: float | None = None
    products: tuple[Product, ...] | None = None
    sources: tuple[tuple[str, float], ...] | None = None

    def __post_init__(self) -> None:
        where = market(self.market)  # raises UnknownMarket, which names the known ones
        _check_int("viewers", self.viewers, 1, MAX_VIEWERS)
        _check_int("seed", self.seed, 0, 2**63 - 1)
        _check_number("minutes", self.minutes, 1 / 60, MAX_MINUTES)
        shape = audience().show
        fill = {
            "market": where.code,
            "start": DEFAULT_START.replace(tzinfo=where.tz).timestamp(),
            "flash_sales": tuple(round(f * self.minutes, 1) for f in shape.flash_sales),
            "flash_minutes": min(shape.flash_s / 60, self.minutes / 4),
            "products": default_products(where.currency, shape.flash_discount),
            "sources": tuple((s.name, s.share) for s in audience().sources),
        }
        for name, value in fill.items():
            if getattr(self, name) is None or name == "market":
                object.__setattr__(self, name, value)
        _check_number("start", self.start, 0, 2**40)
        _check_number("flash_minutes", self.flash_minutes, 1 / 60, self.minutes)
        object.__setattr__(self, "flash_sales", _flash_sales(self.flash_sales, self.minutes))
        _check_products(self.products)
        object.__setattr__(self, "sources", _source_mix(self.sources))

    @property
    def length_s(self) -> float:
        return self.minutes * 60.0

    @property
    def end(self) -> float:
        return self.start + self.length_s

    @property
    def where(self) -> Market:
        return market(self.market)


def _check_int(name: str, value: object, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise PlanError(message(N_("{name} = {value} is not a whole number from {low} to {high}"),
                                name=name, value=repr(value), low=low, high=high))


def _check_number(name: str, value: object, low: float, high: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise PlanError(message(N_("{name} = {value} is not a number from {low} to {high}"),
                                name=name, value=repr(value), low=f"{low:g}", high=f"{high:g}"))


def _flash_sales(minutes_in: object, length_min: float) -> tuple[float, ...]:
    try:
        values = tuple(minutes_in)  # type: ignore[arg-type]
    except TypeError:
        raise PlanError(f"flash_sales = {minutes_in!r} is not a list of minutes") from None
    for value in values:
        _check_number("flash_sales", value, 0, length_min - 1 / 60)
    return tuple(sorted(float(v) for v in values))


def _check_products(products: object) -> None:
    if not isinstance(products, tuple) or not products:
        raise PlanError("products must be a non-empty tuple of Product")
    skus = set()
    for product in products:
        if not isinstance(product, Product):
            raise PlanError(f"products: {product!r} is not a Product")
        if product.price <= 0 or product.flash_price <= 0 or product.popularity <= 0:
            raise PlanError(f"products: {product.sku} needs positive prices and popularity")
        if product.sku in skus:
            raise PlanError(f"products: SKU {product.sku} appears twice")
        skus.add(product.sku)


def _source_mix(pairs: object) -> tuple[tuple[str, float], ...]:
    configured = {s.name for s in audience().sources}
    try:
        mix = {str(name): float(share) for name, share in pairs}  # type: ignore[union-attr]
    except (TypeError, ValueError):
        raise PlanError(f"sources = {pairs!r} is not a list of (source, share) pairs") from None
    unknown = set(mix) - configured
    if unknown:
        raise PlanError(
            f"sources: {', '.join(sorted(unknown))} not known "
            f"(known: {', '.join(sorted(configured))})"
        )
    if any(not share >= 0 for share in mix.values()) or sum(mix.values()) <= 0:
        raise PlanError("sources: shares must be >= 0 with a positive total")
    total = sum(mix.values())
    return tuple((name, share / total) for name, share in mix.items() if share > 0)
