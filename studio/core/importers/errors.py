"""Import problems, each naming the file, the line, the column and what was expected."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.message}"


class ImportFailed(Exception):
    """Nothing of the file was written. `problems` holds the first few, in file order."""

    def __init__(self, problems: list[Problem], more: int = 0) -> None:
        self.problems = problems
        self.more = more
        first = str(problems[0])
        if len(problems) + more > 1:
            others = len(problems) + more - 1
            first += f" (and {others} more problem{'s' if others > 1 else ''})"
        super().__init__(first)
