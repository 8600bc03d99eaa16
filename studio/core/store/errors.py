"""What can go wrong with the database, in words for the user."""

from __future__ import annotations


class StoreError(Exception):
    """A problem with the database that the user must hear about in plain words."""


class StoreCorrupt(StoreError):
    pass


class WriterBusy(StoreError):
    """The writer's queue is full: the caller should slow down (HTTP 429), not drop."""


class UnknownSession(StoreError):
    pass


class MissingDatabase(StoreError):
    """Opened without `create` where there is no database file: a mistyped path must not
    leave an empty database behind."""
