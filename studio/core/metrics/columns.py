"""compute()'s fast path: each kind's events read as a few long texts, the figures in numpy.

The Python sqlite3 module costs about a microsecond for every row it returns, about what the
pure-Python figures cost per event. So `read_columns` asks SQLite for one row per kind instead:
`group_concat` packs the viewer ids, the times (as exact integers, see `exact_clock`), the
sources and is_new flags, the comment texts and skus of all of a kind's events into a handful
of long texts. The queries run on two threads, each with its own connection (SQLite lets go of
the GIL while it works), while `figures_from_columns` unpacks what has arrived: the viewer ids
of every kind are grouped in one go by `ids.group_ids`, one sort of 64-bit keys (viewer, time,
join first) puts the joins and leaves in walk order for `presence.walk_sorted`, and each distinct
comment text is classified once. Orders and payments (a few thousand rows) are read as rows and
go through the SalesLedger of the live path.

Columns the kind index holds (viewer, ts) and columns that need a lookup in the table (source,
is_new, text) are read by separate queries, so that the walk can start while the lookups run.
Both queries of a kind go through the kind index (INDEXED BY), so they see its rows in the same
order; each reports its row count, so a row written between them shows up as a mismatch.

`read_columns` or `figures_from_columns` returns None, and `compute()` takes the row-by-row path
of `batch` (same figures, slower), for what this path cannot carry exactly: times at or before
1970 or more than doubling within the session (see `exact_clock`), a viewer id, comment text
or sku that contains the separator SEP, events without a viewer, rows written between two
queries of one kind, sort keys that would not fit in 64 bits (sessions of days with millions of
ids), or (about once in 10^9 sessions) two different viewer ids with the same 64-bit hash.
"""

from __future__ import annotations

import json
import math
import sqlite3
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np

from studio.core.metrics.common import ACTIVITY_BUT_COMMENTS, SOURCE_KEYS, STAGE_KINDS, Window
from studio.core.metrics.figures import Audience, SessionFacts, build
from studio.core.metrics.health_figures import pair_incidents
from studio.core.metrics.ids import group_ids
from studio.core.metrics.model import Figures
from studio.core.metrics.presence import Presence, walk_sorted
from studio.core.metrics.prior import Prior, load_prior, returning_viewer_ids, session_bounds
from studio.core.metrics.tallies import CommentCounts, SalesLedger, label
from studio.core.store import Session, Store, connect

# Separates the values group_concat packs. Not NUL: SQLite would call char(0) for every row,
# a third of the cost of packing an id. A value holding it is found by counting the pieces.
SEP = "\x1f"  # ASCII "unit separator"
_SEP_BYTE = SEP.encode()
# A join's source and is_new as one character each: "a", "b", ... for SOURCE_KEYS[0], [1], ...
# and "0"/"1" for is_new; "-" for anything else, a missing value included.
_ONE_CHAR_PER_ROW = "group_concat(CASE {} ELSE '-' END, '')"
_SOURCE_CODES = "source " + " ".join(
    f"WHEN '{key}' THEN '{chr(ord('a') + i)}'" for i, key in enumerate(SOURCE_KEYS))
_FLAG_CODES = "is_new WHEN 0 THEN '0' WHEN 1 THEN '1'"
_CODE_VALUE = np.full(256, -1, dtype=np.int64)
for _i in range(len(SOURCE_KEYS)):
    _CODE_VALUE[ord("a") + _i] = _i
_CODE_VALUE[ord("0")], _CODE_VALUE[ord("1")] = 0, 1
_UNKNOWN_SOURCE = SOURCE_KEYS.index("unknown")
_READ_THREADS = 2


@dataclass(frozen=True, slots=True)
class Packed:
    """One kind's events as SQLite packed them: `count` rows; `viewers` SEP-separated."""

    count: int
    viewers: bytes = b""
    times: str = ""  # integers (ts - base) * scale, comma-separated
    texts: str | bytes = ""  # joins: the sources, a letter each; comments: the texts (UTF-8),
    # SEP-separated
    flags: str = ""  # joins: is_new, a character each


