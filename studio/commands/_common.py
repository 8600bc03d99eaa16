"""What every verb shares: the database option, user errors, JSON output, progress bars."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# Re-exported: every verb raises and catches the user's errors through this module.
from studio.core.errors import UserError as UserError
from studio.core.errors import user_errors as user_errors


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

    path = Path(args.db) if getattr(args, "db", None) else default_db_path()
    if path.is_dir():
        raise UserError(f"{path} is a folder; --db takes a database file")
    folder = next((p for p in path.parents if p.exists()), None)
    if folder is not None and not folder.is_dir():
        raise UserError(f"{path} cannot be a database: {folder} is a file, not a folder")
    try:
        return Store(path, create=create)
    except MissingDatabase as exc:
        raise UserError(f"{exc} (studio session create or studio demo makes one)") from None
    except StoreError:
        raise
    except (OSError, sqlite3.Error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UserError(f"{path} cannot be opened as a database ({reason})") from None


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
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
