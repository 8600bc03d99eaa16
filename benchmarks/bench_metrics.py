"""Speed of the session metrics (spec/metrics.md) on a simulated show.

1. Full metrics: `compute(store, id)` (SQL + numpy, reading from the database) against a
   straightforward pure-Python pass over the same events already held in memory (written below
   as `baseline_metrics`; it computes the same figures, and the script checks that they agree).
   Target: compute() at least 5x faster. compute() reads on two threads while it computes;
   its CPU time (all threads) is printed beside the wall-clock time.
2. Live update: `LiveMetrics.add()` for each second of the show's events, fed in order.
   Target: the busiest second <= 20 ms. `snapshot()` is timed too, for the live graphs.

Default: a 60-minute show of 70,000 viewers (~1/4 of the full size, about a minute to run).
--full: ShowPlan(viewers=280_000, minutes=240, seed=1), about 1.2 million events.
Times are the best of --repeats runs, baseline and compute interleaved, in one process.
compute() is also timed in its two steps, one after the other: reading the columns from SQLite
(read_columns, until every query has finished), and the figures from them.
"""

from __future__ import annotations

import argparse
import bisect
import gc
import math
import sys
import tempfile
import time
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

from studio.core.comments import classifier_for
from studio.core.metrics import LiveMetrics, compute
from studio.core.metrics.columns import figures_from_columns, read_columns
from studio.core.metrics.model import Figures
from studio.core.simulate import ShowPlan, ViewerPool, simulate_show, write_events
from studio.core.store import Store

ACCOUNT = "bench"


