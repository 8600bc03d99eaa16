"""Bad script input (a script, a product catalog): one line naming file:line:column and what
was expected."""

from __future__ import annotations

from studio.core.message import N_, Message, message


class ScriptError(ValueError):
    """Raised with a Message that names the place: `file:line:column: problem`."""


def script_error(source: str, line: int, column: int, problem: Message) -> ScriptError:
    return ScriptError(message(N_("{file}:{line}:{column}: {problem}"),
                               file=source, line=line, column=column,
                               problem=problem))
