"""Load on the live ingest endpoint: `studio serve` on loopback, four concurrent clients.

1. Sustained: four clients post paced batches (25 events every 0.1 s each: 1,000 events/s in
   all, --rate to change it) for --seconds (default 10; --full: 60). Every event has an id;
   afterwards the database must hold every one of them (zero loss), and every batch must
   have been acknowledged (a 429 is retried, and counted).
2. Maximum: the same four clients post back to back, 200 events a batch, for --max-seconds.
3. Baseline: the same batches written straight through Store.add_events from four threads
   (no HTTP, no JSON), for the ratio that shows what the endpoint costs.

Reports events/s, the latency of an acknowledged batch (sent to answer, p50/p99/max), 429s,
and the ratio max-throughput / direct-store throughput. The server runs in its own process
(as `studio serve` does), the clients in this one: on a 2-core machine they share the cores.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from studio.core.events import Event
from studio.core.store import Store

TOKEN = "bench-token-0123456789abcdef"
CLIENTS = 4
T0 = 1795636800


@dataclass
class ClientLog:
    latencies: list[float] = field(default_factory=list)
    events: int = 0
    busy: int = 0
    errors: list[str] = field(default_factory=list)


def batch(client: int, number: int, size: int) -> list[dict]:
    base = f"c{client}-b{number}-"
    return [
        {
            "ts": T0 + number * 0.1 + i / size,
            "kind": ("join", "comment", "like", "product_click")[i % 4],
            "viewer": f"v{client}-{(number * size + i) % 5000}",
            "text": "这个颜色有货吗？ is this in stock?",
            "sku": "SKU-12",
            "id": base + str(i),
        }
        for i in range(size)
    ]


def post(conn: http.client.HTTPConnection, path: str, body: bytes, log: ClientLog) -> None:
    """Post until acknowledged; a 429 waits for its Retry-After and tries again."""
    while True:
        start = time.perf_counter()
        conn.request("POST", path, body=body, headers={
            "Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
        reply = conn.getresponse()
        data = reply.read()
        if reply.status == 200:
            log.latencies.append(time.perf_counter() - start)
            answer = json.loads(data)
            log.events += answer["accepted"] + answer["duplicates"]
            return
        if reply.status == 429:
            log.busy += 1
            time.sleep(float(reply.getheader("Retry-After", "1")))
            continue
        raise RuntimeError(f"{reply.status}: {data[:200]!r}")


def run_clients(port: int, session: int, *, seconds: float, size: int,
                interval: float | None, first_batch: int) -> tuple[list[ClientLog], float]:
    """Four clients; paced (a batch every `interval` s each) or back to back (None)."""
    logs = [ClientLog() for _ in range(CLIENTS)]
    path = f"/v1/sessions/{session}/events"
    start_at = time.perf_counter() + 0.2
    end_at = start_at + seconds

    def client(number: int) -> None:
        log = logs[number]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            k = 0
            while True:
                due = start_at + k * interval if interval else time.perf_counter()
                if due >= end_at or time.perf_counter() >= end_at:
                    break
                delay = due - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                body = json.dumps(batch(number, first_batch + k, size)).encode()
                post(conn, path, body, log)
                k += 1
        except Exception as exc:  # reported, and the run fails
            log.errors.append(repr(exc))
        finally:
            conn.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return logs, time.perf_counter() - start_at


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def report(name: str, logs: list[ClientLog], elapsed: float) -> float:
    latencies = [x for log in logs for x in log.latencies]
    events = sum(log.events for log in logs)
    rate = events / elapsed
    print(f"{name}: {events} events in {elapsed:.1f} s = {rate:,.0f} events/s "
          f"({len(latencies)} batches, {sum(log.busy for log in logs)} answered 429)")
    if latencies:
        print(f"  acknowledged-batch latency: p50 {statistics.median(latencies) * 1e3:.1f} ms, "
              f"p99 {percentile(latencies, 0.99) * 1e3:.1f} ms, "
              f"max {max(latencies) * 1e3:.1f} ms")
    for log in logs:
        for error in log.errors:
            print(f"  client error: {error}")
    return rate


def start_server(db: Path) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "studio.cli", "serve", "--db", str(db), "--port", "0",
         "--token", TOKEN],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    line = proc.stdout.readline()
    match = re.search(r":(\d+)\s*$", line)
    if not match:
        proc.kill()
        raise SystemExit(f"studio serve did not start: {line!r} {proc.stderr.read()!r}")
    proc.port = int(match.group(1))
    return proc


def direct_baseline(folder: Path, seconds: float, size: int) -> float:
    """Events/s of the same batches through Store.add_events from four threads."""
    with Store(folder / "direct.db") as store:
        session = store.create_session(market="US", title="direct")
        counts = [0] * CLIENTS
        end_at = time.perf_counter() + seconds

        def writer(number: int) -> None:
            k = 0
            while time.perf_counter() < end_at:
                events = [
                    Event(ts=e["ts"], kind=e["kind"], viewer=e["viewer"], text=e["text"],
                          sku=e["sku"], id=e["id"])
                    for e in batch(number, k, size)
                ]
                counts[number] += store.add_events(session, events).result().accepted
                k += 1

        start = time.perf_counter()
        threads = [threading.Thread(target=writer, args=(n,)) for n in range(CLIENTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return sum(counts) / (time.perf_counter() - start)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--full", action="store_true", help="the 60 s sustained run")
    parser.add_argument("--seconds", type=float, help="sustained run length (default 10)")
    parser.add_argument("--rate", type=int, default=1000, help="sustained events/s in all")
    parser.add_argument("--max-seconds", type=float, help="back-to-back run (default 5; 20)")
    args = parser.parse_args()
    seconds = args.seconds or (60 if args.full else 10)
    max_seconds = args.max_seconds or (20 if args.full else 5)
    size = 25
    interval = CLIENTS * size / args.rate

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "ingest.db"
        with Store(db) as store:
            session = store.create_session(market="US", title="bench")
        server = start_server(db)
        try:
            print(f"sustained: {CLIENTS} clients x {size} events every {interval:.3f} s "
                  f"(target {args.rate} events/s) for {seconds:g} s")
            logs, elapsed = run_clients(server.port, session, seconds=seconds, size=size,
                                        interval=interval, first_batch=0)
            sustained = report("sustained", logs, elapsed)
            sent = {f"c{c}-b{k}-{i}" for c, log in enumerate(logs)
                    for k in range(len(log.latencies)) for i in range(size)}
            big = 200
            logs_max, elapsed_max = run_clients(server.port, session, seconds=max_seconds,
                                                size=big, interval=None, first_batch=10**6)
            peak = report(f"maximum ({big}-event batches, back to back)", logs_max, elapsed_max)
        finally:
            server.terminate()
            _out, err = server.communicate(timeout=60)
            if server.returncode:
                print(f"studio serve exited with {server.returncode}: {err.strip()}")
        with sqlite3.connect(db) as conn:
            stored = {row[0] for row in conn.execute("SELECT event_id FROM events")}
        missing = sent - stored
        errors = sum(len(log.errors) for log in logs + logs_max)
        print(f"zero loss: {len(sent)} acknowledged events of the sustained run, "
              f"{len(missing)} missing from the database; {errors} client errors; "
              f"server exit {server.returncode}")
        direct = direct_baseline(folder, max_seconds, big)
        print(f"direct Store.add_events from {CLIENTS} threads: {direct:,.0f} events/s; "
              f"endpoint / direct = {peak / direct:.2f}x")
        target_met = sustained >= 0.98 * args.rate and not missing and not errors
        print(f"sustained {sustained / args.rate:.2f}x the target rate; "
              f"{'met' if target_met else 'NOT met'}")
    return 0 if not missing and not errors else 1


if __name__ == "__main__":
    sys.exit(main())
