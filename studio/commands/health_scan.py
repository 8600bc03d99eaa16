"""`studio health-scan SOURCE [--seconds N] [--target WxH] [--json]` (docs/cli.md)."""

from __future__ import annotations

import argparse
import re
from contextlib import nullcontext

from studio.commands._common import UserError, print_json, progress_bar


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "health-scan",
        help="scan a recording, stream URL or device for freezes, black, drops (docs/health.md)",
    )
    parser.add_argument("source", help="a video file, a stream URL (udp/rtsp/srt/rtmp), a "
                                       "device index such as 0, or a device's name")
    parser.add_argument("--seconds", type=_seconds,
                        help="scan only this many seconds (a live source without it: until "
                             "Ctrl+C, then the figures so far)")
    parser.add_argument("--target", type=_size,
                        help="target resolution WxH, e.g. 1920x1080: the scan reports how long "
                             "the picture was below it")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.set_defaults(func=run)


def _size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d+)\s*[xX×]\s*(\d+)\s*", text)
    if not match or 0 in (int(match[1]), int(match[2])):
        raise argparse.ArgumentTypeError(f'"{text}" is not a size like 1920x1080')
    return int(match[1]), int(match[2])


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f'"{text}" is not a number of seconds') from None
    if not (value > 0 and value != float("inf")):
        raise argparse.ArgumentTypeError(f'"{text}" is not a positive number of seconds')
    return value


def _source(text: str):
    """A file, a URL, a device index, or a capture device called by (part of) its name."""
    from pathlib import Path

    from studio.capture.devices import describe_devices, find_device, list_devices
    from studio.capture.sources import SourceError, SourceSpec

    spec = SourceSpec.parse(text)
    path = Path(text)
    if spec.kind == "file" and not path.exists():
        devices = list_devices()
        device = find_device(text, devices)
        if device is not None:
            return SourceSpec("device", device.index)
        if len(path.parts) == 1 and not path.suffix:  # a name rather than a path
            raise SourceError(f"{text}: no such file, and no capture device is called that; "
                              f"{describe_devices(devices)}")
    return spec


def run(args: argparse.Namespace) -> int:
    import sys

    from studio.capture.scan import scan
    from studio.capture.sources import SourceError, open_source

    try:
        spec = _source(args.source)
        with open_source(spec, luma=True) as source:
            if spec.live and args.seconds is None:
                print(f"scanning {source.label} until Ctrl+C", file=sys.stderr)
            total = source.frame_count
            if total and args.seconds and source.declared_fps:
                total = min(total, round(args.seconds * source.declared_fps))
            bar = progress_bar(total, "scanning", unit="frame") if total else nullcontext(None)
            with bar as update:
                result = scan(source, seconds=args.seconds, target=args.target, progress=update)
    except SourceError as exc:
        raise UserError(str(exc)) from None
    if args.json:
        print_json(result.to_json())
    else:
        print(summary(result))
    return 0


def summary(result) -> str:
    """The scan as a few readable lines."""

    def spans(items) -> str:
        if not items:
            return "none"
        shown = ", ".join(f"{s.start:.2f}–{s.end:.2f} s ({s.end - s.start:.1f} s)" for s in items)
        return f"{len(items)}: {shown}"

    fps = f"{result.fps_nominal:.3g}" if result.fps_nominal else "unknown"
    lines = [
        f"source       {result.source}",
        f"resolution   {result.width}x{result.height}",
        f"frame rate   {fps} fps (nominal)",
        f"duration     {result.duration_s:.2f} s",
        f"frames       {result.frames} received, {result.dropped_frames} dropped "
        f"({result.drop_ratio:.2%})",
        f"freezes      {spans(result.freezes)}",
        f"black        {spans(result.blacks)}",
    ]
    for change in result.resolution_changes:
        old, new = change.old, change.new
        lines.append(f"resized      at {change.t:.2f} s: {old[0]}x{old[1]} -> {new[0]}x{new[1]}")
    if result.target is not None:
        lines.append(f"below target {result.low_res_s:.1f} s (target {result.target[0]}x"
                     f"{result.target[1]})")
    return "\n".join(lines)
