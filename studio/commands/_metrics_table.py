"""The figures of `studio metrics` as a plain-text table, in the user's language.

Words go through gettext, numbers, money and times through studio.i18n.format (the user's
locale); a figure that is not defined (a ratio over zero viewers) shows as a dash, never as 0.
Columns are padded by the width a terminal gives each character (a Chinese one takes two).
"""

from __future__ import annotations

from collections.abc import Mapping

from studio.commands._common import columns
from studio.core.comments import CATEGORIES
from studio.core.markets import market
from studio.core.metrics.common import FUNNEL_STAGES, FUNNEL_STEPS
from studio.core.metrics.model import Figures, SessionInfo
from studio.core.metrics.references import (
    BAD_BOUNCE_RATE,
    BOUNCE_DWELL_S,
    EFFECTIVE_DWELL_S,
    GOOD_EFFECTIVE_RATIO,
    MAX_NEW_VIEWER_RATIO,
    REPLAY_COMPLETE_SHARE,
    TOP_BUYER_SHARE,
    minutes,
)
from studio.core.names import CATEGORY_NAMES, INCIDENT_NAMES, MODE_NAMES, SOURCE_NAMES, STAGE_NAMES
from studio.core.platforms import PLATFORM_NAMES
from studio.core.store import Session
from studio.i18n import _
from studio.i18n.format import MISSING, money, number, share
from studio.i18n.render import render

RETENTION_MARKS_S = (60, 180, 600, 1800)
PRODUCT_ROWS = 10


def _pct(value: float | None) -> str:
    return share(value, 1)


def _money(amounts: Mapping[str, float | None]) -> str:
    return money({currency: v for currency, v in amounts.items() if v is not None})


