"""Captions that name a reference of the figures ("stayed 3 min or more", "good: 30% or more",
the retention plot's "1 min" line), built from studio.core.metrics.references: a reference
changed there changes every caption that shows it."""

from __future__ import annotations

from studio.core.metrics.references import (
    BAD_BOUNCE_RATE,
    BOUNCE_DWELL_S,
    EFFECTIVE_DWELL_S,
    GOOD_EFFECTIVE_RATIO,
    minutes,
)
from studio.i18n import _, ngettext
from studio.i18n.format import number, share


def _minutes(seconds: float) -> str:
    return number(minutes(seconds))


def minutes_label(seconds: float) -> str:
    """A dwell reference as a line of the retention plot is labelled: "3 min"."""
    return _("{minutes} min").format(minutes=_minutes(seconds))


def stayed_caption(*, so_far: bool = False, undecided: int | None = None) -> str:
    """What the effective share counts; on air "so far", with the viewers still undecided."""
    limit = _minutes(EFFECTIVE_DWELL_S)
    if undecided is not None:
        return ngettext("stayed {minutes} min+ so far, {n} undecided",
                        "stayed {minutes} min+ so far, {n} undecided",
                        undecided).format(minutes=limit, n=number(undecided))
    if so_far:
        return _("stayed {minutes} min+ so far").format(minutes=limit)
    return _("stayed {minutes} min or more").format(minutes=limit)


def left_caption(*, so_far: bool = False, undecided: int | None = None) -> str:
    """What the bounce rate counts; on air "so far", with the viewers still undecided."""
    limit = _minutes(BOUNCE_DWELL_S)
    if undecided is not None:
        return ngettext("left within {minutes} min so far, {n} undecided",
                        "left within {minutes} min so far, {n} undecided",
                        undecided).format(minutes=limit, n=number(undecided))
    if so_far:
        return _("left within {minutes} min so far").format(minutes=limit)
    return _("left within {minutes} min").format(minutes=limit)


def effective_goal() -> str:
    return _("good: {share} or more").format(share=share(GOOD_EFFECTIVE_RATIO, 0))


def bounce_goal() -> str:
    return _("good: under {share}").format(share=share(BAD_BOUNCE_RATE, 0))


def stayed_heading() -> str:
    """The Sessions table's column of the effective share."""
    return _("Stayed {minutes} min+").format(minutes=_minutes(EFFECTIVE_DWELL_S))
