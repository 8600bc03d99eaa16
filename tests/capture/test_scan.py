"""Scanning recordings: incidents against ffmpeg's own detectors, exact drops, bad files."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from videos import X264, black, moving, needs_ffmpeg, still, write_video

from studio.capture.ffmpeg_reference import ReferenceSpan, reference_incidents
from studio.capture.scan import ScanResult, Span, scan
from studio.capture.sources import SourceError
from studio.core.health import HealthConfig

pytestmark = needs_ffmpeg

TOLERANCE = 0.1  # spec/health.md: start and end within 0.1 s of ffmpeg's
CLI_KEYS = {"width", "height", "fps_nominal", "frames", "dropped_frames", "drop_ratio",
            "freezes", "blacks", "resolution_changes", "duration_s"}


def storyboard(size: tuple[int, int] = (320, 240)) -> list[np.ndarray]:
    """14 s at 30 fps: motion, a 3 s freeze, black 2.5 s, a short (1.6 s) freeze, black too short
    to count (1.3 s), and a freeze lasting to the end."""
    m = moving(140, size)
    return (m[:40] + still(m[40], 90) + m[41:60] + black(75, size) + m[60:100]
            + still(m[100], 50) + black(40, size) + m[100:130] + still(m[130], 70))


def assert_matches(found: tuple[Span, ...], reference: tuple[ReferenceSpan, ...]) -> None:
    assert len(found) == len(reference), (found, reference)
    for ours, theirs in zip(found, reference, strict=True):
        assert ours.start == pytest.approx(theirs.start, abs=TOLERANCE)
        if theirs.end is not None:  # ffmpeg leaves a freeze that lasts to the end open
            assert ours.end == pytest.approx(theirs.end, abs=TOLERANCE)


def assert_agrees_with_ffmpeg(path: Path, result: ScanResult) -> None:
    reference = reference_incidents(path)
    assert_matches(result.freezes, reference.freezes)
    assert_matches(result.blacks, reference.blacks)


@pytest.fixture(scope="module")
def story(tmp_path_factory) -> Path:
    return write_video(tmp_path_factory.mktemp("v") / "story.mp4", storyboard())


@pytest.mark.parametrize("analysis_width", [480, 80])
def test_incidents_match_ffmpeg(story, analysis_width):
    result = scan(story, config=HealthConfig(analysis_width=analysis_width))
    assert_agrees_with_ffmpeg(story, result)
    assert len(result.freezes) == 3 and len(result.blacks) == 1
    assert (result.width, result.height, result.frames) == (320, 240, 454)
    assert result.fps_nominal == pytest.approx(30)
    assert result.dropped_frames == 0
    assert result.duration_s == pytest.approx(454 / 30)


@pytest.mark.parametrize("container", ["mkv", "mp4"])
def test_dropped_frames_are_exactly_the_frames_cut_out(tmp_path, container):
    cut = [(5, 9), (70, 70), (200, 202), (400, 411)]  # 5 in the first two seconds, 21 in all
    path = write_video(tmp_path / f"cut.{container}", storyboard(), cut=cut)
    result = scan(path)
    assert result.dropped_frames == 21
    assert result.frames == 454 - 21
    assert result.drop_ratio == pytest.approx(21 / 454)
    assert result.fps_nominal == pytest.approx(30, abs=0.01)
    assert_agrees_with_ffmpeg(path, result)


def test_a_long_gap_between_different_frames_is_a_freeze_as_in_ffmpeg(tmp_path):
    path = write_video(tmp_path / "gap.mkv", moving(200), cut=[(60, 134)])  # 2.5 s missing
    result = scan(path)
    assert result.dropped_frames == 75
    assert [(s.start, s.end) for s in result.freezes] == [
        (pytest.approx(59 / 30, abs=0.002), pytest.approx(135 / 30, abs=0.002))]
    assert_agrees_with_ffmpeg(path, result)


@pytest.mark.parametrize(("fourcc", "name"), [("mp4v", "cv.mp4"), ("MJPG", "cv.avi")])
def test_opencv_written_recordings(tmp_path, fourcc, name):
    """MJPEG is full-range luma: blackdetect's threshold is then 25, not 37, so the dim grey
    (luma 30) run is not black there; in limited-range MPEG-4 it has luma 42, not black either."""
    path = tmp_path / name
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*fourcc), 25, (320, 240))
    m = moving(60)
    dim = still(np.full((240, 320, 3), 30, np.uint8), 60)
    for frame in m[:20] + black(60) + m[20:30] + still(m[30], 60) + m[31:40] + dim + m[40:45]:
        writer.write(frame)
    writer.release()
    result = scan(path)
    assert result.frames == 224 and result.fps_nominal == pytest.approx(25)
    assert len(result.blacks) == 1 and len(result.freezes) >= 1
    assert_agrees_with_ffmpeg(path, result)


def test_resolution_change_mid_stream_does_not_break_the_scan(tmp_path):
    """OpenCV's FFmpeg backend scales every frame after a size change to the first frame's size
    (and reports that size), so the change itself cannot be seen through OpenCV: the scan goes
    on at the first size. The analyzer handles real size changes (tests/core/test_health.py)."""
    first = write_video(tmp_path / "a.ts", moving(60, (320, 240)), codec=[*X264, "-f", "mpegts"])
    second = write_video(tmp_path / "b.ts", moving(60, (160, 120), seed=1),
                         codec=[*X264, "-output_ts_offset", "2", "-f", "mpegts"])
    joined = tmp_path / "joined.ts"
    joined.write_bytes(first.read_bytes() + second.read_bytes())
    result = scan(joined)
    assert result.frames == 120
    assert result.dropped_frames == 0
    assert (result.width, result.height) == (320, 240)
    assert result.fps_nominal == pytest.approx(30)


def test_corrupt_packets_do_not_stop_the_scan(tmp_path):
    path = write_video(tmp_path / "ok.ts", moving(150), codec=[*X264, "-f", "mpegts"])
    data = bytearray(path.read_bytes())
    rng = np.random.default_rng(5)
    for at in rng.integers(len(data) // 4, len(data) * 3 // 4, 40):
        data[at : at + 200] = rng.integers(0, 256, 200, dtype=np.uint8).tobytes()
    broken = tmp_path / "broken.ts"
    broken.write_bytes(bytes(data))
    result = scan(broken)
    assert 50 < result.frames <= 150


def test_seconds_limits_the_scan_to_frame_time(story):
    result = scan(story, seconds=1.0)
    assert result.frames == 30
    assert result.duration_s == pytest.approx(1.0)


def test_target_resolution_is_checked(story):
    result = scan(story, target=(1280, 720))
    assert result.low_res_s == pytest.approx(453 / 30)


def test_json_has_exactly_the_keys_of_the_cli_spec(story):
    data = scan(story).to_json()
    assert set(data) == CLI_KEYS
    assert data["freezes"][0] == {"start": pytest.approx(1.53, abs=0.01),  # x264 settles
                                  "end": pytest.approx(4.33, abs=0.01)}
    assert data["blacks"] == [{"start": 4.967, "end": 7.467}]
    assert data["resolution_changes"] == []


@pytest.mark.parametrize(("content", "message"), [
    (b"", "not a video file"),
    (b"name,qty\nshirt,2\n" * 50, "not a video file"),
    (bytes(range(256)) * 400, "not a video file"),
])
def test_files_that_are_not_video_give_a_clear_error(tmp_path, content, message):
    path = tmp_path / "thing.mp4"
    path.write_bytes(content)
    with pytest.raises(SourceError, match=message):
        scan(path)


def test_missing_files_and_folders_give_a_clear_error(tmp_path):
    with pytest.raises(SourceError, match="no such file"):
        scan(tmp_path / "nope.mp4")
    with pytest.raises(SourceError, match="not a file"):
        scan(tmp_path)


def random_storyboard(seed: int) -> tuple[list[np.ndarray], list[tuple[int, int]]]:
    """Random runs of motion, stills and black (0.5-3.5 s) and a few random cuts."""
    rng = np.random.default_rng(seed)
    m = moving(400, seed=seed)
    frames: list[np.ndarray] = []
    while len(frames) < 300:
        n = int(rng.integers(12, 90))
        kind = rng.choice(["move", "still", "black"])
        if kind == "move":
            frames += m[len(frames) : len(frames) + n]
        elif kind == "still":
            frames += still(frames[-1] if frames else m[0], n)
        else:
            frames += black(n)
    starts = sorted(int(x) for x in rng.choice(np.arange(1, len(frames) - 10), 3, replace=False))
    cuts = [(a, a + int(rng.integers(0, 4))) for a in starts]
    return frames, cuts


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_random_storyboards_match_ffmpeg(tmp_path, seed):
    frames, cuts = random_storyboard(seed)
    path = write_video(tmp_path / f"r{seed}.mkv", frames, fps=25, cut=cuts)
    result = scan(path)
    cut_frames = len({n for a, b in cuts for n in range(a, b + 1)})  # ranges may overlap
    assert result.frames == len(frames) - cut_frames
    assert result.dropped_frames == cut_frames
    assert_agrees_with_ffmpeg(path, result)


@pytest.mark.xfail(reason="known limit (docs/health.md, Chroma): OpenCV hands back the luma "
                          "plane only, while freezedetect also weighs the chroma planes; at "
                          "9.32 s luma moves by 0.0009 (< n) and all planes by 0.0013 (> n), "
                          "so ffmpeg's last freeze starts there and lasts 2.8 s, the monitor's "
                          "reference moves on and it sees no freeze", strict=False)
def test_a_storyboard_where_only_chroma_decides_a_freeze(tmp_path):
    frames, cuts = random_storyboard(10)
    path = write_video(tmp_path / "r10.mkv", frames, fps=25, cut=cuts)
    assert_agrees_with_ffmpeg(path, scan(path))
