"""A request body into events: a JSON array of event records or JSON Lines, all or nothing.

The fields are validated by the record parser of studio.core.events, the same one the importer
uses, so a field means the same thing whichever door it came through. What this module adds is
the shape of an HTTP body: strict UTF-8 and strict JSON (a file's encoding is guessed by the
importer; a body's is not: JSON over HTTP is UTF-8), and error messages that name the record
by its place in the body: `[2].kind: "buy" is not a known kind (...)` for an array,
`line 3: amount "12,5O" is not a number` for JSON Lines.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import tzinfo
from typing import Any

from studio.core.events import FIELDS, Event, FieldError, RecordParser

MAX_PROBLEMS = 20
_ROW_NAMES = (*FIELDS, "extra")
_MAX_LAYOUTS = 256  # compiled parsers kept per body: one per distinct set of keys
_HINT = "the body is a JSON array of event objects, or one event object per line (JSON Lines)"


class BodyError(ValueError):
    """The body cannot be taken; nothing of it is written. `str()` is the first problem."""

    def __init__(self, problems: Sequence[str], more: int = 0) -> None:
        self.problems = list(problems)
        self.more = more
        message = self.problems[0]
        others = len(self.problems) - 1 + more
        if others:
            message += f" (and {others} more problem{'s' if others > 1 else ''})"
        super().__init__(message)


def _no_constants(name: str) -> Any:
    # Python's json reads NaN and Infinity, which JSON does not have.
    raise ValueError(f"{name} is not a JSON value")


def parse_events(body: bytes, tz: tzinfo) -> list[Event]:
    """Every event of `body`, or BodyError listing the first MAX_PROBLEMS problems.

    `tz` is the session market's time zone, for times given without an offset.
    """
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BodyError(
            [f"the body is not valid UTF-8 (at byte {exc.start}: {exc.reason})"]
        ) from None
    start = text.lstrip()
    if not start:
        raise BodyError([f"the body is empty: {_HINT}"])
    records = _array(text) if start.startswith("[") else _lines(text)
    return _events(records, tz)


def _array(text: str) -> Iterator[tuple[str, Any]]:
    try:
        items = json.loads(text, parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        raise BodyError(
            [f"the body is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"]
        ) from None
    except (ValueError, RecursionError) as exc:
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise BodyError([f"the body is not valid JSON ({reason})"]) from None
    if not isinstance(items, list):  # pragma: no cover - text starts with "["
        raise BodyError([_HINT])
    for index, item in enumerate(items):
        yield f"[{index}]", item


def _lines(text: str) -> Iterator[tuple[str, Any]]:
    # Split on "\n" only: a JSON string may hold U+2028 and friends, which splitlines() cuts.
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        try:
            obj = json.loads(stripped, parse_constant=_no_constants)
        except json.JSONDecodeError as exc:
            reason = f"{exc.msg}, column {exc.colno}"
            yield f"line {number}", BodyError([f"is not valid JSON ({reason})"])
            continue
        except (ValueError, RecursionError) as exc:
            reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
            yield f"line {number}", BodyError([f"is not valid JSON ({reason})"])
            continue
        yield f"line {number}", obj


def _where(place: str, exc: FieldError) -> str:
    """`[2].kind: "buy" is not ...` for an array item, `line 3: kind "buy" is not ...` else."""
    if place.startswith("["):
        message = str(exc)
        rest = message[len(exc.field):] if message.startswith(exc.field) else " " + message
        if rest.startswith(" is missing"):
            return f"{place}.{exc.field}{rest}"
        return f"{place}.{exc.field}:{rest}"
    return f"{place}: {exc}"


def _events(records: Iterator[tuple[str, Any]], tz: tzinfo) -> list[Event]:
    problems: list[str] = []
    more = 0
    events: list[Event] = []
    parsers: dict[tuple[str, ...], RecordParser] = {}

    def problem(message: str) -> None:
        nonlocal more
        if len(problems) < MAX_PROBLEMS:
            problems.append(message)
        else:
            more += 1

    for place, obj in records:
        if isinstance(obj, BodyError):
            problem(f"{place}: {obj}; {_HINT}" if not problems else f"{place}: {obj}")
            continue
        if not isinstance(obj, dict):
            problem(f"{place}: is not a JSON object {{...}} (an event record)")
            continue
        keys = tuple(obj)
        values = tuple(obj.values())
        try:
            parser = parsers.get(keys)
            if parser is None:
                if len(parsers) >= _MAX_LAYOUTS:
                    parsers.clear()
                parser = parsers[keys] = RecordParser(keys, tz)
            row, _naive = parser.parse(values)
        except FieldError as exc:
            problem(_where(place, exc))
            continue
        if not problems:  # after the first problem, only look for more problems
            events.append(Event.from_row(dict(zip(_ROW_NAMES, row, strict=True))))
    if problems:
        raise BodyError(problems, more)
    return events
