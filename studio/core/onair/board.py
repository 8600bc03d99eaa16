"""LiveBoard: everything the live view shows, kept up to date from the session's new events.

It wraps LiveMetrics (the figures of docs/metrics.md) with what only the show floor needs: the
host's markers and the show state they imply, the open questions, and incidents escalated
because a sale was exposed. `add()` takes the events that landed since the last call (from an
EventFollower); `view(now)` returns a frozen BoardView for the screen. The same BoardView is
made after the fact for a finished session (`review_view`), so one set of widgets shows both.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from studio.core.comments import classifier_for
from studio.core.events import Event
from studio.core.metrics import LiveMetrics, compute, load_prior
from studio.core.metrics.model import Figures
from studio.core.onair.markers import ShowState
from studio.core.onair.questions import Question, QuestionBoard
from studio.core.onair.risk import RiskAlert, RiskWatch
from studio.core.store import Session, Store


@dataclass(frozen=True, slots=True)
class BoardView:
    session: Session
    now: float
    figures: Figures
    markers: tuple[tuple[float, str], ...]  # (ts, label), in time order
    show: ShowState
    questions: Mapping[str, tuple[Question, ...]] = field(default_factory=dict)
    next_question: Question | None = None
    alerts: tuple[RiskAlert, ...] = ()  # every escalated incident so far
    events: int = 0  # events seen
    # The show is running: its figures are "so far" and "now". A session read back from the
    # database is not, even without an end time (an import, a show that was never ended).
    on_air: bool = False


class LiveBoard:
    def __init__(self, store: Store, session: Session) -> None:
        self.session = session
        classifier = classifier_for(session.market)
        self._metrics = LiveMetrics(session, classify=classifier.classify,
                                    prior=load_prior(store, session))
        self._questions = QuestionBoard(classifier.classify)
        self._risk = RiskWatch()
        self._markers: list[tuple[float, str]] = []
        self._events = 0

    def add(self, events: Sequence[Event]) -> list[RiskAlert]:
        """Takes newly landed events; returns the alerts they raised."""
        if not events:
            return []
        self._metrics.add(events)
        self._questions.add(events)
        raised = self._risk.see(events)
        self._markers += [(e.ts, e.label) for e in events if e.kind == "marker" and e.label]
        self._markers.sort()
        self._events += len(events)
        return raised

    def answer(self, key: str) -> None:
        self._questions.answer(key)

    def view(self, now: float) -> BoardView:
        return BoardView(
            session=self.session,
            now=now,
            figures=self._metrics.snapshot(now),
            markers=tuple(self._markers),
            show=self._risk.state,
            questions=self._questions.open_questions(),
            next_question=self._questions.next_question(),
            alerts=tuple(self._risk.alerts),
            events=self._events,
            on_air=self.session.ended_at is None or now < self.session.ended_at,
        )


def review_view(store: Store, session_id: int, figures: Figures | None = None) -> BoardView:
    """A finished (or any) session's BoardView, from the database: compute() for the figures
    (unless the caller has them), and the latest questions of each category."""
    session = store.session(session_id)
    figures = figures if figures is not None else compute(store, session_id)
    watched = store.events(session_id, ["marker", "health_incident_start"])
    markers = [(e.ts, e.label or "") for e in watched if e.kind == "marker"]
    risk = RiskWatch()
    risk.see(watched)
    questions = QuestionBoard(classifier_for(session.market).classify)
    questions.add(store.events(session_id, ["comment"]))
    end = figures.session.end or session.ended_at or 0.0
    return BoardView(session=session, now=end, figures=figures, markers=tuple(markers),
                     show=risk.state, questions=questions.open_questions(),
                     next_question=questions.next_question(), alerts=tuple(risk.alerts),
                     events=store.event_count(session_id))
