"""Speed and memory of the desktop app, offscreen: first paint, event-loop lag on air, the
graphs of a long show, and memory over an accelerated 4-hour demo.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_app.py          # ~2.5 minutes
    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_app.py --full   # ~6 minutes
    ... bench_app.py --paint --lag          # only these parts (--graphs, --rss likewise)

1. First paint (`--paint`). Each run is a fresh interpreter (`--child`), started by this script,
   which passes its `time.monotonic()` of just before the start (the clock is system-wide on
   Linux). The child does what `studio.app.main` does (QApplication, a Store in a temporary
   folder, `Studio(app, store, ingest_port=0)` so that the live ingest endpoint starts as in
   the app, `window.show()`, `app.exec()`) with an event filter for QEvent.Paint on the
   application, so that it sees the window's children too (a window covered by opaque
   children, like the baseline's, never gets a paint event itself). The first paint event of
   the window or a widget in it is "first paint"; a zero timer posted from inside that paint
   event fires when the event loop is back, after the whole window has painted and the backing
   store was flushed: "frame done", the figure that counts. (A `singleShot(0)` queued right
   after `show()` is printed too: it fires before the first paint event, so it would
   under-measure.) The baseline is the same protocol for a bare QMainWindow of the same size
   whose central widget is one pyqtgraph PlotWidget. Runs alternate app/baseline after one
   untimed warm-up run of each (bytecode and disk caches); medians are printed, and the ratio
   app / baseline.
2. Event-loop lag (`--lag`). The main window is shown (offscreen), and a precise 10 ms QTimer
   runs the GUI thread's event loop; lag = actual interval - 10 ms. First on the idle window
   (the baseline), then on air: `controller.start(SessionRequest(... source=DEMO_SOURCE,
   demo_audience=True, preview_fps=60, demo_feed_fps=60))` with a 60-minute show at speed 4,
   its viewers chosen (from a simulation of the same plan) so that the audience writes about
   200 events/s during the measured window. The measurement starts 3 s after the session is
   on air (the start-up, when the audience thread draws the whole show, is reported apart).
   The rate is measured from the store's event count (audience + health log) and from the
   feeder's own count. CPU per thread comes from /proc. Then, for attribution, the same
   session for 20 s with the preview signal disconnected from the capture panel.
3. Graphs of a long show (`--graphs`). `write_show` of a simulated show (default 60 minutes,
   70,000 viewers; `--full` 240 minutes, 280,000 viewers, 1.13 M events); `review_view` of it;
   `BoardPanels.show_view(view)` in the shown main window, 20 times, each followed by
   `window.grab()` (a full paint of the window into a pixmap). Then the live case at the end of
   the show: a LiveBoard on an open session is fed the same show (re-simulated, identical) one
   second at a time; for the last 20 seconds `LiveBoard.view(now)` (what the board worker does
   every second), `show_view` and `grab()` are timed, every view being a new one. Last, the
   event-loop lag of part 2 with these graphs on screen: a demo session runs as in part 2, but
   the Live view is shown those 20 end-of-show views, one a second, instead of its own.
4. Memory over an accelerated 4-hour demo (`--rss`, part of `--full`): the live demo with
   `demo_minutes=240`, `speed=120` (2 minutes of wall time), 280,000 viewers (the 4-hour show
   of the other benchmarks, ~9,400 events/s at that speed), preview and feed at 60 fps.
   It runs in a fresh process of its own, so that nothing of the other parts is in its heap.
   VmRSS is read from /proc/self/status every 2 s until the audience has written the whole
   show and the board has caught up; start, peak, end and the slope of the second half are
   printed, and the event-loop lag and the garbage collector's passes over the run.

Everything runs in temporary folders (database and settings); each part stops its session,
closes its Studio and store, and checks that no thread is left.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LAG_INTERVAL_MS = 10
TARGET_RATE = 200.0  # events per second for the lag measurement
LAG_SHOW_MINUTES = 60
LAG_SPEED = 4.0
WARMUP_S = 3.0


# -- small helpers (no Qt) ---------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank) of values."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def stats(values: list[float]) -> str:
    return (f"median {statistics.median(values):7.2f}  p99 {pct(values, 99):7.2f}  "
            f"max {max(values):7.2f} ms  (n={len(values)})")


def proc_status() -> dict[str, float]:
    """VmRSS and VmHWM (peak) of this process, in MB (Linux)."""
    out: dict[str, float] = {}
    with open("/proc/self/status") as fh:
        for line in fh:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0]) / 1024
    return out


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.2f}/{five:.2f} on {os.cpu_count()} cores"


def slope_mb_per_min(points: list[tuple[float, float]]) -> float:
    n = len(points)
    if n < 2:
        return 0.0
    mean_t = sum(t for t, _ in points) / n
    mean_m = sum(m for _, m in points) / n
    num = sum((t - mean_t) * (m - mean_m) for t, m in points)
    den = sum((t - mean_t) ** 2 for t, _ in points)
    return num / den * 60 if den else 0.0


def thread_cpu() -> dict[str, float]:
    """CPU seconds so far of each thread of this process, by Python thread name where there is
    one (Qt's own threads by their system name), from /proc (Linux)."""
    names = {t.native_id: t.name for t in threading.enumerate()}
    tick = os.sysconf("SC_CLK_TCK")
    out: dict[str, float] = {}
    for tid in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{tid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            with open(f"/proc/self/task/{tid}/comm") as fh:
                comm = fh.read().strip()
        except OSError:  # the thread ended meanwhile
            continue
        name = names.get(int(tid), f"[{comm}]")
        out[name] = out.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / tick
    return out


def cpu_shares(before: dict[str, float], after: dict[str, float], wall: float) -> str:
    shares = {name: (cpu - before.get(name, 0.0)) / wall * 100 for name, cpu in after.items()}
    busy = sorted(((v, k) for k, v in shares.items() if v >= 0.5), reverse=True)
    return ", ".join(f"{name} {share:.0f} %" for share, name in busy)


class GcWatch:
    """Durations of the cyclic garbage collector's passes (they stop every thread)."""

    def __init__(self) -> None:
        self.passes: list[tuple[int, float]] = []  # (generation, ms)
        self._started = 0.0

    def __enter__(self) -> GcWatch:
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self._callback)

    def _callback(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.passes.append((info["generation"], (time.perf_counter() - self._started) * 1000))

    def summary(self) -> str:
        old = [ms for generation, ms in self.passes if generation == 2]
        return (f"gc: {len(self.passes)} passes, {sum(ms for _, ms in self.passes):.0f} ms in all; "
                f"{len(old)} of the oldest generation, longest {max(old, default=0):.0f} ms")


def other_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t is not threading.main_thread()]


# -- 1. first paint (child processes) -----------------------------------------------------------


def child_paint(kind: str) -> None:
    """In a fresh interpreter: build the window, show it, print the marks as JSON."""
    t0 = float(os.environ["BENCH_T0"])
    marks = {"interpreter": time.monotonic() - t0}
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QWidget

    if kind == "app":
        from studio.app import Studio, application
        from studio.core.store import Store
    else:
        import pyqtgraph as pg
        from PySide6.QtWidgets import QApplication, QMainWindow
    marks["imports"] = time.monotonic() - t0

    class PaintWatch(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.first: float | None = None
            self.done: float | None = None

        def eventFilter(self, obj, event) -> bool:  # Qt's name
            if (self.first is None and event.type() == QEvent.Type.Paint
                    and isinstance(obj, QWidget) and obj.window() is window):
                self.first = time.monotonic()
                self.widget = type(obj).__name__
                QTimer.singleShot(0, self._done)
            return False

        def _done(self) -> None:
            self.done = time.monotonic()
            app.quit()

    tmp = Path(tempfile.mkdtemp(prefix="bench-app-paint-"))
    studio = None
    try:
        if kind == "app":
            app = application()
            marks["qapplication"] = time.monotonic() - t0
            store = Store(tmp / "studio.db")
            marks["store"] = time.monotonic() - t0
            built = time.monotonic()
            # As main() does, with the live ingest endpoint on (any free loopback port).
            studio = Studio(app, store, language="en", theme="light", ingest_port=0)
            window = studio.window
        else:
            app = QApplication.instance() or QApplication(sys.argv[:1])
            marks["qapplication"] = marks["store"] = time.monotonic() - t0
            built = time.monotonic()
            window = QMainWindow()
            window.resize(1440, 900)
            window.setCentralWidget(pg.PlotWidget())
        marks["built"] = time.monotonic() - t0
        watch = PaintWatch()
        app.installEventFilter(watch)
        QTimer.singleShot(30_000, app.quit)  # never hang
        window.show()
        marks["shown"] = time.monotonic() - t0
        zero = {}
        QTimer.singleShot(0, lambda: zero.setdefault("t", time.monotonic()))
        app.exec()
        if watch.first is None or watch.done is None:
            raise SystemExit("no paint event within 30 s")
        marks["first_paint"] = watch.first - t0
        marks["frame_done"] = watch.done - t0
        marks["construct_to_first_paint"] = watch.first - built
        marks["construct_to_frame_done"] = watch.done - built
        marks["zero_timer_after_show"] = zero["t"] - t0
        app.removeEventFilter(watch)
        window.hide()
    finally:
        if studio is not None:
            studio.close()
        shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps({k: v * 1000 for k, v in marks.items()}))


def bench_paint(runs: int, settings: Path) -> dict:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
           "XDG_CONFIG_HOME": str(settings)}
    results: dict[str, list[dict]] = {"app": [], "baseline": []}
    print(f"\n== 1. first paint: {runs} fresh processes each, app and baseline alternating "
          f"({load()})", flush=True)
    for run in range(runs + 1):  # run 0 warms the bytecode and disk caches, untimed
        for kind in ("app", "baseline"):
            env["BENCH_T0"] = repr(time.monotonic())
            out = subprocess.run([sys.executable, __file__, "--child", kind], env=env,
                                 capture_output=True, text=True, check=False)
            if out.returncode != 0:
                raise SystemExit(f"child {kind} failed:\n{out.stderr}")
            if run:
                results[kind].append(json.loads(out.stdout.strip().splitlines()[-1]))
    keys = ("interpreter", "imports", "qapplication", "store", "built", "shown", "first_paint",
            "frame_done", "construct_to_first_paint", "construct_to_frame_done",
            "zero_timer_after_show")
    med = {kind: {k: statistics.median(r[k] for r in rows) for k in keys}
           for kind, rows in results.items()}
    print(f"{'median ms since process start':34} {'app':>9} {'baseline':>9} {'ratio':>7}")
    for k in keys:
        if k.startswith("construct"):
            label = k.replace("_", " ").replace("construct", "Studio()/QMainWindow()")
        else:
            label = k.replace("_", " ")
        ratio = med["app"][k] / med["baseline"][k] if med["baseline"][k] else float("nan")
        print(f"  {label:32} {med['app'][k]:9.0f} {med['baseline'][k]:9.0f} {ratio:6.2f}x")
    spread = [round(r["frame_done"]) for r in results["app"]]
    print(f"app frame done, every run: {spread} ms")
    return med


