"""Session logs for the metrics tests: the hand-made MAIN log (its figures are worked out in
tests/core/test_metrics.py), a hypothesis strategy for generated logs, and a classifier whose
answer is written into the comment itself ("price:how much?" is a price question), so that
every expected figure can be checked by hand."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from hypothesis import strategies as st

from studio.core.events import SOURCES, Event
from studio.core.store import HealthSample, Store

T0 = 1_767_000_000.0  # every log's session starts here


@dataclass(frozen=True)
class Label:
    category: str
    is_question: bool


def fake_classify(text: str) -> Label:
    category, _, rest = text.partition(":")
    return Label(category, rest.endswith("?"))


def ev(t: float, kind: str, viewer: str | None = None, **fields) -> Event:
    """An event `t` seconds after T0; amounts may be given as strings."""
    if isinstance(fields.get("amount"), str):
        fields["amount"] = Decimal(fields["amount"])
    return Event(ts=T0 + t, kind=kind, viewer=viewer, **fields)


def paid_order(t: float, viewer: str, order_id: str, sku: str, qty: int, amount: str,
               currency: str = "USD") -> list[Event]:
    return [
        ev(t, "order", viewer, order_id=order_id, sku=sku, qty=qty, amount=amount,
           currency=currency),
        ev(t + 1, "payment", viewer, order_id=order_id, amount=amount, currency=currency),
    ]


def make_session(
    store: Store,
    events: Sequence[Event],
    *,
    start: float | None = 0.0,
    end: float | None = 600.0,
    market: str = "US",
    platform: str = "tiktok",
    account: str = "shop",
    mode: str = "live",
    replay_of: int | None = None,
    samples: Sequence[tuple[float, int, int]] = (),
) -> int:
    """A session from T0 + start to T0 + end holding `events`; samples are (t, received,
    dropped) with cumulative counters."""
    session_id = store.create_session(
        market=market,
        title="test",
        platform=platform,
        account=account,
        mode=mode,
        replay_of=replay_of,
        started_at=None if start is None else T0 + start,
        ended_at=None if end is None else T0 + end,
    )
    store.add_events(session_id, list(events)).result()
    if samples:
        store.add_health_samples(session_id, [
            HealthSample(T0 + t, 30.0, 30.0, received, dropped, "OK")
            for t, received, dropped in samples
        ]).result()
    return session_id


# The main log: a 10-minute live session (T0 .. T0+600) on tiktok/shop, market US.
#
#   viewer  source   presence (s after T0)                 dwell
#   a       ads      0-300 (platform says is_new=false)     300   effective
#   b       organic  10-40                                  30   bounce
#   c       organic  100-end(600)                           500   effective
#   d       search   joined at -50 (clipped to 0) - 50       50   bounce
#   e       ads      200-260, 400-520 (join at 450 ignored,
#                    its second join says "social")         180   effective (exactly 3 min)
#   plus a leave by f, who never joined, and a second leave by e at 530: 2 ignored leaves.
#
#   N = 5; dwell sum = 300 + 30 + 500 + 50 + 180 = 1060.
MAIN = [
    ev(0, "join", "a", source="ads", is_new=False),
    ev(300, "leave", "a"),
    ev(10, "join", "b", source="organic"),
    ev(40, "leave", "b"),
    ev(100, "join", "c", source="organic"),
    ev(-50, "join", "d", source="search"),
    ev(50, "leave", "d"),
    ev(200, "join", "e", source="ads"),
    ev(260, "leave", "e"),
    ev(400, "join", "e", source="social"),
    ev(450, "join", "e"),
    ev(520, "leave", "e"),
    ev(530, "leave", "e"),
    ev(70, "leave", "f"),
    # Comments: 7 in all; product 1, price 2, logistics 1, chitchat 3.
    ev(20, "comment", "a", text="product:what size?"),
    ev(21, "comment", "a", text="chitchat:hello"),
    ev(22, "comment", "b", text="chitchat:hi"),
    ev(120, "comment", "c", text="price:how much?"),
    ev(121, "comment", "c", text="price:how much?"),
    ev(210, "comment", "e", text="logistics:ship to TX?"),
    ev(211, "comment", "e", text="chitchat:lol"),
    ev(30, "follow", "a"),
    ev(130, "follow", "c"),
    ev(131, "follow", "c"),
    # Funnel: clicked a, c, e; carted a, c; ordered and paid a (o1), c (o2).
    ev(40, "product_click", "a", sku="SKU-1"),
    ev(140, "product_click", "c", sku="SKU-1"),
    ev(141, "product_click", "c", sku="SKU-2"),
    ev(230, "product_click", "e", sku="SKU-2"),
    ev(50, "add_to_cart", "a", sku="SKU-1", qty=2),
    ev(150, "add_to_cart", "c", sku="SKU-2", qty=1),
    *paid_order(60, "a", "o1", "SKU-1", 2, "40.00"),
    *paid_order(160, "c", "o2", "SKU-2", 1, "15.50"),
    # Health: a freeze 20-26 s, a black run 250-253 s, a low resolution from 550 s that never
    # ends (so it ends with the session at 600 s), and an end whose start is missing.
    ev(20, "health_incident_start", extra={"incident": "freeze", "incident_id": "f1"}),
    ev(26, "health_incident_end", extra={"incident": "freeze", "incident_id": "f1"}),
    ev(250, "health_incident_start", extra={"incident": "black", "incident_id": "b1"}),
    ev(253, "health_incident_end", extra={"incident": "black", "incident_id": "b1"}),
    ev(550, "health_incident_start", extra={"incident": "low_res"}),
    ev(300, "health_incident_end", extra={"incident": "freeze", "incident_id": "zz"}),
    ev(330, "marker", label="flash sale"),
]
# Cumulative counters; the monitor restarted before the 4th sample.
# received: 30 + 28 + 30 + 10 + 30 = 128; dropped: 0 + 2 + 0 + 1 + 0 = 3.
SAMPLES = [(1, 30, 0), (2, 58, 2), (3, 88, 2), (4, 10, 1), (5, 40, 1)]


TEXTS = ("product:fits?", "price:how much?", "price:cheap", "usage:wash it?", "chitchat:hi",
         "logistics:ship?", "other:x", "chitchat:lol")
STEPS = ("product_click", "add_to_cart", "order", "payment")
SESSION_END = 300


@st.composite
def viewer_events(draw, viewer: str) -> list:
    """One viewer's joins and leaves at whole seconds (some outside the session), and a
    well-formed funnel: each step only after the one before it."""
    times = draw(st.lists(st.integers(-20, SESSION_END + 20), min_size=1, max_size=5))
    kinds = draw(st.lists(st.sampled_from(("join", "leave")), min_size=len(times),
                          max_size=len(times)))
    kinds[0] = "join"
    events = []
    for t, kind in zip(times, kinds, strict=True):
        if kind == "join":
            events.append(ev(t, "join", viewer, source=draw(st.sampled_from((*SOURCES, None))),
                             is_new=draw(st.sampled_from((None, True, False)))))
        else:
            events.append(ev(t, "leave", viewer))
    for step in STEPS[: draw(st.integers(0, 4))]:
        t = draw(st.integers(0, SESSION_END))
        order = {"order_id": f"{viewer}-o"} if step in ("order", "payment") else {}
        if step == "payment":
            order.update(amount=Decimal(draw(st.integers(1, 5000))) / 100,
                         currency=draw(st.sampled_from(("USD", "EUR"))))
        elif step != "order":
            order["sku"] = draw(st.sampled_from(("S1", "S2")))
        else:
            order["sku"] = "S1"
        events.append(ev(t, step, viewer, **order))
    for text in draw(st.lists(st.sampled_from(TEXTS), max_size=3)):
        events.append(ev(draw(st.integers(0, SESSION_END)), "comment", viewer, text=text))
    if draw(st.booleans()):
        events.append(ev(draw(st.integers(0, SESSION_END)), "follow", viewer))
    return events


@st.composite
def logs(draw) -> list:
    count = draw(st.integers(0, 6))
    return [e for i in range(count) for e in draw(viewer_events(f"v{i}"))]


def seeded_show(seed: int, viewers: int, length: int) -> list:
    """A show of `length` seconds whose `viewers` come and go at random (seeded, so always the
    same log): some join before the start, stay past the end or come back; some comment,
    follow and buy; one freeze. Big enough that every flag has its evidence."""
    rng = random.Random(seed)
    events = []
    for i in range(viewers):
        viewer = f"s{seed}-{i}"
        t = rng.randint(-30, length - 10)
        source = rng.choice((*SOURCES, None))
        is_new = rng.choice((None, None, True, False))
        for _visit in range(rng.choice((1, 1, 1, 2))):
            events.append(ev(t, "join", viewer, source=source, is_new=is_new))
            t += int(rng.expovariate(1 / 150)) + 1
            if t < length + 30 and rng.random() < 0.9:
                events.append(ev(t, "leave", viewer))
            t += rng.randint(5, 120)
        for text in rng.sample(TEXTS, rng.randint(0, 2)):
            events.append(ev(rng.randint(0, length), "comment", viewer, text=text))
        if rng.random() < 0.2:
            events.append(ev(rng.randint(0, length), "follow", viewer))
        for depth, step in enumerate(STEPS):
            if rng.random() > (0.4, 0.5, 0.6, 0.8)[depth]:
                break
            at = rng.randint(0, length)
            fields = {"sku": rng.choice(("S1", "S2"))} if step != "payment" else {}
            if step in ("order", "payment"):
                fields.update(order_id=f"{viewer}-o", sku="S1" if step == "order" else None)
            if step == "payment":
                fields.update(amount=Decimal(rng.randint(100, 9000)) / 100, currency="USD")
            events.append(ev(at, step, viewer, **fields))
    events.append(ev(length // 3, "health_incident_start",
                     extra={"incident": "freeze", "incident_id": f"f{seed}"}))
    events.append(ev(length // 3 + 4, "health_incident_end",
                     extra={"incident": "freeze", "incident_id": f"f{seed}"}))
    return events
