"""What viewers do besides buying: likes, comments, shares, follows.

Counts grow with the time a viewer stays and with a per-viewer activity drawn from a gamma
distribution (a few viewers talk a lot, most say little). Viewers who clicked a product ask
about products, prices and delivery; the others mostly chat (docs/metrics.md comment_mix).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from studio.core.simulate.columns import Block
from studio.core.simulate.config import Activity
from studio.core.simulate.crowd import Crowd
from studio.core.simulate.funnel import choose_products
from studio.core.simulate.markers import HostSchedule
from studio.core.simulate.phrases import CommentWriter

PRODUCT_TALK_ON_PINNED = 0.8  # comments about a product mostly mean the pinned one


@dataclass(frozen=True, slots=True)
class Talk:
    blocks: list[Block]
    texts: list[str]  # comment texts, indexed by the comment block's payload


def _repeat(rng: np.random.Generator, crowd: Crowd, counts: np.ndarray):
    who = np.repeat(np.arange(crowd.size), counts)
    return who, crowd.moments(who, rng.random(len(who)))


def engagement(
    rng: np.random.Generator,
    crowd: Crowd,
    config: Activity,
    comment_mix: Mapping[str, tuple[float, ...]],
    shopper: np.ndarray,
    writer: CommentWriter,
    schedule: HostSchedule,
    popularity: np.ndarray,
) -> Talk:
    dwell = crowd.dwell
    activity = rng.gamma(config.chattiness, 1.0 / config.chattiness, crowd.size)
    stayed_long = 1.0 - np.exp(-dwell / config.long_s)

    like_who, like_t = _repeat(rng, crowd, rng.poisson(config.likes_per_s * dwell * activity))
    sharer = np.flatnonzero(rng.random(crowd.size) < config.share * stayed_long)
    follower = np.flatnonzero(
        ~crowd.follower & (rng.random(crowd.size) < config.follow * stayed_long))

    talk = rng.poisson(config.comments_per_s * dwell * activity * crowd.chat)
    who, when = _repeat(rng, crowd, talk)
    languages = writer.pick_languages(rng, crowd.size)[who]
    mixes = np.array([comment_mix["browser"], comment_mix["shopper"]])
    cumulative = np.cumsum(mixes, axis=1)[shopper[who].astype(np.int64)]
    category = (rng.random(len(who))[:, None] > cumulative).sum(axis=1)
    category = np.minimum(category, mixes.shape[1] - 1)
    product = choose_products(rng, when, schedule, popularity, PRODUCT_TALK_ON_PINNED)
    texts = writer.texts(rng, languages, category, product)
    return Talk(
        blocks=[
            Block.of("like", like_t, like_who),
            Block.of("share", crowd.moments(sharer, rng.random(len(sharer))), sharer),
            Block.of("follow", crowd.moments(follower, rng.random(len(follower))), follower),
            Block.of("comment", when, who, np.arange(len(who))),
        ],
        texts=texts,
    )