# -- Qt helpers (main process) ------------------------------------------------------------------


def run_loop(app, seconds: float, until=None) -> bool:
    """Runs the event loop for `seconds` or until `until()`; True if `until()` came true."""
    from PySide6.QtCore import QEventLoop, QTimer

    deadline = time.monotonic() + seconds
    loop = QEventLoop()
    timer = QTimer()
    result = {"done": False}

    def check() -> None:
        if until is not None and until():
            result["done"] = True
            loop.quit()
        elif time.monotonic() >= deadline:
            loop.quit()

    timer.timeout.connect(check)
    timer.start(20)
    check()
    if not result["done"] and time.monotonic() < deadline:
        loop.exec()
    timer.stop()
    return result["done"]


def measure_lag(app, seconds: float, every=None) -> list[float]:
    """Lags (ms) of a precise 10 ms timer over `seconds` of the event loop; `every(t)` is called
    once a second of the measurement (for sampling other things)."""
    from PySide6.QtCore import QEventLoop, Qt, QTimer

    lags: list[float] = []
    loop = QEventLoop()
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(LAG_INTERVAL_MS)
    start = time.perf_counter()
    state = {"last": start, "next_sample": 1.0}

    def tick() -> None:
        now = time.perf_counter()
        lags.append((now - state["last"]) * 1000 - LAG_INTERVAL_MS)
        state["last"] = now
        elapsed = now - start
        if every is not None and elapsed >= state["next_sample"]:
            state["next_sample"] += 1.0
            every(elapsed)
        if elapsed >= seconds:
            loop.quit()

    timer.timeout.connect(tick)
    timer.start()
    loop.exec()
    timer.stop()
    return lags


