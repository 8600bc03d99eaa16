"""The simulated audience: realistic live shows for the demo, the tests and the benchmarks.

A ShowPlan says what to simulate (market, viewers, length, seed, flash sales, products, traffic
mix); simulate_show yields the show's events in time order, the same for the same plan.
write_show and write_replay put a show (or its replay) into the store as a session;
realtime paces a show against the clock for the live demo; write_events_csv writes the generic
CSV of docs/importing.md. The numbers behind the audience are data: resources/simulate/.
"""

from __future__ import annotations

from studio.core.simulate.catalog import Product
from studio.core.simulate.config import SimulationConfigError
from studio.core.simulate.output import write_events, write_events_csv, write_replay, write_show
from studio.core.simulate.pacing import realtime
from studio.core.simulate.plan import PlanError, ShowPlan
from studio.core.simulate.show import simulate_replay, simulate_show
from studio.core.simulate.viewers import ViewerPool

__all__ = [
    "PlanError",
    "Product",
    "ShowPlan",
    "SimulationConfigError",
    "ViewerPool",
    "realtime",
    "simulate_replay",
    "simulate_show",
    "write_events",
    "write_events_csv",
    "write_replay",
    "write_show",
]
