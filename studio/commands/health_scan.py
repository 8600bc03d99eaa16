"""`studio health-scan SOURCE [--seconds N] [--target WxH] [--json]` (spec/cli.md)."""

from __future__ import annotations

import argparse
import re
from contextlib import nullcontext

from studio.commands._common import UserError, print_json, progress_bar


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "health-scan",
        help="scan a recording, stream URL or device for freezes, black, drops (spec/health.md)",
    )
    parser.add_argument("source", help="a video file, a stream URL (udp/rtsp/srt/rtmp) or a "
                                       "device index such as 0")
    parser.add_argument("--seconds", type=float, help="scan only this many seconds")
    parser.add_argument("--target", type=_size, help="target resolution WxH, e.g. 1920x1080")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.set_defaults(func=run)


def _size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d+)\s*[xX×]\s*(\d+)\s*", text)
    if not match or 0 in (int(match[1]), int(match[2])):
        raise argparse.ArgumentTypeError(f'"{text}" is not a size like 1920x1080')
    return int(match[1]), int(match[2])


def run(args: argparse.Namespace) -> int:
    from studio.capture.scan import scan
    from studio.capture.sources import SourceError, open_source

    try:
        with open_source(args.source, luma=True) as source:
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
    if result.low_res_s:
        lines.append(f"below target {result.low_res_s:.1f} s")
    return "\n".join(lines)