class AppUnderTest:
    """A Studio on a temporary database, its window shown offscreen; close() undoes it all."""

    def __init__(self, app, work: Path, name: str) -> None:
        from studio.app import Studio
        from studio.core.store import Store

        self.app = app
        self.store = Store(work / f"{name}.db")
        self.studio = Studio(app, self.store, language="en", theme="light")
        self.window = self.studio.window
        self.window.resize(1440, 900)
        self.window.show()
        run_loop(app, 1.0)  # first paint, layouts settle

    def close(self) -> None:
        controller = self.studio.controller
        if controller.session is not None or controller.busy:
            run_loop(self.app, 30, until=lambda: not controller.busy)
            if controller.stop() is not None:
                run_loop(self.app, 30, until=lambda: controller.session is None)
        self.window.hide()
        window = self.studio.window
        self.studio.close()  # the window's workers, the controller, the store
        window.deleteLater()
        run_loop(self.app, 0.2)


def start_session(app, aut: AppUnderTest, **fields):
    from studio.ui.live.controller import DEMO_SOURCE, SessionRequest

    controller = aut.studio.controller
    request = SessionRequest(market="US", title="bench", source=DEMO_SOURCE, demo_audience=True,
                             preview_fps=60, demo_feed_fps=60, **fields)
    started = time.monotonic()
    controller.start(request)
    if not run_loop(app, 60, until=lambda: controller.session is not None):
        raise SystemExit("the session did not start within 60 s")
    return controller.session, time.monotonic() - started


