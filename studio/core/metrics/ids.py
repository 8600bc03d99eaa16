"""Viewer ids to integer codes in numpy, without a Python object per id.

`compute()` gets each kind's viewer ids from SQLite as one byte string, the ids separated by a
byte they do not contain (`group_concat`). A dict from id to code would cost a hash-table probe
per row in Python, about as much as the whole pure-Python computation spends per event; here
the ids are hashed eight bytes at a time in numpy, grouped by sorting the hashes, and then every
id is compared byte for byte with its group's first member, so that two different ids can never
share a code (if two did hash alike, `group_ids` says so and the caller takes an exact path of
its own).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# _MASKS[k] keeps the k low bytes of a little-endian word (k = 0..8).
_MASKS = np.array([(1 << (8 * k)) - 1 for k in range(8)] + [(1 << 64) - 1], dtype=np.uint64)
_PAD = 256
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S1, _S2, _S3 = np.uint64(30), np.uint64(27), np.uint64(31)


def _mix(x: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser, in place: every input bit reaches every output bit."""
    x ^= x >> _S1
    x *= _M1
    x ^= x >> _S2
    x *= _M2
    x ^= x >> _S3
    return x


def split_offsets(blob: bytes, count: int, sep: bytes) -> tuple[np.ndarray, np.ndarray] | None:
    """Starts and lengths of the `count` pieces of `blob` between the one-byte separators
    `sep`, or None when the number of separators says that a piece itself holds one."""
    if count == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    raw = np.frombuffer(blob, np.uint8)
    seps = np.flatnonzero(raw == ord(sep))
    if len(seps) != count - 1:
        return None
    ends = np.empty(count, np.int64)
    ends[:-1] = seps
    ends[-1] = len(raw)
    starts = np.empty(count, np.int64)
    starts[0] = 0
    starts[1:] = seps + 1
    return starts, ends - starts


@dataclass(frozen=True, slots=True)
class Groups:
    """Equal strings grouped: `of[i]` is the group (0..n-1) of string i."""

    of: np.ndarray
    n: int
    members: np.ndarray  # a string of each group
    _blob: bytes
    _starts: np.ndarray
    _lengths: np.ndarray

    def text(self, group: int) -> str:
        """The string of a group, decoded from UTF-8."""
        i = self.members[group]
        start = int(self._starts[i])
        return self._blob[start:start + int(self._lengths[i])].decode()


def group_ids(blobs: Sequence[bytes], count: int, sep: bytes) -> Groups | None:
    """For the `count` byte strings of `blobs` (each a run of strings separated by `sep`, taken
    one after the other): a group number per string; equal strings, and only equal strings,
    share one (numbers 0..G-1 in no particular order).

    None when a string holds the separator or two different strings hash alike (about once in
    10^9 sessions of a million distinct ids): the caller then uses an exact path of its own.
    """
    if count == 0:
        empty = np.zeros(0, np.int64)
        return Groups(empty, 0, empty, b"", empty, empty)
    # The zeros after the last string let every word below be read without a bounds check.
    blob = sep.join([*blobs, bytes(_PAD)])
    offsets = split_offsets(blob, count + 1, sep)
    if offsets is None:
        return None
    starts, lengths = offsets[0][:-1], offsets[1][:-1]
    n_words = (int(lengths.max()) + 7) // 8
    full_words = int(lengths.min()) // 8  # words every string fills: no masking needed
    # Every byte offset as the start of an (unaligned) 8-byte word.
    words = np.ndarray((len(blob) - 7,), np.uint64, buffer=blob, strides=(1,))

    def word(k: int, rows: np.ndarray | None = None) -> np.ndarray:
        """Bytes 8k..8k+7 of the strings `rows` (all by default), zero past each one's end."""
        begin = starts if rows is None else starts[rows]
        w = words[begin + 8 * k] if k else words[begin]
        if k >= full_words:
            left = lengths if rows is None else lengths[rows]
            w &= _MASKS[np.clip(left - 8 * k, 0, 8)]
        return w

    # Hash: the length, then each word in turn. Long ids are rare: once fewer than a quarter
    # of the strings reach word k, only those are touched (and their words are not kept).
    hashes = _mix(lengths.astype(np.uint64) + _M2)
    kept: list[np.ndarray | None] = []
    for k in range(n_words):
        # Word k of every string reads up to 8k + 8 bytes past a string's start: within the
        # padding for the last one while 8k + 8 <= _PAD.
        if k > full_words and (8 * k + 8 > _PAD
                               or 4 * np.count_nonzero(lengths > 8 * k) < count):
            rows = np.flatnonzero(lengths > 8 * k)
            hashes[rows] = _mix(hashes[rows] ^ word(k, rows))
            kept.append(None)
        else:
            w = word(k)
            hashes ^= w
            _mix(hashes)
            kept.append(w)

    order = np.argsort(hashes)
    ordered = hashes[order]
    first = np.empty(count, dtype=bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    groups = np.empty(count, np.int64)
    groups[order] = np.cumsum(first) - 1
    members = order[first]  # the first member of each group, by hash order

    # Byte for byte: every string equals its group's first member.
    head = members[groups]
    if not np.array_equal(lengths[head], lengths):
        return None
    for k, w in enumerate(kept):
        if w is not None:
            same = np.array_equal(w[head], w)
        else:
            rows = np.flatnonzero(lengths > 8 * k)
            same = np.array_equal(word(k, rows), word(k, head[rows]))
        if not same:
            return None
    return Groups(groups, len(members), members, blob, starts, lengths)
