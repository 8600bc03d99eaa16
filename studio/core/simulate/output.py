"""Where simulated shows go: a session in the store, or a generic CSV file (docs/importing.md)."""

from __future__ import annotations

import csv
from collections import deque
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, tzinfo
from itertools import islice
from pathlib import Path

from studio.core.events import FIELDS, Event
from studio.core.simulate.config import audience
from studio.core.simulate.plan import PlanError, ShowPlan
from studio.core.simulate.show import simulate_replay, simulate_show
from studio.core.simulate.viewers import ViewerPool
from studio.core.store import Store

BATCH = 20_000
IN_FLIGHT = 4  # batches queued on the writer before waiting: bounds memory on huge shows


def write_show(
    store: Store,
    plan: ShowPlan,
    *,
    platform: str = "tiktok",
    account: str = "demo",
    title: str | None = None,
    mode: str = "live",
) -> int:
    """Create a session for `plan` (start and end set) and write all its events; returns its id.

    Viewers come from the account's ViewerPool, so shows of one account share regulars.
    """
    session_id = store.create_session(
        market=plan.market,
        title=title or default_title(plan),
        platform=platform,
        account=account,
        mode=mode,
        started_at=plan.start,
        ended_at=plan.end,
    )
    write_events(store, session_id, simulate_show(plan, viewer_pool=ViewerPool(account)))
    return session_id


def write_replay(store: Store, live_session_id: int, plan: ShowPlan) -> int:
    """Write a replay session of the live session `live_session_id`, simulated from its `plan`.

    The replay is published a while after the live show ends and lasts as long as the show.
    """
    live = store.session(live_session_id)
    if live.mode != "live":
        raise PlanError(f"session {live_session_id} is a replay itself, not a live show")
    if live.market != plan.market:
        raise PlanError(
            f"the plan's market {plan.market} differs from the market of session "
            f"{live_session_id} ({live.market})"
        )
    start = (live.ended_at if live.ended_at is not None else plan.end) + audience().replay.delay_s
    session_id = store.create_session(
        market=live.market,
        title=f"{live.title} (replay)",
        platform=live.platform,
        account=live.account,
        mode="replay",
        replay_of=live.id,
        started_at=start,
        ended_at=start + plan.length_s,
    )
    events = simulate_replay(plan, start=start, viewer_pool=ViewerPool(live.account))
    write_events(store, session_id, events)
    return session_id


def write_events(store: Store, session_id: int, events: Iterable[Event]) -> int:
    """Add events to a session in batches; returns how many were new. Waits for the commits."""
    pending: deque = deque()
    added = 0
    for batch in _batches(events, BATCH):
        pending.append(store.add_events(session_id, batch))
        while len(pending) > IN_FLIGHT:
            added += pending.popleft().result().accepted
    while pending:
        added += pending.popleft().result().accepted
    return added


def _batches(events: Iterable[Event], size: int) -> Iterator[list[Event]]:
    iterator = iter(events)
    while batch := list(islice(iterator, size)):
        yield batch


def default_title(plan: ShowPlan) -> str:
    local = datetime.fromtimestamp(plan.start, plan.where.tz)
    return f"Demo show {plan.market} {local:%Y-%m-%d %H:%M}"


def write_events_csv(path: Path, events: Iterable[Event], *, tz: tzinfo = UTC) -> int:
    """Write events in the generic CSV format of docs/importing.md; returns the rows written.

    `ts` is ISO 8601 with the offset of `tz` and millisecond precision.
    """
    rows = 0
    iso = _IsoClock(tz)
    with Path(path).open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(FIELDS)
        for event in events:
            writer.writerow(_csv_row(event, iso(event.ts)))
            rows += 1
    return rows


class _IsoClock:
    """ISO 8601 times with milliseconds, formatting each whole second once (events come sorted)."""

    def __init__(self, tz: tzinfo) -> None:
        self.tz = tz
        self.second: int | None = None
        self.head = self.offset = ""

    def __call__(self, ts: float) -> str:
        # Whole milliseconds first: fromtimestamp(1.001) can land on 1.000999 and print .000.
        second, millis = divmod(round(ts * 1000), 1000)
        if second != self.second:
            text = datetime.fromtimestamp(second, self.tz).isoformat()
            self.second, self.head, self.offset = second, text[:19], text[19:]
        return f"{self.head}.{millis:03d}{self.offset}"


def _csv_row(event: Event, ts: str) -> list[object]:
    return [
        ts,
        event.kind,
        event.viewer or "",
        event.source or "",
        "" if event.is_new is None else ("true" if event.is_new else "false"),
        event.text or "",
        event.sku or "",
        "" if event.qty is None else event.qty,
        event.order_id or "",
        "" if event.amount is None else str(event.amount),
        event.currency or "",
        event.label or "",
        event.id or "",
    ]