def stop_session(app, aut: AppUnderTest) -> float:
    controller = aut.studio.controller
    started = time.monotonic()
    if controller.stop() is None:
        raise SystemExit("the session could not be stopped")
    if not run_loop(app, 60, until=lambda: controller.session is None and not controller.busy):
        raise SystemExit("the session did not stop within 60 s")
    return time.monotonic() - started


class Counters:
    """How many board views and preview frames reached the GUI thread."""

    def __init__(self, controller) -> None:
        self.views = 0
        self.previews = 0
        self.controller = controller
        controller.board.connect(self._view)
        controller.preview.connect(self._preview)

    def _view(self, _view) -> None:
        self.views += 1

    def _preview(self, _frame) -> None:
        self.previews += 1

    def disconnect(self) -> None:
        self.controller.board.disconnect(self._view)
        self.controller.preview.disconnect(self._preview)


# -- 2. event-loop lag ---------------------------------------------------------------------------


def viewers_for_rate(rate: float, minutes: float, speed: float,
                     window_s: float) -> tuple[int, float]:
    """Viewers of a `minutes` show whose audience writes about `rate` events/s of wall time over
    [WARMUP_S, WARMUP_S + window_s] at `speed` (from simulations: events scale with viewers;
    the show's own seed moves the rate by a few tens of percent either way)."""
    from studio.core.simulate import ShowPlan, simulate_show

    reference, seeds = 50_000, (1, 2, 3)  # the controller seeds the show from the clock
    lo, hi = WARMUP_S * speed, (WARMUP_S + window_s) * speed
    count = 0
    for seed in seeds:
        plan = ShowPlan(market="US", viewers=reference, minutes=minutes, seed=seed)
        count += sum(1 for e in simulate_show(plan) if lo <= e.ts - plan.start < hi)
    per_viewer = count / len(seeds) / window_s / reference
    viewers = round(rate / per_viewer, -3)
    return int(viewers), viewers * per_viewer


