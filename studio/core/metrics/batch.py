"""compute(): a whole session's figures, straight from the database.

Two paths give the same figures. The fast one (`columns`: each kind's events packed into a few
long texts by SQLite, read on two threads, the figures in numpy) serves every session it can
carry exactly; the row-by-row one here serves the rest (see `columns` for what those are).

The row-by-row path has two steps: `read_rows` asks SQLite for what the figures need (and
nothing else: likes and shares are never read), `figures_from_rows` turns the rows into figures.
The heavy part of a 4-hour show is presence (every join and leave, about half the events):
viewer ids become integer codes and the walk runs in numpy. Funnel stages are distinct viewers
that the kind index answers directly. Comments and money are few and go through the same
tallies as the live path.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from itertools import repeat
from operator import itemgetter
from typing import Any

import numpy as np

from studio.core.metrics.columns import figures_from_columns, read_columns
from studio.core.metrics.common import ACTIVITY_BUT_COMMENTS, SOURCE_KEYS, STAGE_KINDS, Window
from studio.core.metrics.figures import Audience, SessionFacts, build
from studio.core.metrics.health_figures import pair_incidents
from studio.core.metrics.model import Figures
from studio.core.metrics.presence import walk
from studio.core.metrics.prior import Prior, load_prior, returning_viewers, session_bounds
from studio.core.metrics.tallies import CommentTally, SalesLedger, default_classifier
from studio.core.store import Session, Store

_SOURCE_INDEX = {key: i for i, key in enumerate(SOURCE_KEYS)}
_UNKNOWN_SOURCE = _SOURCE_INDEX["unknown"]
_FLAG_VALUE = {0: 0, 1: 1}


@dataclass(frozen=True, slots=True)
class SessionRows:
    """What the figures of one session are made from, as read from the database."""

    session: Session
    window: Window
    joins: list[tuple]  # columns: viewer, ts, source, is_new
    leaves: list[tuple]  # columns: viewer, ts
    active: list[tuple[str, str]]  # (kind, viewer) of the activity but comments
    comments: list[tuple[str, str]]  # (viewer, text)
    clicks: list[tuple[str, int]]  # (sku, count)
    carts: list[tuple[str, int]]
    orders: list[tuple[str, str, int | None]]  # (order_id, sku, qty)
    payments: list[tuple[str, str, str, str]]  # (viewer, order_id, amount, currency)
    samples: list[tuple[float, int | None, int | None]]
    incident_events: list[tuple[float, str, str | None]]  # (ts, kind, extra JSON)
    returning: set[str]  # joiners seen in an earlier session of the account
    prior: Prior


def compute(
    store: Store, session_id: int, *, classify: Callable[[str], Any] | None = None
) -> Figures:
    """Every figure of docs/metrics.md for one session (raises UnknownSession).

    The fast path first; the row-by-row path when the fast one cannot be exact."""
    columns = read_columns(store, session_id)
    if columns is not None:
        classify = classify or default_classifier(columns.session.market)
        figures = figures_from_columns(columns, classify)
        if figures is not None:
            return figures
    rows = read_rows(store, session_id)
    return figures_from_rows(rows, classify or default_classifier(rows.session.market))


def read_rows(store: Store, session_id: int) -> SessionRows:
    session = store.session(session_id)
    db = store.reader()
    start, end = session_bounds(store, session)
    window = Window(start if start is not None else 0.0, end if end is not None else 0.0)

    def rows(sql: str, *params: Any) -> list[tuple]:
        return db.execute(sql, [session_id, *params]).fetchall()

    # Joins need columns the kind index does not hold (source, is_new). Reading them through
    # the index costs a random table lookup per join; a session's rows lie together (they are
    # written in batches), so one sequential pass over that stretch of the table is several
    # times cheaper. The unary + keeps SQLite from choosing the index anyway.
    first, last = rows("SELECT min(seq), max(seq) FROM events "
                       "WHERE session_id = ? AND kind = 'join'")[0]
    return SessionRows(
        session=session,
        window=window,
        joins=db.execute(
            "SELECT viewer, ts, source, is_new FROM events "
            "WHERE seq BETWEEN ? AND ? AND +session_id = ? AND +kind = 'join'",
            [first, last, session_id],
        ).fetchall(),
        leaves=rows("SELECT viewer, ts FROM events WHERE session_id = ? AND kind = 'leave'"),
        active=rows(
            # Not DISTINCT: SQLite would sort for it; the sets below drop repeats cheaper.
            "SELECT kind, viewer FROM events WHERE session_id = ? "
            f"AND kind IN ({', '.join('?' * len(ACTIVITY_BUT_COMMENTS))})",
            *ACTIVITY_BUT_COMMENTS,
        ),
        comments=rows("SELECT viewer, coalesce(text, '') FROM events "
                      "WHERE session_id = ? AND kind = 'comment'"),
        clicks=rows("SELECT sku, count(*) FROM events "
                    "WHERE session_id = ? AND kind = 'product_click' GROUP BY sku"),
        carts=rows("SELECT sku, count(*) FROM events "
                   "WHERE session_id = ? AND kind = 'add_to_cart' GROUP BY sku"),
        orders=rows("SELECT order_id, sku, qty FROM events "
                    "WHERE session_id = ? AND kind = 'order'"),
        payments=rows("SELECT viewer, order_id, amount, currency FROM events "
                      "WHERE session_id = ? AND kind = 'payment' "
                      "AND amount IS NOT NULL AND currency IS NOT NULL"),
        samples=rows("SELECT ts, received, dropped FROM health_samples "
                     "WHERE session_id = ? ORDER BY ts"),
        incident_events=rows(
            "SELECT ts, kind, extra FROM events WHERE session_id = ? "
            "AND kind IN ('health_incident_start', 'health_incident_end')"),
        returning=returning_viewers(store, session, start),
        prior=load_prior(store, session, viewers=False),
    )


def figures_from_rows(rows: SessionRows, classify: Callable[[str], Any]) -> Figures:
    window = rows.window
    joins, leaves = rows.joins, rows.leaves
    viewer, ts = itemgetter(0), itemgetter(1)
    # Viewer ids become codes 0..N-1 in order of appearance; C-level maps keep this cheap.
    codes = dict.fromkeys(map(viewer, joins))
    for code, viewer_id in enumerate(codes):
        codes[viewer_id] = code
    n = len(codes)
    join_codes = np.fromiter(map(codes.__getitem__, map(viewer, joins)), np.int64, len(joins))
    leave_codes = np.fromiter(map(codes.get, map(viewer, leaves), repeat(-1)), np.int64,
                              len(leaves))
    join_ts = np.fromiter(map(ts, joins), np.float64, len(joins))
    all_ts = np.concatenate([join_ts, np.fromiter(map(ts, leaves), np.float64, len(leaves))])
    presence = walk(
        np.concatenate([join_codes, leave_codes]),
        all_ts,
        np.concatenate([np.ones(len(joins), bool), np.zeros(len(leaves), bool)]),
        n,
        window,
    )

    by_kind: dict[str, set[str]] = {kind: set() for kind in ACTIVITY_BUT_COMMENTS}
    for kind, viewer in rows.active:
        by_kind[kind].add(viewer)
    paid = np.zeros(n, dtype=bool)
    paid[[codes[v] for v in by_kind["payment"] if v in codes]] = True
    comments = CommentTally(classify)
    comments.add_rows(rows.comments)
    active_viewers = set(comments.commenters).union(*by_kind.values())

    facts = SessionFacts(
        session=rows.session,
        window=window,
        audience=Audience(
            presence,
            _first_sources(map(itemgetter(2), joins), join_codes, join_ts, n),
            _new_viewers(map(itemgetter(3), joins), join_codes, join_ts, n,
                         [codes[v] for v in rows.returning if v in codes]),
            paid,
        ),
        stages={stage: len(by_kind[kind]) for stage, kind in STAGE_KINDS.items()},
        followers=len(by_kind["follow"]),
        outsiders=len(active_viewers - codes.keys()),
        presence_outside=int(np.count_nonzero((all_ts < window.start) | (all_ts > window.end))),
        comments=comments,
        ledger=_ledger(rows),
        samples=rows.samples,
        incidents=pair_incidents(
            ((ts, kind, json.loads(extra) if extra else None)
             for ts, kind, extra in rows.incident_events),
            window,
        ),
        prior=rows.prior,
    )
    return build(facts)


def _first_by_viewer(codes: np.ndarray, ts: np.ndarray, values: np.ndarray, n: int,
                     default: int) -> np.ndarray:
    """Per viewer code, the value of its earliest row with a value (>= 0); ties at the same
    instant go to the smallest value; `default` for viewers without one."""
    given = values >= 0
    c, t, v = codes[given], ts[given], values[given]
    order = np.lexsort((t, c))
    c, t, v = c[order], t[order], v[order]
    first = np.ones(len(c), dtype=bool)
    first[1:] = c[1:] != c[:-1]
    earliest = np.full(n, np.inf)
    earliest[c[first]] = t[first]
    at_earliest = t == earliest[c]
    out = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(out, c[at_earliest], v[at_earliest])
    out[np.isinf(earliest)] = default
    return out


def _first_sources(sources: Iterable[str | None], codes: np.ndarray, ts: np.ndarray,
                   n: int) -> np.ndarray:
    """The source of each viewer's first join that names one."""
    index = np.fromiter(map(_SOURCE_INDEX.get, sources, repeat(-1)), np.int64, len(codes))
    return _first_by_viewer(codes, ts, index, n, _UNKNOWN_SOURCE)


def _new_viewers(flags: Iterable[int | None], codes: np.ndarray, ts: np.ndarray, n: int,
                 returning: list[int]) -> np.ndarray:
    """The platform's flag on the viewer's first join carrying one, else "not seen before"."""
    values = np.fromiter(map(_FLAG_VALUE.get, flags, repeat(-1)), np.int64, len(codes))
    flag = _first_by_viewer(codes, ts, values, n, default=-1)
    seen_before = np.zeros(n, dtype=bool)
    seen_before[returning] = True
    return np.where(flag >= 0, flag == 1, ~seen_before)


def _ledger(rows: SessionRows) -> SalesLedger:
    ledger = SalesLedger()
    for sku, count in rows.clicks:
        ledger.add_clicks(sku, count)
    for sku, count in rows.carts:
        ledger.add_carts(sku, count)
    for order_id, sku, qty in rows.orders:
        ledger.add_order(order_id, sku, qty)
    for viewer, order_id, amount, currency in rows.payments:
        ledger.add_payment(viewer, order_id, Decimal(amount), currency)
    return ledger
