"""The figures of docs/metrics.md (a `model.Figures`), assembled from a session's facts.

Both paths end here: `compute()` gathers the facts with SQL and numpy, `LiveMetrics` keeps them
up to date event by event; this module turns them into the figures, so the two paths cannot
disagree on a definition.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from studio.core.metrics import flags
from studio.core.metrics.common import (
    FUNNEL_STAGES,
    FUNNEL_STEPS,
    RATIO_DIGITS,
    SOURCE_KEYS,
    Window,
    ratio,
    seconds,
)
from studio.core.metrics.health_figures import Incidents, health_figures
from studio.core.metrics.model import (
    Concurrency,
    Diagnosis,
    Figures,
    Funnel,
    FunnelRates,
    Interaction,
    Replay,
    Sales,
    SessionInfo,
    SourceFigures,
    Traffic,
    Undecided,
)
from studio.core.metrics.presence import Presence
from studio.core.metrics.prior import Prior
from studio.core.metrics.references import (
    BOUNCE_DWELL_S,
    EFFECTIVE_DWELL_S,
    REPLAY_COMPLETE_SHARE,
)
from studio.core.metrics.retention import Survival
from studio.core.metrics.tallies import CommentCounts, CommentTally, SalesLedger
from studio.core.store import Session

# Concurrency buckets: the smallest width that keeps a show within MAX_POINTS points
# (1 s up to 30 minutes, 10 s for a 4-hour show).
BUCKETS_S = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600)
MAX_POINTS = 1800


@dataclass(frozen=True, slots=True)
class Audience:
    """The viewers V (codes 0..N-1) and what is known of each."""

    presence: Presence
    source: np.ndarray  # index into SOURCE_KEYS
    new: np.ndarray  # bool: new to the channel
    paid: np.ndarray  # bool: has a payment

    @property
    def size(self) -> int:
        return len(self.presence.dwell)


@dataclass(frozen=True, slots=True)
class SessionFacts:
    session: Session
    window: Window
    audience: Audience
    stages: Mapping[str, int]  # clicked, carted, ordered, paid: distinct viewers
    followers: int
    outsiders: int  # viewers with activity but no join
    presence_outside: int  # join/leave events outside the window
    comments: CommentTally | CommentCounts
    ledger: SalesLedger
    samples: Sequence[tuple[float, int | None, int | None]]
    incidents: Incidents
    prior: Prior


def build(facts: SessionFacts) -> Figures:
    audience, window = facts.audience, facts.window
    n = audience.size
    session = _session(facts.session, window)
    # The presence intervals' starts and ends, each sorted: the peak and the concurrency.
    starts, ends = np.sort(audience.presence.starts), np.sort(audience.presence.ends)
    stays = Survival.of(audience.presence)
    traffic = _traffic(audience, stays, window, starts, ends)
    # On air only: the viewers still in the room whose outcome each share cannot know yet.
    undecided = (None if audience.presence.present is None else
                 Undecided(effective_ratio=stays.undecided(EFFECTIVE_DWELL_S),
                           bounce_rate=stays.undecided(BOUNCE_DWELL_S)))
    interaction = _interaction(facts.comments, facts.followers, n)
    funnel = _funnel(n, facts.stages, facts.prior)
    ledger = facts.ledger
    health = health_figures(facts.samples, facts.incidents, audience.presence.leave_times, window)
    return Figures(
        session=session,
        traffic=traffic,
        undecided=undecided,
        sources=_sources(audience, stays),
        interaction=interaction,
        funnel=funnel,
        sales=Sales(
            gmv=ledger.gmv(),
            paid_orders=ledger.paid_orders(),
            payers=funnel.paid,
            aov=ledger.aov(),
            gpm=ledger.gpm(n),
            top_buyer_share=ledger.top_buyer_share(),
            products=ledger.products(),
        ),
        retention_curve=stays.curve(),
        concurrency=_concurrency(starts, ends, window),
        replay=_replay(facts, stays, funnel.rates.overall),
        health=health,
        flags=flags.flags(
            traffic, undecided, session, interaction, funnel, health,
            categories=facts.comments.categories, commenters=facts.comments.commenter_count,
        ),
        warnings=flags.warnings(
            funnel,
            ignored_leaves=audience.presence.ignored_leaves,
            outsiders=facts.outsiders,
            payments_without_order=ledger.payments_without_order(),
            presence_outside=facts.presence_outside,
            unmatched_incident_ends=facts.incidents.unmatched_ends,
        ),
    )


def _session(session: Session, window: Window) -> SessionInfo:
    return SessionInfo(
        id=session.id,
        market=session.market,
        platform=session.platform,
        account=session.account,
        mode=session.mode,
        replay_of=session.replay_of,
        start=window.start,
        end=window.end,
        duration_s=seconds(window.duration),
    )


def _traffic(audience: Audience, stays: Survival, window: Window, starts: np.ndarray,
             ends: np.ndarray) -> Traffic:
    dwell = audience.presence.dwell
    n = len(dwell)
    new = int(np.count_nonzero(audience.new))
    # Summed in sorted order: the same total whatever order the viewers were numbered in.
    total = float(np.sort(dwell).sum())
    return Traffic(
        viewers=n,
        effective_ratio=stays.shares(EFFECTIVE_DWELL_S)[0],
        bounce_rate=stays.shares(BOUNCE_DWELL_S)[1],
        new_viewer_ratio=ratio(new, n),
        returning_ratio=ratio(n - new, n),
        avg_dwell_s=seconds(total / n) if n else None,
        peak_concurrent=_peak(starts, ends),
        avg_concurrent=seconds(total / window.duration) if window.duration else None,
    )


def _peak(starts: np.ndarray, ends: np.ndarray) -> int:
    """The most viewers present at once, from the sorted interval starts and ends; intervals
    are half-open, so a leave and a join at the same instant do not overlap. Just after the
    i-th start (0-based) at most i + 1 intervals have begun, exactly so at the last start of a
    tie, and those that ended by then are gone."""
    if not len(starts):
        return 0
    present = np.arange(1, len(starts) + 1) - np.searchsorted(ends, starts, "right")
    return int(present.max())


def _sources(audience: Audience, stays: Survival) -> dict[str, SourceFigures]:
    effective = stays.shares_by(audience.source, len(SOURCE_KEYS), EFFECTIVE_DWELL_S)
    bounce = stays.shares_by(audience.source, len(SOURCE_KEYS), BOUNCE_DWELL_S)
    out = {}
    for index, key in enumerate(SOURCE_KEYS):
        mine = audience.source == index
        viewers = int(np.count_nonzero(mine))
        if key == "unknown" and not viewers:
            continue
        payers = int(np.count_nonzero(mine & audience.paid))
        out[key] = SourceFigures(
            viewers=viewers,
            effective_ratio=effective[index][0],
            bounce_rate=bounce[index][1],
            payers=payers,
            conversion=ratio(payers, viewers),
        )
    return out


def _interaction(comments: CommentTally | CommentCounts, followers: int, n: int) -> Interaction:
    return Interaction(
        comment_rate=ratio(comments.commenter_count, n),
        question_rate=ratio(comments.asker_count, n),
        follow_rate=ratio(followers, n),
        comments=sum(comments.categories.values()),
        comment_mix=comments.mix(),
    )


def _funnel(n: int, stages: Mapping[str, int], prior: Prior) -> Funnel:
    chain = [n, *(int(stages.get(stage, 0)) for stage in FUNNEL_STAGES[1:])]
    steps = [ratio(chain[i + 1], chain[i]) for i in range(len(FUNNEL_STEPS))]
    rates = FunnelRates(*steps, overall=ratio(chain[-1], n))
    return Funnel(*chain, rates=rates,
                  diagnosis=_diagnosis(dict(zip(FUNNEL_STEPS, steps, strict=True)), prior))


def _diagnosis(rates: Mapping[str, float | None], prior: Prior) -> Diagnosis | None:
    """The weakest step: the lowest rate, or the lowest rate over its median in earlier
    sessions of the same market when those exist."""
    defined = {s: rates[s] for s in FUNNEL_STEPS if rates[s] is not None}
    medians = {s: m for s, m in prior.step_medians.items() if s in defined and m > 0}
    if medians:
        scores = {s: defined[s] / medians[s] for s in medians}
        basis = "earlier_sessions"
    else:
        scores = defined
        basis = "steps"
    if not scores:
        return None
    step = min(scores, key=lambda s: (scores[s], FUNNEL_STEPS.index(s)))
    median = medians.get(step)
    return Diagnosis(
        step=step,
        rate=defined[step],
        basis=basis,
        median=None if median is None else round(median, RATIO_DIGITS),
        sessions_compared=prior.sessions_compared if medians else 0,
        below_median=None if median is None else defined[step] < median,
        code=f"funnel_weak_{step}",
    )


def _bucket(duration: float) -> int:
    for width in BUCKETS_S:
        if duration / width <= MAX_POINTS:
            return width
    return math.ceil(duration / MAX_POINTS)


def _concurrency(starts: np.ndarray, ends: np.ndarray, window: Window) -> Concurrency:
    """Mean viewers present in each bucket [start + i*w, start + (i+1)*w), the last one cut at
    the session end. Exact: integrates the presence intervals (starts and ends sorted)."""
    width = _bucket(window.duration)
    count = math.ceil(window.duration / width) if window.duration else 0
    # Times relative to the start keep the prefix sums small enough to stay exact.
    edges = np.minimum(width * np.arange(count + 1, dtype=np.float64), window.duration)
    area = (_presence_area(starts - window.start, edges)
            - _presence_area(ends - window.start, edges))
    spans = np.diff(edges)
    values = np.divide(np.diff(area), spans, out=np.zeros(count), where=spans > 0)
    return Concurrency(start=window.start, bucket_s=width,
                       viewers=tuple(np.round(values, 3).tolist()))


def _presence_area(times: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """For each edge e: sum over times t < e of (e - t); `times` sorted."""
    before = np.searchsorted(times, edges, "left")
    prefix = np.concatenate([[0.0], np.cumsum(times)])
    return before * edges - prefix[before]


def _replay(facts: SessionFacts, stays: Survival, conversion: float | None) -> Replay:
    replayed = facts.prior.replayed
    if facts.session.mode != "replay":
        return Replay(completion_rate=None, conversion=None, live_conversion=None,
                      live_session=None, length_s=None)
    length = replayed.length_s if replayed and replayed.length_s else facts.window.duration
    return Replay(
        completion_rate=stays.shares(REPLAY_COMPLETE_SHARE * length)[0] if length else None,
        conversion=conversion,
        live_conversion=replayed.conversion if replayed else None,
        live_session=replayed.id if replayed else None,
        length_s=seconds(length) if length else None,
    )
