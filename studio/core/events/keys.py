"""Stable keys: what makes re-importing a file (or an overlapping export) add nothing."""

from __future__ import annotations

import hashlib
import pickle
import struct

_MILLIS = struct.Struct(">q")
_OCCURRENCE = struct.Struct(">I")


class KeyDeriver:
    """Derives each event's idempotency key.

    An event with an `id` is keyed by it. Without one, the key is the time followed by a hash of
    the whole record and the occurrence number of identical records: two identical comments in
    the same second are two events, and the same file read twice yields the same keys. The key
    starts with the time so that keys of a time-ordered file arrive nearly sorted (cheap B-tree
    inserts). Occurrences are counted among the last `window` to 2 x `window` records (two
    generations of counts), which bounds memory for any file size; identical records further
    apart than that in an unsorted file are taken as one event.
    """

    def __init__(self, window: int = 65536) -> None:
        self._window = window
        self._current: dict[bytes, int] = {}
        self._previous: dict[bytes, int] = {}

    def key(self, row: tuple) -> bytes:
        """`row` is Event.as_row() (FIELDS order, then extra JSON)."""
        event_id = row[12]
        if event_id is not None:
            return b"id:" + event_id.encode()
        # The time to the millisecond, then a hash of the other fields pickled (protocol 4 is
        # a fixed format, so keys stay stable across versions; a float's repr would cost more
        # than the rest of the key together).
        stem = _MILLIS.pack(int(row[0] * 1000)) + hashlib.blake2b(
            pickle.dumps(row[1:12], 4), digest_size=12
        ).digest()
        current = self._current
        n = current.get(stem)
        if n is None:
            n = self._previous.get(stem, 0)
            if len(current) >= self._window:
                self._previous, self._current = current, {}
                current = self._current
        current[stem] = n + 1
        # Bytes, not hex text: half the size in the unique index; time first, so keys sort.
        return stem + _OCCURRENCE.pack(n) if n else stem
