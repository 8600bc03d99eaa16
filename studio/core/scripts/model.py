"""A script as data: segments of the source file's lines, each line keeping its number so
that every problem (a checklist finding, an unknown placeholder) can point at it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Line:
    number: int  # 1-based, in the source file
    text: str


@dataclass(frozen=True, slots=True)
class Segment:
    """One part of the show (opening, product pitch, trust, Q&A...; names are free).

    `variant` marks an A/B alternative (`## Opening [B]`): a rendering for variant V keeps the
    segments without a variant and those of V."""

    name: str
    target_s: float | None  # the time the segment should take on air, if the heading says
    heading_line: int
    lines: tuple[Line, ...]
    variant: str | None = None

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


@dataclass(frozen=True, slots=True)
class Script:
    segments: tuple[Segment, ...]
    preamble: tuple[Line, ...] = ()  # lines before the first heading (a title, notes)

    @property
    def variants(self) -> tuple[str, ...]:
        """The A/B variants the script offers, in the order they first appear."""
        return tuple(dict.fromkeys(s.variant for s in self.segments if s.variant))

    def for_variant(self, variant: str | None) -> Script:
        """The script as aired in one variant: the shared segments and the variant's own.
        None picks the first variant (a script without variants stays whole)."""
        chosen = variant or next(iter(self.variants), None)
        return Script(tuple(s for s in self.segments if s.variant in (None, chosen)),
                      self.preamble)

    @property
    def target_s(self) -> float | None:
        """The show's target: the sum of its segments' targets, if every segment has one."""
        targets = [s.target_s for s in self.for_variant(None).segments]
        return sum(targets) if targets and None not in targets else None  # type: ignore[arg-type]
