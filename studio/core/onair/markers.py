"""The host's markers: the labels hotkeys write, and what the markers say about the show now.

Labels follow spec/events.md: "pin SKU-12", "flash sale start", "flash sale end",
"segment: shipping Q&A", or any custom text.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from studio.core.events import Event

FLASH_START = "flash sale start"
FLASH_END = "flash sale end"
UNPIN = "unpin"
PIN_PREFIX = "pin "
SEGMENT_PREFIX = "segment: "


class MarkerError(ValueError):
    pass


def marker_event(label: str, ts: float | None = None) -> Event:
    """A marker the host set now; its id makes a double-written hotkey count once."""
    label = " ".join(label.split())
    if not label:
        raise MarkerError("a marker needs a label")
    if len(label) > 200:
        raise MarkerError("a marker label is at most 200 characters")
    return Event(ts=time.time() if ts is None else ts, kind="marker", label=label,
                 id=f"marker:{uuid.uuid4().hex}")


def pin_label(sku: str) -> str:
    sku = sku.strip()
    if not sku:
        raise MarkerError("pin needs a product (SKU)")
    return PIN_PREFIX + sku


def segment_label(name: str) -> str:
    name = name.strip()
    if not name:
        raise MarkerError("a segment needs a name")
    return SEGMENT_PREFIX + name


@dataclass(frozen=True, slots=True)
class ShowState:
    """What the markers so far say: the pinned product, whether a flash sale runs, the segment."""

    pinned: str | None = None
    flash_sale: bool = False
    segment: str | None = None

    def after(self, markers: Iterable[Event]) -> ShowState:
        pinned, flash, segment = self.pinned, self.flash_sale, self.segment
        for event in markers:
            label = (event.label or "").strip()
            lowered = label.lower()
            if lowered == FLASH_START:
                flash = True
            elif lowered == FLASH_END:
                flash = False
            elif lowered.startswith(PIN_PREFIX):
                pinned = label[len(PIN_PREFIX):].strip() or None
            elif lowered == UNPIN:
                pinned = None
            elif lowered.startswith(SEGMENT_PREFIX):
                segment = label[len(SEGMENT_PREFIX):].strip() or None
        return ShowState(pinned, flash, segment)
