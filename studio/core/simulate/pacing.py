"""realtime: a simulated show paced against the clock, for the live demo."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from itertools import chain

from studio.core.events import Event
from studio.core.simulate.plan import PlanError, ShowPlan
from studio.core.simulate.show import simulate_show
from studio.core.simulate.viewers import ViewerPool


def realtime(
    plan: ShowPlan,
    *,
    speed: float = 1.0,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    started_at: float | None = None,
    viewer_pool: ViewerPool | None = None,
) -> Iterator[Event]:
    """The show's events, each yielded when its moment comes (speed 60: a show-minute a second).

    Event times are moved so that the show starts at `started_at` (default: now, when iteration
    begins) and keep their show-time spacing, so figures like dwell stay realistic at any speed.
    Stop it by no longer iterating (or `close()`).
    """
    if not speed > 0:
        raise PlanError(f"speed = {speed!r} is not a positive number")
    return _paced(plan, speed, clock, sleep, started_at, viewer_pool)


def _paced(
    plan: ShowPlan,
    speed: float,
    clock: Callable[[], float],
    sleep: Callable[[float], None],
    started_at: float | None,
    viewer_pool: ViewerPool | None,
) -> Iterator[Event]:
    events = simulate_show(plan, viewer_pool=viewer_pool)
    first = next(events, None)  # the whole show is drawn here: start the clock after it
    if first is None:
        return
    origin = time.time() if started_at is None else started_at
    begun = clock()
    for event in chain([first], events):
        offset = event.ts - plan.start
        wait = begun + offset / speed - clock()
        if wait > 0:
            sleep(wait)
        yield replace(event, ts=round(origin + offset, 3))
