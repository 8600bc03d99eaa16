"""What every verb shares: the database option, user errors, JSON output, progress bars."""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# Re-exported: every verb raises and catches the user's errors through this module.
from studio.core.errors import UserError as UserError
from studio.core.errors import user_errors as user_errors
from studio.i18n import _


def add_db_option(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS: a subcommand without --db must not hide `studio --db X <verb>`.
    parser.add_argument(
        "--db", default=argparse.SUPPRESS, help="database file (default: the user data folder)"
    )


def open_store(args: argparse.Namespace, *, create: bool = False):
    """The --db database (or the default one); a path that cannot be a database is a user
    error naming it, not a traceback. Only the verbs that make sessions pass create=True:
    for every other verb a missing file is a typo, and opening it would leave an empty
    database behind."""
    import sqlite3

    from studio.core.store import MissingDatabase, Store, StoreError, default_db_path
    from studio.i18n.render import render_error

    path = Path(args.db) if getattr(args, "db", None) else default_db_path()
    if path.is_dir():
        raise UserError(_("{path} is a folder; --db takes a database file").format(path=path))
    folder = next((p for p in path.parents if p.exists()), None)
    if folder is not None and not folder.is_dir():
        raise UserError(_("{path} cannot be a database: {folder} is a file, not a folder")
                        .format(path=path, folder=folder))
    try:
        return Store(path, create=create)
    except MissingDatabase as exc:
        raise UserError(_("{problem} (studio session create or studio demo makes one)")
                        .format(problem=render_error(exc))) from None
    except StoreError:
        raise
    except (OSError, sqlite3.Error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UserError(_("{path} cannot be opened as a database ({reason})")
                        .format(path=path, reason=reason)) from None


def display_width(text: str) -> int:
    """Columns a terminal gives `text`: two for a wide (Chinese, Japanese, Korean) character."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def columns(rows: Sequence[Sequence[str]], indent: str = "  ") -> list[str]:
    """Rows of cells as aligned lines, padded by display width (a translated header or a
    Chinese title keeps the columns straight)."""
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [indent + "  ".join(cell + " " * (w - display_width(cell))
                               for cell, w in zip(row, widths, strict=True)).rstrip()
            for row in rows]


def print_json(data: Any) -> None:
    """Keys stay English (they are the documented interface); a Message (a flag's sentence, a
    warning) is written in the user's language, beside the code or id that names it."""
    from studio.core.message import Message
    from studio.i18n.render import render

    json.dump(data, sys.stdout, ensure_ascii=False, indent=2,
              default=lambda value: render(value) if isinstance(value, Message) else str(value))
    sys.stdout.write("\n")


@contextmanager
def progress_bar(total: int, description: str, unit: str = "B") -> Iterator[Any]:
    """A tqdm bar on stderr when it is a terminal; silent in pipes and tests.

    Yields a callable `update(done)` taking the absolute amount done so far.
    """
    from tqdm import tqdm

    # tqdm otherwise starts a monitor thread (even for a disabled bar) that outlives the command.
    tqdm.monitor_interval = 0
    bar = tqdm(
        total=total,
        desc=description,
        unit=unit,
        unit_scale=unit == "B",  # 60.4M/60.4M bytes, but 62/383 frames
        disable=not sys.stderr.isatty(),
        file=sys.stderr,
        leave=False,
    )

    def update(done: int) -> None:
        bar.update(done - bar.n)

    try:
        yield update
    finally:
        bar.close()
