"""The rules on prices written out as text: `local_currency` (every price in the market's
currency) and `price_matches_catalog` (a product's price as the catalog has it).

A price belongs to the product last named (by name or SKU) in its segment, so "Der Mixer ...
Heute nur 24,99 €" on two lines is the mixer's price. Placeholders ({price:SKU}) are rendered
from the catalog and need no check.
"""

from __future__ import annotations

from collections.abc import Sequence

from studio.core.message import N_, message
from studio.core.scripts.catalog import Product
from studio.core.scripts.checklist.item import CheckItem
from studio.core.scripts.checklist.reading import ReadLine


def local_currency_items(lines: Sequence[ReadLine], currency: str) -> list[CheckItem]:
    items = [CheckItem("local_currency", False, message(
        N_('"{price}" is in {found}; prices on air are in {currency}'),
        price=price.text, found="/".join(sorted(price.currencies)), currency=currency),
        line.number)
        for line in lines for price in line.prices if currency not in price.currencies]
    return items or [CheckItem("local_currency", True, message(
        N_("every price written out is in {currency}"), currency=currency))]


def catalog_items(lines: Sequence[ReadLine], currency: str,
                  products: Sequence[Product] | None) -> list[CheckItem]:
    if products is None:
        return [CheckItem("price_matches_catalog", True, message(
            N_("not checked: no product catalog given")))]
    names = [(p, (p.sku.casefold(), p.name.casefold())) for p in products]
    items, checked, named, segment = [], 0, None, None
    for line in lines:
        if line.segment != segment:
            named, segment = None, line.segment
        folded = line.text.casefold()
        named = next((p for p, keys in names if any(k and k in folded for k in keys)), named)
        for price in line.prices:
            if currency not in price.currencies or named is None or price.amount is None:
                continue
            checked += 1
            if named.currency == currency and price.amount != named.price:
                items.append(CheckItem("price_matches_catalog", False, message(
                    N_('"{price}" for {product}; the catalog says {expected} {currency}'),
                    price=price.text, product=named.name, expected=str(named.price),
                    currency=named.currency), line.number))
    return items or [CheckItem("price_matches_catalog", True, message(
        N_("the prices written out for products match the catalog ({n} checked)"), n=checked))]
