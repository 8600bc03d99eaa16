"""format_table(): the figures as a plain-text table for `studio metrics` without --json.

Numbers are formatted for `locale` with Babel; a figure that is not defined (a ratio over zero
viewers) shows as a dash, never as 0. Labels are marked N_() for the catalog.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import Any

from babel.numbers import format_currency, format_decimal, format_percent

from studio.core.markets import market
from studio.core.metrics.common import CATEGORIES, FUNNEL_STAGES, FUNNEL_STEPS
from studio.core.metrics.messages import N_
from studio.core.store import Session

DASH = "–"
RETENTION_MARKS_S = (60, 180, 600, 1800)
PRODUCT_ROWS = 10


class _Formatter:
    def __init__(self, locale: str) -> None:
        self.locale = locale

    def pct(self, value: float | None) -> str:
        return DASH if value is None else format_percent(value, "#,##0.0%", locale=self.locale)

    def num(self, value: float | None, pattern: str = "#,##0.##") -> str:
        return DASH if value is None else format_decimal(value, pattern, locale=self.locale)

    def money(self, amounts: Mapping[str, float | None]) -> str:
        shown = [format_currency(v, cur, locale=self.locale)
                 for cur, v in amounts.items() if v is not None]
        return ", ".join(shown) if shown else DASH

    def duration(self, value: float | None) -> str:
        if value is None:
            return DASH
        minutes, secs = divmod(round(value), 60)
        hours, minutes = divmod(minutes, 60)
        if hours:
            return f"{hours} h {minutes:02d} min"
        return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"


def _columns(rows: Sequence[Sequence[str]], indent: str = "  ") -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [indent + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            for row in rows]


def _when(ts: float, market_code: str) -> str:
    """In the market's time, as the host and the window read it, and in UTC, as logs do."""
    return market(market_code).local_and_utc(ts, seconds=True)


def _title(s: Mapping[str, Any]) -> str:
    return f"{N_('Session')} {s['id']} · {s['market']} · {s['platform'] or DASH} · {s['mode']}"


def format_no_data(session: Session) -> str:
    """A session without events or health samples: nothing to measure, said as such (its
    figures would all be dashes, and its length 0 s)."""
    start = (_when(session.started_at, session.market) if session.started_at is not None
             else N_("not given"))
    return (f"{_title(asdict(session))}\n  {N_('start')}   {start}\n\n"
            f"{N_('No events and no stream-health samples yet: there is nothing to measure.')}\n")


