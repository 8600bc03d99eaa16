"""What a session's figures need from other sessions in the database.

- Returning viewers: a viewer is new unless an *earlier* session of the same platform account
  has a join by the same viewer id (when the join itself carries no `is_new`).
- The funnel diagnosis: the median step rates of earlier live sessions of the same market.
- A replay: the length and the overall conversion of the live session it replays.

"Earlier" compares session starts; a session without `started_at` starts at its first event.
"""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from studio.core.metrics.common import FUNNEL_STEPS, STAGE_KINDS, ratio
from studio.core.store import Session, Store

_FUNNEL_KINDS = ("join", *STAGE_KINDS.values())


@dataclass(frozen=True, slots=True)
class ReplayedSession:
    id: int
    length_s: float | None
    conversion: float | None  # paid / viewers of the live session


@dataclass(frozen=True, slots=True)
class Prior:
    """Facts from earlier sessions; the empty Prior means "this is the first session"."""

    known_viewers: frozenset[str] = frozenset()  # joined an earlier session of this account
    step_medians: Mapping[str, float] = field(default_factory=dict)
    sessions_compared: int = 0
    replayed: ReplayedSession | None = None


def session_bounds(store: Store, session: Session) -> tuple[float | None, float | None]:
    """(start, end) with the event times standing in for what the session does not say."""
    start, end = session.started_at, session.ended_at
    if start is None or end is None:
        first, last = store.reader().execute(
            "SELECT min(ts), max(ts) FROM events WHERE session_id = ?", [session.id]
        ).fetchone()
        start = first if start is None else start
        end = last if end is None else end
    return start, end


_EFFECTIVE_START = (
    "coalesce(s.started_at, (SELECT min(ts) FROM events e WHERE e.session_id = s.id), "
    "s.created_at)"
)


def earlier_sessions(store: Store, session: Session, start: float | None, **same: str) -> list[int]:
    """Ids of sessions that started before `start` and share the given columns' values."""
    if start is None:
        return []
    where = "".join(f" AND s.{column} = ?" for column in same)
    rows = store.reader().execute(
        f"SELECT s.id FROM sessions s WHERE s.id != ?{where} AND {_EFFECTIVE_START} < ? "
        "ORDER BY s.id",
        [session.id, *same.values(), start],
    ).fetchall()
    return [row[0] for row in rows]


def _account_sessions(store: Store, session: Session, start: float | None) -> list[int]:
    return earlier_sessions(store, session, start, platform=session.platform,
                            account=session.account)


def returning_viewers(store: Store, session: Session, start: float | None) -> set[str]:
    """This session's joiners who also joined an earlier session of the same account."""
    earlier = _account_sessions(store, session, start)
    if not earlier:
        return set()
    rows = store.reader().execute(
        "SELECT DISTINCT viewer FROM events WHERE kind = 'join' "
        "AND session_id IN (SELECT value FROM json_each(?)) "
        "AND viewer IN (SELECT viewer FROM events WHERE session_id = ? AND kind = 'join')",
        [json.dumps(earlier), session.id],
    ).fetchall()
    return {row[0] for row in rows}


def returning_viewer_ids(store: Store, session: Session, start: float | None,
                         sep: str) -> tuple[int, bytes]:
    """`returning_viewers` packed for `compute()`'s fast path: (count, ids `sep`-separated)."""
    earlier = _account_sessions(store, session, start)
    if not earlier:
        return 0, b""
    count, ids = store.reader().execute(
        "SELECT count(*), CAST(group_concat(viewer, ?) AS BLOB) FROM ("
        "SELECT DISTINCT viewer FROM events WHERE kind = 'join' "
        "AND session_id IN (SELECT value FROM json_each(?)) "
        "AND viewer IN (SELECT viewer FROM events WHERE session_id = ? AND kind = 'join'))",
        [sep, json.dumps(earlier), session.id],
    ).fetchone()
    return count, ids or b""


def _known_viewers(store: Store, session: Session, start: float | None) -> frozenset[str]:
    earlier = _account_sessions(store, session, start)
    if not earlier:
        return frozenset()
    rows = store.reader().execute(
        "SELECT DISTINCT viewer FROM events WHERE kind = 'join' "
        "AND session_id IN (SELECT value FROM json_each(?))",
        [json.dumps(earlier)],
    ).fetchall()
    return frozenset(row[0] for row in rows)


def _stage_counts(store: Store, session_ids: list[int]) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = store.reader().execute(
        "SELECT session_id, kind, count(DISTINCT viewer) FROM events "
        "WHERE session_id IN (SELECT value FROM json_each(?)) "
        f"AND kind IN ({', '.join('?' * len(_FUNNEL_KINDS))}) GROUP BY session_id, kind",
        [json.dumps(session_ids), *_FUNNEL_KINDS],
    ).fetchall()
    for session_id, kind, n in rows:
        counts[session_id][kind] = n
    return counts


def step_rates(counts: Mapping[str, int]) -> dict[str, float | None]:
    """Funnel step rates from distinct-viewer counts keyed by event kind."""
    chain = [counts.get(kind, 0) for kind in _FUNNEL_KINDS]
    return {step: ratio(chain[i + 1], chain[i]) for i, step in enumerate(FUNNEL_STEPS)}


def _medians(store: Store, session: Session, start: float | None) -> tuple[dict[str, float], int]:
    earlier = earlier_sessions(store, session, start, market=session.market, mode="live")
    if not earlier:
        return {}, 0
    per_session = [step_rates(c) for c in _stage_counts(store, earlier).values()]
    medians = {}
    for step in FUNNEL_STEPS:
        values = [r[step] for r in per_session if r[step] is not None]
        if values:
            medians[step] = statistics.median(values)
    return medians, len(per_session)


def _replayed(store: Store, session: Session) -> ReplayedSession | None:
    if session.replay_of is None:
        return None
    live = store.session(session.replay_of)
    start, end = session_bounds(store, live)
    length = None if start is None or end is None else max(0.0, end - start)
    counts = _stage_counts(store, [live.id]).get(live.id, {})
    return ReplayedSession(live.id, length, ratio(counts.get("payment", 0), counts.get("join", 0)))


def load_prior(store: Store, session: Session, *, viewers: bool = True) -> Prior:
    """Everything from other sessions that `session`'s figures need.

    `viewers=False` skips loading every earlier viewer id (compute() asks SQL for the overlap
    instead); LiveMetrics needs them, since its viewers arrive one by one.
    """
    start, _ = session_bounds(store, session)
    medians, compared = _medians(store, session, start)
    return Prior(
        known_viewers=_known_viewers(store, session, start) if viewers else frozenset(),
        step_medians=medians,
        sessions_compared=compared,
        replayed=_replayed(store, session),
    )
