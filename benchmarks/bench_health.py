"""Health analysis speed: per-frame cost at 1080p and scan throughput against baselines.

    .venv/bin/python benchmarks/bench_health.py           # 8 s of 1080p60 (about a minute)
    .venv/bin/python benchmarks/bench_health.py --full    # 30 s of 1080p60

Baselines, run in the same process on the same file: a bare ``VideoCapture.read()`` loop (BGR,
OpenCV's default), the same loop decoding luma only (what the scan uses), and ffmpeg's own
``freezedetect,blackdetect`` pass. Also prints whether the scan's incidents match ffmpeg's.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from studio.capture.ffmpeg_reference import detect_command, parse_log
from studio.capture.scan import scan
from studio.capture.sources import open_source
from studio.core.health import HealthAnalyzer, HealthConfig


def make_recording(path: Path, seconds: float) -> None:
    """1080p60 test pattern with a 2.5 s freeze and 2.5 s of black in the middle."""
    rest = max(seconds - 6.5, 1.0)
    graph = (
        "testsrc2=s=1920x1080:r=60:d=1.5[a];"
        "testsrc2=s=1920x1080:r=60:d=0.1,trim=end_frame=1,loop=loop=149:size=1,"
        "setpts=N/60/TB[b];"
        "color=c=black:s=1920x1080:r=60:d=2.5[c];"
        f"testsrc2=s=1920x1080:r=60:d={rest}[d];"
        "[a][b][c][d]concat=n=4,format=yuv420p[v]"
    )
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-filter_complex", graph, "-map", "[v]",
                    "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", str(path)],
                   check=True)


def bare_read_fps(path: Path, luma: bool) -> float:
    params = [cv2.CAP_PROP_CONVERT_RGB, 0] if luma else []
    capture = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG, params)
    frames, start = 0, time.perf_counter()
    while capture.read()[0]:
        frames += 1
    elapsed = time.perf_counter() - start
    capture.release()
    return frames / elapsed


def per_frame_cost(path: Path, limit: int) -> None:
    with open_source(path, luma=True) as source:
        frames = []
        while len(frames) < limit and (frame := source.read()) is not None:
            frames.append(frame)
    for label, convert in (("luma plane", None), ("BGR image", cv2.COLOR_GRAY2BGR)):
        images = [f.image if convert is None else cv2.cvtColor(f.image, convert) for f in frames]
        analyzer = HealthAnalyzer(HealthConfig())
        costs = []
        for image, frame in zip(images, frames, strict=True):
            start = time.perf_counter()
            analyzer.feed(image, frame.t)
            costs.append(time.perf_counter() - start)
        ms = np.array(costs) * 1000
        print(f"  per frame, 1080p {label:10s}: median {np.median(ms):.3f} ms, "
              f"p99 {np.percentile(ms, 99):.3f} ms ({len(ms)} frames)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="30 s of 1080p60 instead of 8 s")
    parser.add_argument("--repeat", type=int, default=2, help="best of this many runs (2)")
    args = parser.parse_args()
    seconds = 30.0 if args.full else 8.0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "feed_1080p60.mp4"
        make_recording(path, seconds)
        print(f"recording: {seconds:g} s of 1920x1080 at 60 fps (x264)")
        per_frame_cost(path, 600)

        # best of `repeat` runs each, interleaved: the machine is shared, load comes and goes
        bgr_fps = luma_fps = scan_fps = ffmpeg_fps = 0.0
        for _ in range(args.repeat):
            bgr_fps = max(bgr_fps, bare_read_fps(path, luma=False))
            luma_fps = max(luma_fps, bare_read_fps(path, luma=True))
            start = time.perf_counter()
            result = scan(path)
            scan_fps = max(scan_fps, result.frames / (time.perf_counter() - start))
            start = time.perf_counter()
            run = subprocess.run(detect_command(path), capture_output=True, text=True, check=True)
            ffmpeg_fps = max(ffmpeg_fps, result.frames / (time.perf_counter() - start))

        print(f"  bare VideoCapture.read() loop, BGR : {bgr_fps:7.1f} fps")
        print(f"  bare VideoCapture.read() loop, luma: {luma_fps:7.1f} fps")
        print(f"  health scan (read + analysis)      : {scan_fps:7.1f} fps")
        print(f"  ffmpeg -vf freezedetect,blackdetect: {ffmpeg_fps:7.1f} fps")
        print(f"  ratio scan / bare BGR read   : {scan_fps / bgr_fps:.2f}  (goal >= 0.9)")
        print(f"  ratio scan / bare luma read  : {scan_fps / luma_fps:.2f}")
        print(f"  ratio scan / ffmpeg detectors: {scan_fps / ffmpeg_fps:.2f}")

        reference = parse_log(run.stderr)
        for label, ours, theirs in (("freeze", result.freezes, reference.freezes),
                                    ("black", result.blacks, reference.blacks)):
            pairs = list(zip(ours, theirs, strict=False))
            worst = max((max(abs(a.start - b.start),
                             abs(a.end - b.end) if b.end is not None else 0.0)
                         for a, b in pairs), default=0.0)
            found = [(round(s.start, 3), round(s.end, 3)) for s in ours]
            print(f"  {label} incidents: scan {found} ffmpeg {[(b.start, b.end) for b in theirs]};"
                  f" worst difference "
                  f"{worst:.3f} s" + ("" if len(ours) == len(theirs) else "  COUNT DIFFERS"))


if __name__ == "__main__":
    main()
