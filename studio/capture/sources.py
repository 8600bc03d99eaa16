"""Opening a capture source with OpenCV: a recording, a network stream or a device.

A source yields frames with their times: the presentation timestamp (CAP_PROP_POS_MSEC) for
recordings and network streams, the arrival time on a monotonic clock for devices, which have
none (docs/health.md, "frame time").

With ``luma=True`` a file or stream is decoded without OpenCV's conversion to BGR: for 8-bit
planar YUV (and NV12/NV21, gray) OpenCV's FFmpeg backend then hands back the decoder's Y plane
as an H x W array. That is exactly what ffmpeg's freezedetect/blackdetect look at, and skipping
the colour conversion makes decoding about 1.6x faster at 1080p. Other formats (10-bit, packed
4:2:2...) fall back to BGR, which the health analysis converts itself.
"""

from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Self

import cv2
import numpy as np

from studio.capture.devices import describe_devices, list_devices
from studio.core.message import N_, Message, message

SourceKind = Literal["file", "stream", "device"]

STREAM_SCHEMES = ("udp", "rtp", "rtsp", "rtsps", "srt", "rtmp", "rtmps", "tcp", "http", "https")

# CAP_PROP_CODEC_PIXEL_FORMAT tags whose first plane is the 8-bit luma: yuv420p/yuvj420p,
# 4:2:2, 4:4:4, 4:1:1, 4:1:0 planar, NV12/NV21 and gray.
_LUMA_FIRST_FORMATS = frozenset({"I420", "Y42B", "444P", "Y41B", "YUV9", "NV12", "NV21", "Y800"})

# Codecs whose pictures are full-range (JPEG) YUV. OpenCV does not expose the colour range, so
# this is the one case that can be told apart; H.264 with the full-range flag counts as limited.
_FULL_RANGE_CODECS = frozenset({"MJPG", "MJPA", "MJPB", "JPEG", "AVRN", "DMB1", "JPGL", "LJPG"})


class SourceError(Exception):
    """A source that cannot be opened or read; raised with a Message written for the user."""


@dataclass(frozen=True, slots=True)
class SourceSpec:
    kind: SourceKind
    location: str | int  # a path, a URL or a device index

    @property
    def live(self) -> bool:
        return self.kind != "file"

    def __str__(self) -> str:
        return f"device {self.location}" if self.kind == "device" else str(self.location)

    @classmethod
    def parse(cls, text: str | Path) -> SourceSpec:
        """"0" is a device index, "srt://..." a stream, anything else a file path."""
        if isinstance(text, Path):
            return cls("file", str(text))
        text = text.strip()
        if not text:
            raise SourceError(message(N_("no source given: pass a file, a stream URL or a device "
                                         "index")))
        if text.isdigit():
            return cls("device", int(text))
        scheme, sep, _ = text.partition("://")
        if sep:
            if scheme.lower() not in STREAM_SCHEMES:
                known = ", ".join(STREAM_SCHEMES)
                raise SourceError(message(N_('stream scheme "{scheme}" is not supported '
                                             '(supported: {known})'), scheme=scheme, known=known))
            return cls("stream", text)
        return cls("file", text)


@dataclass(frozen=True, slots=True)
class Frame:
    image: np.ndarray  # H x W luma plane or H x W x 3 BGR
    t: float  # seconds: presentation time, or monotonic arrival time for devices


def _fourcc(value: float) -> str:
    code = int(value) & 0xFFFFFFFF
    return code.to_bytes(4, "little").decode("latin-1").upper() if code else ""


def _quiet_opencv() -> None:
    """FFmpeg's own messages (a corrupt packet, "moov atom not found") and OpenCV's per-frame
    warning about the raw luma plane would flood stderr; the caller reports errors itself.
    Explicit settings from the environment are kept (they are read at the first open)."""
    os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")  # AV_LOG_QUIET
    if "OPENCV_LOG_LEVEL" not in os.environ:
        cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_ERROR)


