"""The event record itself: the frozen `Event` and the error a bad field raises."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from studio.core.events.kinds import FIELDS
from studio.core.message import N_, Message, message


class FieldError(ValueError):
    """A field's value is not what the record allows; `expected` says what it should be. The
    error's Message names the field, the value and `expected` (str() is the English)."""

    def __init__(self, field_name: str, value: object, expected: Message) -> None:
        self.field = field_name
        self.value = value
        self.expected = expected
        if value in (None, ""):
            said = message(N_("{field} is missing: {expected}"), field=field_name,
                           expected=expected)
        else:
            said = message(N_('{field} "{value}" {expected}'), field=field_name,
                           value=_shorten(value), expected=expected)
        super().__init__(said)
        self.said = said


def _shorten(value: object, limit: int = 60) -> str:
    # backslashreplace: a message must be printable even when the value is not valid text.
    text = str(value).encode(errors="backslashreplace").decode()
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True, slots=True)
class Event:
    """One thing that happened in a session. `ts` is Unix seconds, UTC."""

    ts: float
    kind: str
    viewer: str | None = None
    source: str | None = None
    is_new: bool | None = None
    text: str | None = None
    sku: str | None = None
    qty: int | None = None
    order_id: str | None = None
    amount: Decimal | None = None
    currency: str | None = None
    label: str | None = None
    id: str | None = None
    extra: Mapping[str, Any] | None = field(default=None, compare=False)

    def as_row(self) -> tuple:
        """The storage tuple, in FIELDS order, then the JSON of `extra`."""
        return (
            self.ts,
            self.kind,
            self.viewer,
            self.source,
            None if self.is_new is None else int(self.is_new),
            self.text,
            self.sku,
            self.qty,
            self.order_id,
            None if self.amount is None else str(self.amount),
            self.currency,
            self.label,
            self.id,
            json.dumps(dict(self.extra), ensure_ascii=False, sort_keys=True)
            if self.extra
            else None,
        )

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Event:
        extra = row.get("extra")
        return cls(
            ts=row["ts"],
            kind=row["kind"],
            viewer=row.get("viewer"),
            source=row.get("source"),
            is_new=None if row.get("is_new") is None else bool(row["is_new"]),
            text=row.get("text"),
            sku=row.get("sku"),
            qty=row.get("qty"),
            order_id=row.get("order_id"),
            amount=None if row.get("amount") is None else Decimal(row["amount"]),
            currency=row.get("currency"),
            label=row.get("label"),
            id=row.get("id"),
            extra=json.loads(extra) if extra else None,
        )

    def to_json(self) -> dict[str, Any]:
        """The JSON Lines form of docs/importing.md (ts as ISO 8601 UTC), without empty fields."""
        out: dict[str, Any] = {"ts": _iso_utc(self.ts)}
        for name in FIELDS[1:]:
            value = getattr(self, name)
            if value is not None:
                out[name] = str(value) if isinstance(value, Decimal) else value
        if self.extra:
            out.update(self.extra)
        return out


def _iso_utc(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat().replace("+00:00", "Z")

