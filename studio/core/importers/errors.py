"""Import problems, each naming the file, the line, the column and what was expected."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from studio.core.plural import ngettext

# A file with a systematic fault has a problem on every line: the first ones say what to fix.
MAX_PROBLEMS = 20


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.message}"


class ImportFailed(Exception):
    """Nothing of the file was written. `problems` holds the first MAX_PROBLEMS, in file order;
    `more` counts the others. The message is one line per problem."""

    def __init__(self, problems: list[Problem], more: int = 0) -> None:
        self.problems = problems
        self.more = more
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        lines = [str(problem) for problem in self.problems]
        if self.more:
            lines.append(ngettext(
                "{file}: {n} more problem, not listed (only the first {limit} are)",
                "{file}: {n} more problems, not listed (only the first {limit} are)",
                self.more,
            ).format(file=self.problems[-1].file, n=self.more, limit=len(self.problems)))
        return lines

    def to_json(self) -> dict[str, Any]:
        return {"problems": [asdict(problem) for problem in self.problems],
                "more_problems": self.more}