class Reads:
    """SQL jobs run on a couple of threads, each thread with its own read-only connection;
    a job's result is waited for by name. Jobs start in the order given."""

    def __init__(self, path: Path, jobs: dict[str, Callable[[sqlite3.Connection], Any]]) -> None:
        self._path = path
        self._futures: dict[str, Future] = {name: Future() for name in jobs}
        self._queue: Iterator[tuple[str, Callable]] = iter(list(jobs.items()))
        self._lock = threading.Lock()
        for i in range(_READ_THREADS):
            threading.Thread(target=self._work, name=f"metrics-read-{i}", daemon=True).start()

    def _work(self) -> None:
        conn = None
        try:
            while True:
                with self._lock:
                    item = next(self._queue, None)
                if item is None:
                    return
                name, job = item
                future = self._futures[name]
                try:
                    if conn is None:
                        conn = connect(self._path, readonly=True)
                    future.set_result(job(conn))
                except BaseException as exc:  # handed to whoever waits for the job
                    future.set_exception(exc)
        finally:
            if conn is not None:
                conn.close()

    def __getitem__(self, name: str) -> Any:
        return self._futures[name].result()

    def wait(self) -> None:
        for future in self._futures.values():
            future.exception()

    def cancel(self) -> None:
        """Starts no further job (those running finish)."""
        with self._lock:
            for name, _ in self._queue:
                self._futures[name].cancel()


@dataclass(frozen=True, slots=True)
class SessionColumns:
    """One session's figures in the making: the session, its window and the reads."""

    session: Session
    window: Window
    clock: Clock
    reads: Reads
    prior: Prior
    returning: Packed  # joiners seen in an earlier session of the account (viewers only)


# -- reading ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Clock:
    """Times as exact integers: ts = base + integer / scale."""

    base: float
    scale: float

    def times(self, integers: np.ndarray) -> np.ndarray:
        return self.base + integers / self.scale


def exact_clock(low: float | None, high: float | None) -> Clock | None:
    """The clock that carries every time in [low, high] exactly, or None.

    With low > 0 and high <= 2 * low, ts - low is exact (Sterbenz), a whole multiple of low's
    unit in the last place 2**(e - 53), and below 2**e; so (ts - low) * 2**(53 - e) is an
    integer below 2**53, and base + integer / scale gives back ts itself.
    """
    if low is None or high is None:
        return Clock(0.0, 1.0)
    if not (low > 0 and high <= 2 * low):
        return None
    exponent = math.frexp(low)[1]  # low = m * 2**exponent, 0.5 <= m < 1
    if 53 - exponent > 1023:
        return None  # 2**k itself would not be a double (times below 1e-290 s)
    return Clock(low, math.ldexp(1.0, 53 - exponent))


