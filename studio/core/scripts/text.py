"""The plain-text script format: UTF-8 text where `## ` headings start segments.

    Lines before the first heading are the preamble (a title, notes for the crew).
    ## Eröffnung (2 min)
    Hallo und willkommen...
    ## Produkt [B] (4 min)
    ...

A heading may carry a variant in brackets (`[B]`: an A/B alternative, before or after the
target) and a target duration in parentheses: `(4 min)`, `(90 s)`, `(1:30)`. Parentheses that
are no duration stay part of the name (`## Q&A (live)`).
"""

from __future__ import annotations

import re
from pathlib import Path

from studio.core.message import N_, message
from studio.core.scripts.errors import script_error
from studio.core.scripts.files import decode_utf8
from studio.core.scripts.model import Line, Script, Segment

HEADING = "## "
_HEADING = re.compile(  # the variant may come before or after the target
    r"##\s+(?P<name>.*?)\s*(?:\[(?P<variant>[^\[\]\s]+)\])?\s*(?:\((?P<target>[^()]*)\))?"
    r"\s*(?:\[(?P<variant_after>[^\[\]\s]+)\])?\s*")
_DURATION = re.compile(
    r"(?P<amount>\d+(?:[.,]\d+)?)\s*(?P<unit>min|mins|minutes?|m|s|sec|secs|seconds?)"
    r"|(?P<minutes>\d+):(?P<seconds>[0-5]\d)", re.IGNORECASE)


def parse_script(text: str, source: str) -> Script:
    """Segments from text; `source` names the file in errors."""
    preamble: list[Line] = []
    segments: list[Segment] = []
    heading: tuple[str, float | None, int, str | None] | None = None
    body: list[Line] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if raw.startswith("##") and not raw.startswith("###"):
            if heading is not None:
                segments.append(Segment(heading[0], heading[1], heading[2], tuple(body),
                                        heading[3]))
            heading, body = _heading(raw, number, source), []
        elif heading is None:
            preamble.append(Line(number, raw))
        else:
            body.append(Line(number, raw))
    if heading is not None:
        segments.append(Segment(heading[0], heading[1], heading[2], tuple(body), heading[3]))
    if not segments:
        raise script_error(source, 1, 1, message(N_(
            "no segment; a script needs at least one heading starting with \"## \"")))
    return Script(tuple(segments), tuple(preamble))


def _heading(raw: str, number: int, source: str) -> tuple[str, float | None, int, str | None]:
    match = _HEADING.fullmatch(raw)
    if match is None or not raw.startswith(HEADING):
        raise script_error(source, number, 1, message(N_(
            "a heading starts with \"## \" (two hashes and a space)")))
    name, target = match["name"], None
    if match["target"] is not None:
        target = _duration(match["target"].strip())
        if target is None:  # not a duration: part of the name, e.g. "## Q&A (live)"
            name = f"{name} ({match['target']})".lstrip()
    if not name:
        raise script_error(source, number, len(HEADING) + 1, message(N_(
            "a heading needs a segment name after \"## \"")))
    return name, target, number, match["variant"] or match["variant_after"]


def _duration(text: str) -> float | None:
    match = _DURATION.fullmatch(text)
    if match is None:
        return None
    if match["minutes"] is not None:
        return int(match["minutes"]) * 60.0 + int(match["seconds"])
    amount = float(match["amount"].replace(",", "."))
    return amount * 60 if match["unit"].lower().startswith("m") else amount


def script_text(script: Script) -> str:
    """The script as text again: parse_script(script_text(s)) keeps its segments."""
    out = [line.text for line in script.preamble]
    for segment in script.segments:
        out.append(heading_text(segment))
        out.extend(line.text for line in segment.lines)
    return "\n".join(out) + "\n"


def heading_text(segment: Segment) -> str:
    parts = [HEADING + segment.name]
    if segment.variant:
        parts.append(f"[{segment.variant}]")
    if segment.target_s is not None:
        parts.append(f"({_duration_text(segment.target_s)})")
    return " ".join(parts)


def _duration_text(seconds: float) -> str:
    if seconds % 60 == 0:
        return f"{seconds / 60:g} min"
    return f"{seconds:g} s"


def read_script_file(path: Path | str) -> Script:
    """A script from a UTF-8 file (a UTF-8 byte order mark is allowed); any other encoding,
    an empty or an oversized file is a ScriptError naming the file."""
    return parse_script(read_script_text(path), str(path))


def read_script_text(path: Path | str) -> str:
    """A script file's text, checked as read_script_file checks it, before its structure."""
    text = decode_utf8(Path(path).read_bytes(), str(path))
    if not text.strip():
        raise script_error(str(path), 1, 1, message(N_(
            "the file is empty; expected a script with \"## \" headings")))
    return text
