"""Errors whose message is written for the user: shown as one line, never as a traceback.

`UserError` is bad input said in so many words (exit code 1 on the command line). The other
kinds come from their own modules (a field that does not parse, a file that fails to import, a
market that does not exist, a database that cannot be used, a missing file); `user_facing`
knows them all, so the command line and the window treat them the same way.
"""

from __future__ import annotations


class UserError(Exception):
    """Bad input from the user: printed as one line, exit code 1, never a traceback."""


def user_errors() -> tuple[type[BaseException], ...]:
    """Exceptions whose message is already written for the user (imported when asked, so that
    `studio --help` does not load the store and the importers)."""
    from studio.core.events import FieldError
    from studio.core.importers.errors import ImportFailed
    from studio.core.markets import UnknownMarket
    from studio.core.markets.formatting import InexactPrice
    from studio.core.markets.table import MarketTableError
    from studio.core.scripts.errors import ScriptError
    from studio.core.store import StoreError

    return (UserError, StoreError, ImportFailed, UnknownMarket, MarketTableError, InexactPrice,
            FieldError, ScriptError, FileNotFoundError)


def user_facing(error: BaseException) -> bool:
    return isinstance(error, user_errors())
