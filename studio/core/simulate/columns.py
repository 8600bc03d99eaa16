"""Events as columns: one block of numpy arrays per kind, merged into time order at the end.

A 4-hour show has over a million events; building them as arrays and making Event objects only
while yielding keeps memory flat and the generator fast.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

# Order within one instant: markers first, a viewer's join before what they do, leave last.
KIND_ORDER = (
    "marker",
    "join",
    "product_click",
    "add_to_cart",
    "order",
    "payment",
    "comment",
    "like",
    "share",
    "follow",
    "leave",
)
RANK = {kind: rank for rank, kind in enumerate(KIND_ORDER)}


@dataclass(frozen=True, slots=True)
class Block:
    """Events of one kind: seconds from the show's start, the viewer, and one payload index.

    The payload means: join -> visit number; product_click -> product; add_to_cart, order and
    payment -> row of the show's cart or order table; comment and marker -> row of `texts`.
    """

    kind: str
    t: np.ndarray
    viewer: np.ndarray
    payload: np.ndarray

    @classmethod
    def of(
        cls, kind: str, t: ArrayLike, viewer: ArrayLike, payload: ArrayLike | None = None
    ) -> Block:
        count = len(t)
        return cls(
            kind,
            np.asarray(t, dtype=np.float64),
            np.asarray(viewer, dtype=np.int64),
            np.full(count, -1, dtype=np.int64) if payload is None else np.asarray(
                payload, dtype=np.int64),
        )


@dataclass(frozen=True, slots=True)
class Merged:
    """All blocks in time order: parallel arrays, ready to turn into events."""

    ts: np.ndarray  # absolute Unix seconds, rounded to the millisecond
    kind: np.ndarray  # rank in KIND_ORDER
    viewer: np.ndarray
    payload: np.ndarray


def merge(blocks: list[Block], start: float) -> Merged:
    ordered = sorted(blocks, key=lambda b: RANK[b.kind])  # sorted() is stable
    ts = np.round(start + np.concatenate([b.t for b in ordered]), 3)
    kind = np.concatenate([np.full(len(b.t), RANK[b.kind], dtype=np.int8) for b in ordered])
    viewer = np.concatenate([b.viewer for b in ordered])
    payload = np.concatenate([b.payload for b in ordered])
    order = np.argsort(ts, kind="stable")
    return Merged(ts[order], kind[order], viewer[order], payload[order])
