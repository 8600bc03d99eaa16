"""Small synthetic recordings for the capture tests: numpy frames piped into ffmpeg."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pytest

needs_ffmpeg = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg")

X264 = ("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p")


def moving(n: int, size: tuple[int, int] = (320, 240), seed: int = 0) -> list[np.ndarray]:
    """`n` BGR frames that all differ a lot: coarse random blocks, new each frame."""
    rng = np.random.default_rng(seed)
    width, height = size
    out = []
    for _ in range(n):
        blocks = rng.integers(40, 230, (height // 16, width // 16, 3), dtype=np.uint8)
        out.append(np.ascontiguousarray(np.repeat(np.repeat(blocks, 16, 0), 16, 1)))
    return out


def black(n: int, size: tuple[int, int] = (320, 240)) -> list[np.ndarray]:
    return [np.zeros((size[1], size[0], 3), np.uint8) for _ in range(n)]


def still(frame: np.ndarray, n: int) -> list[np.ndarray]:
    return [frame.copy() for _ in range(n)]


def write_video(
    path: Path,
    frames: Sequence[np.ndarray],
    *,
    fps: int = 30,
    cut: Iterable[tuple[int, int]] = (),
    codec: Sequence[str] = X264,
) -> Path:
    """Encode BGR frames at `fps`; frames n in each inclusive `cut` range (a, b) are removed
    while the others keep their timestamps, leaving gaps as a dropping capture would."""
    height, width = frames[0].shape[:2]
    cmd = ["ffmpeg", "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "bgr24",
           "-s", f"{width}x{height}", "-r", str(fps), "-i", "-"]
    ranges = list(cut)
    if ranges:
        keep = "+".join(f"between(n,{a},{b})" for a, b in ranges)
        cmd += ["-vf", f"select='not({keep})'", "-fps_mode", "passthrough"]
    cmd += [*codec, str(path)]
    data = b"".join(np.ascontiguousarray(f).tobytes() for f in frames)
    subprocess.run(cmd, input=data, check=True)
    return path
