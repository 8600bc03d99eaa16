"""The live capture worker: a scripted show, reconnects with backoff, prompt stop, bad frames,
recordings, the health log in a real store, and a live UDP feed with frames cut out."""

from __future__ import annotations

import socket
import subprocess
import threading
import time
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

import cv2
import numpy as np
import pytest
from test_synthetic import FakeClock
from videos import moving, needs_ffmpeg, write_video

from studio.capture.health_log import HealthLog
from studio.capture.sources import Frame, SourceError
from studio.capture.synthetic import DEFAULT_SCRIPT, Script, ScriptStep, SyntheticFeed
from studio.capture.worker import (
    Backoff,
    CaptureWorker,
    HealthUpdate,
    PreviewFrame,
    WorkerState,
    _without_loss_freeze,
)
from studio.core.health import (
    HealthConfig,
    Incident,
    IncidentEnded,
    IncidentStarted,
    ResolutionChanged,
    Status,
    StatusChanged,
)

FPS = 30.0
WALL = 1_700_000_000.0
PICTURES = moving(30, (160, 96))


def wait_until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.01)


class Updates:
    """Collects what the worker hands out (called on the worker thread)."""

    def __init__(self) -> None:
        self.updates: list[HealthUpdate] = []
        self.previews: list[PreviewFrame] = []

    def __call__(self, update: HealthUpdate) -> None:
        self.updates.append(update)

    def preview(self, frame: PreviewFrame) -> None:
        self.previews.append(frame)

    @property
    def changes(self) -> list:
        return [c for u in self.updates for c in u.changes]


def fake_time_worker(source, clock: FakeClock, *, delays: list[float] | None = None,
                     **kwargs) -> CaptureWorker:
    """A worker on the fake clock: its backoff waits advance the clock instead of sleeping."""
    worker: CaptureWorker

    def wait(seconds: float) -> bool:
        if delays is not None:
            delays.append(seconds)
        clock.sleep(seconds)
        time.sleep(0.001)  # a failing opener must not spin a core
        return worker.stopping

    worker = CaptureWorker(source, monotonic=clock.monotonic, wall=lambda: WALL, wait=wait,
                           **kwargs)
    return worker


def incidents(changes) -> list[tuple[str, float, float]]:
    return [(c.incident.kind, c.incident.start, c.incident.end)
            for c in changes if isinstance(c, IncidentEnded)]


# --- a scripted show -------------------------------------------------------------------------


def test_a_scripted_show_is_logged_into_the_session(store):
    script = Script((
        ScriptStep(4.0, "drop", frames=10),
        ScriptStep(8.0, "freeze", seconds=3.0),
        ScriptStep(13.0, "black", seconds=2.5),
        ScriptStep(18.0, "resize", seconds=3.0, size=(320, 192)),
        ScriptStep(24.0, "signal_loss", seconds=3.0),
    ))
    clock = FakeClock()
    feed = SyntheticFeed((160, 96), FPS, script, clock=clock.monotonic, sleep=clock.sleep)
    session = store.create_session(market="US", title="scripted")
    seen = Updates()
    worker = fake_time_worker(feed.open, clock, on_update=seen,
                              health_log=HealthLog(store, session))
    worker.start()
    try:
        wait_until(lambda: feed.show_time() > 36.0)
    finally:
        assert worker.stop()
    assert seen.updates[-1].state == WorkerState.STOPPED
    # on the session timeline: show time 0 is the wall clock at start
    found = [(kind, round(start - WALL, 3), round(end - WALL, 3))
             for kind, start, end in incidents(seen.changes)]
    lost = [i for i in found if i[0] == "signal_lost"]
    assert [i for i in found if i[0] != "signal_lost"] == [
        ("freeze", 8.0, 11.0), ("freeze", 13.0, 15.5), ("black", 13.0, 15.5)]
    assert len(lost) == 1 and lost[0][1] == pytest.approx(24 - 1 / FPS, abs=1e-3)
    assert lost[0][2] > 27.0  # the signal came back after the loss, with the backoff
    resized = [(c.old, c.new) for c in seen.changes if isinstance(c, ResolutionChanged)]
    assert resized == [((160, 96), (320, 192)), ((320, 192), (160, 96))]
    statuses = {c.new for c in seen.changes if isinstance(c, StatusChanged)}
    assert statuses == {Status.OK, Status.WARN, Status.CRIT}
    snapshot = seen.updates[-1].snapshot
    loss_gap = lost[0][2] - lost[0][1]
    assert snapshot.dropped == 10 + round(loss_gap * FPS) - 1

    events = store.events(session)
    kinds = {e.kind for e in events}
    assert kinds == {"health_incident_start", "health_incident_end", "health_status",
                     "health_resolution", "health_reconnect"}
    logged = sorted(e.extra["incident_id"] for e in events if e.kind == "health_incident_end")
    assert logged == sorted(f"{k}-{round((s + WALL) * 1000)}" for k, s, _ in found)
    reconnects = [(e.extra["attempt"], e.extra["ok"]) for e in events
                  if e.kind == "health_reconnect"]
    assert reconnects[-1][1] is True and all(not ok for _, ok in reconnects[:-1])
    samples = list(store.reader().query(
        "SELECT ts, received, dropped FROM health_samples WHERE session_id = ? ORDER BY ts",
        [session]))
    assert samples and all(a["received"] <= b["received"] and a["dropped"] <= b["dropped"]
                           for a, b in pairwise(samples))
    assert (samples[-1]["received"], samples[-1]["dropped"]) == (snapshot.received,
                                                               snapshot.dropped)