def _duration(value: float | None) -> str:
    if value is None:
        return MISSING
    minutes, secs = divmod(round(value), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return _("{hours} h {minutes:02d} min").format(hours=hours, minutes=minutes)
    if minutes:
        return _("{minutes} min {seconds:02d} s").format(minutes=minutes, seconds=secs)
    return _("{seconds} s").format(seconds=secs)


def _when(ts: float, market_code: str) -> str:
    """In the market's time, as the host and the window read it, and in UTC, as logs do."""
    return market(market_code).local_and_utc(ts, seconds=True)


def _title(s: Session | SessionInfo) -> str:
    platform = PLATFORM_NAMES.get(s.platform, s.platform) if s.platform else MISSING
    return _("Session {id} · {market} · {platform} · {mode}").format(
        id=s.id, market=s.market, platform=platform, mode=_(MODE_NAMES.get(s.mode, s.mode)))


def _named(names: Mapping[str, str], code: str) -> str:
    return _(names[code]) if code in names else code


def format_no_data(session: Session) -> str:
    """A session without events or health samples: nothing to measure, said as such (its
    figures would all be dashes, and its length 0 s)."""
    start = (_when(session.started_at, session.market) if session.started_at is not None
             else _("not given"))
    return (f"{_title(session)}\n" + columns([(_("start"), start)])[0] + "\n\n"
            + _("No events and no stream-health samples yet: there is nothing to measure.")
            + "\n")


def format_table(figures: Figures) -> str:
    s = figures.session
    lines = [_title(s)]
    lines += columns([(_("start"), _when(s.start, s.market)),
                       (_("length"), _duration(s.duration_s))])
    traffic = figures.traffic
    lines += ["", _("Traffic")]
    lines += columns([
        (_("Viewers"), number(traffic.viewers), ""),
        (_("Effective (stayed >= {minutes} min)").format(minutes=number(minutes(
            EFFECTIVE_DWELL_S))), _pct(traffic.effective_ratio),
         _("good >= {share}").format(share=share(GOOD_EFFECTIVE_RATIO, 0))),
        (_("Bounce (left < {minutes} min)").format(minutes=number(minutes(BOUNCE_DWELL_S))),
         _pct(traffic.bounce_rate), _("good < {share}").format(share=share(BAD_BOUNCE_RATE, 0))),
        (_("New viewers"), _pct(traffic.new_viewer_ratio),
         _("flag > {share}").format(share=share(MAX_NEW_VIEWER_RATIO, 0))),
        (_("Returning viewers"), _pct(traffic.returning_ratio), ""),
        (_("Average dwell"), _duration(traffic.avg_dwell_s), ""),
        (_("Peak concurrent"), number(traffic.peak_concurrent), ""),
        (_("Average concurrent"), number(traffic.avg_concurrent, 1), ""),
    ])
    lines += ["", _("Sources")]
    lines += columns(
        [(_("source"), _("viewers"), _("effective"), _("bounce"), _("payers"), _("conversion"))]
        + [(_named(SOURCE_NAMES, key), number(v.viewers), _pct(v.effective_ratio),
            _pct(v.bounce_rate), number(v.payers), _pct(v.conversion))
           for key, v in figures.sources.items()]
    )
    interaction = figures.interaction
    lines += ["", _("Interaction")]
    lines += columns([
        (_("Comment rate"), _pct(interaction.comment_rate)),
        (_("Question rate"), _pct(interaction.question_rate)),
        (_("Follow rate"), _pct(interaction.follow_rate)),
        (_("Comment mix"), "  ".join(
            f"{_named(CATEGORY_NAMES, c)} {_pct(interaction.comment_mix.get(c))}"
            for c in CATEGORIES)),
    ])
    funnel = figures.funnel
    lines += ["", _("Funnel")]
    lines += columns(
        [(_named(STAGE_NAMES, stage), number(count), _pct(rate) if i else "")
         for i, (stage, count, rate)
         in enumerate(zip(FUNNEL_STAGES, funnel.counts(), (None, *funnel.rates.steps()),
                          strict=True))]
        + [(_("overall"), "", _pct(funnel.rates.overall))]
    )
    diagnosis = funnel.diagnosis
    if diagnosis:
        stage = _named(STAGE_NAMES, FUNNEL_STAGES[FUNNEL_STEPS.index(diagnosis.step) + 1])
        lines.append("  " + (
            _("Weakest step: {step} {rate} (median {median})") if diagnosis.median is not None
            else _("Weakest step: {step} {rate}")).format(
                step=stage, rate=_pct(diagnosis.rate), median=_pct(diagnosis.median)))
    sales = figures.sales
    lines += ["", _("Sales")]
    lines += columns([
        (_("GMV"), _money(sales.gmv)),
        (_("Paid orders"), number(sales.paid_orders)),
        (_("Payers"), number(sales.payers)),
        (_("Average order value"), _money(sales.aov)),
        (_("GMV per 1,000 viewers"), _money(sales.gpm)),
        (_("Top {share} buyers' share").format(share=share(TOP_BUYER_SHARE, 0)),
         _top_buyer_share(sales.top_buyer_share)),
    ])
    products = sales.products[:PRODUCT_ROWS]
    if products:
        lines += ["", _("Products")]
        lines += columns(
            [(_("SKU"), _("clicks"), _("carts"), _("orders"), _("paid units"), _("GMV"))]
            + [(p.sku or MISSING, number(p.clicks), number(p.carts), number(p.orders),
                number(p.paid_units), _money(p.gmv))
               for p in products]
        )
    lines += ["", _("Retention")]
    lines += columns([(_("S({time})").format(time=_duration(t)),
                        _pct(figures.retention_curve.share_at(t)))
                       for t in RETENTION_MARKS_S])
    replay = figures.replay
    if s.mode == "replay":
        lines += ["", _("Replay")]
        lines += columns([
            (_("Completion (>= {share} watched)").format(share=share(REPLAY_COMPLETE_SHARE, 0)),
             _pct(replay.completion_rate)),
            (_("Conversion"), _pct(replay.conversion)),
            (_("Live session's conversion"), _pct(replay.live_conversion)),
        ])
    health = figures.health
    lines += ["", _("Stream health")]
    lines += columns([
        (_("Dropped frames"), number(health.dropped_frames), share(health.drop_ratio, 1)),
        (_("Frozen / black"), _duration(health.freeze_s), _duration(health.black_s)),
        (_("Low resolution / signal lost"), _duration(health.low_res_s),
         _duration(health.signal_lost_s)),
    ])
    for loss in health.viewer_loss:
        lines.append("  " + _("{incident} {time}: {leaves} left in the minute after, against "
                              "{mean} a minute on average").format(
            incident=_named(INCIDENT_NAMES, loss.kind), time=_when(loss.start, s.market),
            leaves=number(loss.leaves_60s), mean=number(loss.mean_leaves_60s, 1)))
    for title, entries in ((_("Flags"), figures.flags),
                           (_("Data-quality warnings"), figures.warnings)):
        if entries:
            lines += ["", title]
            lines += [f"  - {render(entry.message)}" for entry in entries]
    return "\n".join(lines) + "\n"


def _top_buyer_share(shares: Mapping[str, float | None]) -> str:
    """A share, not an amount: no currency in front of it. Buyers paying in different
    currencies are ranked apart, so with several each share says whose GMV it is."""
    if len(shares) == 1:
        return _pct(next(iter(shares.values())))
    return ", ".join(_("{share} of {currency} GMV").format(share=_pct(v), currency=cur)
                     for cur, v in shares.items()) or MISSING

