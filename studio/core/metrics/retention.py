"""Who stayed how long: the retention curve S(t) and the shares that stayed past a threshold
(effective viewers, bounces, completed replays), on air and after the show.

Once a session is over every dwell is final and S(t) is the share of viewers with dwell >= t.
While it runs, a viewer still in the room has not left: their dwell so far is a lower bound
(right-censored at now). Counting them as gone made a show look as if everybody left at its
current age; so on air S(t) is the Kaplan-Meier estimate over whole seconds of dwell:

    S(t) = product over u < t of (1 - leaving(u) / at_risk(u))

where leaving(u) counts the viewers gone from the room after u whole seconds of dwell, and
at_risk(u) every viewer with at least u whole seconds, gone or still there. Without anybody
censored, at_risk(u + 1) = at_risk(u) - leaving(u), the product telescopes to at_risk(t) / N,
and that exact share is what is computed: a finished session's figures are plain counts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from studio.core.metrics.common import RATIO_DIGITS, ratio, seconds
from studio.core.metrics.model import RetentionCurve
from studio.core.metrics.presence import Presence


@dataclass(frozen=True, slots=True)
class Survival:
    """How long the viewers stayed: their dwell, and who is still in the room."""

    dwell: np.ndarray
    whole: np.ndarray  # whole seconds of dwell
    present: np.ndarray | None  # None when nobody is (nobody censored)

    @classmethod
    def of(cls, presence: Presence) -> Survival:
        present = presence.present
        if present is not None and not present.any():
            present = None
        return cls(presence.dwell, np.floor(presence.dwell).astype(np.int64), present)

    def _by_second(self, groups: np.ndarray | None, n_groups: int, last: int
                   ) -> tuple[np.ndarray, np.ndarray]:
        """(viewers, viewers gone from the room) per group (row) and whole second of dwell
        0 .. last; a dwell past `last` counts at `last`, which changes nothing up to S(last).
        Nobody censored: the second array is the first."""
        width = last + 1
        key = np.minimum(self.whole, last)
        if groups is not None:
            key += groups.astype(np.int64, copy=False) * width
        per_second = np.bincount(key, minlength=n_groups * width).reshape(n_groups, width)
        if self.present is None:
            return per_second, per_second
        gone = np.bincount(key[~self.present], minlength=n_groups * width)
        return per_second, gone.reshape(n_groups, width)

    @staticmethod
    def _survival(per_second: np.ndarray, gone: np.ndarray) -> np.ndarray:
        """S(t) per group (row) from the counts of _by_second()."""
        viewers = per_second.sum(axis=1, keepdims=True)
        at_risk = viewers - (np.cumsum(per_second, axis=1) - per_second)  # dwell >= t
        if gone is per_second:  # nobody censored: the exact share
            return at_risk / viewers
        with np.errstate(divide="ignore", invalid="ignore"):  # past a group's longest dwell
            product = np.cumprod(1.0 - gone / at_risk, axis=1)
        return np.concatenate([np.ones((len(product), 1)), product[:, :-1]], axis=1)

    def shares_by(self, groups: np.ndarray | None, n_groups: int, threshold_s: float
                  ) -> list[tuple[float | None, float | None]]:
        """Per group (`groups`: a group number per viewer; None: all in one group): (the share
        who stayed at least threshold_s, the share who left short of it).

        With nobody of the group in the room: counts over the group. On air: S at the first
        whole second t >= threshold_s (the curve's value there), and None while nobody of the
        group has stayed t seconds yet: until then nobody can tell what share will."""
        t = math.ceil(threshold_s)
        per_second, gone = self._by_second(groups, n_groups, t)
        viewers = per_second.sum(axis=1)
        reached = per_second[:, t]  # whole seconds >= t, that is dwell >= t
        if t == threshold_s:
            stayed = reached
        elif groups is None:
            stayed = np.array([np.count_nonzero(self.dwell >= threshold_s)])
        else:
            stayed = np.bincount(groups[self.dwell >= threshold_s], minlength=n_groups)
        still_there = viewers - gone.sum(axis=1)
        survival = self._survival(per_second, gone)[:, t] if still_there.any() else None
        out = []
        for g in range(n_groups):
            if not still_there[g]:
                n, k = int(viewers[g]), int(stayed[g])
                out.append((ratio(k, n), ratio(n - k, n)))
            elif not reached[g]:
                out.append((None, None))
            else:
                share = float(survival[g])
                out.append((round(share, RATIO_DIGITS), round(1.0 - share, RATIO_DIGITS)))
        return out

    def shares(self, threshold_s: float) -> tuple[float | None, float | None]:
        """shares_by() of all the viewers as one group."""
        return self.shares_by(None, 1, threshold_s)[0]

    def undecided(self, threshold_s: float) -> int:
        """Viewers still in the room who have not stayed threshold_s yet."""
        if self.present is None:
            return 0
        return int(np.count_nonzero(self.present & (self.dwell < threshold_s)))

    def curve(self) -> RetentionCurve:
        """`retention_curve`: step points (t, S(t)), one at t = 0 and one wherever S changes.
        S holds up to the next point and on to max_dwell_s; after that it is 0 once the show
        is over, and not known yet on air."""
        if not len(self.dwell):
            return RetentionCurve(step_s=1, max_dwell_s=None, points=())
        per_second, gone = self._by_second(None, 1, int(self.whole.max()))
        survival, leaving = self._survival(per_second, gone)[0], gone[0]
        changes = np.concatenate([[0], np.flatnonzero(leaving[:-1]) + 1])
        shares = np.round(survival[changes], RATIO_DIGITS).tolist()
        points = tuple(zip(changes.tolist(), shares, strict=True))
        return RetentionCurve(step_s=1, max_dwell_s=seconds(self.dwell.max()), points=points)
