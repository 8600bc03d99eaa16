"""The schema and its migrations: each step moves it from version i to i + 1.

sqlite-utils commits each DDL statement itself, so every step is written to be re-runnable
(if_not_exists): a migration cut short is finished on the next open. A domain that needs
tables of its own adds a step here.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import sqlite_utils

SCHEMA_VERSION = 2


def _migrate_to_1(db: sqlite_utils.Database) -> None:
    db["sessions"].create(
        {
            "id": int,
            "market": str,
            "platform": str,
            "account": str,
            "title": str,
            "mode": str,
            "replay_of": int,
            "started_at": float,
            "ended_at": float,
            "script_variant": str,
            "created_at": float,
        },
        pk="id",
        if_not_exists=True,
        not_null={"market", "platform", "account", "title", "mode", "created_at"},
        defaults={"platform": "", "account": "", "mode": "live"},
        foreign_keys=[("replay_of", "sessions", "id")],
    )
    db["events"].create(
        {
            "seq": int,
            "session_id": int,
            "key": bytes,  # KeyDeriver: time-prefixed content hash, or b"id:" + event id
            "ts": float,
            "kind": str,
            "viewer": str,
            "source": str,
            "is_new": int,
            "text": str,
            "sku": str,
            "qty": int,
            "order_id": str,
            "amount": str,  # exact decimal text; sums are done with Decimal
            "currency": str,
            "label": str,
            "event_id": str,
            "extra": str,  # JSON object of fields outside the record
        },
        pk="seq",
        if_not_exists=True,
        not_null={"session_id", "key", "ts", "kind"},
        foreign_keys=[("session_id", "sessions", "id")],
    )
    # Idempotency: one row per (session, stable key).
    db["events"].create_index(
        ["session_id", "key"], unique=True, index_name="events_key", if_not_exists=True
    )
    # The metric queries: per kind, in time order, covering the viewer (presence walks, distinct
    # viewers per funnel stage, interactions). Time before viewer: events arrive in time order,
    # so inserts land at the end of each kind's range instead of all over the index, which
    # keeps a million-row import from thrashing the page cache.
    db["events"].create_index(
        ["session_id", "kind", "ts", "viewer"], index_name="events_kind", if_not_exists=True
    )
    db["health_samples"].create(
        {
            "session_id": int,
            "ts": float,
            "fps": float,
            "fps_nominal": float,
            "received": int,
            "dropped": int,
            "status": str,
            "width": int,
            "height": int,
        },
        pk=("session_id", "ts"),
        if_not_exists=True,
        foreign_keys=[("session_id", "sessions", "id")],
    )
    db["imports"].create(
        {
            "id": int,
            "session_id": int,
            "path": str,
            "format": str,
            "imported_at": float,
            "rows": int,
            "added": int,
            "duplicates": int,
            "assumed_tz": str,
        },
        pk="id",
        if_not_exists=True,
        foreign_keys=[("session_id", "sessions", "id")],
    )
    # Host markers are events of kind `marker`; the view gives them their own name.
    db.create_view(
        "markers",
        "SELECT session_id, ts, label, extra FROM events WHERE kind = 'marker'",
        ignore=True,
    )


def _migrate_to_2(db: sqlite_utils.Database) -> None:
    """Scripts (studio/core/store/scripts.py): a script per market, platform and product set,
    every saved text a numbered version (a restore adds one), and the checklist's manual items
    a producer ticked."""
    db["scripts"].create(
        {
            "id": int,
            "name": str,
            "market": str,
            "platform": str,
            "products": str,  # the product set (catalog) the script was written for
            "created_at": float,
        },
        pk="id",
        if_not_exists=True,
        not_null={"name", "market", "platform", "products", "created_at"},
        defaults={"platform": "", "products": ""},
    )
    db["scripts"].create_index(["name"], unique=True, index_name="scripts_name",
                               if_not_exists=True)
    db["script_versions"].create(
        {
            "script_id": int,
            "number": int,
            "text": str,
            "source": str,  # the file it was imported from, if any
            "restored_from": int,  # the version it restored, if it is a restore
            "created_at": float,
        },
        pk=("script_id", "number"),
        if_not_exists=True,
        not_null={"text", "source", "created_at"},
        defaults={"source": ""},
        foreign_keys=[("script_id", "scripts", "id")],
    )
    db["script_ticks"].create(
        {"script_id": int, "item": str, "ticked_by": str, "ticked_at": float},
        pk=("script_id", "item"),
        if_not_exists=True,
        not_null={"ticked_by", "ticked_at"},
        foreign_keys=[("script_id", "scripts", "id")],
    )


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_migrate_to_1, _migrate_to_2]
assert len(MIGRATIONS) == SCHEMA_VERSION


def user_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(conn: sqlite3.Connection) -> None:
    version = user_version(conn)
    if version >= SCHEMA_VERSION:
        return
    db = sqlite_utils.Database(conn)
    for number, step in enumerate(MIGRATIONS[version:], start=version + 1):
        step(db)
        conn.execute(f"PRAGMA user_version = {number}")
