"""`studio health-scan` as a user runs it (spec/cli.md)."""

from __future__ import annotations

import json
import re

import pytest
from videos import black, moving, needs_ffmpeg, still, write_video

from studio.cli import main


@pytest.fixture(autouse=True)
def no_tqdm_monitor(monkeypatch):
    # tqdm starts a monitor thread for every bar, even a disabled one; the suite's thread-leak
    # check would flag it
    import tqdm

    monkeypatch.setattr(tqdm.tqdm, "monitor_interval", 0)


@pytest.fixture(scope="module")
def recording(tmp_path_factory):
    m = moving(40)
    frames = m[:20] + still(m[20], 100) + black(70) + m[21:40]
    return write_video(tmp_path_factory.mktemp("cli") / "rec.mp4", frames, cut=[(10, 12)])


@needs_ffmpeg
def test_json_output(recording, capsys):
    assert main(["health-scan", str(recording), "--json", "--target", "1920x1080"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["frames"] == 206 and data["dropped_frames"] == 3
    assert (data["width"], data["height"], data["fps_nominal"]) == (320, 240, 30.0)
    assert len(data["freezes"]) == 2 and len(data["blacks"]) == 1
    assert set(data["blacks"][0]) == {"start", "end"}


@needs_ffmpeg
def test_json_has_the_target_and_the_time_below_it_when_one_is_given(recording, capsys):
    assert main(["health-scan", str(recording), "--json", "--target", "640x360"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["target"] == "640x360"
    assert data["below_target_s"] == pytest.approx(data["duration_s"], abs=0.1)
    assert main(["health-scan", str(recording), "--json", "--seconds", "1"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert "target" not in data and "below_target_s" not in data


@needs_ffmpeg
def test_readable_summary(recording, capsys):
    assert main(["health-scan", str(recording), "--seconds", "3.5"]) == 0
    out = capsys.readouterr().out
    assert "320x240" in out and "3 dropped" in out and re.search(r"^freezes +1: ", out, re.M)


def test_a_source_that_cannot_be_opened_is_one_line_and_exit_1(tmp_path, capsys):
    bad = tmp_path / "notes.mp4"
    bad.write_text("not a video")
    assert main(["health-scan", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a video file" in err


def test_bad_target_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["health-scan", "x.mp4", "--target", "wide"])
    assert exc.value.code == 2
