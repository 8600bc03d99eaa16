"""Opening sources (files, stream URLs, devices) and the reading thread."""

from __future__ import annotations

import socket
import subprocess
import threading
import time

import cv2
import numpy as np
import pytest
from videos import black, moving, needs_ffmpeg, write_video

from studio.capture.reader import FrameReader
from studio.capture.scan import scan
from studio.capture.sources import SourceError, SourceSpec, open_source


@pytest.mark.parametrize(("text", "kind", "location"), [
    ("0", "device", 0),
    (" 2 ", "device", 2),
    ("srt://10.0.0.2:9000?mode=caller", "stream", "srt://10.0.0.2:9000?mode=caller"),
    ("RTMP://live.example/app/key", "stream", "RTMP://live.example/app/key"),
    ("udp://@:1234", "stream", "udp://@:1234"),
    ("recordings/show 1.mp4", "file", "recordings/show 1.mp4"),
])
def test_source_spec_parse(text, kind, location):
    spec = SourceSpec.parse(text)
    assert (spec.kind, spec.location) == (kind, location)
    assert spec.live is (kind != "file")


def test_unknown_schemes_and_empty_sources_are_refused():
    with pytest.raises(SourceError, match='"ftp" is not supported'):
        SourceSpec.parse("ftp://host/file.mp4")
    with pytest.raises(SourceError, match="no source"):
        SourceSpec.parse("  ")


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_stream_nobody_sends_fails_within_the_open_timeout():
    started = time.monotonic()
    with pytest.raises(SourceError, match="cannot be opened"):
        open_source(f"udp://127.0.0.1:{free_udp_port()}", open_timeout_s=1.0)
    assert time.monotonic() - started < 5


@needs_ffmpeg
def test_luma_decoding_gives_the_y_plane_and_pts(tmp_path):
    frames = moving(10) + black(5)
    path = write_video(tmp_path / "v.mp4", frames, fps=25)
    with open_source(path, luma=True) as source:
        assert source.luma and source.luma_range == "limited"
        assert source.declared_fps == pytest.approx(25) and source.frame_count == 15
        read = [source.read() for _ in range(16)]
    assert read[-1] is None
    assert [round(f.t, 3) for f in read[:3]] == [0.0, 0.04, 0.08]
    assert read[0].image.shape == (240, 320)
    assert np.all(read[14].image == 16)  # limited-range black, as ffmpeg's filters see it


@needs_ffmpeg
def test_formats_without_a_luma_plane_fall_back_to_bgr(tmp_path):
    path = write_video(tmp_path / "v10.mkv", moving(5),
                       codec=("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p10le"))
    with open_source(path, luma=True) as source:
        assert not source.luma
        assert source.read().image.shape == (240, 320, 3)


@needs_ffmpeg
def test_mjpeg_is_full_range(tmp_path):
    path = tmp_path / "m.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 25, (320, 240))
    writer.write(moving(1)[0])
    writer.release()
    with open_source(path, luma=True) as source:
        assert source.luma_range == "full"


@needs_ffmpeg
def test_reader_delivers_every_frame_in_order_and_stops_its_thread(tmp_path):
    path = write_video(tmp_path / "v.mp4", moving(60))
    with open_source(path, luma=True) as source, FrameReader(source, queue_size=2) as reader:
        times = [frame.t for frame in reader]
    assert len(times) == 60 and times == sorted(times)
    assert not any(t.name == "frame-reader" for t in threading.enumerate())


@needs_ffmpeg
def test_reader_stops_early_when_the_consumer_leaves(tmp_path):
    path = write_video(tmp_path / "v.mp4", moving(90))
    with open_source(path) as source:
        with FrameReader(source, queue_size=2) as reader:
            for i, _ in enumerate(reader):
                if i == 5:
                    break
        assert not any(t.name == "frame-reader" for t in threading.enumerate())


def test_reader_hands_errors_to_the_consumer():
    class Broken:
        def read(self):
            raise OSError("device unplugged")

    reader = FrameReader(Broken())  # type: ignore[arg-type]
    with reader, pytest.raises(OSError, match="unplugged"):
        list(reader)


def test_a_missing_device_is_a_clear_error():
    with pytest.raises(SourceError, match="device 97: cannot be opened"):
        open_source("97")


@pytest.fixture
def udp_stream():
    """A 320x240 30 fps MPEG-TS stream sent to a local UDP port for 3 s, in real time."""
    port = free_udp_port()
    sender = subprocess.Popen(
        ["ffmpeg", "-v", "error", "-re", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30",
         "-t", "3", "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "15",
         "-pix_fmt", "yuv420p", "-f", "mpegts", f"udp://127.0.0.1:{port}?pkt_size=1316"])
    try:
        yield f"udp://127.0.0.1:{port}"
    finally:
        sender.kill()
        sender.wait()


@needs_ffmpeg
def test_network_stream_until_it_stops_sending(udp_stream):
    """Frame times are the stream's timestamps; when the sender stops, the read timeout ends
    the scan instead of hanging."""
    started = time.monotonic()
    with open_source(udp_stream, luma=True, open_timeout_s=5, read_timeout_s=1) as source:
        assert source.spec.live and source.luma
        result = scan(source)
    assert result.frames > 30
    assert result.fps_nominal == pytest.approx(30, abs=0.5)
    assert time.monotonic() - started < 10
