"""Flags (figures outside their reference) and data-quality warnings.

Each entry carries a stable `code`, its `params` and its sentence as a Message (from
`messages.MESSAGES`, filled from the params), which the window and the command line render in
the user's language. A reference said in words is a Message too.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import pairwise
from typing import Any

from studio.core.message import N_, Message, Np_, message
from studio.core.metrics.common import FUNNEL_STAGES
from studio.core.metrics.health_figures import INCIDENT_KINDS
from studio.core.metrics.messages import said
from studio.core.metrics.model import (
    DataWarning,
    Flag,
    Funnel,
    Health,
    Interaction,
    SessionInfo,
    Traffic,
    Undecided,
)
from studio.core.metrics.references import (
    BAD_BOUNCE_RATE,
    FLAG_EVIDENCE,
    GOOD_EFFECTIVE_RATIO,
    MAX_NEW_VIEWER_RATIO,
    Evidence,
)
from studio.core.names import STAGE_NAMES


def _flag(code: str, figure: str, value: Any, reference: Message, **extra: Any) -> Flag:
    params = {"value": value, "reference": reference, **extra}
    return Flag(code, figure, value, reference, params, said(code, **params))


def flags(traffic: Traffic, undecided: Undecided | None, session: SessionInfo,
          interaction: Interaction, funnel: Funnel, health: Health, *,
          categories: Mapping[str, int], commenters: int) -> tuple[Flag, ...]:
    """Every figure outside its reference, once it has the evidence FLAG_EVIDENCE asks for.
    `undecided` is given on air only."""
    n = traffic.viewers
    minutes = (session.duration_s or 0) / 60
    unknown = undecided or Undecided(effective_ratio=0, bounce_rate=0)  # a share's outcome

    def enough(code: str, **seen: int) -> bool:
        return Evidence(minutes=minutes, **seen).covers(FLAG_EVIDENCE[code])

    out = []
    effective = traffic.effective_ratio
    if (effective is not None and effective < GOOD_EFFECTIVE_RATIO
            and enough("low_effective_ratio", viewers=n - unknown.effective_ratio)):
        out.append(_flag("low_effective_ratio", "effective_ratio", effective,
                         message(N_(">= {share:.0%}"), share=GOOD_EFFECTIVE_RATIO)))
    bounce = traffic.bounce_rate
    if (bounce is not None and bounce >= BAD_BOUNCE_RATE
            and enough("high_bounce_rate", viewers=n - unknown.bounce_rate)):
        out.append(_flag("high_bounce_rate", "bounce_rate", bounce,
                         message(N_("< {share:.0%}"), share=BAD_BOUNCE_RATE)))
    new = traffic.new_viewer_ratio
    if (new is not None and new > MAX_NEW_VIEWER_RATIO
            and enough("few_returning_viewers", viewers=n)):
        out.append(_flag("few_returning_viewers", "new_viewer_ratio", new,
                         message(N_("<= {share:.0%}"), share=MAX_NEW_VIEWER_RATIO)))
    mix = interaction.comment_mix
    if (categories.get("chitchat", 0) > categories.get("product", 0)
            and enough("chitchat_over_product", comments=sum(categories.values()),
                       commenters=commenters)):
        out.append(_flag("chitchat_over_product", "comment_mix.chitchat", mix["chitchat"],
                         message(N_("product questions {share:.0%}"), share=mix["product"])))
    diagnosis = funnel.diagnosis
    if diagnosis is not None and diagnosis.below_median is not False:
        step = diagnosis.step
        if enough(diagnosis.code, viewers=n, step_viewers=funnel.base(step)):
            if diagnosis.median is None:
                reference = message(N_("lowest of the four step rates"))
            else:
                reference = message(Np_("median {median:.1%} over {n} earlier session",
                                        "median {median:.1%} over {n} earlier sessions"),
                                    median=diagnosis.median, n=diagnosis.sessions_compared)
            out.append(_flag(diagnosis.code, f"funnel.rates.{step}", diagnosis.rate, reference))
    for kind in INCIDENT_KINDS:  # an incident is seen, not estimated: no minimum
        count = sum(1 for i in health.incidents if i.kind == kind)
        if count:
            out.append(_flag(f"health_{kind}", f"health.{kind}_s", health.seconds_in(kind),
                             message(N_("{seconds:.0f} s"), seconds=0), count=count))
    return tuple(out)


def _warning(code: str, count: int, names: Mapping[str, Message] | None = None, **params: Any
             ) -> DataWarning:
    """`names`: what the sentence says in words where `params` hold codes (a funnel stage)."""
    params = {"count": count, **params}
    return DataWarning(code, count, params, said(code, **params, **(names or {})))


def warnings(
    funnel: Funnel,
    *,
    ignored_leaves: int,
    outsiders: int,
    payments_without_order: int,
    presence_outside: int,
    unmatched_incident_ends: int,
) -> tuple[DataWarning, ...]:
    out = []
    if ignored_leaves:
        out.append(_warning("leave_while_absent", ignored_leaves))
    counts = dict(zip(FUNNEL_STAGES, funnel.counts(), strict=True))
    for previous, stage in pairwise(FUNNEL_STAGES):
        if counts[stage] > counts[previous]:
            names = {"stage_name": message(STAGE_NAMES[stage]),
                     "previous_name": message(STAGE_NAMES[previous])}
            out.append(_warning("stage_exceeds_previous", counts[stage], names, stage=stage,
                                previous=previous, previous_count=counts[previous]))
    if outsiders:
        out.append(_warning("activity_without_join", outsiders))
    if payments_without_order:
        out.append(_warning("payment_without_order", payments_without_order))
    if presence_outside:
        out.append(_warning("presence_outside_session", presence_outside))
    if unmatched_incident_ends:
        out.append(_warning("incident_end_without_start", unmatched_incident_ends))
    return tuple(out)
