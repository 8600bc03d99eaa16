"""The demo shop's products, priced in a market's currency (resources/simulate/catalog.toml)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal, InvalidOperation
from functools import cache

from studio.core.simulate.config import SimulationConfigError, Table, load_toml
from studio.resources import resource


@dataclass(frozen=True, slots=True)
class Product:
    """A product on sale in the show. Prices are in the show's market currency."""

    sku: str
    name: str
    price: Decimal
    flash_price: Decimal  # its price while a flash sale on it runs
    popularity: float = 1.0


@dataclass(frozen=True, slots=True)
class _Pricing:
    per_usd: Decimal
    step: Decimal
    charm: Decimal
    exponent: Decimal  # Decimal("0.01") for two decimals

    def convert(self, usd: Decimal) -> Decimal:
        """A shelf price: converted, rounded up to the step, minus the charm ending."""
        raw = usd * self.per_usd
        steps = (raw / self.step).to_integral_value(rounding=ROUND_CEILING)
        price = max(steps, Decimal(1)) * self.step - self.charm
        return price.quantize(self.exponent)


def _decimal(table: Table, key: str) -> Decimal:
    value = table.require(key)
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        number = Decimal(-1)
    if not number.is_finite() or number < 0:
        raise SimulationConfigError(f"{table.where}.{key} = {value!r} is not an amount >= 0")
    return number


@cache
def _catalog():
    root = load_toml(resource("simulate", "catalog.toml"))
    raw_products = root.require("products")
    if not isinstance(raw_products, list) or not raw_products:
        raise SimulationConfigError(f"{root.where}.products is not a list of products")
    products = []
    for number, data in enumerate(raw_products, start=1):
        if not isinstance(data, dict):
            raise SimulationConfigError(f"{root.where}.products[{number}] is not a table")
        row = Table(data, f"{root.where}.products[{number}]")
        sku, name = row.require("sku"), row.require("name")
        if not isinstance(sku, str) or not sku or not isinstance(name, str):
            raise SimulationConfigError(f"{row.where} needs a text sku and name")
        products.append((sku, name, _decimal(row, "usd"), row.number("popularity", low=1e-6)))
    currencies = root.table("currencies")
    pricing = {}
    for code in currencies.data:
        row = currencies.table(code)
        decimals = int(row.number("decimals", high=4))
        step, charm = _decimal(row, "step"), _decimal(row, "charm")
        if not charm < step:
            raise SimulationConfigError(f"{row.where}: charm must be smaller than step")
        pricing[code] = _Pricing(
            per_usd=_decimal(row, "per_usd"),
            step=step,
            charm=charm,
            exponent=Decimal(1).scaleb(-decimals),
        )
    return tuple(products), pricing


def default_products(currency: str, flash_discount: float) -> tuple[Product, ...]:
    """The catalogue priced in `currency`, with flash prices `flash_discount` lower."""
    products, pricing = _catalog()
    try:
        rule = pricing[currency]
    except KeyError:
        raise SimulationConfigError(
            f"catalog.toml has no price rule for currency {currency} "
            f"(known: {', '.join(sorted(pricing))})"
        ) from None
    keep = Decimal(1) - Decimal(str(flash_discount))
    return tuple(
        Product(sku, name, rule.convert(usd), rule.convert(usd * keep), popularity)
        for sku, name, usd, popularity in products
    )
