"""`studio health-scan SOURCE [--seconds N] [--target WxH] [--json]` (docs/cli.md)."""

from __future__ import annotations

import argparse
import re
from contextlib import nullcontext

from studio.commands._common import UserError, columns, print_json, progress_bar
from studio.i18n import _
from studio.i18n.format import number, share
from studio.i18n.render import render, render_error


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
        raise argparse.ArgumentTypeError(_('"{text}" is not a size like 1920x1080').format(
            text=text))
    return int(match[1]), int(match[2])


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_('"{text}" is not a number of seconds').format(
            text=text)) from None
    if not (value > 0 and value != float("inf")):
        raise argparse.ArgumentTypeError(_('"{text}" is not a positive number of seconds')
                                         .format(text=text))
    return value


def _source(text: str):
    """A file, a URL, a device index, or a capture device called by (part of) its name."""
    from pathlib import Path

    from studio.capture.devices import describe_devices, find_device, list_devices
    from studio.capture.sources import SourceSpec

    spec = SourceSpec.parse(text)
    path = Path(text)
    if spec.kind == "file" and not path.exists():
        devices = list_devices()
        device = find_device(text, devices)
        if device is not None:
            return SourceSpec("device", device.index)
        if len(path.parts) == 1 and not path.suffix:  # a name rather than a path
            raise UserError(_("{text}: no such file, and no capture device is called that; "
                              "{devices}").format(text=text,
                                                  devices=render(describe_devices(devices))))
    return spec


def run(args: argparse.Namespace) -> int:
    import sys

    from studio.capture.scan import scan
    from studio.capture.sources import SourceError, open_source

    try:
        spec = _source(args.source)
        with open_source(spec, luma=True) as source:
            if spec.live and args.seconds is None:
                print(_("scanning {source} until Ctrl+C").format(source=source.label),
                      file=sys.stderr)
            total = source.frame_count
            if total and args.seconds and source.declared_fps:
                total = min(total, round(args.seconds * source.declared_fps))
            bar = (progress_bar(total, _("scanning"), unit=_("frame")) if total
                   else nullcontext(None))
            with bar as update:
                result = scan(source, seconds=args.seconds, target=args.target, progress=update)
    except SourceError as exc:
        raise UserError(render_error(exc)) from None
    if args.json:
        print_json(result.to_json())
    else:
        print(summary(result))
    return 0


def summary(result) -> str:
    """The scan as a few readable lines."""

    def seconds(value: float, digits: int = 2) -> str:
        return _("{seconds} s").format(seconds=number(value, digits))

    def spans(items) -> str:
        if not items:
            return _("none")
        shown = ", ".join(_("{start}–{end} ({length})").format(
            start=number(s.start, 2), end=seconds(s.end), length=seconds(s.end - s.start, 1))
            for s in items)
        return f"{number(len(items))}: {shown}"

    fps = number(result.fps_nominal, 3) if result.fps_nominal else _("unknown")
    rows = [
        (_("source"), result.source),
        (_("resolution"), f"{result.width}x{result.height}"),
        (_("frame rate"), _("{fps} fps (nominal)").format(fps=fps)),
        (_("duration"), seconds(result.duration_s)),
        (_("frames"), _("{received} received, {dropped} dropped ({share})").format(
            received=number(result.frames), dropped=number(result.dropped_frames),
            share=share(result.drop_ratio, 2))),
        (_("freezes"), spans(result.freezes)),
        (_("black"), spans(result.blacks)),
    ]
    for change in result.resolution_changes:
        old, new = change.old, change.new
        rows.append((_("resized"), _("at {time}: {old} -> {new}").format(
            time=seconds(change.t), old=f"{old[0]}x{old[1]}", new=f"{new[0]}x{new[1]}")))
    if result.target is not None:
        rows.append((_("below target"), _("{seconds} (target {target})").format(
            seconds=seconds(result.low_res_s, 1),
            target=f"{result.target[0]}x{result.target[1]}")))
    return "\n".join(columns(rows, indent=""))