def bench_lag(app, work: Path, seconds: float, idle_seconds: float,
              without_preview_s: float) -> dict:
    print(f"\n== 2. event-loop lag, {LAG_INTERVAL_MS} ms precise timer ({load()})", flush=True)
    viewers, expected = viewers_for_rate(TARGET_RATE, LAG_SHOW_MINUTES, LAG_SPEED, seconds)
    print(f"demo: {LAG_SHOW_MINUTES}-minute show of {viewers:,} viewers at speed {LAG_SPEED:g} "
          f"(simulated rate over the window ~{expected:.0f} events/s), preview and feed 60 fps",
          flush=True)
    aut = AppUnderTest(app, work, "lag")
    try:
        idle = measure_lag(app, idle_seconds)
        print(f"idle window, {idle_seconds:g} s:     {stats(idle)}", flush=True)
        controller = aut.studio.controller
        counters = Counters(controller)
        cpu0 = time.process_time()
        session, start_s = start_session(app, aut, demo_viewers=viewers,
                                         demo_minutes=LAG_SHOW_MINUTES, speed=LAG_SPEED)
        warm = measure_lag(app, WARMUP_S)
        audience = controller._audience  # the feeder's own count of what it wrote
        count0, written0, views0, previews0 = (aut.store.event_count(session.id),
                                               audience.written, counters.views,
                                               counters.previews)
        cpu1, t1, threads1 = time.process_time(), time.monotonic(), thread_cpu()
        with GcWatch() as gc_watch:
            live = measure_lag(app, seconds)
        cpu2, t2, threads2 = time.process_time(), time.monotonic(), thread_cpu()
        count1, written1 = aut.store.event_count(session.id), audience.written
        wall = t2 - t1
        rate_store = (count1 - count0) / wall
        rate_feeder = (written1 - written0) / wall
        views = (counters.views - views0) / wall
        previews = (counters.previews - previews0) / wall
        print(f"start-up: on air after {start_s * 1000:.0f} ms; lag over the first {WARMUP_S:g} s "
              f"on air: {stats(warm)}  (whole start-up CPU {cpu1 - cpu0:.1f} s)")
        print(f"on air, {seconds:g} s:           {stats(live)}")
        over = sum(1 for x in live if x > 30)
        print(f"  lags > 30 ms: {over} of {len(live)}; vs idle: p99 {pct(live, 99):.1f} vs "
              f"{pct(idle, 99):.1f} ms, max {max(live):.0f} vs {max(idle):.0f} ms")
        print(f"  rate: {rate_store:.0f} events/s into the store ({rate_feeder:.0f}/s from the "
              f"audience), {views:.2f} board views/s, {previews:.1f} previews/s reached the GUI; "
              f"process CPU {100 * (cpu2 - cpu1) / wall:.0f} % of a core")
        print(f"  CPU by thread (% of a core): {cpu_shares(threads1, threads2, wall)}")
        print(f"  {gc_watch.summary()}", flush=True)
        if without_preview_s > 0:  # how much of it is the preview's
            controller.preview.disconnect(aut.window.live.capture.show_preview)
            before, t3 = thread_cpu(), time.monotonic()
            bare = measure_lag(app, without_preview_s)
            print(f"same session, the preview not shown, {without_preview_s:g} s: {stats(bare)}")
            print(f"  CPU by thread (% of a core): "
                  f"{cpu_shares(before, thread_cpu(), time.monotonic() - t3)}", flush=True)
        counters.disconnect()
        stop_s = stop_session(app, aut)
        print(f"  stopped in {stop_s * 1000:.0f} ms", flush=True)
        return {"idle": idle, "live": live, "rate": rate_store, "viewers": viewers}
    finally:
        aut.close()


