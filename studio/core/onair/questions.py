"""QuestionBoard: the latest viewer questions nobody has answered yet, grouped by category.

Cross-border viewers ask about shipping, returns, payment and customs before they buy; the host
must see those doubts at once, not scroll for them. A question counts as answered when the host
dismisses it; the board keeps only the most recent ones per category.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from studio.core.comments import Classification
from studio.core.comments.rules import CATEGORIES
from studio.core.events import Event

# Order of the groups on screen: the doubts that block a cross-border purchase first.
GROUP_ORDER = ("logistics", "price", "product", "usage", "other", "chitchat")
assert set(GROUP_ORDER) == set(CATEGORIES)


@dataclass(frozen=True, slots=True)
class Question:
    key: str  # stable: the event id, else time + viewer + text
    ts: float
    viewer: str | None
    text: str
    category: str


class QuestionBoard:
    def __init__(self, classify: Callable[[str], Classification], *, per_group: int = 20) -> None:
        self._classify = classify
        self._per_group = per_group
        self._groups: dict[str, OrderedDict[str, Question]] = {
            c: OrderedDict() for c in GROUP_ORDER
        }
        self._answered: set[str] = set()

    def add(self, events: Iterable[Event]) -> None:
        for event in events:
            if event.kind != "comment" or not event.text:
                continue
            result = self._classify(event.text)
            if not result.is_question:
                continue
            key = event.id or f"{event.ts}:{event.viewer}:{event.text}"
            if key in self._answered:
                continue
            group = self._groups[result.category]
            group[key] = Question(key, event.ts, event.viewer, event.text, result.category)
            while len(group) > self._per_group:
                group.popitem(last=False)

    def answer(self, key: str) -> None:
        self._answered.add(key)
        for group in self._groups.values():
            group.pop(key, None)

    def open_questions(self) -> dict[str, tuple[Question, ...]]:
        """Per category (GROUP_ORDER), newest first."""
        return {c: tuple(reversed(g.values())) for c, g in self._groups.items()}

    def next_question(self) -> Question | None:
        """The one for the compact window: the newest logistics doubt, else the newest
        question about the sale, else the newest of the small talk."""
        groups = self.open_questions()
        if groups["logistics"]:
            return groups["logistics"][0]
        for wanted in ([c for c in GROUP_ORDER if c != "chitchat"], ["chitchat"]):
            newest = [groups[c][0] for c in wanted if groups[c]]
            if newest:
                return max(newest, key=lambda q: q.ts)
        return None
