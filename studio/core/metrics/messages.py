"""Every sentence the metrics say, in one table, keyed by a stable code.

Core returns data, not prose: a flag or a warning carries its `code`, its `params` and the
Message `said(code, **params)` makes of them (studio.core.message), which the window and the
command line render in the user's language. A sentence that says a `count` is a Plural pair,
marked with Np_(); the others are marked with N_(), so that the catalog extractor finds them.
"""

from __future__ import annotations

from typing import Any

from studio.core.message import N_, Message, Np_, Plural, message

MESSAGES: dict[str, str | Plural] = {
    # Flags: a figure outside its reference.
    "low_effective_ratio": N_(
        "Only {value:.0%} of viewers stayed 3 minutes or more (good: {reference}): look at which "
        "sources bring viewers who leave at once and at what the first minutes show."
    ),
    "high_bounce_rate": N_(
        "{value:.0%} of viewers left within a minute (good: {reference}): check the opening, "
        "the picture and whether the traffic matches the products."
    ),
    "few_returning_viewers": N_(
        "{value:.0%} of viewers were new to the channel (good: {reference}): the room does not "
        "bring viewers back, so work on follows and on announcing the next show."
    ),
    "chitchat_over_product": N_(
        "Chitchat ({value:.0%} of comments) outweighs {reference}: a room that chats more than "
        "it asks about the products converts badly, so steer the talk back to them."
    ),
    "funnel_weak_click": N_(
        "View to click is the weakest step ({value:.1%}, {reference}): the products are not "
        "shown or pinned well enough."
    ),
    "funnel_weak_cart": N_(
        "Click to cart is the weakest step ({value:.1%}, {reference}): the product page falls "
        "short (information, pictures, or a price that differs from what the host said)."
    ),
    "funnel_weak_order": N_(
        "Cart to order is the weakest step ({value:.1%}, {reference}): checkout loses buyers "
        "(too many steps, or the local payment methods are missing)."
    ),
    "funnel_weak_pay": N_(
        "Order to payment is the weakest step ({value:.1%}, {reference}): payments fail; check "
        "the payment methods and their error messages."
    ),
    "health_freeze": Np_(
        "The picture froze {count} time, {value:.0f} s in all: compare the freeze with the "
        "viewers lost in the minute after it.",
        "The picture froze {count} times, {value:.0f} s in all: compare each freeze with the "
        "viewers lost in the minute after it.",
    ),
    "health_black": Np_(
        "The picture went black {count} time, {value:.0f} s in all: check the camera, the "
        "capture card and the scene switches.",
        "The picture went black {count} times, {value:.0f} s in all: check the camera, the "
        "capture card and the scene switches.",
    ),
    "health_signal_lost": Np_(
        "The capture signal was lost {count} time, {value:.0f} s in all: check cables, the "
        "network and the encoder.",
        "The capture signal was lost {count} times, {value:.0f} s in all: check cables, the "
        "network and the encoder.",
    ),
    "health_low_res": Np_(
        "The stream ran below its target resolution {count} time, {value:.0f} s in all: "
        "check the upload bandwidth and the encoder settings.",
        "The stream ran below its target resolution {count} times, {value:.0f} s in all: "
        "check the upload bandwidth and the encoder settings.",
    ),
    # Data-quality warnings: the figures stand, but the log is not what it should be.
    "leave_while_absent": Np_(
        "{count} leave event came while the viewer was not present and was ignored: a join "
        "may be missing from the log.",
        "{count} leave events came while the viewer was not present and were ignored: joins "
        "may be missing from the log.",
    ),
    "stage_exceeds_previous": N_(
        'More viewers reached "{stage_name}" ({count}) than "{previous_name}" ({previous_count}): '
        "events of the earlier step are missing."
    ),
    "activity_without_join": Np_(
        "{count} viewer commented, followed, clicked or bought without a join in the log: "
        "joins are missing, so ratios over viewers may be too high.",
        "{count} viewers commented, followed, clicked or bought without a join in the log: "
        "joins are missing, so ratios over viewers may be too high.",
    ),
    "payment_without_order": Np_(
        "{count} paid order has no order event: it counts in GMV but not in the product "
        "table.",
        "{count} paid orders have no order event: they count in GMV but not in the product "
        "table.",
    ),
    "presence_outside_session": Np_(
        "{count} join or leave event lies outside the session's start and end: presence was "
        "clipped to the session.",
        "{count} join or leave events lie outside the session's start and end: presence was "
        "clipped to the session.",
    ),
    "incident_end_without_start": Np_(
        "{count} health incident end had no matching start and was ignored.",
        "{count} health incident ends had no matching start and were ignored.",
    ),
}


def said(code: str, **params: Any) -> Message:
    """The sentence of `code` filled with `params`; a Plural's form follows params["count"]."""
    text = MESSAGES[code]
    if isinstance(text, Plural):
        return message(text, n=params["count"], **params)
    return message(text, **params)