# -- 3. graphs of a long show ------------------------------------------------------------------


def bench_graphs(app, work: Path, viewers: int, minutes: int, updates: int,
                 lag_seconds: float) -> dict:
    from studio.core.onair.board import LiveBoard, review_view
    from studio.core.simulate import ShowPlan, ViewerPool, simulate_show, write_show

    print(f"\n== 3. graphs: a {minutes}-minute show of {viewers:,} viewers ({load()})", flush=True)
    aut = AppUnderTest(app, work, "graphs")
    try:
        store, window = aut.store, aut.window
        panels = window.live.panels
        plan = ShowPlan(market="US", viewers=viewers, minutes=minutes, seed=1)
        t = time.perf_counter()
        session_id = write_show(aut.store, plan)
        events = store.event_count(session_id)
        print(f"write_show: {events:,} events in {time.perf_counter() - t:.1f} s", flush=True)
        t = time.perf_counter()
        view = review_view(store, session_id)
        review_s = time.perf_counter() - t
        concurrency = view.figures.concurrency
        print(f"review_view: {review_s * 1000:.0f} ms; timeline {len(concurrency.viewers)} "
              f"points ({concurrency.bucket_s} s buckets), retention "
              f"{len(view.figures.retention_curve.points)} points, "
              f"{len(view.markers)} markers", flush=True)

        def timed_update(make_view) -> tuple[float, float, float]:
            t0 = time.perf_counter()
            v = make_view()
            t1 = time.perf_counter()
            panels.show_view(v)
            t2 = time.perf_counter()
            window.grab()
            t3 = time.perf_counter()
            app.processEvents()
            return (t1 - t0) * 1000, (t2 - t1) * 1000, (t3 - t2) * 1000

        _, first_show, first_grab = timed_update(lambda: view)
        print(f"first show_view {first_show:.1f} ms, its grab() {first_grab:.1f} ms")
        show, grab = [], []
        for _ in range(updates):
            _, s, g = timed_update(lambda: view)
            show.append(s)
            grab.append(g)
        print(f"review view, show_view: {stats(show)}")
        print(f"review view, grab():    {stats(grab)}", flush=True)
        result = {"review_show": show, "review_grab": grab, "first_show": first_show}

        # The live case: the same show on an open session, one second at a time.
        live_id = store.create_session(market="US", title="bench live", account="demo",
                                       started_at=plan.start)
        board = LiveBoard(store, store.session(live_id))
        batch, second = [], None
        t = time.perf_counter()
        cut = plan.start + plan.length_s - updates - 1
        tail: list[list] = []
        for event in simulate_show(plan, viewer_pool=ViewerPool("bench-live")):
            s = int(event.ts)
            if second is None:
                second = s
            if s != second:
                (tail.append(batch) if second >= cut else board.add(batch))
                batch, second = [], s
            batch.append(event)
        tail.append(batch)
        feed_s = time.perf_counter() - t
        print(f"LiveBoard fed {board._events:,} events one second at a time in {feed_s:.1f} s; "
              f"the last {len(tail)} seconds are timed", flush=True)
        views, show, grab, made = [], [], [], []
        for seconds_events in tail[-updates:]:
            board.add(seconds_events)
            now = seconds_events[-1].ts
            v, s, g = timed_update(lambda now=now: made.append(board.view(now)) or made[-1])
            views.append(v)
            show.append(s)
            grab.append(g)
        print(f"live, LiveBoard.view:   {stats(views)}")
        print(f"live, show_view:        {stats(show)}")
        print(f"live, grab():           {stats(grab)}", flush=True)
        result.update(live_view=views, live_show=show, live_grab=grab)
        if lag_seconds > 0:
            result["lag"] = lag_with_graphs(app, aut, made, lag_seconds)
        return result
    finally:
        aut.close()


