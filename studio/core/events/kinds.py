"""What an event can be: its kinds, traffic sources, fields and the limits of a value."""

from __future__ import annotations

from datetime import UTC, datetime

VIEWER_KINDS = (
    "join",
    "leave",
    "comment",
    "follow",
    "like",
    "share",
    "product_click",
    "add_to_cart",
    "order",
    "payment",
)
# Written by the capture monitor (docs/health.md); details go into `extra`.
HEALTH_KINDS = (
    "health_incident_start",
    "health_incident_end",
    "health_status",
    "health_resolution",
    "health_reconnect",
)
KINDS = (*VIEWER_KINDS, "marker", *HEALTH_KINDS)
SOURCES = ("organic", "search", "social", "ads", "influencer", "follow_feed", "other")

# Fields a kind cannot do without. Everything else is optional.
REQUIRED: dict[str, tuple[str, ...]] = {k: ("viewer",) for k in VIEWER_KINDS}
REQUIRED.update(
    comment=("viewer", "text"),
    product_click=("viewer", "sku"),
    add_to_cart=("viewer", "sku"),
    order=("viewer", "order_id"),
    payment=("viewer", "order_id", "amount", "currency"),
    marker=("label",),
)
for _k in HEALTH_KINDS:
    REQUIRED[_k] = ()

# The record's fields in storage order (the `events` table mirrors this, plus session and key).
FIELDS = (
    "ts",
    "kind",
    "viewer",
    "source",
    "is_new",
    "text",
    "sku",
    "qty",
    "order_id",
    "amount",
    "currency",
    "label",
    "id",
)
COLUMN_FIELDS = frozenset(FIELDS)

MAX_FIELD_CHARS = 1 << 20  # 1 MiB: anything longer is garbage, not a comment
# SQLite stores integers in 64 bits; a bigger count is garbage that would fail the insert.
MAX_INT = (1 << 63) - 1
# The times datetime can show (years 1 to 9999): outside them a "time" is garbage (or
# milliseconds taken for seconds) and would break every later date conversion.
MIN_TS = datetime(1, 1, 2, tzinfo=UTC).timestamp()
MAX_TS = datetime(9999, 12, 30, tzinfo=UTC).timestamp()