def format_table(figures: Mapping[str, Any], locale: str = "en") -> str:
    f = _Formatter(locale)
    s = figures["session"]
    lines = [
        _title(s),
        f"  {N_('start')}   {_when(s['start'], s['market'])}",
        f"  {N_('length')}  {f.duration(s['duration_s'])}",
        "",
        N_("Traffic"),
    ]
    lines += _columns([
        (N_("Viewers"), f.num(figures["viewers"]), ""),
        (N_("Effective (stayed >= 3 min)"), f.pct(figures["effective_ratio"]), N_("good >= 30%")),
        (N_("Bounce (left < 1 min)"), f.pct(figures["bounce_rate"]), N_("good < 50%")),
        (N_("New viewers"), f.pct(figures["new_viewer_ratio"]), N_("flag > 70%")),
        (N_("Returning viewers"), f.pct(figures["returning_ratio"]), ""),
        (N_("Average dwell"), f.duration(figures["avg_dwell_s"]), ""),
        (N_("Peak concurrent"), f.num(figures["peak_concurrent"]), ""),
        (N_("Average concurrent"), f.num(figures["avg_concurrent"], "#,##0.0"), ""),
    ])
    lines += ["", N_("Sources")]
    lines += _columns(
        [(N_("source"), N_("viewers"), N_("effective"), N_("bounce"), N_("payers"),
          N_("conversion"))]
        + [(key, f.num(v["viewers"]), f.pct(v["effective_ratio"]), f.pct(v["bounce_rate"]),
            f.num(v["payers"]), f.pct(v["conversion"]))
           for key, v in figures["sources"].items()]
    )
    lines += ["", N_("Interaction")]
    lines += _columns([
        (N_("Comment rate"), f.pct(figures["comment_rate"])),
        (N_("Question rate"), f.pct(figures["question_rate"])),
        (N_("Follow rate"), f.pct(figures["follow_rate"])),
        (N_("Comment mix"), "  ".join(
            f"{c} {f.pct(figures['comment_mix'][c])}" for c in CATEGORIES)),
    ])
    funnel = figures["funnel"]
    lines += ["", N_("Funnel")]
    lines += _columns(
        [(stage, f.num(funnel[stage]),
          f.pct(funnel["rates"][FUNNEL_STEPS[i - 1]]) if i else "")
         for i, stage in enumerate(FUNNEL_STAGES)]
        + [(N_("overall"), "", f.pct(funnel["rates"]["overall"]))]
    )
    diagnosis = funnel["diagnosis"]
    if diagnosis:
        against = (f" ({N_('median')} {f.pct(diagnosis['median'])})"
                   if diagnosis["median"] is not None else "")
        lines.append(f"  {N_('Weakest step')}: {diagnosis['step']} "
                     f"{f.pct(diagnosis['rate'])}{against}")
    lines += ["", N_("Sales")]
    lines += _columns([
        (N_("GMV"), f.money(figures["gmv"])),
        (N_("Paid orders"), f.num(figures["paid_orders"])),
        (N_("Payers"), f.num(figures["payers"])),
        (N_("Average order value"), f.money(figures["aov"])),
        (N_("GMV per 1,000 viewers"), f.money(figures["gpm"])),
        (N_("Top 20% buyers' share"), _top_buyer_share(figures["top_buyer_share"], f)),
    ])
    products = figures["products"][:PRODUCT_ROWS]
    if products:
        lines += ["", N_("Products")]
        lines += _columns(
            [(N_("sku"), N_("clicks"), N_("carts"), N_("orders"), N_("paid units"), N_("GMV"))]
            + [(p["sku"] or DASH, f.num(p["clicks"]), f.num(p["carts"]), f.num(p["orders"]),
                f.num(p["paid_units"]), f.money(p["gmv"])) for p in products]
        )
    lines += ["", N_("Retention")]
    lines += _columns([(f"S({f.duration(t)})", f.pct(_survival(figures["retention_curve"], t)))
                       for t in RETENTION_MARKS_S])
    replay = figures["replay"]
    if figures["session"]["mode"] == "replay":
        lines += ["", N_("Replay")]
        lines += _columns([
            (N_("Completion (>= 90% watched)"), f.pct(replay["completion_rate"])),
            (N_("Conversion"), f.pct(replay["conversion"])),
            (N_("Live session's conversion"), f.pct(replay["live_conversion"])),
        ])
    health = figures["health"]
    lines += ["", N_("Stream health")]
    lines += _columns([
        (N_("Dropped frames"), f.num(health["dropped_frames"]), f.pct(health["drop_ratio"])),
        (N_("Frozen / black"), f.duration(health["freeze_s"]), f.duration(health["black_s"])),
        (N_("Low resolution / signal lost"), f.duration(health["low_res_s"]),
         f.duration(health["signal_lost_s"])),
    ])
    for loss in health["viewer_loss"]:
        lines.append(f"  {loss['kind']} {_when(loss['start'], s['market'])}: {loss['leaves_60s']} "
                     f"{N_('left in the minute after, against')} "
                     f"{f.num(loss['mean_leaves_60s'], '#,##0.0')} {N_('a minute on average')}")
    for title, entries in ((N_("Flags"), figures["flags"]),
                           (N_("Data-quality warnings"), figures["warnings"])):
        if entries:
            lines += ["", title]
            lines += [f"  - {entry['message']}" for entry in entries]
    return "\n".join(lines) + "\n"


def _top_buyer_share(shares: Mapping[str, float | None], f: _Formatter) -> str:
    """A share, not an amount: no currency in front of it. Buyers paying in different
    currencies are ranked apart, so with several each share says whose GMV it is."""
    if len(shares) == 1:
        return f.pct(next(iter(shares.values())))
    return ", ".join(N_("{share} of {currency} GMV").format(share=f.pct(v), currency=cur)
                     for cur, v in shares.items()) or DASH


def _survival(curve: Mapping[str, Any], t: float) -> float | None:
    """S(t) from the step points."""
    points = curve["points"]
    if not points:
        return None
    if t > curve["max_dwell_s"]:
        return 0.0
    share = points[0][1]
    for at, value in points:
        if at > t:
            break
        share = value
    return share
