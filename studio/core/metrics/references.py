"""The references the figures are read against, in one place.

The thresholds are the seed article's, quoted in docs/metrics.md: how long a viewer must stay
to count as effective, how soon a bounce leaves, the shares a good show reaches. Beside them,
the least evidence each flag needs before it fires (docs/metrics.md, "Flags and warnings").
The figures, the flags, the command line's table and every caption of the window that names
a reference ("stayed 3 min or more", "good: 30% or more", the retention plot's lines) read
them from here, so that none of them can drift from the others.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from studio.core.metrics.common import FUNNEL_STEPS

EFFECTIVE_DWELL_S = 180.0  # "有效流量": stayed at least 3 minutes
BOUNCE_DWELL_S = 60.0  # "跳出": left within a minute
REPLAY_COMPLETE_SHARE = 0.90  # a replay watched this far is complete
TOP_BUYER_SHARE = 0.20  # the top buyers whose share of GMV is measured
LOSS_WINDOW_S = 60.0  # the leaves counted after an incident's start

GOOD_EFFECTIVE_RATIO = 0.30  # good: at least this share of viewers effective
BAD_BOUNCE_RATE = 0.50  # good: fewer bounces than this
MAX_NEW_VIEWER_RATIO = 0.70  # flagged: more new viewers than this


def minutes(seconds: float) -> float:
    """A dwell reference in the minutes a caption names ("3 min")."""
    return seconds / 60


@dataclass(frozen=True, slots=True)
class Evidence:
    """How much a figure stands on: what a flag needs at least, or what a session has."""

    viewers: int = 0  # viewers the figure counts (a share on air: those whose outcome is known)
    comments: int = 0
    commenters: int = 0
    step_viewers: int = 0  # viewers who reached the funnel step before the weak one
    minutes: float = 0.0  # the session's length (on air: so far)

    def covers(self, needed: Evidence) -> bool:
        return all(getattr(self, f.name) >= getattr(needed, f.name) for f in fields(self))


# The least evidence before a flag fires: a share of one viewer or a mix of one comment says
# nothing. On air, a stay or bounce share counts only the viewers whose outcome is known. An
# incident needs no minimum: it was seen, not estimated.
_FUNNEL_EVIDENCE = Evidence(viewers=50, step_viewers=10, minutes=5)
FLAG_EVIDENCE: dict[str, Evidence] = {
    "low_effective_ratio": Evidence(viewers=30, minutes=5),
    "high_bounce_rate": Evidence(viewers=30, minutes=2),
    "few_returning_viewers": Evidence(viewers=30, minutes=5),
    "chitchat_over_product": Evidence(comments=20, commenters=5),
    **{f"funnel_weak_{step}": _FUNNEL_EVIDENCE for step in FUNNEL_STEPS},
}