def lag_with_graphs(app, aut: AppUnderTest, views: list, seconds: float) -> list[float]:
    """Event-loop lag with the long show's graphs on screen: a demo session runs as in part 2
    (preview 60 fps, ~200 events/s), but the Live view shows the long show's live views, one a
    second as the board worker sends them, instead of the new session's."""
    from PySide6.QtCore import QTimer

    viewers, _ = viewers_for_rate(TARGET_RATE, LAG_SHOW_MINUTES, LAG_SPEED, seconds)
    controller, window = aut.studio.controller, aut.window
    controller.board.disconnect(window.live._board)
    shown = {"i": 0}

    def next_view() -> None:
        window.live.panels.show_view(views[shown["i"] % len(views)])
        shown["i"] += 1

    timer = QTimer()
    timer.timeout.connect(next_view)
    timer.start(1000)
    try:
        start_session(app, aut, demo_viewers=viewers, demo_minutes=LAG_SHOW_MINUTES,
                      speed=LAG_SPEED)
        measure_lag(app, WARMUP_S)
        before, t0 = thread_cpu(), time.monotonic()
        with GcWatch() as gc_watch:
            lags = measure_lag(app, seconds)
        wall = time.monotonic() - t0
        print(f"lag with these graphs on screen, on air as in part 2, {seconds:g} s: "
              f"{stats(lags)}; > 30 ms: {sum(1 for x in lags if x > 30)}")
        print(f"  CPU by thread (% of a core): {cpu_shares(before, thread_cpu(), wall)}")
        print(f"  {gc_watch.summary()}", flush=True)
        stop_session(app, aut)
    finally:
        timer.stop()
    return lags


# -- 4. memory over an accelerated 4-hour demo -----------------------------------------------


def bench_rss(app, work: Path, viewers: int, minutes: float, speed: float) -> dict:
    print(f"\n== 4. memory: {minutes:g}-minute demo of {viewers:,} viewers at speed {speed:g} "
          f"({load()})", flush=True)
    before = proc_status()["VmRSS"]
    aut = AppUnderTest(app, work, "rss")
    try:
        controller = aut.studio.controller
        counters = Counters(controller)
        start = proc_status()["VmRSS"]
        print(f"RSS before the Studio {before:.0f} MB, with the window shown {start:.0f} MB",
              flush=True)
        session, start_s = start_session(app, aut, demo_viewers=viewers, demo_minutes=minutes,
                                         speed=speed)
        print(f"on air after {start_s * 1000:.0f} ms", flush=True)
        audience = controller._audience
        t0 = time.monotonic()
        points: list[tuple[float, float]] = [(0.0, proc_status()["VmRSS"])]
        lags: list[float] = []
        wall_show = minutes * 60 / speed
        caught_up: float | None = None

        def sample(_elapsed: float) -> None:
            t = time.monotonic() - t0
            if len(points) and t - points[-1][0] < 2.0:
                return
            points.append((t, proc_status()["VmRSS"]))
            if len(points) % 10 == 0:
                print(f"  {t:6.0f} s  RSS {points[-1][1]:6.0f} MB  written {audience.written:,}"
                      f"  views {counters.views}", flush=True)

        # Until the audience is done and the board has shown the last events, or a cap.
        gc_watch = GcWatch().__enter__()
        while True:
            lags += measure_lag(app, 5.0, every=sample)
            t = time.monotonic() - t0
            if not audience.is_alive() and caught_up is None:
                caught_up = t
            if caught_up is not None and t >= caught_up + 10:
                break
            if t > wall_show * 2 + 60:
                print("  the audience has not finished: stopping at the cap", flush=True)
                break
        on_air_s = time.monotonic() - t0
        gc_watch.__exit__()
        written = audience.written
        in_store = aut.store.event_count(session.id)
        end = proc_status()
        counters.disconnect()
        stop_s = stop_session(app, aut)
        after_stop = proc_status()["VmRSS"]
        late = [p for p in points if p[0] >= points[-1][0] / 2]
        peak = max(m for _, m in points)
        print(f"audience wrote {written:,} events in {caught_up or on_air_s:.0f} s "
              f"({written / (caught_up or on_air_s):.0f}/s), {in_store:,} in the store; "
              f"{counters.views} board views; on air {on_air_s:.0f} s, stopped in {stop_s:.1f} s")
        print(f"RSS start {points[0][1]:.0f} MB (window shown, session on air), peak "
              f"{peak:.0f} MB (VmHWM {end['VmHWM']:.0f}), end of show {end['VmRSS']:.0f} MB, "
              f"after stop {after_stop:.0f} MB; slope whole run {slope_mb_per_min(points):+.1f}, "
              f"second half {slope_mb_per_min(late):+.1f} MB/min")
        print(f"lag over the run: {stats(lags)}; > 30 ms: {sum(1 for x in lags if x > 30)}")
        print(gc_watch.summary(), flush=True)
        return {"points": points, "peak": peak, "end": end["VmRSS"], "lags": lags}
    finally:
        aut.close()


