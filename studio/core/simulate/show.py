"""simulate_show and simulate_replay: a whole show's events, in time order.

Everything is drawn from one numpy Generator seeded by the plan, so a plan always gives the same
events. The show is built as columns (crowd, host markers, funnel, engagement), merged into time
order, and turned into Event records only while the caller iterates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from studio.core.events import Event
from studio.core.simulate.columns import KIND_ORDER, Block, Merged, merge
from studio.core.simulate.config import audience
from studio.core.simulate.crowd import Crowd, live_crowd, replay_crowd
from studio.core.simulate.engagement import engagement
from studio.core.simulate.funnel import Purchases, purchases
from studio.core.simulate.markers import HostSchedule, host_schedule
from studio.core.simulate.phrases import CommentWriter
from studio.core.simulate.plan import ShowPlan
from studio.core.simulate.viewers import ViewerPool, stable_key

_CHUNK = 65_536  # rows turned into Python objects at a time
_NO_HOST = HostSchedule((), np.zeros(0), np.zeros(0, dtype=np.int64), ())


@dataclass(frozen=True, slots=True)
class _Show:
    plan: ShowPlan
    columns: Merged
    crowd: Crowd
    bought: Purchases
    texts: list[str]  # comment texts
    labels: list[str]  # marker labels


def simulate_show(plan: ShowPlan, *, viewer_pool: ViewerPool | None = None) -> Iterator[Event]:
    """The events of one live show, ts ascending. `viewer_pool` defaults to the "demo" account."""
    yield from _events(_live(plan, viewer_pool or ViewerPool()))


def simulate_replay(
    plan: ShowPlan, *, start: float | None = None, viewer_pool: ViewerPool | None = None
) -> Iterator[Event]:
    """The events of a replay of `plan`'s live show, published at `start`.

    Fewer viewers than the live show, who each watch a part of the recording (as long as the
    show) and buy less. `start` defaults to the configured delay after the live show's end.
    """
    begins = plan.end + audience().replay.delay_s if start is None else start
    yield from _events(_replay(plan, begins, viewer_pool or ViewerPool()))


def _rng(plan: ShowPlan, kind: str) -> np.random.Generator:
    return np.random.default_rng([plan.seed, stable_key(kind, plan.market)])


def _live(plan: ShowPlan, pool: ViewerPool) -> _Show:
    config = audience()
    rng = _rng(plan, "live")
    length = plan.length_s
    flash_starts = tuple(minute * 60.0 for minute in plan.flash_sales)
    schedule = host_schedule(
        rng, plan.products, length, flash_starts, plan.flash_minutes * 60.0,
        config.show.pin_every_s,
    )
    key = stable_key("live", plan.seed, plan.market, plan.start)
    crowd = live_crowd(rng, config, plan.sources, plan.viewers, length, flash_starts, pool, key)
    marker_block = Block.of(
        "marker", [at for at, _ in schedule.markers], np.full(len(schedule.markers), -1),
        np.arange(len(schedule.markers)),
    )
    return _assemble(plan, rng, crowd, schedule, key, plan.start, [marker_block],
                     [label for _, label in schedule.markers])


def _replay(plan: ShowPlan, start: float, pool: ViewerPool) -> _Show:
    config = audience()
    rng = _rng(plan, "replay")
    viewers = max(1, round(plan.viewers * config.replay.viewers))
    key = stable_key("replay", plan.seed, plan.market, start)
    crowd = replay_crowd(rng, config, viewers, plan.length_s, pool, key, plan.viewers)
    return _assemble(plan, rng, crowd, _NO_HOST, key, start, [], [])


def _assemble(
    plan: ShowPlan,
    rng: np.random.Generator,
    crowd: Crowd,
    schedule: HostSchedule,
    key: int,
    start: float,
    blocks: list[Block],
    labels: list[str],
) -> _Show:
    config = audience()
    weights = np.array([p.popularity for p in plan.products])
    bought = purchases(rng, crowd, config.funnel, schedule, plan.products, key % 10**8)
    talk = engagement(
        rng, crowd, config.activity, config.comment_mix, bought.clicked,
        CommentWriter(plan.where, plan.products), schedule, weights / weights.sum(),
    )
    end = crowd.length_s
    everyone = np.arange(crowd.size)
    back = np.flatnonzero(~np.isnan(crowd.join2))
    gone1 = np.flatnonzero(crowd.leave1 < end)
    gone2 = back[crowd.leave2[back] < end]
    blocks = [
        *blocks,
        Block.of("join", crowd.join1, everyone, np.zeros(crowd.size)),
        Block.of("join", crowd.join2[back], back, np.ones(len(back))),
        Block.of("leave", crowd.leave1[gone1], gone1),
        Block.of("leave", crowd.leave2[gone2], gone2),
        *bought.blocks,
        *talk.blocks,
    ]
    return _Show(plan, merge(blocks, start), crowd, bought, talk.texts, labels)


def _makers(show: _Show) -> tuple[Callable[[float, int, int], Event], ...]:
    """One Event builder per kind, indexed by KIND_ORDER rank: (ts, viewer, payload) -> Event."""
    crowd, bought = show.crowd, show.bought
    ids = crowd.ids
    sources = [crowd.source_names[s] for s in crowd.source.tolist()]
    new = crowd.is_new.tolist()
    skus = [p.sku for p in show.plan.products]
    cart_sku = [skus[p] for p in bought.cart_product.tolist()]
    qty = bought.cart_qty.tolist()
    order_ids, amounts = bought.order_ids, bought.amounts
    currency = show.plan.where.currency
    texts, labels = show.texts, show.labels
    builders: dict[str, Callable[[float, int, int], Event]] = {
        "marker": lambda ts, v, p: Event(ts, "marker", label=labels[p]),
        "join": lambda ts, v, p: Event(ts, "join", ids[v], source=sources[v], is_new=new[v]),
        "product_click": lambda ts, v, p: Event(ts, "product_click", ids[v], sku=skus[p]),
        "add_to_cart": lambda ts, v, p: Event(
            ts, "add_to_cart", ids[v], sku=cart_sku[p], qty=qty[p]),
        "order": lambda ts, v, p: Event(
            ts, "order", ids[v], sku=cart_sku[p], qty=qty[p], order_id=order_ids[p],
            amount=amounts[p], currency=currency),
        "payment": lambda ts, v, p: Event(
            ts, "payment", ids[v], order_id=order_ids[p], amount=amounts[p], currency=currency),
        "comment": lambda ts, v, p: Event(ts, "comment", ids[v], text=texts[p]),
        "like": lambda ts, v, p: Event(ts, "like", ids[v]),
        "share": lambda ts, v, p: Event(ts, "share", ids[v]),
        "follow": lambda ts, v, p: Event(ts, "follow", ids[v]),
        "leave": lambda ts, v, p: Event(ts, "leave", ids[v]),
    }
    return tuple(builders[kind] for kind in KIND_ORDER)


def _events(show: _Show) -> Iterator[Event]:
    makers = _makers(show)
    columns = show.columns
    for begin in range(0, len(columns.ts), _CHUNK):
        part = slice(begin, begin + _CHUNK)
        for ts, kind, viewer, payload in zip(
            columns.ts[part].tolist(),
            columns.kind[part].tolist(),
            columns.viewer[part].tolist(),
            columns.payload[part].tolist(),
            strict=True,
        ):
            yield makers[kind](ts, viewer, payload)
