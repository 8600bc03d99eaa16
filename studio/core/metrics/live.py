"""LiveMetrics: the figures of a session while it runs, updated event by event.

`add()` does a constant amount of work per event (dictionary and set updates), so a busy
second of a show costs well under a millisecond; `snapshot(now)` assembles the figures from
the running state (arrays of the viewers' presence) without touching earlier events again.
Events of a viewer are expected in time order, as a live feed delivers them; within a batch
they are sorted by time (joins before leaves at the same instant, as the batch walk does).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from studio.core.events import Event
from studio.core.metrics.common import ACTIVITY_KINDS, SOURCE_KEYS, STAGE_KINDS, Window
from studio.core.metrics.figures import Audience, SessionFacts, build
from studio.core.metrics.health_figures import pair_incidents
from studio.core.metrics.model import Figures
from studio.core.metrics.presence import PresenceTracker
from studio.core.metrics.prior import Prior
from studio.core.metrics.tallies import CommentTally, SalesLedger, default_classifier
from studio.core.store import HealthSample, Session

_SOURCE_INDEX = {key: i for i, key in enumerate(SOURCE_KEYS)}
_STAGE_OF_KIND = {kind: stage for stage, kind in STAGE_KINDS.items()}
_INCIDENT_KINDS = ("health_incident_start", "health_incident_end")
_ACTIVITY = frozenset(ACTIVITY_KINDS)
_NEVER = float("inf")
_UNKNOWN = _SOURCE_INDEX["unknown"]


class LiveMetrics:
    def __init__(
        self,
        session: Session,
        *,
        classify: Callable[[str], Any] | None = None,
        prior: Prior | None = None,
    ) -> None:
        self.session = session
        self.prior = prior or Prior()
        self._tracker: PresenceTracker | None = None
        # Per viewer code: time and source index of the first join naming a source, and time
        # and flag of the first join carrying is_new, else whether earlier sessions of the
        # account saw the viewer (time +inf: any flag given later wins). Typed arrays indexed
        # by code make snapshot() a matter of copies into numpy.
        self._source_ts = array("d")
        self._source = array("b")
        self._new_ts = array("d")
        self._new = array("b")
        self._stages: dict[str, set[str]] = {stage: set() for stage in STAGE_KINDS}
        self._followers: set[str] = set()
        # Viewers active without a join so far, kept as events come: a set difference over
        # every active viewer at each snapshot cost tens of ms on a 4-hour show.
        self._outsiders: set[str] = set()
        self._comments = CommentTally(classify or default_classifier(session.market))
        self._ledger = SalesLedger()
        self._incident_events: list[tuple[float, str, Any]] = []
        self._samples: list[tuple[float, int | None, int | None]] = []
        self._presence_outside = 0

    def add(self, events: Sequence[Event]) -> None:
        """Takes the events that arrived since the last call."""
        if not events:
            return
        batch = sorted(events, key=lambda e: (e.ts, e.kind == "leave"))
        if self._tracker is None:
            start = self.session.started_at
            self._tracker = PresenceTracker(batch[0].ts if start is None else start,
                                            self.session.ended_at)
        tracker = self._tracker
        ended = self.session.ended_at
        for event in batch:
            kind, viewer, ts = event.kind, event.viewer, event.ts
            if kind == "join" or kind == "leave":
                if ts < tracker.start or (ended is not None and ts > ended):
                    self._presence_outside += 1
                if kind == "leave":
                    tracker.leave(viewer, ts)
                    continue
                self._outsiders.discard(viewer)
                code = tracker.join(viewer, ts)
                if code == len(self._source):  # a viewer's first join
                    self._source_ts.append(_NEVER)
                    self._source.append(_UNKNOWN)
                    self._new_ts.append(_NEVER)
                    self._new.append(viewer not in self.prior.known_viewers)
                index = _SOURCE_INDEX.get(event.source, _UNKNOWN)
                if index != _UNKNOWN and (ts, index) < (self._source_ts[code], self._source[code]):
                    self._source_ts[code] = ts
                    self._source[code] = index
                flag = event.is_new
                if flag is not None and (ts, flag) < (self._new_ts[code], self._new[code]):
                    self._new_ts[code] = ts
                    self._new[code] = flag
            elif kind in _ACTIVITY:
                if viewer not in tracker.codes:  # active before (or without) any join
                    self._outsiders.add(viewer)
                self._activity(event)
            elif kind in _INCIDENT_KINDS:
                self._incident_events.append((ts, kind, event.extra))

    def _activity(self, event: Event) -> None:
        kind, viewer = event.kind, event.viewer
        stage = _STAGE_OF_KIND.get(kind)
        if stage is not None:
            self._stages[stage].add(viewer)
        if kind == "comment":
            self._comments.add(viewer, event.text or "")
        elif kind == "follow":
            self._followers.add(viewer)
        elif kind == "product_click":
            self._ledger.add_clicks(event.sku)
        elif kind == "add_to_cart":
            self._ledger.add_carts(event.sku)
        elif kind == "order":
            self._ledger.add_order(event.order_id, event.sku, event.qty)
        elif kind == "payment" and event.amount is not None and event.currency:
            self._ledger.add_payment(viewer, event.order_id, event.amount, event.currency)

    def add_health_samples(self, samples: Sequence[HealthSample]) -> None:
        self._samples.extend((s.ts, s.received, s.dropped) for s in samples)

    def snapshot(self, now: float) -> Figures:
        """The figures for what has been seen so far, presences still open closing at `now`
        (or at the session's end, when it has one and `now` is past it)."""
        tracker = self._tracker
        start = tracker.start if tracker else (self.session.started_at or now)
        end = now if self.session.ended_at is None else min(now, self.session.ended_at)
        window = Window(start, end)
        if tracker is None:
            tracker = PresenceTracker(start, self.session.ended_at)
        presence = tracker.presence(window)
        codes = tracker.codes
        n = len(codes)
        source = np.array(self._source, dtype=np.int64)
        new = np.array(self._new, dtype=bool)
        paid = np.zeros(n, dtype=bool)
        paid[[codes[v] for v in self._stages["paid"] if v in codes]] = True
        facts = SessionFacts(
            session=self.session,
            window=window,
            audience=Audience(presence, source, new, paid),
            stages={stage: len(viewers) for stage, viewers in self._stages.items()},
            followers=len(self._followers),
            outsiders=len(self._outsiders),
            presence_outside=self._presence_outside,
            comments=self._comments,
            ledger=self._ledger,
            samples=sorted(self._samples),
            incidents=pair_incidents(self._incident_events, window),
            prior=self.prior,
        )
        return build(facts)
