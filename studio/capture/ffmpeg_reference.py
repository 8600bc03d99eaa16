"""ffmpeg's own freezedetect/blackdetect verdict on a recording: the ground truth (docs/health.md).

Used by the tests and the benchmark to check that the monitor finds the same incidents. Needs the
`ffmpeg` program; the app itself never runs it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

_FREEZE = re.compile(r"lavfi\.freezedetect\.freeze_(start|end): *(-?[\d.e+-]+)")
_BLACK = re.compile(r"black_start: *(-?[\d.e+-]+) black_end: *(-?[\d.e+-]+)")


@dataclass(frozen=True, slots=True)
class ReferenceSpan:
    start: float
    end: float | None  # ffmpeg never ends a freeze that lasts to the end of the file


@dataclass(frozen=True, slots=True)
class Reference:
    freezes: tuple[ReferenceSpan, ...]
    blacks: tuple[ReferenceSpan, ...]


def ffmpeg_program() -> str | None:
    return shutil.which("ffmpeg")


def detect_command(
    path: Path | str,
    *,
    freeze_noise: float = 0.001,
    freeze_d: float = 2.0,
    black_pix_th: float = 0.10,
    black_pic_th: float = 0.98,
    black_d: float = 2.0,
) -> list[str]:
    program = ffmpeg_program()
    if program is None:
        raise FileNotFoundError("ffmpeg is not installed (needed for the reference run)")
    chain = (f"freezedetect=n={freeze_noise}:d={freeze_d},"
             f"blackdetect=d={black_d}:pix_th={black_pix_th}:pic_th={black_pic_th}")
    return [program, "-hide_banner", "-nostats", "-i", str(path), "-an", "-sn",
            "-vf", chain, "-f", "null", "-"]


def reference_incidents(path: Path | str, **settings: float) -> Reference:
    """Run ffmpeg freezedetect,blackdetect (keywords as in HealthConfig) and parse its log."""
    run = subprocess.run(detect_command(path, **settings), capture_output=True, text=True,
                         check=False)
    if run.returncode != 0:
        last = run.stderr.strip().splitlines()[-1:] or ["no output"]
        raise RuntimeError(f"ffmpeg failed on {path}: {last[0]}")
    return parse_log(run.stderr)


def parse_log(log: str) -> Reference:
    freezes: list[ReferenceSpan] = []
    start: float | None = None
    for kind, value in _FREEZE.findall(log):
        if kind == "start":
            start = float(value)
        elif start is not None:
            freezes.append(ReferenceSpan(start, float(value)))
            start = None
    if start is not None:
        freezes.append(ReferenceSpan(start, None))
    blacks = tuple(ReferenceSpan(float(a), float(b)) for a, b in _BLACK.findall(log))
    return Reference(tuple(freezes), blacks)
