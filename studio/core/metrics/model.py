"""The figures of docs/metrics.md as a tree of frozen dataclasses with named fields.

`Figures` is what `compute()` and `LiveMetrics.snapshot()` return and what the window and the
command line read, attribute by attribute, so that a renamed figure breaks where it is read
instead of showing a blank. `to_json()` gives the JSON object of docs/metrics.md, key for key
and in the same order: `studio metrics --json` and the ingest endpoint print it.

A field's name is its key in the JSON. Three groups are nested here but flat in the JSON
(`traffic`, `interaction`, `sales`: docs/metrics.md lists their figures at the top level),
and `undecided` is in the JSON only on air. Figures keyed by data rather than by name stay
mappings: `sources` by traffic source, `comment_mix` by category, money by currency.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from studio.core.message import Message
from studio.core.metrics.common import FUNNEL_STAGES, FUNNEL_STEPS

# Field metadata: merged into the parent's JSON object / left out of it when None.
_FLAT = {"flat": True}
_ONLY_IF_GIVEN = {"only_if_given": True}


def _json(value: Any, render: Callable[[Message], str]) -> Any:
    if isinstance(value, Node):
        return value.to_json(render)
    if isinstance(value, Mapping):
        return {key: _json(item, render) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return [_json(item, render) for item in value]
    if isinstance(value, Message):
        return render(value)
    return value


class Node:
    """A part of the figures: `to_json()` makes its JSON object from its fields, in order."""

    __slots__ = ()

    def to_json(self, render: Callable[[Message], str] = str) -> dict[str, Any]:
        """`render` writes a sentence (a flag's, a warning's) in the reader's language; by
        default the English."""
        out: dict[str, Any] = {}
        for f in fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if f.metadata.get("flat"):
                out.update(value.to_json(render))
            elif value is not None or not f.metadata.get("only_if_given"):
                out[f.name] = _json(value, render)
        return out


Money = Mapping[str, float | None]  # per currency code


@dataclass(frozen=True, slots=True)
class SessionInfo(Node):
    id: int
    market: str
    platform: str | None
    account: str | None
    mode: str
    replay_of: int | None
    start: float
    end: float
    duration_s: float | None


@dataclass(frozen=True, slots=True)
class Traffic(Node):
    viewers: int
    effective_ratio: float | None
    bounce_rate: float | None
    new_viewer_ratio: float | None
    returning_ratio: float | None
    avg_dwell_s: float | None
    peak_concurrent: int
    avg_concurrent: float | None


@dataclass(frozen=True, slots=True)
class Undecided(Node):
    """On air: viewers still in the room who have not yet stayed long enough to be decided."""

    effective_ratio: int
    bounce_rate: int


@dataclass(frozen=True, slots=True)
class SourceFigures(Node):
    viewers: int
    effective_ratio: float | None
    bounce_rate: float | None
    payers: int
    conversion: float | None


@dataclass(frozen=True, slots=True)
class Interaction(Node):
    comment_rate: float | None
    question_rate: float | None
    follow_rate: float | None
    comments: int
    comment_mix: Mapping[str, float | None]  # per category, in CATEGORIES order


@dataclass(frozen=True, slots=True)
class FunnelRates(Node):
    click: float | None
    cart: float | None
    order: float | None
    pay: float | None
    overall: float | None

    def steps(self) -> tuple[float | None, ...]:
        """The step rates in FUNNEL_STEPS order (each stage over the one before it)."""
        return (self.click, self.cart, self.order, self.pay)


@dataclass(frozen=True, slots=True)
class Diagnosis(Node):
    step: str  # one of FUNNEL_STEPS
    rate: float
    basis: str  # "earlier_sessions" or "steps"
    median: float | None
    sessions_compared: int
    below_median: bool | None
    code: str


@dataclass(frozen=True, slots=True)
class Funnel(Node):
    viewers: int
    clicked: int
    carted: int
    ordered: int
    paid: int
    rates: FunnelRates
    diagnosis: Diagnosis | None

    def counts(self) -> tuple[int, ...]:
        """The stages' distinct viewers in FUNNEL_STAGES order."""
        return (self.viewers, self.clicked, self.carted, self.ordered, self.paid)

    def base(self, step: str) -> int:
        """The viewers a step's rate is a share of: the stage before it."""
        return self.counts()[FUNNEL_STEPS.index(step)]


