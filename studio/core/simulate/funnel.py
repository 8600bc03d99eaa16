"""The conversion funnel (docs/metrics.md section 3): click -> cart -> order -> payment.

Each stage is drawn only for viewers who reached the one before, so the stages can only narrow.
Chances grow with the time a viewer stays and with their source's intent; a flash sale raises
them for viewers present while it runs, and its product sells at the flash price. Some orders are
never paid (payment failures); a few payers buy a second product.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from studio.core.simulate.catalog import Product
from studio.core.simulate.columns import Block
from studio.core.simulate.config import Funnel
from studio.core.simulate.crowd import Crowd
from studio.core.simulate.markers import HostSchedule

CAP = 0.95  # no chance is ever certain


@dataclass(frozen=True, slots=True)
class Purchases:
    """The show's carts and orders. Orders are rows of the cart table that were ordered."""

    blocks: list[Block]
    clicked: np.ndarray  # bool per viewer
    cart_product: np.ndarray  # per cart row
    cart_qty: np.ndarray
    order_ids: list[str]  # per cart row ("" when never ordered)
    amounts: list[Decimal | None]  # per cart row


def _flash_presence(
    crowd: Crowd, schedule: HostSchedule
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each viewer, the first flash sale they were present for (-1: none), and when."""
    sale = np.full(crowd.size, -1)
    since = np.zeros(crowd.size)
    until = np.zeros(crowd.size)
    for number, flash in enumerate(schedule.flash_sales):
        start = np.maximum(crowd.join1, flash.start_s)
        end = np.minimum(crowd.leave1, flash.end_s)
        hit = (sale < 0) & (end - start > 5.0)
        sale[hit], since[hit], until[hit] = number, start[hit], end[hit]
    return sale, since, until


def choose_products(
    rng: np.random.Generator,
    times: np.ndarray,
    schedule: HostSchedule,
    popularity: np.ndarray,
    pinned_share: float,
) -> np.ndarray:
    """Mostly what is pinned at that moment, otherwise by popularity."""
    pinned = schedule.pinned_at(times)
    anything = rng.choice(len(popularity), size=len(times), p=popularity)
    return np.where((rng.random(len(times)) < pinned_share) & (pinned >= 0), pinned, anything)


def _delayed(
    rng: np.random.Generator, after: np.ndarray, mean_s: float, least_s: float
) -> np.ndarray:
    return after + least_s + rng.exponential(mean_s, len(after))


def purchases(
    rng: np.random.Generator,
    crowd: Crowd,
    config: Funnel,
    schedule: HostSchedule,
    products: tuple[Product, ...],
    order_tag: int,
) -> Purchases:
    end = crowd.length_s
    weights = np.array([p.popularity for p in products])
    popularity = weights / weights.sum()
    sale, since, until = _flash_presence(crowd, schedule)
    boost = np.where(sale >= 0, config.flash_boost, 1.0)

    chance = config.click * crowd.intent * (1 - np.exp(-crowd.dwell / config.click_s)) * boost
    clicked = rng.random(crowd.size) < np.minimum(chance, CAP)
    who = np.flatnonzero(clicked)
    in_sale = (sale[who] >= 0) & (rng.random(len(who)) < config.flash_click)
    window = since[who] + (0.1 + 0.8 * rng.random(len(who))) * (until[who] - since[who])
    first_t = np.where(in_sale, window, crowd.moments(who, rng.random(len(who))))
    first_product = choose_products(rng, first_t, schedule, popularity, config.pinned)
    if schedule.flash_sales:
        sale_products = np.array([s.product for s in schedule.flash_sales])
        flash_product = sale_products[np.maximum(sale[who], 0)]
        grab = in_sale & (rng.random(len(who)) < config.flash_pick)
        first_product = np.where(grab, flash_product, first_product)
    extra_who = np.repeat(who, rng.poisson(config.extra_clicks, len(who)))
    extra_t = crowd.moments(extra_who, rng.random(len(extra_who)))
    extra_product = choose_products(rng, extra_t, schedule, popularity, config.pinned)
    clicks = Block.of(
        "product_click",
        np.concatenate([first_t, extra_t]),
        np.concatenate([who, extra_who]),
        np.concatenate([first_product, extra_product]),
    )

    # First purchase: the product first clicked.
    carts = rng.random(len(who)) < np.minimum(config.cart * boost[who], CAP)
    buyer, product, cart_t = who[carts], first_product[carts], first_t[carts]
    cart_t = _delayed(rng, cart_t, config.cart_delay_s, 2.0)
    order_t = _delayed(rng, cart_t, config.order_delay_s, 2.0)
    ordered = rng.random(len(buyer)) < config.order
    pay_t = _delayed(rng, order_t, config.pay_delay_s, 3.0)
    paid = ordered & (rng.random(len(buyer)) < config.pay)
    # A second product for some payers, found later in the show.
    again = paid & (pay_t < end) & (rng.random(len(buyer)) < config.second_order)
    buyer2 = buyer[again]
    cart2_t = _delayed(rng, pay_t[again], 90.0, 20.0)
    product2 = rng.choice(len(products), size=len(buyer2), p=popularity)
    order2_t = _delayed(rng, cart2_t, config.order_delay_s, 2.0)
    ordered2 = rng.random(len(buyer2)) < config.order
    pay2_t = _delayed(rng, order2_t, config.pay_delay_s, 3.0)
    paid2 = ordered2 & (rng.random(len(buyer2)) < config.pay)

    buyer = np.concatenate([buyer, buyer2])
    product = np.concatenate([product, product2])
    cart_t = np.concatenate([cart_t, cart2_t])
    order_t = np.concatenate([order_t, order2_t])
    pay_t = np.concatenate([pay_t, pay2_t])
    ordered = np.concatenate([ordered, ordered2])
    paid = np.concatenate([paid, paid2])
    # Whatever would happen after the show has ended does not happen in it.
    carted = cart_t < end
    ordered &= carted & (order_t < end)
    paid &= ordered & (pay_t < end)
    quantities = np.array(config.quantities)
    qty = rng.choice(len(quantities), size=len(buyer), p=quantities / quantities.sum()) + 1
    flash = np.zeros(len(buyer), dtype=bool)
    for flash_sale in schedule.flash_sales:
        flash |= (product == flash_sale.product) & (cart_t >= flash_sale.start_s) & (
            cart_t < flash_sale.end_s)

    rows = np.flatnonzero(carted)
    order_rows = np.flatnonzero(ordered)
    pay_rows = np.flatnonzero(paid)
    order_ids = [""] * len(buyer)
    amounts: list[Decimal | None] = [None] * len(buyer)
    by_time = order_rows[np.argsort(order_t[order_rows], kind="stable")]
    for number, row in enumerate(by_time.tolist(), start=1):
        item = products[product[row]]
        order_ids[row] = f"{order_tag:08d}{number:07d}"
        amounts[row] = (item.flash_price if flash[row] else item.price) * int(qty[row])
    return Purchases(
        blocks=[
            clicks,
            Block.of("add_to_cart", cart_t[rows], buyer[rows], rows),
            Block.of("order", order_t[order_rows], buyer[order_rows], order_rows),
            Block.of("payment", pay_t[pay_rows], buyer[pay_rows], pay_rows),
        ],
        clicked=clicked,
        cart_product=product,
        cart_qty=qty,
        order_ids=order_ids,
        amounts=amounts,
    )