def test_the_default_demo_script_shows_every_state_and_incident():
    clock = FakeClock()
    feed = SyntheticFeed((160, 96), FPS, clock=clock.monotonic, sleep=clock.sleep)
    seen = Updates()
    worker = fake_time_worker(feed, clock, config=HealthConfig(target=(160, 96)),
                              on_update=seen)
    worker.start()
    try:
        assert DEFAULT_SCRIPT.loop_s is not None
        wait_until(lambda: feed.show_time() > DEFAULT_SCRIPT.loop_s + 1, 120)
    finally:
        assert worker.stop()
    statuses = [c.new for c in seen.changes if isinstance(c, StatusChanged)]
    assert set(statuses) == {Status.WARN, Status.CRIT, Status.OK}
    assert statuses[:2] == [Status.WARN, Status.OK]  # the first, small drop: WARN only
    assert {kind for kind, _, _ in incidents(seen.changes)} == {
        "freeze", "black", "low_res", "signal_lost"}
    assert len([c for c in seen.changes if isinstance(c, ResolutionChanged)]) == 2
    assert any(r.ok for u in seen.updates for r in u.reconnects)


def test_preview_is_throttled_downscaled_and_bgr():
    clock = FakeClock()
    feed = SyntheticFeed((1280, 720), FPS, Script(()), clock=clock.monotonic, sleep=clock.sleep)
    seen = Updates()
    worker = fake_time_worker(feed.open, clock, on_update=seen, on_preview=seen.preview,
                              preview_fps=10.0)
    worker.start()
    try:
        wait_until(lambda: worker.latest is not None and worker.latest.snapshot.received >= 90)
    finally:
        assert worker.stop()
    frames = seen.updates[-1].snapshot.received
    assert len(seen.previews) == -(-frames // 3)  # 10 a second out of 30: frames 0, 3, 6 ...
    assert {p.image.shape for p in seen.previews} == {(360, 640, 3)}
    assert {p.source_size for p in seen.previews} == {(1280, 720)}
    assert seen.updates[-1].preview is seen.previews[-1]


# --- reconnecting ----------------------------------------------------------------------------


class ScriptedSource:
    """`frames` moving frames paced on the fake clock, then a read that times out."""

    declared_fps = FPS
    luma_range = "limited"

    def __init__(self, clock: FakeClock, frames: int, pictures=PICTURES) -> None:
        self._clock, self._left, self._n, self._pictures = clock, frames, 0, pictures
        self.closed = False

    def read(self) -> Frame | None:
        if self._left <= 0:
            self._clock.sleep(1.0)  # the read timeout
            return None
        self._clock.sleep(1 / FPS)
        self._left -= 1
        self._n += 1
        return Frame(self._pictures[self._n % len(self._pictures)], (self._n - 1) / FPS)

    def close(self) -> None:
        self.closed = True


class FlakyOpener:
    """Follows a plan: "fail" raises SourceError, a number opens a source with that many
    frames; past the plan every open fails."""

    def __init__(self, clock: FakeClock, plan: list, make=ScriptedSource) -> None:
        self._clock, self._plan, self._make = clock, list(plan), make
        self.calls = 0
        self.sources: list[ScriptedSource] = []

    def __call__(self) -> ScriptedSource:
        self.calls += 1
        step = self._plan.pop(0) if self._plan else "fail"
        if step == "fail":
            raise SourceError("udp://feed: cannot be opened (nothing answering)")
        source = self._make(self._clock, step)
        self.sources.append(source)
        return source


def test_reconnects_with_backoff_until_the_feed_returns(store):
    clock = FakeClock()
    opener = FlakyOpener(clock, ["fail", "fail", 60, "fail", "fail", "fail", 60])
    delays: list[float] = []
    session = store.create_session(market="US", title="flaky")
    seen = Updates()
    worker = fake_time_worker(opener, clock, delays=delays, on_update=seen,
                              health_log=HealthLog(store, session))
    worker.start()
    try:
        wait_until(lambda: len(delays) >= 13)
    finally:
        assert worker.stop()
    assert delays[:13] == [0.5, 1, 0.5, 1, 2, 4, 0.5, 1, 2, 4, 8, 10, 10]
    assert all(source.closed for source in opener.sources)
    attempts = [(r.attempt, r.ok) for u in seen.updates for r in u.reconnects]
    assert attempts[:10] == [(1, False), (2, True), (1, False), (2, False), (3, False),
                             (4, True), (1, False), (2, False), (3, False), (4, False)]
    assert "nothing answering" in next(str(r.error) for u in seen.updates for r in u.reconnects)
    # the gap between the two connections: the read timeout, the waits, one frame interval
    gap = 1.0 + 0.5 + 1 + 2 + 4 + 1 / FPS
    lost = [i for i in incidents(seen.changes) if i[0] == "signal_lost"]
    assert lost[0][2] - lost[0][1] == pytest.approx(gap, abs=1e-6)
    assert not [i for i in incidents(seen.changes) if i[0] == "freeze"]
    assert seen.updates[-1].snapshot.received == 120
    assert seen.updates[-1].snapshot.dropped == round(gap * FPS) - 1
    logged = [(e.extra["attempt"], e.extra["ok"]) for e in store.events(session)
              if e.kind == "health_reconnect"]
    assert logged[:6] == attempts[:6]
    states = {u.state for u in seen.updates}
    assert {WorkerState.RECONNECTING, WorkerState.LIVE, WorkerState.STOPPED} <= states


class JumpySource(ScriptedSource):
    """Frames 1/30 s apart on arrival whose timestamps leap 100 s ahead, then back to 0."""

    def read(self) -> Frame | None:
        frame = super().read()
        if frame is None:
            return None
        shift = 100.0 if 30 <= self._n <= 60 else (-5.0 if self._n > 60 else 0.0)
        return Frame(frame.image, frame.t + shift)


def test_timestamps_that_leap_or_go_back_are_reanchored_not_counted_as_drops():
    clock = FakeClock()
    seen = Updates()
    worker = fake_time_worker(FlakyOpener(clock, [90], JumpySource), clock, on_update=seen)
    worker.start()
    try:
        wait_until(lambda: worker.latest is not None and worker.latest.snapshot.received >= 90)
    finally:
        assert worker.stop()
    snapshot = seen.updates[-1].snapshot
    assert (snapshot.received, snapshot.dropped) == (90, 0)
    first_arrival = WALL + 1 / FPS  # the first frame arrived one frame interval after start
    assert snapshot.t == pytest.approx(first_arrival + 89 / FPS, abs=2e-3)


# --- stopping ---------------------------------------------------------------------------------


class BlockingSource:
    """A read that blocks until its timeout, as OpenCV's does on a silent stream."""

    declared_fps = FPS
    luma_range = "limited"

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.reading = threading.Event()
        self.closed = False

    def read(self) -> Frame | None:
        self.reading.set()
        time.sleep(self.timeout)
        return None

    def close(self) -> None:
        self.closed = True


def test_stop_is_prompt_while_a_read_blocks():
    source = BlockingSource(timeout=0.5)
    worker = CaptureWorker(lambda: source, read_timeout_s=0.5)
    worker.start()
    assert source.reading.wait(10)
    started = time.monotonic()
    assert worker.stop()
    assert time.monotonic() - started < 2.0  # one read timeout, with room for a loaded machine
    wait_until(lambda: source.closed, 5)


def test_stop_is_prompt_during_a_long_backoff():
    calls = []

    def never() -> BlockingSource:
        calls.append(1)
        raise SourceError("nothing there")

    worker = CaptureWorker(never, backoff=Backoff(first=30.0, cap=60.0))
    worker.start()
    wait_until(lambda: calls)
    started = time.monotonic()
    assert worker.stop()
    assert time.monotonic() - started < 2.0
    assert worker.latest is not None and worker.latest.state == WorkerState.STOPPED
    assert worker.latest.error == "nothing there"


def test_a_listener_may_stop_the_worker():
    clock = FakeClock()
    feed = SyntheticFeed((160, 96), FPS, Script(()), clock=clock.monotonic, sleep=clock.sleep)
    worker: CaptureWorker

    def stop_after_a_second(update: HealthUpdate) -> None:
        if update.snapshot.received >= 30:
            worker.stop()

    worker = fake_time_worker(feed.open, clock, on_update=stop_after_a_second)
    worker.start()
    worker.join(10)
    assert not worker.is_alive()
    assert worker.latest is not None and worker.latest.state == WorkerState.STOPPED


# --- bad input never crashes ------------------------------------------------------------------


class GarbageSource:
    """Good frames, a size change, then garbage, then a read that raises, then good again."""

    declared_fps = FPS
    luma_range = "limited"

    def __init__(self, clock: FakeClock) -> None:
        good = [*moving(45, (160, 96)), *moving(45, (96, 160), seed=1)]
        garbage = [np.zeros((0, 0, 3), np.uint8), np.zeros((10, 10, 3), np.float32),
                   np.zeros((10, 10, 2), np.uint8), "not an image", None]
        self._items: list = [*good[:45], *garbage, *good[45:], RuntimeError("corrupt packet")]
        self._clock = clock
        self._n = 0

    def read(self) -> Frame | None:
        self._clock.sleep(1 / FPS)
        item = self._items[self._n % len(self._items)]
        self._n += 1
        if isinstance(item, Exception):
            raise cv2.error(str(item))
        return Frame(item, self._n / FPS)  # type: ignore[arg-type]

    def close(self) -> None:
        pass


def test_resolution_changes_garbage_frames_and_read_errors_never_crash():
    clock = FakeClock()
    seen = Updates()
    worker = fake_time_worker(lambda: GarbageSource(clock), clock, on_update=seen,
                              on_preview=seen.preview)
    worker.start()
    try:
        wait_until(lambda: worker.latest is not None and worker.latest.skipped_frames >= 10)
        wait_until(lambda: worker.latest.snapshot.received >= 200)
    finally:
        assert worker.stop()
    last = seen.updates[-1]
    assert last.state == WorkerState.STOPPED and worker.is_alive() is False
    assert [c.new for c in seen.changes if isinstance(c, ResolutionChanged)][:2] == [
        (96, 160), (160, 96)]
    assert last.skipped_frames >= 10 and last.snapshot.received >= 200
    # each read error dropped the connection, and the worker came back on its own
    assert [r.ok for u in seen.updates for r in u.reconnects][:2] == [True, True]


def test_a_broken_listener_does_not_stop_the_monitoring():
    clock = FakeClock()
    feed = SyntheticFeed((160, 96), FPS, Script(()), clock=clock.monotonic, sleep=clock.sleep)

    def broken(update: HealthUpdate) -> None:
        raise RuntimeError("a UI bug")

    worker = fake_time_worker(feed.open, clock, on_update=broken)
    worker.start()
    try:
        wait_until(lambda: feed.show_time() > 2.0)
        assert worker.is_alive()
    finally:
        assert worker.stop()
    assert worker.latest is not None and worker.latest.snapshot.received > 30


# --- recordings ---------------------------------------------------------------------------------


@needs_ffmpeg
def test_a_recording_is_paced_by_its_timestamps_and_ends(tmp_path: Path, store):
    path = write_video(tmp_path / "cut.mkv", moving(45), fps=30, cut=[(20, 22)])
    session = store.create_session(market="US", title="file")
    seen = Updates()
    started = time.monotonic()
    worker = CaptureWorker(path, on_update=seen, health_log=HealthLog(store, session))
    worker.start()
    worker.join(30)
    elapsed = time.monotonic() - started
    assert not worker.is_alive()
    last = seen.updates[-1]
    assert last.state == WorkerState.ENDED
    assert (last.snapshot.received, last.snapshot.dropped) == (42, 3)
    assert elapsed >= 44 / 30 * 0.9  # played at its own pace, not as fast as it decodes
    assert [(r["received"], r["dropped"]) for r in store.reader().query(
        "SELECT received, dropped FROM health_samples WHERE session_id = ? ORDER BY ts DESC "
        "LIMIT 1", [session])] == [(42, 3)]


def test_a_file_that_is_not_video_fails_with_a_reason(tmp_path: Path):
    path = tmp_path / "notes.mp4"
    path.write_bytes(b"this is not a video" * 100)
    seen = Updates()
    worker = CaptureWorker(path, on_update=seen)
    worker.start()
    worker.join(30)
    assert not worker.is_alive()
    assert seen.updates[-1].state == WorkerState.FAILED
    assert "not a video file" in str(seen.updates[-1].error)


def test_bad_settings_are_refused():
    with pytest.raises(ValueError, match="preview"):
        CaptureWorker("0", preview_fps=0)
    with pytest.raises(ValueError, match="timeouts"):
        CaptureWorker("0", read_timeout_s=0)
    with pytest.raises(ValueError, match="backoff"):
        Backoff(first=0)
    with pytest.raises(SourceError, match="scheme"):
        CaptureWorker("gopher://feed")


# --- a live network feed --------------------------------------------------------------------------


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@needs_ffmpeg
def test_live_udp_feed_with_frames_cut_out_is_counted_while_it_runs():
    port = free_udp_port()
    # a big receive FIFO so that a busy machine does not lose packets (which would be real drops)
    url = f"udp://127.0.0.1:{port}?overrun_nonfatal=1&fifo_size=50000"
    seen = Updates()
    worker = CaptureWorker(url, on_update=seen, open_timeout_s=20.0, read_timeout_s=2.0)
    worker.start()
    sender = None
    try:
        time.sleep(1.0)  # let it listen before the first packet
        sender = subprocess.Popen(
            ["ffmpeg", "-v", "error", "-re", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
             "-t", "8", "-vf", "select='not(between(n,75,79))'", "-fps_mode", "passthrough",
             "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "25",
             "-f", "mpegts", f"udp://127.0.0.1:{port}?pkt_size=1316"],
            stdin=subprocess.DEVNULL)

        def counted() -> bool:
            latest = worker.latest
            return latest is not None and latest.snapshot.dropped >= 5

        wait_until(lambda: counted() or sender.poll() is not None, 60)
        running = sender.poll() is None
        during = worker.latest.snapshot if worker.latest else None
    finally:
        assert worker.stop(10)
        if sender is not None:
            sender.kill()
            sender.wait()
    assert during is not None and running, "the drop was not seen while the feed ran"
    assert during.dropped == 5
    assert during.fps_nominal == pytest.approx(25.0, rel=0.01)
    final = seen.updates[-1].snapshot
    assert final.dropped == 5 and final.received >= during.received > 50


def test_the_freeze_a_signal_loss_leaves_is_hidden_even_when_it_ends_later():
    lost = Incident("signal_lost", "loss-1", 10.0, 18.0)
    held = Incident("freeze", "freeze-1", 10.0)
    real = Incident("freeze", "freeze-2", 30.0)
    hidden: set[str] = set()
    first = _without_loss_freeze([IncidentEnded(lost), IncidentStarted(held, 18.0)], hidden)
    assert first == [IncidentEnded(lost)]
    later = _without_loss_freeze(
        [IncidentEnded(Incident("freeze", "freeze-1", 10.0, 18.03)),
         IncidentStarted(real, 32.0)], hidden)
    assert later == [IncidentStarted(real, 32.0)]  # the held picture's end went with it
    assert hidden == set()
