"""Import problems, each naming the file, the line, the column and what was expected."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from studio.core.message import N_, Message, Np_, message

# A file with a systematic fault has a problem on every line: the first ones say what to fix.
MAX_PROBLEMS = 20


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    line: int | None
    message: Message

    def said(self) -> Message:
        """The problem with where it is: "events.csv:12: qty "3x" is not a whole number"."""
        if self.line is None:
            return message(N_("{file}: {problem}"), file=self.file, problem=self.message)
        return message(N_("{file}:{line}: {problem}"), file=self.file, line=self.line,
                       problem=self.message)

    def __str__(self) -> str:
        return str(self.said())

    def message_id(self) -> str:
        """A stable key for scripts: the sentence's source text; for a field's value, what the
        field was expected to be ("is not a whole number")."""
        expected = self.message.params.get("expected")
        return expected.id if isinstance(expected, Message) else self.message.id


class ImportFailed(Exception):
    """Nothing of the file was written. `problems` holds the first MAX_PROBLEMS, in file order;
    `more` counts the others. `lines()` says one problem a line; str() is their English."""

    def __init__(self, problems: list[Problem], more: int = 0) -> None:
        self.problems = problems
        self.more = more
        super().__init__("\n".join(str(line) for line in self.lines()))

    def lines(self) -> list[Message]:
        lines = [problem.said() for problem in self.problems]
        if self.more:
            lines.append(message(Np_(
                "{file}: {n} more problem, not listed (only the first {limit} are)",
                "{file}: {n} more problems, not listed (only the first {limit} are)"),
                file=self.problems[-1].file, n=self.more, limit=len(self.problems)))
        return lines

    def to_json(self, render: Callable[[Message], str] = str) -> dict[str, Any]:
        """`render` writes a Message in the reader's language (English by default); each
        problem keeps its source text as `message_id`, a stable key for scripts."""
        return {"problems": [{"file": p.file, "line": p.line, "message": render(p.message),
                              "message_id": p.message_id()} for p in self.problems],
                "more_problems": self.more}
