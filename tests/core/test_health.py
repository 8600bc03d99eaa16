"""Health analysis on synthetic frames: ffmpeg freeze/black rules, drops, status, incidents."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studio.core.health import (
    HealthAnalyzer,
    HealthConfig,
    IncidentEnded,
    IncidentStarted,
    ResolutionChanged,
    Status,
    StatusChanged,
)

FPS = 30
SIZE = (64, 48)


def noise(seed: int, size: tuple[int, int] = SIZE) -> np.ndarray:
    return np.random.default_rng(seed).integers(40, 230, (size[1], size[0]), dtype=np.uint8)


def flat(value: int, size: tuple[int, int] = SIZE) -> np.ndarray:
    return np.full((size[1], size[0]), value, np.uint8)


def run(frames, config: HealthConfig | None = None, fps: float = FPS, **kw):
    """Feed (index, frame) pairs at index / fps; return the analyzer and every change."""
    analyzer = HealthAnalyzer(config or HealthConfig(), **kw)
    changes = []
    for i, frame in frames:
        changes += analyzer.feed(frame, i / fps)
    changes += analyzer.finish()
    return analyzer, changes


def spans(changes, kind: str) -> list[tuple[float, float]]:
    return [(c.incident.start, c.incident.end) for c in changes
            if isinstance(c, IncidentEnded) and c.incident.kind == kind]


def sequence(pattern: list[tuple[str, int]]) -> list[tuple[int, np.ndarray]]:
    """('move', n) new noise frames, ('still', n) the last frame repeated, ('black', n)."""
    out, i, last = [], 0, noise(0)
    for what, n in pattern:
        for _ in range(n):
            if what == "move":
                last = noise(i + 1)
            elif what == "black":
                last = flat(16)
            out.append((i, last))
            i += 1
    return out


# --- freeze: vf_freezedetect ---------------------------------------------------------------------


def test_freeze_starts_at_the_last_changing_frame_and_ends_at_the_next_change():
    _, changes = run(sequence([("move", 30), ("still", 75), ("move", 30)]))
    # frame 29 is the reference (the still run repeats it), frame 105 differs again
    assert spans(changes, "freeze") == [pytest.approx((29 / FPS, 105 / FPS))]
    started = [c for c in changes if isinstance(c, IncidentStarted)]
    assert started[0].detected_at == pytest.approx(89 / FPS)  # known d = 2 s after its start


def test_a_freeze_shorter_than_d_is_no_incident():
    _, changes = run(sequence([("move", 30), ("still", 58), ("move", 30)]))  # 1.967 s
    assert spans(changes, "freeze") == []
    _, changes = run(sequence([("move", 30), ("still", 59), ("move", 30)]))  # 2.0 s
    assert spans(changes, "freeze") == [pytest.approx((29 / FPS, 89 / FPS))]


def test_freeze_noise_threshold_is_inclusive_and_normalised_by_256():
    base = flat(100, (1000, 100))
    for share, frozen in ((0.256, True), (0.26, False)):
        other = base.copy()
        other.reshape(-1)[: int(share * other.size)] += 1  # mean abs. difference = share / 256
        frames = [(i, other if i % 2 else base) for i in range(70)]
        _, changes = run(frames, HealthConfig(analysis_width=None))
        assert bool(spans(changes, "freeze")) is frozen, share


def test_a_gap_of_d_between_different_frames_is_a_freeze_like_ffmpeg():
    frames = [(i, noise(i)) for i in range(30)] + [(90, noise(90)), (91, noise(91))]
    _, changes = run(frames)
    assert spans(changes, "freeze") == [pytest.approx((29 / FPS, 90 / FPS))]


def test_a_freeze_lasting_to_the_end_is_closed_at_the_last_frame():
    _, changes = run(sequence([("move", 10), ("still", 80)]))
    assert spans(changes, "freeze") == [pytest.approx((9 / FPS, 89 / FPS))]


def test_freeze_compares_with_the_last_non_frozen_frame_not_the_previous_one():
    # a slow drift: each frame differs from the previous by less than the noise threshold
    # (0.05 / 256), but it adds up against the reference, so the picture is not frozen
    base = flat(100, (100, 100))
    frames = []
    for i in range(120):
        frame = base.copy()
        frame.reshape(-1)[: (i * 500) % 10000] += 1  # 5 % more pixels each frame
        frames.append((i, frame))
    _, changes = run(frames, HealthConfig(analysis_width=None))
    assert spans(changes, "freeze") == []


# --- black: vf_blackdetect -----------------------------------------------------------------------


@pytest.mark.parametrize(("luma_range", "darkest_not_black"), [("limited", 38), ("full", 26)])
def test_black_pixel_threshold_is_scaled_to_the_luma_range(luma_range, darkest_not_black):
    for level, black in ((darkest_not_black - 1, True), (darkest_not_black, False)):
        frames = [(i, flat(level)) for i in range(70)] + [(70, noise(1))]
        _, changes = run(frames, HealthConfig(luma_range=luma_range))
        assert bool(spans(changes, "black")) is black, (luma_range, level)


def test_black_picture_threshold_counts_the_share_of_black_pixels():
    for bright_pixels, black in ((60, True), (62, False)):  # of 3072: 98.05 % / 97.98 % black
        frame = flat(16)
        frame.reshape(-1)[:bright_pixels] = 200
        frames = [(i, frame) for i in range(70)] + [(70, noise(1))]
        _, changes = run(frames, HealthConfig(analysis_width=None))
        assert bool(spans(changes, "black")) is black, bright_pixels


def test_black_run_from_first_black_frame_to_first_non_black_frame():
    _, changes = run(sequence([("move", 15), ("black", 61), ("move", 15)]))
    assert spans(changes, "black") == [pytest.approx((15 / FPS, 76 / FPS))]
    _, changes = run(sequence([("move", 15), ("black", 59), ("move", 15)]))
    assert spans(changes, "black") == []


def test_black_run_at_the_end_ends_at_the_last_frame_like_ffmpeg():
    _, changes = run(sequence([("move", 15), ("black", 61)]))
    assert spans(changes, "black") == [pytest.approx((15 / FPS, 75 / FPS))]
    _, changes = run(sequence([("move", 15), ("black", 60)]))  # lasts 59 intervals: too short
    assert spans(changes, "black") == []


def test_black_is_announced_while_it_lasts_with_its_real_start():
    analyzer = HealthAnalyzer()
    changes = []
    for i, frame in sequence([("move", 15), ("black", 100)]):
        changes += analyzer.feed(frame, i / FPS)
    started = [c for c in changes if isinstance(c, IncidentStarted)
               and c.incident.kind == "black"]
    assert started[0].incident.start == pytest.approx(15 / FPS)
    assert started[0].detected_at == pytest.approx(75 / FPS)
    assert analyzer.snapshot().status is Status.CRIT


def test_bgr_frames_give_the_same_verdicts_as_their_luma():
    pattern = [("move", 20), ("black", 70), ("move", 10), ("still", 70), ("move", 5)]
    luma = sequence(pattern)
    bgr = [(i, np.repeat(f[:, :, None], 3, axis=2)) for i, f in luma]
    _, a = run(luma)
    _, b = run(bgr, HealthConfig(luma_range="full"))  # gray BGR carries the luma values as is
    assert spans(a, "black") == spans(b, "black") and spans(a, "freeze") == spans(b, "freeze")
    # OpenCV's BGR of limited-range video is full range: pure black is black
    _, c = run([(i, np.zeros((48, 64, 3), np.uint8)) for i in range(70)])
    assert len(spans(c, "black")) == 1


def test_subsampled_analysis_finds_the_same_incidents_as_full_size():
    pattern = [("move", 20), ("black", 70), ("move", 10), ("still", 70), ("move", 5)]
    frames = [(i, np.kron(f, np.ones((8, 8), np.uint8))) for i, f in sequence(pattern)]
    _, full = run(frames, HealthConfig(analysis_width=None))
    _, small = run(frames, HealthConfig(analysis_width=64))
    assert spans(full, "black") == spans(small, "black")
    assert spans(full, "freeze") == spans(small, "freeze")


# --- frame rate and drops ------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(st.sets(st.integers(min_value=1, max_value=298), max_size=10))
def test_dropped_frames_are_exactly_the_frames_cut_out(cut):
    frames = [(i, flat(50)) for i in range(300) if i not in cut]
    analyzer, _ = run(frames, HealthConfig(quality=False))
    snap = analyzer.snapshot()
    assert snap.dropped == len(cut)
    assert snap.received == 300 - len(cut)
    assert snap.drop_ratio == pytest.approx(len(cut) / 300)
    assert snap.fps_nominal == pytest.approx(FPS)


def test_nominal_fps_replaces_a_wrong_declared_rate_after_two_seconds():
    analyzer = HealthAnalyzer(declared_fps=25.0)
    for i in range(30):
        analyzer.feed(noise(i), i / FPS)
    assert analyzer.snapshot().fps_nominal == 25.0
    for i in range(30, 90):
        analyzer.feed(noise(i), i / FPS)
    assert analyzer.snapshot().fps_nominal == pytest.approx(FPS)


def test_millisecond_timestamps_still_give_the_true_rate():
    analyzer = HealthAnalyzer()
    for i in range(120):
        analyzer.feed(noise(i), round(i * 1000 / FPS) / 1000)  # MKV: 0, 33, 67, 100 ms ...
    assert analyzer.snapshot().fps_nominal == pytest.approx(FPS, abs=0.01)
    assert analyzer.snapshot().fps_actual == pytest.approx(FPS, abs=0.1)


def test_timestamps_going_back_count_no_drops_and_do_not_crash():
    frames = [(i, noise(i)) for i in range(90)] + [(i, noise(i)) for i in range(10, 40)]
    analyzer, _ = run(frames)
    assert analyzer.snapshot().dropped == 0
    assert analyzer.snapshot().received == 120


# --- resolution, low resolution -------------------------------------------------------------------


def test_resolution_change_is_reported_and_the_rate_is_measured_again():
    analyzer = HealthAnalyzer(HealthConfig(quality=False))
    changes = []
    for i in range(90):
        changes += analyzer.feed(noise(i, (64, 48)), i / 30)
    for i in range(240):
        changes += analyzer.feed(noise(i, (32, 24)), 3 + i / 60)
    changes += analyzer.finish()
    resized = [c for c in changes if isinstance(c, ResolutionChanged)]
    assert [(c.old, c.new, c.t) for c in resized] == [((64, 48), (32, 24), 3.0)]
    snap = analyzer.snapshot()
    assert (snap.width, snap.height) == (32, 24)
    assert snap.fps_nominal == pytest.approx(60)
    assert snap.dropped == 0  # the 1/30 s step at the switch is judged at the old rate


def test_low_resolution_against_the_target_whatever_the_orientation():
    config = HealthConfig(target=(1920, 1080), analysis_width=None, quality=False)
    analyzer = HealthAnalyzer(config)
    changes = []
    for i in range(60):
        changes += analyzer.feed(flat(90, (1280, 720)), i / FPS)
    assert analyzer.snapshot().status is Status.WARN
    assert analyzer.snapshot().reasons == ("low_res",)
    for i in range(60, 90):
        changes += analyzer.feed(flat(90, (1080, 1920)), i / FPS)  # vertical full HD: fine
    assert spans(changes, "low_res") == [pytest.approx((0.0, 2.0))]
    assert analyzer.snapshot().low_res_s == pytest.approx(2.0)
    assert analyzer.snapshot().status is Status.OK


# --- status and signal loss -----------------------------------------------------------------------


def statuses(changes) -> list[Status]:
    return [c.new for c in changes if isinstance(c, StatusChanged)]


def test_drop_ratio_over_ten_seconds_sets_warn_then_crit():
    one_in_fifty = [(i, noise(i)) for i in range(900) if i < 300 or i % 50]  # 2 %
    _, changes = run(one_in_fifty, HealthConfig(quality=False))
    assert statuses(changes)[0] is Status.WARN
    one_in_ten = [(i, noise(i)) for i in range(900) if i < 300 or i % 10]  # 10 %
    _, changes = run(one_in_ten, HealthConfig(quality=False))
    assert Status.CRIT in statuses(changes)
    crit = next(c for c in changes if isinstance(c, StatusChanged) and c.new is Status.CRIT)
    assert "drops" in crit.reasons and "fps" in crit.reasons  # 27 fps of 30 is 90 %


def paced(rates: list[tuple[float, float]]):
    """Frames that all differ, `seconds` at each `fps` in turn: (t, frame) pairs."""
    out, t, i = [], 0.0, 0
    for fps, seconds in rates:
        for _ in range(round(fps * seconds)):
            out.append((t, noise(i)))
            t += 1 / fps
            i += 1
    return out


def status_changes(frames, config: HealthConfig | None = None) -> list[StatusChanged]:
    analyzer = HealthAnalyzer(config or HealthConfig(quality=False))
    changes = []
    for t, frame in frames:
        changes += analyzer.feed(frame, t)
    return [c for c in changes if isinstance(c, StatusChanged)]


def test_actual_fps_against_nominal_warns_below_95_and_is_crit_below_80_percent():
    # Intervals up to 1.5 frames long count no drops: only the rate is slow.
    assert status_changes(paced([(30, 3), (29, 8)])) == []  # 96.7 %: OK
    warn = status_changes(paced([(30, 3), (27, 8)]))  # 90 %
    assert [(c.new, c.reasons) for c in warn] == [(Status.WARN, ("fps",))]
    crit = status_changes(paced([(30, 3), (23, 8), (30, 8)]))  # 76.7 %, then back to normal
    assert [(c.new, c.reasons) for c in crit] == [
        (Status.WARN, ("fps",)), (Status.CRIT, ("fps",)), (Status.WARN, ("fps",)),
        (Status.OK, ())]
    # The thresholds are settings.
    assert status_changes(paced([(30, 3), (27, 8)]), HealthConfig(
        quality=False, warn_fps_ratio=0.85, crit_fps_ratio=0.5)) == []


def test_drop_thresholds_are_settings():
    two_percent = [(i / FPS, noise(i)) for i in range(900) if i < 300 or i % 50]
    assert [(c.new, c.reasons) for c in status_changes(two_percent)] == [
        (Status.WARN, ("drops",))]
    assert status_changes(two_percent, HealthConfig(quality=False, warn_drop_ratio=0.03)) == []
    assert [c.new for c in status_changes(two_percent, HealthConfig(
        quality=False, crit_drop_ratio=0.015))] == [Status.WARN, Status.CRIT]


def test_black_and_signal_loss_make_the_status_crit():
    rng = np.random.default_rng(3)
    dark = [rng.integers(0, 30, (SIZE[1], SIZE[0]), dtype=np.uint8) for _ in range(90)]
    frames = [(i / FPS, noise(i)) for i in range(30)]  # black but moving: no freeze
    frames += [((30 + i) / FPS, f) for i, f in enumerate(dark)]
    frames += [((120 + i) / FPS, noise(500 + i)) for i in range(30)]
    changes = status_changes(frames)
    assert [(c.new, c.reasons) for c in changes] == [(Status.CRIT, ("black",)), (Status.OK, ())]
    assert changes[0].t == pytest.approx(90 / FPS)  # known once it lasted d = 2 s
    analyzer = HealthAnalyzer(HealthConfig(quality=False))
    for t, frame in paced([(30, 3)]):
        analyzer.feed(frame, t)
    lost = [c for c in analyzer.idle(6.0) if isinstance(c, StatusChanged)]
    assert [(c.new, c.reasons) for c in lost] == [(Status.CRIT, ("signal_lost",))]


def test_freeze_makes_the_status_crit_until_it_ends():
    _, changes = run(sequence([("move", 30), ("still", 75), ("move", 30)]))
    assert statuses(changes) == [Status.CRIT, Status.OK]


def test_signal_loss_after_two_seconds_without_frames():
    analyzer = HealthAnalyzer()
    for i in range(30):
        analyzer.feed(noise(i), i / FPS)
    assert analyzer.idle(2.9) == []
    lost = analyzer.idle(3.1)
    assert isinstance(lost[0], IncidentStarted) and lost[0].incident.kind == "signal_lost"
    assert lost[0].incident.start == pytest.approx(29 / FPS)
    assert statuses(lost) == [Status.CRIT]
    assert analyzer.idle(4.0) == []  # already lost
    back = analyzer.feed(noise(99), 5.0)
    ended = [c for c in back if isinstance(c, IncidentEnded)]
    assert ended[0].incident.kind == "signal_lost" and ended[0].incident.end == 5.0


def test_incident_ids_are_stable_for_the_same_feed():
    frames = sequence([("move", 30), ("still", 75), ("move", 30)])
    ids = [[c.incident.incident_id for c in run(frames)[1] if isinstance(c, IncidentEnded)]
           for _ in range(2)]
    assert ids[0] == ids[1] == ["freeze-967"]


# --- image quality --------------------------------------------------------------------------------


def test_too_dark_and_blurred_against_the_baseline():
    import cv2

    config = HealthConfig(quality_baseline_s=1.0, quality_interval_s=0.1, freeze_d=100)
    analyzer = HealthAnalyzer(config)
    sharp = np.kron(noise(3, (16, 12)), np.ones((4, 4), np.uint8))
    for i in range(45):
        analyzer.feed(sharp if i % 2 else sharp ^ 1, i / FPS)
    assert (analyzer.snapshot().too_dark, analyzer.snapshot().blurred) == (False, False)
    blurred = cv2.GaussianBlur(sharp, (9, 9), 4)
    for i in range(45, 90):
        analyzer.feed(blurred if i % 2 else blurred ^ 1, i / FPS)
    assert analyzer.snapshot().blurred is True
    dark = sharp // 4
    for i in range(90, 135):
        analyzer.feed(dark if i % 2 else dark ^ 1, i / FPS)
    assert analyzer.snapshot().too_dark is True


# --- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize("frame", [np.zeros((4, 4), np.float32), np.zeros((4, 4, 2), np.uint8),
                                   np.zeros((0, 4), np.uint8), "not a frame"])
def test_bad_frames_are_refused_with_a_clear_error(frame):
    with pytest.raises(ValueError, match="frame"):
        HealthAnalyzer().feed(frame, 0.0)


def test_bad_times_and_settings_are_refused():
    with pytest.raises(ValueError, match="finite"):
        HealthAnalyzer().feed(flat(0), math.nan)
    with pytest.raises(ValueError, match="freeze_noise"):
        HealthConfig(freeze_noise=2)
    with pytest.raises(ValueError, match="black_d"):
        HealthConfig(black_d=-1)
    with pytest.raises(ValueError, match="target"):
        HealthConfig(target=(0, 1080))


def test_finish_without_frames_and_twice_is_harmless():
    analyzer = HealthAnalyzer()
    assert analyzer.finish() == [] and analyzer.finish() == []
    with pytest.raises(RuntimeError):
        analyzer.feed(flat(0), 0.0)
