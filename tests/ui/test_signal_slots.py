"""No lambda with default arguments is connected to a Qt signal.

PySide passes a signal's arguments to every parameter a slot can take: `clicked`, `toggled`,
`triggered` carry `checked`, `currentIndexChanged` an index, so `lambda i=index: ...` gets the
signal's value in `i` instead of its default. Actions go through studio.ui.actions, which
drops `checked`; elsewhere bind arguments with functools.partial.
"""

from __future__ import annotations

import ast
from pathlib import Path

import studio

ROOT = Path(studio.__file__).parent


def lambdas_with_defaults_connected(source: str) -> list[int]:
    """The lines where `something.connect(lambda x=...: ...)` is written."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "connect"):
            lines += [node.lineno for argument in node.args
                      if isinstance(argument, ast.Lambda)
                      and (argument.args.defaults or any(argument.args.kw_defaults))]
    return lines


def test_no_signal_is_connected_to_a_lambda_with_defaults():
    files = [*sorted((ROOT / "ui").rglob("*.py")), ROOT / "app.py"]
    offenders = [f"{path.relative_to(ROOT.parent)}:{line}" for path in files
                 for line in lambdas_with_defaults_connected(path.read_text(encoding="utf-8"))]
    assert not offenders, f"lambda with defaults connected to a signal: {offenders}"


def test_the_check_sees_the_mistake():
    assert lambdas_with_defaults_connected(
        "ok.clicked.connect(lambda: go())\n"
        "action.triggered.connect(lambda i=3: show(i))\n") == [2]