def read_columns(store: Store, session_id: int) -> SessionColumns | None:
    """Starts the reads of one session (raises UnknownSession); None if its times cannot be
    carried exactly."""
    session = store.session(session_id)
    db = store.reader()
    start, end = session_bounds(store, session)
    window = Window(start if start is not None else 0.0, end if end is not None else 0.0)
    ranges = db.execute(
        "SELECT " + ", ".join(
            f"(SELECT {fn}(ts) FROM events WHERE session_id = ?1 AND kind = '{kind}')"
            for kind in ("join", "leave") for fn in ("min", "max")),
        [session_id]).fetchone()
    given = [t for t in ranges if t is not None]
    clock = exact_clock(min(given, default=None), max(given, default=None))
    if clock is None:
        return None

    def packed(kind: str, *, viewers: bool = True, times: bool = False, texts: str = "NULL",
               flags: str = "NULL") -> Callable[[sqlite3.Connection], Packed | None]:
        columns = ", ".join((
            "count(*)", "count(viewer)" if viewers else "count(*)",
            f"CAST(group_concat(viewer, '{SEP}') AS BLOB)" if viewers else "NULL",
            "group_concat(CAST((ts - ?2) * ?3 AS INTEGER))" if times else "NULL", texts, flags))
        # INDEXED BY: two queries of one kind must see its rows in the same order, the index's,
        # whatever the planner would make of statistics (a table scan goes by rowid).
        sql = (f"SELECT {columns} FROM events INDEXED BY events_kind "
               f"WHERE session_id = ?1 AND kind = '{kind}'")
        params = [session_id, clock.base, clock.scale] if times else [session_id]

        def job(conn: sqlite3.Connection) -> Packed | None:
            count, with_viewer, ids, *rest = conn.execute(sql, params).fetchone()
            if with_viewer != count:
                return None
            return Packed(count, ids or b"", *(value or "" for value in rest))

        return job

    def rows(sql: str, *params: Any) -> Callable[[sqlite3.Connection], list[tuple]]:
        return lambda conn: conn.execute(sql, [session_id, *params]).fetchall()

    reads = Reads(store.path, {
        # Roughly in the order the figures need them: joins and leaves first (the kind index
        # holds what the walk needs), the longest lookup early, then the rest.
        "joins": packed("join", times=True),
        "leaves": packed("leave", times=True),
        "join_facts": packed("join", viewers=False,
                             texts=_ONE_CHAR_PER_ROW.format(_SOURCE_CODES),
                             flags=_ONE_CHAR_PER_ROW.format(_FLAG_CODES)),
        "comment_viewers": packed("comment"),
        "activity": rows(
            f"SELECT kind, count(*), count(viewer), CAST(group_concat(viewer, '{SEP}') AS BLOB) "
            "FROM events WHERE session_id = ? "
            f"AND kind IN ({', '.join('?' * len(ACTIVITY_BUT_COMMENTS))}) GROUP BY kind",
            *ACTIVITY_BUT_COMMENTS),
        "comment_texts": packed("comment", viewers=False,
                                texts=f"CAST(group_concat(coalesce(text, ''), '{SEP}') AS BLOB)"),
        "products": rows(
            f"SELECT kind, count(*), group_concat(coalesce(sku, ''), '{SEP}') FROM events "
            "WHERE session_id = ? AND kind IN ('product_click', 'add_to_cart') GROUP BY kind"),
        "orders": rows("SELECT order_id, sku, qty FROM events "
                       "WHERE session_id = ? AND kind = 'order'"),
        "payments": rows("SELECT viewer, order_id, amount, currency FROM events "
                         "WHERE session_id = ? AND kind = 'payment' "
                         "AND amount IS NOT NULL AND currency IS NOT NULL"),
        "samples": rows("SELECT ts, received, dropped FROM health_samples "
                        "WHERE session_id = ? ORDER BY ts"),
        "incidents": rows("SELECT ts, kind, extra FROM events WHERE session_id = ? "
                          "AND kind IN ('health_incident_start', 'health_incident_end')"),
    })
    try:
        count, ids = returning_viewer_ids(store, session, start, SEP)
        prior = load_prior(store, session, viewers=False)
    except BaseException:
        reads.cancel()
        raise
    return SessionColumns(session, window, clock, reads, prior, Packed(count, ids))


# -- the figures --------------------------------------------------------------------------------


def figures_from_columns(cols: SessionColumns, classify: Callable[[str], Any]
                         ) -> Figures | None:
    """The figures, or None when the session needs the row-by-row path (see above)."""
    try:
        return _figures(cols, classify)
    finally:
        cols.reads.cancel()