class VideoSource:
    """An open cv2.VideoCapture that reads timed frames. Use ``open_source`` to make one."""

    def __init__(self, spec: SourceSpec, capture: cv2.VideoCapture, luma: bool) -> None:
        self.spec = spec
        self.label = str(spec)  # for messages and reports: "device 0 (HD Pro Webcam C920)"
        self._capture = capture
        self.luma = luma  # frames are luma planes (else BGR)
        codec = _fourcc(capture.get(cv2.CAP_PROP_FOURCC))
        self.luma_range: Literal["limited", "full"] = (
            "full" if codec in _FULL_RANGE_CODECS else "limited"
        )
        fps = capture.get(cv2.CAP_PROP_FPS)
        self.declared_fps = fps if math.isfinite(fps) and 0 < fps < 1000 else None
        count = capture.get(cv2.CAP_PROP_FRAME_COUNT)
        self.frame_count = int(count) if spec.kind == "file" and count > 0 else None

    def read(self) -> Frame | None:
        """The next frame, or None at the end of the stream (or a read timeout)."""
        ok, image = self._capture.read()
        if not ok or image is None or image.size == 0:
            return None
        if self.spec.kind == "device":
            t = time.monotonic()
        else:
            t = self._capture.get(cv2.CAP_PROP_POS_MSEC) / 1000.0
        return Frame(image, t)

    def close(self) -> None:
        self._capture.release()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_source(
    source: SourceSpec | str | Path,
    *,
    luma: bool = False,
    open_timeout_s: float = 10.0,
    read_timeout_s: float = 5.0,
) -> VideoSource:
    """Open a file, a stream URL or a device; raise SourceError saying why it failed."""
    spec = source if isinstance(source, SourceSpec) else SourceSpec.parse(source)
    _quiet_opencv()
    if spec.kind == "device":
        capture = cv2.VideoCapture(int(spec.location))
        luma = False  # a device's raw buffers are packed formats (YUYV, MJPEG), not planes
    else:
        if spec.kind == "file":
            path = Path(str(spec.location))
            if not path.exists():
                raise SourceError(message(N_("{path}: no such file"), path=str(path)))
            if not path.is_file():
                raise SourceError(message(N_("{path}: not a file"), path=str(path)))
        params = [
            cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, int(open_timeout_s * 1000),
            cv2.CAP_PROP_READ_TIMEOUT_MSEC, int(read_timeout_s * 1000),
        ]
        if luma:
            params += [cv2.CAP_PROP_CONVERT_RGB, 0]
        capture = cv2.VideoCapture(str(spec.location), cv2.CAP_FFMPEG, params)
    if not capture.isOpened():
        capture.release()
        if spec.kind == "file":
            raise SourceError(message(N_("{source}: not a video file OpenCV can read"),
                                      source=str(spec)))
        if spec.kind == "device":
            raise SourceError(message(N_("{source}: cannot be opened (in use by another "
                                         "program, or not there); {devices}"),
                                      source=device_label(spec), devices=describe_devices()))
        raise SourceError(message(N_("{source}: cannot be opened (nothing answering, or not "
                                     "video)"), source=str(spec)))
    if luma:
        pixel_format = _fourcc(capture.get(cv2.CAP_PROP_CODEC_PIXEL_FORMAT))
        if pixel_format not in _LUMA_FIRST_FORMATS:
            capture.set(cv2.CAP_PROP_CONVERT_RGB, 1)
            luma = False
    source = VideoSource(spec, capture, luma)
    if spec.kind == "device":
        source.label = str(device_label(spec))
    return source


def device_label(spec: SourceSpec) -> Message:
    """ "device 0 (HD Pro Webcam C920)" where the platform names it, else "device 0"."""
    named = next((d for d in list_devices() if d.index == spec.location), None)
    if named:
        return message(N_("device {index} ({name})"), index=spec.location, name=named.name)
    return message(N_("device {index}"), index=spec.location)
