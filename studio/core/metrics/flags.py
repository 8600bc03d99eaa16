"""Flags (figures outside their reference) and data-quality warnings.

Each entry carries a stable `code`, its `params` and one English sentence from
`messages.MESSAGES`, so that a translation can be keyed by the code and filled from the params.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import pairwise
from typing import Any

from studio.core.metrics.common import (
    BAD_BOUNCE_RATE,
    FLAG_EVIDENCE,
    FUNNEL_STAGES,
    FUNNEL_STEPS,
    GOOD_EFFECTIVE_RATIO,
    MAX_NEW_VIEWER_RATIO,
    Evidence,
)
from studio.core.metrics.health_figures import INCIDENT_KINDS
from studio.core.metrics.messages import sentence
from studio.core.plural import ngettext


def _flag(code: str, figure: str, value: Any, reference: str, **extra: Any) -> dict[str, Any]:
    params = {"value": value, "reference": reference, **extra}
    return {
        "code": code,
        "figure": figure,
        "value": value,
        "reference": reference,
        "params": params,
        "message": sentence(code, **params),
    }


def flags(figures: Mapping[str, Any], categories: Mapping[str, int], commenters: int
          ) -> list[dict[str, Any]]:
    """Every figure outside its reference, once it has the evidence FLAG_EVIDENCE asks for."""
    n = figures["viewers"]
    undecided = figures.get("undecided", {})  # on air only
    minutes = (figures["session"]["duration_s"] or 0) / 60

    def enough(code: str, **seen: int) -> bool:
        return Evidence(minutes=minutes, **seen).covers(FLAG_EVIDENCE[code])

    out = []
    effective = figures["effective_ratio"]
    if (effective is not None and effective < GOOD_EFFECTIVE_RATIO
            and enough("low_effective_ratio", viewers=n - undecided.get("effective_ratio", 0))):
        out.append(_flag("low_effective_ratio", "effective_ratio", effective,
                         f">= {GOOD_EFFECTIVE_RATIO:.0%}"))
    bounce = figures["bounce_rate"]
    if (bounce is not None and bounce >= BAD_BOUNCE_RATE
            and enough("high_bounce_rate", viewers=n - undecided.get("bounce_rate", 0))):
        out.append(_flag("high_bounce_rate", "bounce_rate", bounce, f"< {BAD_BOUNCE_RATE:.0%}"))
    new = figures["new_viewer_ratio"]
    if (new is not None and new > MAX_NEW_VIEWER_RATIO
            and enough("few_returning_viewers", viewers=n)):
        out.append(_flag("few_returning_viewers", "new_viewer_ratio", new,
                         f"<= {MAX_NEW_VIEWER_RATIO:.0%}"))
    mix = figures["comment_mix"]
    if (categories.get("chitchat", 0) > categories.get("product", 0)
            and enough("chitchat_over_product", comments=sum(categories.values()),
                       commenters=commenters)):
        out.append(_flag("chitchat_over_product", "comment_mix.chitchat", mix["chitchat"],
                         f"product questions {mix['product']:.0%}"))
    funnel = figures["funnel"]
    diagnosis = funnel["diagnosis"]
    if diagnosis is not None and diagnosis["below_median"] is not False:
        step = diagnosis["step"]
        base = funnel[FUNNEL_STAGES[FUNNEL_STEPS.index(step)]]  # the rate's denominator
        if enough(diagnosis["code"], viewers=n, step_viewers=base):
            if diagnosis["median"] is None:
                reference = "lowest of the four step rates"
            else:
                compared = diagnosis["sessions_compared"]
                reference = ngettext("median {median:.1%} over {n} earlier session",
                                     "median {median:.1%} over {n} earlier sessions",
                                     compared).format(median=diagnosis["median"], n=compared)
            out.append(_flag(diagnosis["code"], f"funnel.rates.{step}", diagnosis["rate"],
                             reference))
    health = figures["health"]
    for kind in INCIDENT_KINDS:  # an incident is seen, not estimated: no minimum
        count = sum(1 for i in health["incidents"] if i["kind"] == kind)
        if count:
            out.append(_flag(f"health_{kind}", f"health.{kind}_s", health[f"{kind}_s"], "0 s",
                             count=count))
    return out


def _warning(code: str, count: int, **params: Any) -> dict[str, Any]:
    params = {"count": count, **params}
    return {"code": code, "count": count, "params": params, "message": sentence(code, **params)}


def warnings(
    figures: Mapping[str, Any],
    *,
    ignored_leaves: int,
    outsiders: int,
    payments_without_order: int,
    presence_outside: int,
    unmatched_incident_ends: int,
) -> list[dict[str, Any]]:
    out = []
    if ignored_leaves:
        out.append(_warning("leave_while_absent", ignored_leaves))
    funnel = figures["funnel"]
    for previous, stage in pairwise(FUNNEL_STAGES):
        if funnel[stage] > funnel[previous]:
            out.append(_warning("stage_exceeds_previous", funnel[stage], stage=stage,
                                previous=previous, previous_count=funnel[previous]))
    if outsiders:
        out.append(_warning("activity_without_join", outsiders))
    if payments_without_order:
        out.append(_warning("payment_without_order", payments_without_order))
    if presence_outside:
        out.append(_warning("presence_outside_session", presence_outside))
    if unmatched_incident_ends:
        out.append(_warning("incident_end_without_start", unmatched_incident_ends))
    return out
