"""ViewerPool: the people an account's shows draw on, so that viewers return across sessions.

Ids are computed, not stored: the pool of an account is a numbered list of its regulars, whose
first entries are its core of fans, and a regular's id is a keyed mix of the account and the
number. A show takes its returning viewers from that list (its followers from the core), so two
shows of one account share part of their audience and shows of different accounts share none.
Newcomers get ids keyed by the show, unique to it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
# The account's regulars, relative to a show's viewers: its core of fans (whom its followers
# are drawn from) and everyone it has reached before.
CORE_SHARE = 0.15
REACH_SHARE = 0.6


def mix64(values: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser: a bijection on 64-bit integers that scatters nearby inputs."""
    z = values.astype(np.uint64) + _GOLDEN
    z = (z ^ (z >> np.uint64(30))) * _MIX1
    z = (z ^ (z >> np.uint64(27))) * _MIX2
    return z ^ (z >> np.uint64(31))


def stable_key(*parts: object) -> int:
    """A 64-bit key from text parts, the same in every process (unlike hash())."""
    text = "\x1f".join(str(p) for p in parts).encode()
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "little")


def _keyed(key: int, indices: np.ndarray) -> np.ndarray:
    return np.uint64(key) ^ indices.astype(np.uint64)


@dataclass(frozen=True, slots=True)
class Draw:
    """Who came to one show: ids, and which of them were new to the account."""

    ids: list[str]
    is_new: np.ndarray  # bool per viewer


@dataclass(frozen=True, slots=True)
class ViewerPool:
    """The audience of one account; deterministic from the account and the seed."""

    account: str = "demo"
    seed: int = 0

    def draw(
        self,
        rng: np.random.Generator,
        show_key: int,
        returning: np.ndarray,
        loyal: np.ndarray,
        size: int,
    ) -> Draw:
        """Ids for one show's viewers.

        `returning` marks viewers to take from the account's regulars, `loyal` those (its
        followers) to take from its core; `size` scales the account's reach (a show's
        viewers). A returning viewer who finds no regular left becomes a newcomer.
        """
        count = len(returning)
        core = max(1, round(size * CORE_SHARE))
        reach = max(core, round(size * REACH_SHARE))
        index = np.full(count, -1, dtype=np.int64)
        fans = np.flatnonzero(returning & loyal)[:core]
        index[fans] = rng.choice(core, len(fans), replace=False)
        others = np.flatnonzero(returning & ~loyal)[:reach]
        picked = rng.choice(reach, len(others), replace=False)
        index[others] = np.where(np.isin(picked, index[fans]), -1, picked)
        regular = index >= 0
        raw = np.where(
            regular,
            _keyed(stable_key("pool", self.account, self.seed), index),
            _keyed(stable_key("show", self.account, self.seed, show_key),
                   np.arange(count, dtype=np.int64)),
        )
        # Platform viewer ids are long digit strings; 63 bits keep them positive everywhere.
        ids = [str(v) for v in (mix64(raw) >> np.uint64(1)).tolist()]
        return Draw(ids, ~regular)