def baseline_metrics(events, start: float, end: float, classify) -> dict:
    """The figures in plain Python: one pass over the events in time order, then the sums."""
    cache: dict[str, tuple[str, bool]] = {}
    present: dict[str, float] = {}
    dwell: dict[str, float] = {}
    source: dict[str, str] = {}
    stage: dict[str, set[str]] = defaultdict(set)
    commenters: set[str] = set()
    askers: set[str] = set()
    mix: Counter[str] = Counter()
    intervals: list[tuple[float, float]] = []
    leave_times: list[float] = []
    ignored = 0
    gmv: dict[str, Decimal] = defaultdict(Decimal)
    paid_orders: set[str] = set()
    buyers: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    clicks: Counter[str] = Counter()
    carts: Counter[str] = Counter()
    incidents: list[tuple[float, str]] = []

    def clip(ts: float) -> float:
        return min(max(ts, start), end)

    for e in sorted(events, key=lambda e: (e.ts, e.kind == "leave")):
        kind, viewer = e.kind, e.viewer
        if kind == "join":
            dwell.setdefault(viewer, 0.0)
            if e.source and viewer not in source:
                source[viewer] = e.source
            if viewer not in present:
                present[viewer] = clip(e.ts)
        elif kind == "leave":
            if viewer in present:
                opened, closed = present.pop(viewer), clip(e.ts)
                dwell[viewer] += closed - opened
                intervals.append((opened, closed))
                leave_times.append(e.ts)
            else:
                ignored += 1
        elif kind == "comment":
            label = cache.get(e.text)
            if label is None:
                result = classify(e.text)
                label = cache[e.text] = (result.category, result.is_question)
            mix[label[0]] += 1
            commenters.add(viewer)
            if label[1]:
                askers.add(viewer)
        elif kind == "follow":
            stage["follow"].add(viewer)
        elif kind == "product_click":
            stage[kind].add(viewer)
            clicks[e.sku] += 1
        elif kind == "add_to_cart":
            stage[kind].add(viewer)
            carts[e.sku] += 1
        elif kind == "order":
            stage[kind].add(viewer)
        elif kind == "payment":
            stage[kind].add(viewer)
            gmv[e.currency] += e.amount
            paid_orders.add(e.order_id)
            buyers[e.currency][viewer] += e.amount
        elif kind == "health_incident_start":
            incidents.append((e.ts, (e.extra or {}).get("incident", "")))
    for viewer, opened in present.items():
        dwell[viewer] += end - opened
        intervals.append((opened, end))

    n = len(dwell)
    values = list(dwell.values())
    by_source: dict[str, list[float]] = defaultdict(list)
    for viewer, seconds in dwell.items():
        by_source[source.get(viewer, "unknown")].append(seconds)
    payers = stage["payment"]
    sources = {
        key: {
            "viewers": len(d),
            "effective_ratio": sum(1 for s in d if s >= 180) / len(d),
            "payers": sum(1 for v in payers if source.get(v, "unknown") == key and v in dwell),
        }
        for key, d in by_source.items()
    }
    # One sweep over the presence changes in time order: the peak, and each bucket's area.
    bucket = next(w for w in (1, 2, 5, 10, 15, 30, 60) if (end - start) / w <= 1800)
    area = [0.0] * math.ceil((end - start) / bucket)
    deltas = sorted([(a, 1) for a, _ in intervals] + [(b, -1) for _, b in intervals])
    current = peak = 0
    now = start
    for t, delta in deltas:
        while now < t:
            i = int((now - start) // bucket)
            edge = min(t, start + (i + 1) * bucket)
            area[i] += current * (edge - now)
            now = edge
        current += delta
        peak = max(peak, current)
    series = [a / min(bucket, end - (start + i * bucket)) for i, a in enumerate(area)]
    whole = Counter(int(s) for s in values)
    survivors, curve = n, []
    for t in range(int(max(values, default=0)) + 1):
        curve.append(survivors / n)
        survivors -= whole.get(t, 0)
    leave_times.sort()
    per_minute = len(leave_times) / ((end - start) / 60)
    loss = [(bisect.bisect_left(leave_times, s + 60) - bisect.bisect_left(leave_times, s),
             per_minute) for s, _ in incidents]
    top = {}
    for currency, amounts in buyers.items():
        ranked = sorted(amounts.values(), reverse=True)
        top[currency] = sum(ranked[: max(1, math.ceil(0.2 * len(ranked)))]) / gmv[currency]
    total_comments = sum(mix.values())
    return {
        "viewers": n,
        "effective_ratio": sum(1 for s in values if s >= 180) / n,
        "bounce_rate": sum(1 for s in values if s < 60) / n,
        "avg_dwell_s": sum(values) / n,
        "peak_concurrent": peak,
        "sources": sources,
        "comment_rate": len(commenters) / n,
        "question_rate": len(askers) / n,
        "comment_mix": {k: v / total_comments for k, v in mix.items()},
        "funnel": [len(stage[k]) for k in ("product_click", "add_to_cart", "order", "payment")],
        "gmv": dict(gmv),
        "paid_orders": len(paid_orders),
        "top_buyer_share": top,
        "retention": curve,
        "concurrency": series,
        "viewer_loss": loss,
        "ignored_leaves": ignored,
        "products": (clicks, carts),
    }


def check_agreement(base: dict, fig: Figures) -> None:
    """The baseline is only a fair yardstick if it computes the same figures."""
    close = math.isclose
    traffic, interaction = fig.traffic, fig.interaction
    assert base["viewers"] == traffic.viewers
    for key, value in (("effective_ratio", traffic.effective_ratio),
                       ("bounce_rate", traffic.bounce_rate),
                       ("comment_rate", interaction.comment_rate),
                       ("question_rate", interaction.question_rate)):
        assert close(base[key], value, abs_tol=1e-6), key
    assert close(base["avg_dwell_s"], traffic.avg_dwell_s, abs_tol=1e-2)
    assert base["peak_concurrent"] == traffic.peak_concurrent
    assert base["funnel"] == list(fig.funnel.counts()[1:])
    assert {k: float(v) for k, v in base["gmv"].items()} == fig.sales.gmv
    assert base["paid_orders"] == fig.sales.paid_orders
    for key, source in base["sources"].items():
        assert source["viewers"] == fig.sources[key].viewers
        assert source["payers"] == fig.sources[key].payers
    assert len(base["concurrency"]) == len(fig.concurrency.viewers)
    for mine, theirs in zip(base["concurrency"], fig.concurrency.viewers, strict=True):
        assert close(mine, theirs, abs_tol=2e-3)
    for t, share in fig.retention_curve.points:
        assert close(base["retention"][t], share, abs_tol=1e-6)
    assert [loss for loss, _ in base["viewer_loss"]] == [
        v.leaves_60s for v in fig.health.viewer_loss]


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    began = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - began, result


def cpu_timed(fn, *args, **kwargs) -> tuple[float, float, object]:
    """Wall-clock and CPU seconds (all of the process's threads)."""
    began, cpu = time.perf_counter(), time.process_time()
    result = fn(*args, **kwargs)
    return time.perf_counter() - began, time.process_time() - cpu, result


def read_all(store: Store, session_id: int):
    columns = read_columns(store, session_id)
    columns.reads.wait()
    return columns


def bench_full(store: Store, session_id: int, events: list, repeats: int) -> None:
    session = store.session(session_id)
    classify = classifier_for(session.market).classify
    times: dict[str, list[float]] = defaultdict(list)
    for _ in range(repeats):
        seconds, base = timed(baseline_metrics, events, session.started_at, session.ended_at,
                              classify)
        times["baseline"].append(seconds)
        seconds, cpu, figures = cpu_timed(compute, store, session_id, classify=classify)
        times["compute"].append(seconds)
        times["compute_cpu"].append(cpu)
        seconds, columns = timed(read_all, store, session_id)
        times["read"].append(seconds)
        seconds, _ = timed(figures_from_columns, columns, classify)
        times["figures"].append(seconds)
    check_agreement(base, figures)
    best = {name: min(values) for name, values in times.items()}
    print(f"pure-Python baseline over the events in memory: {best['baseline']:.3f} s")
    print(f"compute() from the database: {best['compute']:.3f} s -> "
          f"{best['baseline'] / best['compute']:.1f}x the baseline (target >= 5x); "
          f"CPU {best['compute_cpu']:.3f} s in all threads")
    print(f"  its steps one after the other: reading the columns (read_columns, two threads) "
          f"{best['read']:.3f} s,")
    print(f"  the figures from them (figures_from_columns) {best['figures']:.3f} s -> "
          f"{best['baseline'] / best['figures']:.1f}x the baseline")
    pairs = ", ".join(f"{b / c:.1f}x" for b, c in zip(times["baseline"], times["compute"],
                                                      strict=True))
    print(f"  each run's baseline / compute(): {pairs}")
    print("  the baseline's figures agree with compute()'s")


def bench_live(store: Store, session_id: int, events: list) -> None:
    session = store.session(session_id)
    live = LiveMetrics(session, classify=classifier_for(session.market).classify)
    by_second: dict[int, list] = defaultdict(list)
    for event in events:
        by_second[int(event.ts)].append(event)
    batches = [by_second[second] for second in sorted(by_second)]
    # The benchmark's own million events and their per-second lists are not the app's: move
    # them out of the garbage collector's way, so its pauses measure LiveMetrics alone.
    gc.collect()
    gc.freeze()
    costs = []
    middle = len(batches) // 2
    try:
        for index, batch in enumerate(batches):
            seconds, _ = timed(live.add, batch)
            costs.append((seconds, len(batch)))
            if index == middle:  # on air: the viewers still present are censored
                on_air_s, _ = timed(live.snapshot, batch[-1].ts)
    finally:
        gc.unfreeze()
    worst, worst_size = max(costs)
    busiest_cost, busiest = max(costs, key=lambda c: c[1])
    ranked = sorted(c[0] for c in costs)
    median, p99 = ranked[len(ranked) // 2], ranked[int(len(ranked) * 0.99)]
    print(f"live add(): {len(costs)} one-second batches; median {median * 1e3:.3f} ms, "
          f"99th percentile {p99 * 1e3:.2f} ms, busiest second {busiest} events in "
          f"{busiest_cost * 1e3:.2f} ms, slowest {worst * 1e3:.2f} ms ({worst_size} events) "
          f"(target <= 20 ms)")
    snapshot_s, _ = timed(live.snapshot, session.ended_at)
    print(f"live snapshot() halfway through the show: {on_air_s * 1e3:.0f} ms; "
          f"at its end: {snapshot_s * 1e3:.0f} ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="the ~1.2-million-event show")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    plan = (ShowPlan(viewers=280_000, minutes=240, seed=1) if args.full
            else ShowPlan(viewers=70_000, minutes=60, seed=1))
    events = list(simulate_show(plan, viewer_pool=ViewerPool(ACCOUNT)))
    print(f"show: {plan.viewers:,} viewers, {plan.minutes:g} min, {len(events):,} events")
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "bench.db") as store:
        session_id = store.create_session(market=plan.market, title="bench", platform="tiktok",
                                          account=ACCOUNT, started_at=plan.start,
                                          ended_at=plan.end)
        write_events(store, session_id, events)
        bench_full(store, session_id, events, args.repeats)
        bench_live(store, session_id, events)
    return 0


if __name__ == "__main__":
    sys.exit(main())