def _figures(cols: SessionColumns, classify: Callable[[str], Any]) -> Figures | None:
    window, reads = cols.window, cols.reads
    joins, leaves, comments = reads["joins"], reads["leaves"], reads["comment_viewers"]
    if joins is None or leaves is None or comments is None:
        return None
    join_t, leave_t = _integers(joins.times, joins.count), _integers(leaves.times, leaves.count)
    if join_t is None or leave_t is None:
        return None
    activity = {}
    for kind, n, with_viewer, ids in reads["activity"]:
        if with_viewer != n:
            return None
        activity[kind] = Packed(n, ids or b"")

    # Every viewer id of every kind, grouped in one go.
    parts = [joins, leaves, comments, *activity.values(), cols.returning]
    grouped = group_ids([p.viewers for p in parts if p.count], sum(p.count for p in parts),
                        _SEP_BYTE)
    if grouped is None:
        return None
    groups, n_groups = grouped.of, grouped.n
    bounds = np.cumsum([0, *(p.count for p in parts)])
    group_of = [groups[bounds[i]:bounds[i + 1]] for i in range(len(parts))]
    join_g, leave_g, comment_g = group_of[:3]
    activity_g = dict(zip(activity, group_of[3:-1], strict=True))

    joined = np.zeros(n_groups, dtype=bool)
    joined[join_g] = True
    code_of_group = np.where(joined, np.cumsum(joined) - 1, -1)  # viewer codes 0..N-1
    n = int(np.count_nonzero(joined))
    time_bits = int(max(join_t.max(initial=0), leave_t.max(initial=0))).bit_length()
    group_bits = max(n_groups - 1, 0).bit_length()
    if group_bits + time_bits + 3 > 63:
        return None  # the sort keys below would not fit in 64 bits
    presence = _walk(join_t, join_g, leave_t, leave_g, joined, code_of_group, n, time_bits,
                     cols.clock, window)

    join_facts = reads["join_facts"]
    if join_facts is None or join_facts.count != joins.count:
        return None  # a join written between the two reads
    if not len(join_facts.texts) == len(join_facts.flags) == joins.count:
        return None  # one character per join, always: anything else is not this path's
    source_index = _CODE_VALUE[np.frombuffer(join_facts.texts.encode(), np.uint8)]
    flag = _CODE_VALUE[np.frombuffer(join_facts.flags.encode(), np.uint8)]
    first_source = _first_in_time(join_g, join_t, source_index, 3, time_bits, code_of_group, n,
                                  _UNKNOWN_SOURCE)
    first_flag = _first_in_time(join_g, join_t, flag, 1, time_bits, code_of_group, n, -1)
    seen_before = np.zeros(n, dtype=bool)
    returning_codes = code_of_group[group_of[-1]]
    seen_before[returning_codes[returning_codes >= 0]] = True
    new = np.where(first_flag >= 0, first_flag == 1, ~seen_before)

    paid = np.zeros(n, dtype=bool)
    payer_codes = code_of_group[activity_g.get("payment", np.zeros(0, np.int64))]
    paid[payer_codes[payer_codes >= 0]] = True
    active = np.zeros(n_groups, dtype=bool)
    active[comment_g] = True
    for g in activity_g.values():
        active[g] = True
    all_ts = cols.clock.times(np.concatenate([join_t, leave_t]))

    texts = reads["comment_texts"]
    if texts is None or texts.count != comments.count:
        return None
    tally = _comment_counts(texts, comment_g, n_groups, classify)
    ledger = _ledger(reads["products"], reads["orders"], reads["payments"])
    if tally is None or ledger is None:
        return None
    return build(SessionFacts(
        session=cols.session,
        window=window,
        audience=Audience(presence, first_source, new, paid),
        stages={stage: _distinct(activity_g.get(kind), n_groups)
                for stage, kind in STAGE_KINDS.items()},
        followers=_distinct(activity_g.get("follow"), n_groups),
        outsiders=int(np.count_nonzero(active & (code_of_group < 0))),
        presence_outside=int(np.count_nonzero((all_ts < window.start) | (all_ts > window.end))),
        comments=tally,
        ledger=ledger,
        samples=reads["samples"],
        incidents=pair_incidents(
            ((ts, kind, json.loads(extra) if extra else None)
             for ts, kind, extra in reads["incidents"]),
            window,
        ),
        prior=cols.prior,
    ))


