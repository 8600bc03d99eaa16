"""Presence: who was in the room, from when to when (docs/metrics.md, "Presence").

Each viewer's joins and leaves are walked in time order: a join while present and a leave while
absent change nothing (the latter is a data-quality warning). At the same instant a join is
taken before a leave, so the walk depends only on the events, never on the order they were
stored in. Presence is clipped to the session window; a presence still open at the end closes
there.

Two implementations share these rules: `walk` does a whole session at once with numpy (the
batch path), `PresenceTracker` follows events as they arrive (the live path). A test runs both
on the same logs.

While a session runs, a viewer still in the room has not left: their dwell so far is a lower
bound (right-censored at now), and `Presence.present` says who they are. A finished session
has no such viewers (`present` is None).

Why the vectorised walk works: after any event the viewer's state is simply "present" for a
join and "absent" for a leave. So a join *opens* a presence exactly when the viewer's previous
event was not a join, a leave *closes* one exactly when the previous event was a join, and
openings and closings alternate; each opening pairs with the next closing (or the session end).
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass

import numpy as np

from studio.core.metrics.common import Window


@dataclass(frozen=True, slots=True)
class Presence:
    """Presence of the viewers V, indexed by viewer code 0..N-1."""

    dwell: np.ndarray  # seconds present, per viewer
    starts: np.ndarray  # presence intervals [start, end), clipped to the window
    ends: np.ndarray
    leave_times: np.ndarray  # raw times of the leaves that ended a presence
    ignored_leaves: int  # leaves while absent (including leaves of viewers who never joined)
    # On air: per viewer, still in the room (dwell so far, censored). None once the session is
    # over: every dwell is final.
    present: np.ndarray | None = None



def walk(
    codes: np.ndarray, ts: np.ndarray, is_join: np.ndarray, n_viewers: int, window: Window
) -> Presence:
    """The presence walk over join/leave rows in any order.

    `codes` are viewer codes 0..n_viewers-1, or -1 for a leave by a viewer who never joined.
    """
    known = codes >= 0
    ignored = int(np.count_nonzero(~known))
    codes, ts, is_join = codes[known], ts[known], is_join[known]
    order = np.lexsort((~is_join, ts, codes))  # by viewer, then time, joins first
    return walk_sorted(codes[order], ts[order], is_join[order], n_viewers, window, ignored)


def walk_sorted(c: np.ndarray, t: np.ndarray, j: np.ndarray, n_viewers: int, window: Window,
                ignored: int = 0) -> Presence:
    """The walk over rows already grouped by viewer code (codes 0..n_viewers-1), each
    viewer's rows in time order with joins first at the same instant; `ignored` leaves were
    dropped before (by viewers who never joined)."""
    n = len(c)
    same_as_prev = np.zeros(n, dtype=bool)
    same_as_prev[1:] = c[1:] == c[:-1]
    prev_join = np.zeros(n, dtype=bool)
    prev_join[1:] = j[:-1] & same_as_prev[1:]
    opening = j & ~prev_join
    closing = ~j & prev_join
    ignored += int(np.count_nonzero(~j & ~prev_join))
    last_of_viewer = np.ones(n, dtype=bool)
    last_of_viewer[:-1] = ~same_as_prev[1:]
    closed_by_end = j & last_of_viewer

    clipped = np.clip(t, window.start, window.end)
    starts = clipped[opening]
    # Closings and end-of-session closes, in row order, pair one to one with the openings.
    end_rows = closing | closed_by_end
    ends = np.where(closing, clipped, window.end)[end_rows]
    dwell = np.bincount(c[opening], weights=ends - starts, minlength=n_viewers)
    return Presence(dwell, starts, ends, t[closing], ignored)


class PresenceTracker:
    """The same walk, one event at a time, for the live graphs.

    Events of one viewer must arrive in time order (the live feed is); `LiveMetrics` sorts each
    batch. The window's start must be known before the first event; its end is open until the
    session ends, so a presence still open is closed only in `presence(now)`.
    """

    def __init__(self, start: float, ended_at: float | None) -> None:
        self.start = start
        self.ended_at = ended_at
        self.codes: dict[str, int] = {}  # viewer id -> code, in order of first join
        # Typed arrays: appends stay cheap and presence() copies them into numpy in C.
        self._dwell = array("d")
        self._open: dict[int, float] = {}  # code -> clipped start of the open presence
        self._starts = array("d")
        self._ends = array("d")
        self._leave_times = array("d")
        self.ignored_leaves = 0

    def _clip(self, ts: float) -> float:
        ts = max(ts, self.start)
        return ts if self.ended_at is None else min(ts, max(self.ended_at, self.start))

    def join(self, viewer: str, ts: float) -> int:
        code = self.codes.get(viewer)
        if code is None:
            code = self.codes[viewer] = len(self._dwell)
            self._dwell.append(0.0)
        if code not in self._open:
            self._open[code] = self._clip(ts)
        return code

    def leave(self, viewer: str, ts: float) -> None:
        code = self.codes.get(viewer)
        opened = None if code is None else self._open.pop(code, None)
        if opened is None:
            self.ignored_leaves += 1
            return
        closed = self._clip(ts)
        self._dwell[code] += closed - opened
        self._starts.append(opened)
        self._ends.append(closed)
        self._leave_times.append(ts)

    def presence(self, window: Window) -> Presence:
        """Presence so far, with open presences closed at `window.end`: censored there while
        the session runs, final once `window.end` is the session's end."""
        dwell = np.array(self._dwell, dtype=np.float64)  # copies: the arrays keep growing
        open_codes = np.fromiter(self._open.keys(), dtype=np.int64, count=len(self._open))
        open_starts = np.fromiter(self._open.values(), dtype=np.float64, count=len(self._open))
        open_ends = np.maximum(open_starts, window.end)
        np.add.at(dwell, open_codes, open_ends - open_starts)
        starts = np.concatenate([np.array(self._starts, dtype=np.float64), open_starts])
        ends = np.concatenate([np.array(self._ends, dtype=np.float64), open_ends])
        present = None
        if self.ended_at is None or window.end < self.ended_at:
            present = np.zeros(len(dwell), dtype=bool)
            present[open_codes] = True
        return Presence(dwell, starts, ends, np.array(self._leave_times, dtype=np.float64),
                        self.ignored_leaves, present)
