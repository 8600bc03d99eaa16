"""The host's side of a live show: segments, pinned products and flash sales, as markers.

Labels follow docs/importing.md ("pin SKU-12", "flash sale start", "segment: shipping Q&A"). The
pin timeline also steers the audience: most clicks and product comments go to what is pinned.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from studio.core.simulate.catalog import Product


@dataclass(frozen=True, slots=True)
class FlashSale:
    start_s: float
    end_s: float
    product: int  # index into the plan's products


@dataclass(frozen=True, slots=True)
class HostSchedule:
    markers: tuple[tuple[float, str], ...]  # (seconds from start, label), in time order
    pin_times: np.ndarray  # when each pin happened, ascending
    pin_products: np.ndarray  # which product it pinned
    flash_sales: tuple[FlashSale, ...]

    def pinned_at(self, times: np.ndarray) -> np.ndarray:
        """The product pinned at each time (-1 before the first pin)."""
        if not len(self.pin_times):
            return np.full(len(times), -1, dtype=np.int64)
        slot = np.searchsorted(self.pin_times, times, side="right") - 1
        return np.where(slot >= 0, self.pin_products[np.maximum(slot, 0)], -1)


def host_schedule(
    rng: np.random.Generator,
    products: tuple[Product, ...],
    length_s: float,
    flash_starts_s: tuple[float, ...],
    flash_s: float,
    pin_every_s: float,
) -> HostSchedule:
    by_popularity = sorted(range(len(products)), key=lambda i: -products[i].popularity)
    flash_products = rng.permutation(by_popularity[: max(1, min(3, len(products)))])
    sales = tuple(
        FlashSale(start, min(start + flash_s, length_s), int(product))
        for start, product in zip(
            flash_starts_s, np.resize(flash_products, len(flash_starts_s)), strict=True)
    )
    events: list[tuple[float, int, str, int]] = []  # (time, order at that time, label, pin)

    def mark(at: float, label: str, pin: int = -1) -> None:
        events.append((at, len(events), label, pin))

    mark(0.0, "segment: opening")
    closing = length_s - min(300.0, 0.08 * length_s)
    qa = 0.5 * length_s

    def in_sale(at: float) -> bool:
        return any(s.start_s - 30 <= at < s.end_s + 30 for s in sales)

    demo = min(120.0, 0.05 * length_s)
    if not in_sale(demo):
        mark(demo, "segment: product demo")
    if not in_sale(qa) and qa < closing:
        mark(qa, "segment: shipping Q&A")
        if qa + 300 < closing and not in_sale(qa + 300):
            mark(qa + 300, "segment: product demo")
    pin_at = min(60.0, 0.02 * length_s)
    turn = 0
    while pin_at < closing:
        if not in_sale(pin_at):
            product = by_popularity[turn % len(by_popularity)]
            mark(pin_at, f"pin {products[product].sku}", product)
            turn += 1
        pin_at += pin_every_s
    for sale in sales:
        mark(sale.start_s, "segment: flash sale")
        mark(sale.start_s, "flash sale start")
        mark(sale.start_s, f"pin {products[sale.product].sku}", sale.product)
        if sale.end_s < length_s:
            mark(sale.end_s, "flash sale end")
            if sale.end_s < closing:
                mark(sale.end_s, "segment: product demo")
    mark(closing, "segment: closing")
    events.sort()
    pins = [(at, pin) for at, _, _, pin in events if pin >= 0]
    return HostSchedule(
        markers=tuple((at, label) for at, _, label, _ in events),
        pin_times=np.array([at for at, _ in pins], dtype=float),
        pin_products=np.array([pin for _, pin in pins], dtype=np.int64),
        flash_sales=sales,
    )