assert len(FUNNEL_STAGES) == len(FUNNEL_STEPS) + 1


@dataclass(frozen=True, slots=True)
class ProductFigures(Node):
    sku: str | None
    clicks: int
    carts: int
    orders: int
    paid_units: int
    gmv: Mapping[str, float]


@dataclass(frozen=True, slots=True)
class Sales(Node):
    gmv: Mapping[str, float]  # per currency code
    paid_orders: int
    payers: int
    aov: Money
    gpm: Money
    top_buyer_share: Money
    products: tuple[ProductFigures, ...]


@dataclass(frozen=True, slots=True)
class RetentionCurve(Node):
    """S(t) as step points (t, S(t)): one at t = 0 and one wherever S changes; S holds up to
    the next point and on to max_dwell_s, then is 0 once the show is over (unknown on air)."""

    step_s: int
    max_dwell_s: float | None
    points: tuple[tuple[int, float], ...]

    def share_at(self, t: float) -> float | None:
        """S(t), the share of viewers who stayed at least t seconds."""
        if not self.points:
            return None
        if self.max_dwell_s is not None and t > self.max_dwell_s:
            return 0.0
        share = self.points[0][1]
        for at, value in self.points:
            if at > t:
                break
            share = value
        return share


@dataclass(frozen=True, slots=True)
class Concurrency(Node):
    """Mean viewers present in each bucket of bucket_s seconds from `start`."""

    start: float
    bucket_s: int
    viewers: tuple[float, ...]

    @property
    def latest(self) -> float | None:
        """The viewers of the last bucket: on air, the room now."""
        return self.viewers[-1] if self.viewers else None


@dataclass(frozen=True, slots=True)
class Replay(Node):
    completion_rate: float | None
    conversion: float | None
    live_conversion: float | None
    live_session: int | None
    length_s: float | None


@dataclass(frozen=True, slots=True)
class Incident(Node):
    """A health incident from its start to its end (the session's end when still open)."""

    id: str | None
    kind: str  # one of health_figures.INCIDENT_KINDS
    start: float
    end: float
    duration_s: float


@dataclass(frozen=True, slots=True)
class ViewerLoss(Node):
    incident_id: str | None
    kind: str
    start: float
    leaves_60s: int
    mean_leaves_60s: float | None
    times_mean: float | None


@dataclass(frozen=True, slots=True)
class Health(Node):
    dropped_frames: int | None
    drop_ratio: float | None
    freeze_s: float
    black_s: float
    low_res_s: float
    signal_lost_s: float
    incidents: tuple[Incident, ...]
    viewer_loss: tuple[ViewerLoss, ...]

    def seconds_in(self, kind: str) -> float:
        """The seconds spent in incidents of `kind` (one of INCIDENT_KINDS)."""
        return getattr(self, f"{kind}_s")


@dataclass(frozen=True, slots=True)
class Flag(Node):
    """A figure outside its reference: `code` names it, `params` fill its sentence."""

    code: str
    figure: str  # the figure's path in the JSON, e.g. "funnel.rates.cart"
    value: Any
    reference: Message
    params: Mapping[str, Any]
    message: Message  # in the JSON: the English sentence


@dataclass(frozen=True, slots=True)
class DataWarning(Node):
    """The log is not what it should be (the figures stand): `count` events or viewers."""

    code: str
    count: int
    params: Mapping[str, Any]
    message: Message  # in the JSON: the English sentence


@dataclass(frozen=True, slots=True)
class Figures(Node):
    """Every figure of docs/metrics.md for one session, after the show or so far on air."""

    session: SessionInfo
    traffic: Traffic = field(metadata=_FLAT)
    undecided: Undecided | None = field(metadata=_ONLY_IF_GIVEN)  # on air only
    sources: Mapping[str, SourceFigures]  # per traffic source, in SOURCE_KEYS order
    interaction: Interaction = field(metadata=_FLAT)
    funnel: Funnel
    sales: Sales = field(metadata=_FLAT)
    retention_curve: RetentionCurve
    concurrency: Concurrency
    replay: Replay
    health: Health
    flags: tuple[Flag, ...]
    warnings: tuple[DataWarning, ...]
