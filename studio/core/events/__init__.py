"""The session event record (docs/importing.md): kinds, fields, parsing and stable keys.

Every source (imports, live ingest, hotkeys, the capture monitor, the simulator) turns what it
receives into an :class:`Event`. Parsing lives here, once, so that a field means the same thing
whichever door it came through. The hot path (a million-row import) works on plain tuples; the
dataclass is the public, frozen face of a record.

- `kinds`: the kinds, traffic sources, fields and the limits of a value
- `record`: `Event` and `FieldError`
- `fields`: one parser per field
- `parser`: `RecordParser`, compiled once per layout, and `parse_record`
- `keys`: `KeyDeriver`, the idempotency keys
"""

from __future__ import annotations

from studio.core.events.fields import (
    FIELD_PARSERS,
    TEXT_FIELDS,
    Timestamp,
    parse_amount,
    parse_bool,
    parse_currency,
    parse_int,
    parse_kind,
    parse_source,
    parse_ts,
)
from studio.core.events.keys import KeyDeriver
from studio.core.events.kinds import (
    COLUMN_FIELDS,
    FIELDS,
    HEALTH_KINDS,
    KINDS,
    MAX_FIELD_CHARS,
    MAX_INT,
    MAX_TS,
    MIN_TS,
    REQUIRED,
    SOURCES,
    VIEWER_KINDS,
)
from studio.core.events.parser import ParsedRecord, RecordParser, parse_record
from studio.core.events.record import Event, FieldError

__all__ = [
    "COLUMN_FIELDS",
    "FIELDS",
    "FIELD_PARSERS",
    "HEALTH_KINDS",
    "KINDS",
    "MAX_FIELD_CHARS",
    "MAX_INT",
    "MAX_TS",
    "MIN_TS",
    "REQUIRED",
    "SOURCES",
    "TEXT_FIELDS",
    "VIEWER_KINDS",
    "Event",
    "FieldError",
    "KeyDeriver",
    "ParsedRecord",
    "RecordParser",
    "Timestamp",
    "parse_amount",
    "parse_bool",
    "parse_currency",
    "parse_int",
    "parse_kind",
    "parse_record",
    "parse_source",
    "parse_ts",
]