def _integers(text: str, count: int) -> np.ndarray | None:
    if not count:
        return np.zeros(0, np.int64)
    values = np.fromstring(text, dtype=np.int64, sep=",")
    return values if len(values) == count else None


def _walk(join_t: np.ndarray, join_g: np.ndarray, leave_t: np.ndarray, leave_g: np.ndarray,
          joined: np.ndarray, code_of_group: np.ndarray, n: int, time_bits: int, clock: Clock,
          window: Window) -> Presence:
    """The presence walk over the joins and leaves (times as integers, in any order).

    One sort of 64-bit keys (id group, time, join before leave) puts each viewer's rows
    together and in time order; leaves of ids that never joined are dropped first.
    """
    known = joined[leave_g]
    shift = time_bits + 1
    key = np.concatenate([(join_g << shift) | (join_t << 1),
                          (leave_g[known] << shift) | (leave_t[known] << 1) | 1])
    key.sort()
    low = key & ((1 << shift) - 1)
    return walk_sorted(code_of_group[key >> shift], clock.times(low >> 1), (low & 1) == 0, n,
                       window, len(leave_g) - int(np.count_nonzero(known)))


def _first_in_time(groups: np.ndarray, t: np.ndarray, values: np.ndarray, value_bits: int,
                   time_bits: int, code_of_group: np.ndarray, n: int, default: int
                   ) -> np.ndarray:
    """Per viewer code, the value (0 <= value < 2**value_bits) of the viewer's earliest row
    that has one, ties at the same instant going to the smallest value; `default` for viewers
    without one. One sort of keys (group, time, value): each group's first key says it."""
    given = values >= 0
    shift = time_bits + value_bits
    key = (groups[given] << shift) | (t[given] << value_bits) | values[given]
    key.sort()
    group = key >> shift
    first = np.ones(len(key), dtype=bool)
    first[1:] = group[1:] != group[:-1]
    out = np.full(n, default, dtype=np.int64)
    out[code_of_group[group[first]]] = key[first] & ((1 << value_bits) - 1)
    return out


def _distinct(groups: np.ndarray | None, n_groups: int) -> int:
    if groups is None or not len(groups):
        return 0
    seen = np.zeros(n_groups, dtype=bool)
    seen[groups] = True
    return int(np.count_nonzero(seen))


def _comment_counts(packed: Packed, viewers: np.ndarray, n_viewers: int,
                    classify: Callable[[str], Any]) -> CommentCounts | None:
    """Each distinct text is classified once; the viewers are counted through their groups."""
    texts = group_ids([packed.texts or b""], packed.count, _SEP_BYTE) if packed.count else None
    if texts is None:
        return CommentCounts(Counter(), 0, 0) if not packed.count else None
    per_text = np.bincount(texts.of, minlength=texts.n)
    categories: Counter[str] = Counter()
    is_question = np.zeros(texts.n, dtype=bool)
    for group in range(texts.n):
        category, is_question[group] = label(classify, texts.text(group))
        categories[category] += int(per_text[group])
    return CommentCounts(categories, _distinct(viewers, n_viewers),
                         _distinct(viewers[is_question[texts.of]], n_viewers))


def _ledger(products: Sequence[tuple[str, int, str]], orders: Sequence[tuple],
            payments: Sequence[tuple]) -> SalesLedger | None:
    ledger = SalesLedger()
    add = {"product_click": ledger.add_clicks, "add_to_cart": ledger.add_carts}
    for kind, count, skus in products:
        pieces = skus.split(SEP)
        if len(pieces) != count:
            return None  # a sku holding SEP
        for sku, n in Counter(pieces).items():
            add[kind](sku, n)
    for order_id, sku, qty in orders:
        ledger.add_order(order_id, sku, qty)
    for viewer, order_id, amount, currency in payments:
        ledger.add_payment(viewer, order_id, Decimal(amount), currency)
    return ledger
