"""The simulated audience's parameters, read from resources/simulate/audience.toml.

The numbers are data a producer may tune, not code: how much each traffic source bounces, how
long it stays, how the funnel narrows. A missing or malformed entry is reported with its path.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from studio.core.comments import CATEGORIES
from studio.core.events import SOURCES
from studio.resources import resource

ARRIVAL_SHAPES = ("opening", "flat", "waves", "ads", "flash")
# The comment categories the simulated audience writes phrases in: every one but "other" (sound
# and picture complaints), which a simulated stream gives no cause for.
SPOKEN_CATEGORIES = tuple(category for category in CATEGORIES if category != "other")


class SimulationConfigError(ValueError):
    """A simulator resource file is missing a key or holds a value of the wrong kind."""


@dataclass(frozen=True, slots=True)
class SourceTraits:
    name: str
    share: float
    bounce: float
    stay_median_s: float
    stay_sigma: float
    returning: float
    loyal: bool
    intent: float
    chat: float
    arrival: tuple[float, ...]  # weights in ARRIVAL_SHAPES order


@dataclass(frozen=True, slots=True)
class ShowShape:
    flash_sales: tuple[float, ...]  # fractions of the show's length
    flash_s: float
    flash_rush_s: float
    flash_discount: float
    opening_s: float
    wave_every_s: float
    wave_width_s: float
    ads_from: float
    ads_until: float
    pin_every_s: float
    fatigue: float


@dataclass(frozen=True, slots=True)
class Activity:
    comments_per_s: float
    likes_per_s: float
    chattiness: float
    share: float
    follow: float
    long_s: float
    rejoin: float
    rejoin_gap_s: float


@dataclass(frozen=True, slots=True)
class Funnel:
    click: float
    click_s: float
    extra_clicks: float
    cart: float
    order: float
    pay: float
    second_order: float
    flash_boost: float
    flash_click: float
    pinned: float
    flash_pick: float
    quantities: tuple[float, ...]
    cart_delay_s: float
    order_delay_s: float
    pay_delay_s: float


@dataclass(frozen=True, slots=True)
class ReplayTraits:
    viewers: float
    delay_s: float
    bounce: float
    completion: float
    intent: float
    chat: float
    sources: tuple[tuple[str, float], ...]


@dataclass(frozen=True, slots=True)
class Audience:
    sources: tuple[SourceTraits, ...]  # in SOURCES order, only those configured
    show: ShowShape
    activity: Activity
    funnel: Funnel
    replay: ReplayTraits
    english_share: float
    market_languages: Mapping[str, tuple[tuple[str, float], ...]]
    # "shopper" / "browser" -> shares in SPOKEN_CATEGORIES order
    comment_mix: Mapping[str, tuple[float, ...]]

    def source(self, name: str) -> SourceTraits:
        for traits in self.sources:
            if traits.name == name:
                return traits
        raise SimulationConfigError(f'traffic source "{name}" is not configured')


class Table:
    """A TOML table that names its path in every error."""

    def __init__(self, data: Mapping[str, Any], where: str) -> None:
        self.data = data
        self.where = where

    def table(self, key: str) -> Table:
        value = self.require(key)
        if not isinstance(value, Mapping):
            raise SimulationConfigError(f"{self.where}.{key} is not a table")
        return Table(value, f"{self.where}.{key}")

    def number(self, key: str, *, low: float = 0.0, high: float = float("inf")) -> float:
        value = self.require(key)
        if isinstance(value, bool) or not isinstance(value, int | float) or not (
            low <= value <= high
        ):
            raise SimulationConfigError(
                f"{self.where}.{key} = {value!r} is not a number between {low} and {high}"
            )
        return float(value)

    def flag(self, key: str) -> bool:
        value = self.require(key)
        if not isinstance(value, bool):
            raise SimulationConfigError(f"{self.where}.{key} = {value!r} is not true or false")
        return value

    def shares(self, key: str, names: tuple[str, ...] | None = None) -> dict[str, float]:
        """A table of non-negative weights, normalised to sum to 1."""
        table = self.table(key)
        out = {name: table.number(name) for name in table.data}
        unknown = set(out) - set(names) if names is not None else set()
        if unknown:
            raise SimulationConfigError(
                f"{table.where} has unknown entries {', '.join(sorted(unknown))} "
                f"(known: {', '.join(names or ())})"
            )
        total = sum(out.values())
        if total <= 0:
            raise SimulationConfigError(f"{table.where} has no positive weight")
        return {name: weight / total for name, weight in out.items()}

    def numbers(self, key: str) -> tuple[float, ...]:
        value = self.require(key)
        if not isinstance(value, list) or not value or not all(
            isinstance(v, int | float) and not isinstance(v, bool) and v >= 0 for v in value
        ):
            raise SimulationConfigError(f"{self.where}.{key} is not a list of numbers >= 0")
        return tuple(float(v) for v in value)

    def require(self, key: str) -> Any:
        try:
            return self.data[key]
        except KeyError:
            raise SimulationConfigError(f"{self.where}.{key} is missing") from None


def load_toml(path: Path) -> Table:
    try:
        with path.open("rb") as fh:
            return Table(tomllib.load(fh), path.name)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SimulationConfigError(f"{path} cannot be read: {exc}") from None


def _source(name: str, t: Table) -> SourceTraits:
    arrival = t.shares("arrival", ARRIVAL_SHAPES)
    return SourceTraits(
        name=name,
        share=t.number("share"),
        bounce=t.number("bounce", high=1),
        stay_median_s=t.number("stay_median", low=1 / 60) * 60,
        stay_sigma=t.number("stay_sigma", high=5),
        returning=t.number("returning", high=1),
        loyal=t.flag("loyal"),
        intent=t.number("intent"),
        chat=t.number("chat"),
        arrival=tuple(arrival.get(shape, 0.0) for shape in ARRIVAL_SHAPES),
    )


@cache
def audience() -> Audience:
    root = load_toml(resource("simulate", "audience.toml"))
    sources_table = root.table("sources")
    unknown = set(sources_table.data) - set(SOURCES)
    if unknown:
        raise SimulationConfigError(
            f"{sources_table.where} has unknown sources {', '.join(sorted(unknown))}"
        )
    sources = tuple(
        _source(name, sources_table.table(name)) for name in SOURCES if name in sources_table.data
    )
    show, act, fun, rep = (root.table(k) for k in ("show", "activity", "funnel", "replay"))
    languages = root.table("languages")
    comments = root.table("comments")
    markets_table = languages.table("markets")
    return Audience(
        sources=sources,
        show=ShowShape(
            flash_sales=show.numbers("flash_sales"),
            flash_s=show.number("flash_minutes") * 60,
            flash_rush_s=show.number("flash_rush_seconds", low=1),
            flash_discount=show.number("flash_discount", high=0.95),
            opening_s=show.number("opening_minutes", low=0.1) * 60,
            wave_every_s=show.number("wave_every", low=1) * 60,
            wave_width_s=show.number("wave_width", low=0.1) * 60,
            ads_from=show.number("ads_from", high=1),
            ads_until=show.number("ads_until", high=1),
            pin_every_s=show.number("pin_every", low=0.5) * 60,
            fatigue=show.number("fatigue", high=0.99),
        ),
        activity=Activity(
            comments_per_s=act.number("comments_per_min") / 60,
            likes_per_s=act.number("likes_per_min") / 60,
            chattiness=act.number("chattiness", low=0.01),
            share=act.number("share", high=1),
            follow=act.number("follow", high=1),
            long_s=act.number("long_minutes", low=0.1) * 60,
            rejoin=act.number("rejoin", high=1),
            rejoin_gap_s=act.number("rejoin_gap", low=0.1) * 60,
        ),
        funnel=Funnel(
            click=fun.number("click", high=1),
            click_s=fun.number("click_minutes", low=0.1) * 60,
            extra_clicks=fun.number("extra_clicks"),
            cart=fun.number("cart", high=1),
            order=fun.number("order", high=1),
            pay=fun.number("pay", high=1),
            second_order=fun.number("second_order", high=1),
            flash_boost=fun.number("flash_boost", low=1),
            flash_click=fun.number("flash_click", high=1),
            pinned=fun.number("pinned", high=1),
            flash_pick=fun.number("flash_pick", high=1),
            quantities=fun.numbers("quantities"),
            cart_delay_s=fun.number("cart_delay_seconds", low=1),
            order_delay_s=fun.number("order_delay_seconds", low=1),
            pay_delay_s=fun.number("pay_delay_seconds", low=1),
        ),
        replay=ReplayTraits(
            viewers=rep.number("viewers", high=10),
            delay_s=rep.number("delay_minutes") * 60,
            bounce=rep.number("bounce", high=1),
            completion=rep.number("completion", high=1),
            intent=rep.number("intent"),
            chat=rep.number("chat"),
            sources=tuple(rep.shares("sources", SOURCES).items()),
        ),
        english_share=languages.number("english_share", high=1),
        market_languages={
            code: tuple(markets_table.shares(code).items()) for code in markets_table.data
        },
        comment_mix={
            who: tuple(comments.shares(who, SPOKEN_CATEGORIES).get(c, 0.0)
                       for c in SPOKEN_CATEGORIES)
            for who in ("shopper", "browser")
        },
    )
