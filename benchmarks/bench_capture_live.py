"""Live monitoring cost: CPU beyond decoding on a 1080p60 feed, and memory over time.

    .venv/bin/python benchmarks/bench_capture_live.py           # about 2.5 minutes
    .venv/bin/python benchmarks/bench_capture_live.py --hour    # memory over a full hour

CPU: the same 1080p60 recording is played twice at its own pace (60 frames a second, as a live
feed arrives), once by a bare loop that only decodes (``VideoSource.read()``, BGR, as the worker
decodes) and once by the CaptureWorker with analysis, preview (15 fps, 640 px), updates and the
health log into a database. Both decode the same frames in real time, so the difference in
process CPU time, divided by the play time, is what monitoring costs beyond decoding, in % of
one core (the budget is 15 %). Rounds alternate (bare, worker, bare, worker...) so that the
load of a shared machine hits both.

Memory: the worker watches a synthetic 1080p60 feed (default script, so every incident and a
reconnect happen) into a database; RSS is sampled every few seconds and its least-squares slope
is printed in MB per minute, over the whole run and over its second half. Flat means nothing
piles up (frames, samples, changes, log backlog).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from studio.capture.health_log import HealthLog
from studio.capture.sources import open_source
from studio.capture.synthetic import SyntheticFeed
from studio.capture.worker import CaptureWorker, HealthUpdate, PreviewFrame
from studio.core.store import Store


def make_recording(path: Path, seconds: float) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi",
                    "-i", f"testsrc2=s=1920x1080:r=60:d={seconds}", "-pix_fmt", "yuv420p",
                    "-c:v", "libx264", "-preset", "ultrafast", "-g", "120", str(path)],
                   check=True)


def bare_paced_decode(path: Path) -> tuple[float, float, int]:
    """(process CPU seconds, wall seconds, frames) of decoding at the recording's pace."""
    cpu, wall = time.process_time(), time.monotonic()
    frames = 0
    with open_source(path) as source:
        first: float | None = None
        while (frame := source.read()) is not None:
            frames += 1
            first = frame.t if first is None else first
            delay = wall + (frame.t - first) - time.monotonic()
            if delay > 0:
                time.sleep(delay)
    return time.process_time() - cpu, time.monotonic() - wall, frames


def worker_paced(path: Path, db: Path) -> tuple[float, float, int, int]:
    """(process CPU seconds, wall seconds, frames, previews) of the worker on the recording."""
    previews = 0

    def on_preview(frame: PreviewFrame) -> None:
        nonlocal previews
        previews += 1

    with Store(db) as store:
        session = store.create_session(market="US", title="bench")
        cpu, wall = time.process_time(), time.monotonic()
        worker = CaptureWorker(path, on_update=lambda update: None, on_preview=on_preview,
                               health_log=HealthLog(store, session))
        worker.start()
        worker.join()
        cpu, wall = time.process_time() - cpu, time.monotonic() - wall
        assert worker.latest is not None
        return cpu, wall, worker.latest.snapshot.received, previews


def cpu_beyond_decoding(seconds: float, rounds: int, work: Path) -> None:
    path = work / "feed-1080p60.mp4"
    print(f"encoding {seconds:g} s of 1080p60 ...", flush=True)
    make_recording(path, seconds)
    shares = []
    for i in range(rounds):
        bare_cpu, bare_wall, bare_frames = bare_paced_decode(path)
        cpu, wall, frames, previews = worker_paced(path, work / f"bench-{i}.db")
        share = (cpu / wall - bare_cpu / bare_wall) * 100
        shares.append(share)
        print(f"round {i + 1}: bare decode {bare_cpu / bare_wall * 100:5.1f} % of a core "
              f"({bare_frames} frames in {bare_wall:.1f} s); worker {cpu / wall * 100:5.1f} % "
              f"({frames} frames, {previews} previews in {wall:.1f} s); "
              f"beyond decoding {share:5.1f} %", flush=True)
    print(f"CPU beyond decoding, 1080p60: best {min(shares):.1f} %, "
          f"median {sorted(shares)[len(shares) // 2]:.1f} % of one core (budget 15 %)")


def rss_mb() -> float:
    try:
        with open("/proc/self/statm") as statm:
            pages = int(statm.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:  # not Linux: the peak is the best the standard library offers
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / (2**20 if sys.platform == "darwin" else 2**10)


def slope_mb_per_min(points: list[tuple[float, float]]) -> float:
    n = len(points)
    mean_t = sum(t for t, _ in points) / n
    mean_m = sum(m for _, m in points) / n
    num = sum((t - mean_t) * (m - mean_m) for t, m in points)
    den = sum((t - mean_t) ** 2 for t, _ in points)
    return num / den * 60 if den else 0.0


def memory_over_time(seconds: float, every: float, work: Path) -> None:
    updates = 0

    def on_update(update: HealthUpdate) -> None:
        nonlocal updates
        updates += 1

    feed = SyntheticFeed((1920, 1080), 60.0)
    points: list[tuple[float, float]] = []
    print(f"memory: synthetic 1080p60 feed for {seconds:g} s, RSS every {every:g} s", flush=True)
    with Store(work / "memory.db") as store:
        session = store.create_session(market="US", title="memory")
        worker = CaptureWorker(feed.open, on_update=on_update, on_preview=lambda p: None,
                               health_log=HealthLog(store, session))
        start = time.monotonic()
        worker.start()
        try:
            while not points or points[-1][0] < seconds:
                time.sleep(every)
                points.append((time.monotonic() - start, rss_mb()))
                print(f"  {points[-1][0]:7.1f} s  RSS {points[-1][1]:7.1f} MB", flush=True)
        finally:
            worker.stop()
        assert worker.latest is not None
        snapshot = worker.latest.snapshot
        samples = store.reader().execute("SELECT count(*) FROM health_samples").fetchone()[0]
    # Memory settles in steps early on (the feed renders its pattern once per picture size, the
    # first resize is 100 s in; caches fill); the second half shows whether anything grows.
    late = [p for p in points if p[0] >= points[-1][0] / 2]
    print(f"frames {snapshot.received}, dropped {snapshot.dropped}, updates {updates}, "
          f"samples in the database {samples}")
    print(f"RSS start {points[0][1]:.1f} MB, max {max(m for _, m in points):.1f} MB, "
          f"end {points[-1][1]:.1f} MB; slope over the whole run "
          f"{slope_mb_per_min(points):+.2f} MB/min, over the second half "
          f"{slope_mb_per_min(late):+.2f} MB/min")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=15.0,
                        help="length of the 1080p60 recording played per round (default 15)")
    parser.add_argument("--rounds", type=int, default=2, help="bare/worker rounds (default 2)")
    parser.add_argument("--memory-seconds", type=float, default=60.0,
                        help="how long to watch memory (default 60)")
    parser.add_argument("--hour", action="store_true", help="watch memory for a full hour")
    args = parser.parse_args()
    memory_s = 3600.0 if args.hour else args.memory_seconds
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        cpu_beyond_decoding(args.seconds, args.rounds, work)
        memory_over_time(memory_s, 30.0 if args.hour else 5.0, work)


if __name__ == "__main__":
    main()
