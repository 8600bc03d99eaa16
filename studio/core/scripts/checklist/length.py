"""The `length` rule: how long each segment and the whole show take to say, at the market's
speaking rate (words a minute, or characters a minute for Chinese, Japanese, Korean and Thai),
against the targets in the headings."""

from __future__ import annotations

import re
from collections.abc import Sequence

from studio.core.message import N_, message
from studio.core.scripts.checklist.item import CheckItem
from studio.core.scripts.checklist.reading import ReadLine
from studio.core.scripts.model import Script

# A segment passes when its reading time is within this share of its target either way: a
# live host ad-libs a little, but a script far too long gets cut and one far too short leaves
# dead air.
TOLERANCE = 0.2
# What a placeholder ({price:SKU}, {shipping}...) takes to say, in words or characters.
PLACEHOLDER_WORDS, PLACEHOLDER_CHARS = 3, 8
_LETTER = re.compile(r"[^\W_]")


def spoken_units(line: ReadLine, unit: str) -> int:
    if unit == "chars":
        return len(_LETTER.findall(line.norm)) + PLACEHOLDER_CHARS * line.placeholders
    return len(line.words) + PLACEHOLDER_WORDS * line.placeholders


def length_items(script: Script, lines: Sequence[ReadLine], rate: int,
                 unit: str) -> list[CheckItem]:
    units = [0] * len(script.segments)
    for line in lines:
        if line.segment >= 0:
            units[line.segment] += spoken_units(line, unit)
    seconds = [60.0 * u / rate for u in units]
    items = [_verdict(message(N_('segment "{segment}"'), segment=segment.name), spoken,
                      segment.target_s, rate, unit, segment.heading_line)
             for segment, spoken in zip(script.segments, seconds, strict=True)
             if segment.target_s is not None]
    aired = script.for_variant(None).segments
    show = sum(s for seg, s in zip(script.segments, seconds, strict=True) if seg in aired)
    if script.target_s is not None:
        items.append(_verdict(message(N_("the show")), show, script.target_s, rate, unit, None))
    else:
        items.append(CheckItem("length", True, message(
            N_("the show takes about {spoken} to say; not every segment has a target"),
            spoken=clock(show))))
    return items


def _verdict(what, spoken: float, target: float, rate: int, unit: str,
             line: int | None) -> CheckItem:
    passed = abs(spoken - target) <= TOLERANCE * target
    text = (N_("{what}: about {spoken} at {rate} words a minute; the target is {target}")
            if unit == "words" else
            N_("{what}: about {spoken} at {rate} characters a minute; the target is {target}"))
    return CheckItem("length", passed, message(text, what=what, spoken=clock(spoken), rate=rate,
                                               target=clock(target)), line)


def clock(seconds: float) -> str:
    """A duration as minutes:seconds, "4:05"."""
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"