# -- main ----------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true",
                        help="the 4-hour show's graphs and the 4-hour demo's memory (--rss)")
    parser.add_argument("--paint", action="store_true", help="first paint only (with others)")
    parser.add_argument("--lag", action="store_true", help="event-loop lag")
    parser.add_argument("--graphs", action="store_true", help="graphs of a long show")
    parser.add_argument("--rss", action="store_true", help="memory over a 4-hour demo")
    parser.add_argument("--runs", type=int, default=5, help="first-paint processes per side (5)")
    parser.add_argument("--seconds", type=float, default=60.0, help="lag on air, seconds (60)")
    parser.add_argument("--idle-seconds", type=float, default=20.0, help="idle lag, seconds (20)")
    parser.add_argument("--without-preview-seconds", type=float, default=20.0,
                        help="lag on air with the preview not shown, seconds (20; 0: skip)")
    parser.add_argument("--updates", type=int, default=20, help="graph updates timed (20)")
    parser.add_argument("--graph-lag-seconds", type=float, default=30.0,
                        help="lag with the long show's graphs on screen, seconds (30; 0: skip)")
    parser.add_argument("--rss-viewers", type=int, default=280_000)
    parser.add_argument("--rss-speed", type=float, default=120.0)
    parser.add_argument("--child", choices=("app", "baseline", "rss"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child in ("app", "baseline"):
        child_paint(args.child)
        return 0
    chosen = {name for name in ("paint", "lag", "graphs", "rss") if getattr(args, name)}
    if not chosen:
        chosen = {"paint", "lag", "graphs"} | ({"rss"} if args.full else set())
    if args.child == "rss":
        chosen = {"rss"}
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    work = Path(tempfile.mkdtemp(prefix="bench-app-"))
    settings = work / "config"
    settings.mkdir()
    os.environ["XDG_CONFIG_HOME"] = str(settings)  # never the user's settings
    started = time.monotonic()
    try:
        if "paint" in chosen:
            bench_paint(args.runs, settings)
        sys.stdout.flush()
        if chosen - {"paint", "rss"} or args.child == "rss":
            from studio.app import application

            app = application()
            if "lag" in chosen:
                bench_lag(app, work, args.seconds, args.idle_seconds, args.without_preview_seconds)
            if "graphs" in chosen:
                viewers, minutes = (280_000, 240) if args.full else (70_000, 60)
                bench_graphs(app, work, viewers, minutes, args.updates, args.graph_lag_seconds)
            if args.child == "rss":
                bench_rss(app, work, args.rss_viewers, 240, args.rss_speed)
            left = other_threads()
            print(f"\nthreads left: {left or 'none'}")
        if "rss" in chosen and args.child != "rss":  # a fresh process: nothing else in its heap
            subprocess.run([sys.executable, __file__, "--child", "rss",
                            "--rss-viewers", str(args.rss_viewers),
                            "--rss-speed", str(args.rss_speed)], check=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.child is None:
        print(f"done in {time.monotonic() - started:.0f} s ({load()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
