"""Who comes to a show, when, and for how long: per-viewer arrays of presence.

A live show's arrivals follow a few shapes per traffic source (the opening push, a trickle,
recommendation waves, the ad campaign, the rush after a flash sale); how long a viewer stays
depends on the source (ads bounce, followers stay). A replay's viewers each watch a part of the
recording. Times are seconds from the session's start.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from studio.core.simulate.config import ARRIVAL_SHAPES, Audience, SourceTraits
from studio.core.simulate.viewers import Draw, ViewerPool

BOUNCE_S = (3.0, 58.0)  # a bounce: gone within the first minute
MIN_STAY_S = 60.0


@dataclass(frozen=True, slots=True)
class Crowd:
    """The viewers of one show. Visit 2 is NaN for viewers who came once.

    `leave1`/`leave2` equal the show's length for viewers still there at the end.
    """

    length_s: float
    source_names: tuple[str, ...]
    source: np.ndarray  # index into source_names
    ids: list[str]
    is_new: np.ndarray
    follower: np.ndarray  # already follows the account (came from the follow feed)
    join1: np.ndarray
    leave1: np.ndarray
    join2: np.ndarray
    leave2: np.ndarray
    intent: np.ndarray  # readiness to buy, 1 = average
    chat: np.ndarray  # readiness to comment, 1 = average

    @property
    def size(self) -> int:
        return len(self.ids)

    @property
    def first_stay(self) -> np.ndarray:
        return self.leave1 - self.join1

    @property
    def dwell(self) -> np.ndarray:
        return self.first_stay + np.nan_to_num(self.leave2 - self.join2)

    def moments(self, who: np.ndarray, frac: np.ndarray) -> np.ndarray:
        """Times inside each viewer's presence: `frac` 0..1 of the way through it.

        A margin keeps them clear of the viewer's own join and leave.
        """
        first = self.first_stay[who]
        position = self.dwell[who] * (0.02 + 0.96 * frac)
        second = self.join2[who] + (position - first)
        return np.where(position < first, self.join1[who] + position, second)


def _normalised(curve: np.ndarray) -> np.ndarray | None:
    total = curve.sum()
    return curve / total if total > 0 else None


def _arrival_curves(
    config: Audience,
    grid: np.ndarray,
    length_s: float,
    flash_starts: tuple[float, ...],
) -> dict[str, np.ndarray | None]:
    """The arrival shapes shared by all sources, as densities over the grid (None: no mass)."""
    show = config.show
    fatigue = 1.0 - show.fatigue * grid / length_s
    rush = np.zeros_like(grid)
    for start in flash_starts:
        after = grid >= start
        rush[after] += np.exp(-(grid[after] - start) / show.flash_rush_s)
    ads = np.where((grid >= show.ads_from * length_s) & (grid <= show.ads_until * length_s), 1.0,
                   0.05)
    return {
        "opening": _normalised(np.exp(-grid / show.opening_s)),
        "flat": _normalised(fatigue),
        "ads": _normalised(ads * fatigue),
        "flash": _normalised(rush),
    }


def _waves(
    rng: np.random.Generator, config: Audience, grid: np.ndarray, length_s: float
) -> np.ndarray | None:
    count = max(1, round(length_s / config.show.wave_every_s))
    centres = rng.uniform(0.05, 0.95, count) * length_s
    heights = rng.uniform(0.5, 1.5, count)
    width = min(config.show.wave_width_s, length_s / 6)
    curve = np.zeros_like(grid)
    for centre, height in zip(centres, heights, strict=True):
        curve += height * np.exp(-0.5 * ((grid - centre) / width) ** 2)
    return _normalised(curve * (1.0 - config.show.fatigue * grid / length_s))


def _sample(rng: np.random.Generator, density: np.ndarray, step: float, count: int) -> np.ndarray:
    cdf = np.cumsum(density)
    cell = np.searchsorted(cdf, rng.random(count) * cdf[-1], side="right")
    cell = np.minimum(cell, len(density) - 1)
    return (cell + rng.random(count)) * step


def _arrivals(
    rng: np.random.Generator,
    config: Audience,
    traits: tuple[SourceTraits, ...],
    counts: np.ndarray,
    length_s: float,
    flash_starts: tuple[float, ...],
) -> np.ndarray:
    step = max(1.0, length_s / 20_000)
    grid = (np.arange(int(np.ceil(length_s / step))) + 0.5) * step
    curves = _arrival_curves(config, grid, length_s, flash_starts)
    out = []
    for source, count in zip(traits, counts.tolist(), strict=True):
        density = np.zeros_like(grid)
        for shape, weight in zip(ARRIVAL_SHAPES, source.arrival, strict=True):
            if not weight:
                continue
            # Each source has waves of its own: a platform push, a share, a shout-out.
            curve = _waves(rng, config, grid, length_s) if shape == "waves" else curves[shape]
            if curve is not None:
                density += weight * curve
        if not density.any():
            density[:] = 1.0
        out.append(_sample(rng, density, step, count))
    return np.minimum(np.concatenate(out), length_s - 1e-3)


def _live_stays(
    rng: np.random.Generator, traits: tuple[SourceTraits, ...], source: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    bounce = np.array([t.bounce for t in traits])[source]
    median = np.array([t.stay_median_s for t in traits])[source]
    sigma = np.array([t.stay_sigma for t in traits])[source]
    count = len(source)
    stay = np.maximum(median * np.exp(sigma * rng.standard_normal(count)), MIN_STAY_S)
    bounced = rng.random(count) < bounce
    return np.where(bounced, rng.uniform(*BOUNCE_S, count), stay), bounced


def _traits_arrays(
    traits: tuple[SourceTraits, ...], source: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    intent = np.array([t.intent for t in traits])[source]
    chat = np.array([t.chat for t in traits])[source]
    returning = np.array([t.returning for t in traits])[source]
    loyal = np.array([t.loyal for t in traits])[source]
    return intent, chat, returning, loyal


def _identities(
    rng: np.random.Generator,
    pool: ViewerPool,
    show_key: int,
    returning: np.ndarray,
    loyal: np.ndarray,
    pool_size: int,
) -> Draw:
    wants = rng.random(len(returning)) < returning
    return pool.draw(rng, show_key, wants, loyal & wants, pool_size)


def live_crowd(
    rng: np.random.Generator,
    config: Audience,
    mix: tuple[tuple[str, float], ...],
    viewers: int,
    length_s: float,
    flash_starts: tuple[float, ...],
    pool: ViewerPool,
    show_key: int,
) -> Crowd:
    traits = tuple(config.source(name) for name, _ in mix)
    counts = rng.multinomial(viewers, np.array([share for _, share in mix]))
    source = np.repeat(np.arange(len(traits)), counts)
    join1 = _arrivals(rng, config, traits, counts, length_s, flash_starts)
    stay, bounced = _live_stays(rng, traits, source)
    leave1 = np.minimum(join1 + stay, length_s)
    # Some viewers who stayed come back once more after a while.
    activity = config.activity
    gap = rng.exponential(activity.rejoin_gap_s, viewers) + 5.0
    join2 = leave1 + gap
    back = (~bounced) & (rng.random(viewers) < activity.rejoin) & (join2 < length_s - 5.0)
    join2 = np.where(back, join2, np.nan)
    second = stay * rng.uniform(0.2, 0.8, viewers)
    leave2 = np.where(back, np.minimum(join2 + second, length_s), np.nan)
    intent, chat, returning, loyal = _traits_arrays(traits, source)
    draw = _identities(rng, pool, show_key, returning, loyal, viewers)
    return Crowd(
        length_s=length_s,
        source_names=tuple(t.name for t in traits),
        source=source,
        ids=draw.ids,
        is_new=draw.is_new,
        follower=loyal & ~draw.is_new,
        join1=join1,
        leave1=leave1,
        join2=join2,
        leave2=leave2,
        intent=intent,
        chat=chat,
    )


def replay_crowd(
    rng: np.random.Generator,
    config: Audience,
    viewers: int,
    length_s: float,
    pool: ViewerPool,
    show_key: int,
    pool_size: int,
) -> Crowd:
    """A replay's viewers: each watches a share of the recording, starting when it suits."""
    replay = config.replay
    traits = tuple(config.source(name) for name, _ in replay.sources)
    counts = rng.multinomial(viewers, np.array([share for _, share in replay.sources]))
    source = np.repeat(np.arange(len(traits)), counts)
    u = rng.random(viewers)
    bounced = u < replay.bounce
    completed = (~bounced) & (u < replay.bounce + replay.completion)
    partial = np.maximum(rng.beta(1.2, 4.0, viewers) * 0.9 * length_s, MIN_STAY_S)
    stay = np.where(
        bounced,
        rng.uniform(*BOUNCE_S, viewers),
        np.where(completed, rng.uniform(0.9, 1.0, viewers) * length_s, partial),
    )
    stay = np.minimum(stay, 0.999 * length_s)
    join1 = rng.random(viewers) * (length_s - stay)
    intent, chat, returning, loyal = _traits_arrays(traits, source)
    draw = _identities(rng, pool, show_key, returning, loyal, pool_size)
    nothing = np.full(viewers, np.nan)
    return Crowd(
        length_s=length_s,
        source_names=tuple(t.name for t in traits),
        source=source,
        ids=draw.ids,
        is_new=draw.is_new,
        follower=loyal & ~draw.is_new,
        join1=join1,
        leave1=join1 + stay,
        join2=nothing,
        leave2=nothing.copy(),
        intent=intent * replay.intent,
        chat=chat * replay.chat,
    )
