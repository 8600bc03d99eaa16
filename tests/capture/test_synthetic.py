"""The synthetic live feed: pacing, every scripted incident, determinism, bad scripts."""

from __future__ import annotations

import hashlib
import threading
from itertools import pairwise

import numpy as np
import pytest

from studio.capture.sources import SourceError
from studio.capture.synthetic import DEFAULT_SCRIPT, Script, ScriptStep, SyntheticFeed
from studio.core.health import HealthAnalyzer, HealthConfig, IncidentEnded

FPS = 30.0


class FakeClock:
    """A monotonic clock that moves only when someone sleeps on it (thread-safe)."""

    def __init__(self, start: float = 1000.0) -> None:
        self.t = start
        self.slept: list[float] = []
        self._lock = threading.Lock()

    def monotonic(self) -> float:
        with self._lock:
            return self.t

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.slept.append(seconds)
            self.t += max(0.0, seconds)


def make_feed(script: Script, clock: FakeClock, size=(160, 96)) -> SyntheticFeed:
    return SyntheticFeed(size, FPS, script, clock=clock.monotonic, sleep=clock.sleep)


def frames_until(source, show_s: float) -> list:
    out = []
    while True:
        frame = source.read()
        if frame is None or frame.t >= show_s:
            return out
        out.append(frame)


def test_frames_are_paced_in_real_time_and_move():
    clock = FakeClock()
    source = make_feed(Script(()), clock).open()
    frames = frames_until(source, 1.0)
    assert [round(f.t * FPS) for f in frames] == list(range(30))
    assert clock.t == pytest.approx(1000.0 + 30 / FPS)  # frame 30 was waited for
    assert frames[0].image.shape == (96, 160, 3) and frames[0].image.dtype == np.uint8
    diffs = [np.abs(a.image.astype(int) - b.image.astype(int)).mean()
             for a, b in pairwise(frames)]
    assert min(diffs) > 5  # far above freezedetect's 0.001 * 256


def test_drop_freeze_black_and_resize_happen_where_scripted():
    script = Script((
        ScriptStep(1.0, "drop", frames=5),
        ScriptStep(2.0, "freeze", seconds=1.0),
        ScriptStep(4.0, "black", seconds=0.5),
        ScriptStep(5.0, "resize", seconds=1.0, size=(80, 48)),
        ScriptStep(6.5, "resize", seconds=0.5, scale=0.5),
    ))
    frames = frames_until(make_feed(script, FakeClock()).open(), 7.0)
    numbers = [round(f.t * FPS) for f in frames]
    assert numbers == [n for n in range(210) if not 30 <= n < 35]
    by_n = dict(zip(numbers, frames, strict=True))
    frozen = {by_n[n].image.tobytes() for n in range(60, 90)}
    assert len(frozen) == 1 and by_n[90].image.tobytes() not in frozen
    assert all(not by_n[n].image.any() for n in range(120, 135))
    assert by_n[135].image.any()
    assert {by_n[n].image.shape for n in range(150, 180)} == {(48, 80, 3)}
    assert by_n[180].image.shape == (96, 160, 3)
    assert by_n[195].image.shape == (48, 80, 3) and by_n[209].image.shape == (48, 80, 3)


def test_signal_loss_times_out_reads_refuses_opens_and_comes_back():
    clock = FakeClock()
    feed = make_feed(Script((ScriptStep(1.0, "signal_loss", seconds=2.0),)), clock)
    source = feed.open()
    before = frames_until(source, 99)
    assert round(before[-1].t * FPS) == 29
    assert clock.slept[-1] == feed.read_timeout_s  # the read gave up after the timeout
    assert source.read() is None  # the connection is dead
    with pytest.raises(SourceError, match="no signal"):
        feed.open()
    clock.sleep(3.0 - feed.show_time())  # the loss is over at show time 3
    again = feed.open()
    frame = again.read()
    assert frame is not None and frame.t == 0.0  # a new connection's times restart


def test_the_same_script_gives_the_same_feed():
    def run() -> list[tuple[float, str]]:
        source = make_feed(DEFAULT_SCRIPT, FakeClock()).open()
        return [(f.t, hashlib.blake2b(f.image.tobytes()).hexdigest())
                for f in frames_until(source, 45.0)]

    assert run() == run()


def test_default_script_has_every_incident_kind_and_loops():
    effects = {step.effect for step in DEFAULT_SCRIPT.steps}
    assert effects == {"drop", "freeze", "black", "resize", "signal_loss"}
    assert DEFAULT_SCRIPT.loop_s is not None and DEFAULT_SCRIPT.loop_s <= 300
    first = DEFAULT_SCRIPT.active(61.0, FPS)
    looped = DEFAULT_SCRIPT.active(61.0 + DEFAULT_SCRIPT.loop_s, FPS)
    assert first is not None and looped is not None
    assert first[0] == looped[0] and looped[1] == 60.0 + DEFAULT_SCRIPT.loop_s


def test_analyzer_sees_only_the_scripted_freeze():
    script = Script((ScriptStep(3.0, "freeze", seconds=3.0),))
    analyzer = HealthAnalyzer(HealthConfig())
    changes = []
    for frame in frames_until(make_feed(script, FakeClock()).open(), 9.0):
        changes += analyzer.feed(frame.image, frame.t)
    changes += analyzer.finish()
    ended = [(c.incident.kind, c.incident.start, c.incident.end)
             for c in changes if isinstance(c, IncidentEnded)]
    assert ended == [("freeze", 3.0, 6.0)]


@pytest.mark.parametrize(("step", "message"), [
    (dict(at=1.0, effect="explode", seconds=1.0), "not one of"),
    (dict(at=-1.0, effect="black", seconds=1.0), ">= 0"),
    (dict(at=1.0, effect="drop"), "frames > 0"),
    (dict(at=1.0, effect="freeze"), "seconds > 0"),
    (dict(at=1.0, effect="resize", seconds=1.0), "size or a scale"),
    (dict(at=1.0, effect="resize", seconds=1.0, size=(8, 8)), "16x16"),
    (dict(at=1.0, effect="resize", seconds=1.0, scale=0.0), "scale between"),
])
def test_bad_script_steps_are_refused_with_a_reason(step, message):
    with pytest.raises(ValueError, match=message):
        ScriptStep(**step)


def test_bad_feed_settings_are_refused():
    with pytest.raises(ValueError, match="size"):
        SyntheticFeed((8, 8))
    with pytest.raises(ValueError, match="fps"):
        SyntheticFeed(fps=0)
    with pytest.raises(ValueError, match="loop"):
        Script((), loop_s=0)
