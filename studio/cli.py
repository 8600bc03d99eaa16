"""The `studio` command (docs/cli.md): a thin parser over core.

Each verb lives in its own module under studio/commands/ with `register(subparsers)`; the
module sets `func` on its parser. A user error is raised as `UserError` (or a core error that
says what is wrong) and printed as one line on stderr with exit code 1; usage errors exit 2.

The verbs speak the language of `--lang`, else the system's (LANGUAGE, LC_ALL, LC_MESSAGES,
LANG), as the window does; argparse's usage and help texts stay English (docs/cli.md).
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from studio import commands
from studio.commands._common import UserError, user_errors
from studio.i18n import LANGUAGES, _, match_language, set_language


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="studio",
        description="Live Studio Companion: stream health, session events, live graphs, reviews.",
        epilog="Each verb's options: studio VERB --help. The project's docs/ folder says more: "
        "cli.md (every verb), importing.md (event files and platform exports), metrics.md "
        "(the figures), health.md (the capture monitor and health-scan), ingest.md (the live "
        "endpoint).",
    )
    parser.add_argument(
        "--demo", action="store_true", help="open the app on a simulated live session"
    )
    parser.add_argument("--db", help="database file (default: the user data folder)")
    parser.add_argument("--lang", help="interface language, e.g. en or zh_CN")
    parser.add_argument("--speed", type=_speed, default=1.0,
                        help="with --demo: how fast the simulated audience runs (60: a "
                        "show-minute a second; default 1, real time)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if not info.name.startswith("_"):
            importlib.import_module(f"{commands.__name__}.{info.name}").register(sub)
    return parser


def _speed(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f'"{text}" is not a number') from None
    if not 0.1 <= value <= 600:
        raise argparse.ArgumentTypeError("the demo speed is between 0.1 and 600")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    try:
        if func is None:
            from studio.commands._app import open_app

            func = open_app  # the window sets its language itself (and remembers the choice)
        else:
            check_locale(args.lang)
            set_language(args.lang)
        return int(func(args) or 0)
    except KeyboardInterrupt:
        print("studio: " + _("interrupted"), file=sys.stderr)
        return 130
    except user_errors() as exc:
        from studio.i18n.render import render_error

        # One line per problem (an import lists up to 20), each readable on its own.
        for line in render_error(exc).splitlines():
            print(f"studio: {line}", file=sys.stderr)
        return 1


def check_locale(code: str | None) -> None:
    """--lang of a verb: an offered language, or any locale Babel knows (its numbers, with the
    words of the closest offered language)."""
    from babel import Locale, UnknownLocaleError

    if not code or match_language(code):
        return
    try:
        Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        raise UserError(_('--lang "{code}" is neither an offered language ({offered}) nor a '
                          'locale like de_DE').format(code=code, offered=", ".join(LANGUAGES))
                        ) from None


if __name__ == "__main__":
    sys.exit(main())
