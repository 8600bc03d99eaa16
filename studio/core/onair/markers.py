"""The host's markers: the labels hotkeys write, and what the markers say about the show now.

Labels follow docs/importing.md: "pin SKU-12", "flash sale start", "flash sale end",
"segment: shipping Q&A", or any custom text. They are stored as written (the log's language is
English); `caption` says one in the user's language, the host's own part (the SKU, the segment's
name, a custom label) as the host wrote it.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from studio.core.events import Event
from studio.core.message import N_, Message, message

FLASH_START = "flash sale start"
FLASH_END = "flash sale end"
UNPIN = "unpin"
PIN_PREFIX = "pin "
SEGMENT_PREFIX = "segment: "


class MarkerError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Marker:
    """What a label means: its kind (flash_start, flash_end, unpin, pin, segment or custom) and
    the host's own text in it (the SKU, the segment's name, the custom label)."""

    kind: str
    text: str | None = None


_FIXED = {FLASH_START: "flash_start", FLASH_END: "flash_end", UNPIN: "unpin"}
_CAPTIONS = {
    "flash_start": N_("flash sale start"),
    "flash_end": N_("flash sale end"),
    "unpin": N_("unpin"),
    "pin": N_("pin {text}"),
    "segment": N_("segment: {text}"),
}


def read_label(label: str) -> Marker:
    label = label.strip()
    lowered = label.lower()
    if lowered in _FIXED:
        return Marker(_FIXED[lowered])
    for prefix, kind in ((PIN_PREFIX, "pin"), (SEGMENT_PREFIX, "segment")):
        if lowered.startswith(prefix):
            return Marker(kind, label[len(prefix):].strip() or None)
    return Marker("custom", label)


def caption(label: str) -> Message | str:
    """The label as the user reads it: its kind translated, the host's text kept; a custom
    label as it is."""
    marker = read_label(label)
    if marker.kind == "custom":
        return marker.text or ""
    return message(_CAPTIONS[marker.kind], text=marker.text or "")


def marker_event(label: str, ts: float | None = None) -> Event:
    """A marker the host set now; its id makes a double-written hotkey count once."""
    label = " ".join(label.split())
    if not label:
        raise MarkerError(message(N_("a marker needs a label")))
    if len(label) > 200:
        raise MarkerError(message(N_("a marker label is at most 200 characters")))
    return Event(ts=time.time() if ts is None else ts, kind="marker", label=label,
                 id=f"marker:{uuid.uuid4().hex}")


def pin_label(sku: str) -> str:
    sku = sku.strip()
    if not sku:
        raise MarkerError(message(N_("pin needs a product (SKU)")))
    return PIN_PREFIX + sku


def segment_label(name: str) -> str:
    name = name.strip()
    if not name:
        raise MarkerError(message(N_("a segment needs a name")))
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
            marker = read_label(event.label or "")
            if marker.kind in ("flash_start", "flash_end"):
                flash = marker.kind == "flash_start"
            elif marker.kind in ("pin", "unpin"):
                pinned = marker.text
            elif marker.kind == "segment":
                segment = marker.text
        return ShowState(pinned, flash, segment)
