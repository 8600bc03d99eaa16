"""The capture monitor's records in the session database: health events and 1 Hz samples.

Incidents, status changes, resolution changes and reconnects become `Event` records of the
health kinds (studio.core.events.HEALTH_KINDS) with their details in `extra`; each carries a
stable `id` so that writing the same change twice adds nothing. Samples go to the
health_samples table.

The capture thread must never wait for the database, so writes are queued with ``block=False``:
when the writer is busy, the records stay here and go out on the next ``flush()``. The backlog
is bounded: if the database is gone for good (closed, disk unplugged), the oldest samples and
then the oldest events are given up, with a warning in the log that says how many.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Iterable
from concurrent.futures import Future, wait
from dataclasses import dataclass

from studio.core.events import Event
from studio.core.health import (
    HealthChange,
    IncidentEnded,
    IncidentStarted,
    ResolutionChanged,
    StatusChanged,
)
from studio.core.message import Message
from studio.core.store import HealthSample, Store, StoreError, WriterBusy

log = logging.getLogger(__name__)

_BATCH = 500  # records per write: one transaction stays short


@dataclass(frozen=True, slots=True)
class ReconnectAttempt:
    ts: float  # session time (Unix seconds) of the attempt
    attempt: int  # 1, 2, ... since the signal was lost; back to 1 after a success
    ok: bool
    error: Message | str | None = None  # why it failed, for the user


def _size(size: tuple[int, int]) -> str:
    return f"{size[0]}x{size[1]}"


def _ms(t: float) -> int:
    return round(t * 1000)


def health_event(change: HealthChange) -> Event:
    """One analyzer change as an event of the session log."""
    if isinstance(change, IncidentStarted | IncidentEnded):
        incident = change.incident
        started = isinstance(change, IncidentStarted)
        ts = incident.start if started or incident.end is None else incident.end
        return Event(
            ts=ts,
            kind="health_incident_start" if started else "health_incident_end",
            id=f"health:{incident.incident_id}:{'start' if started else 'end'}",
            extra={"incident": incident.kind, "incident_id": incident.incident_id},
        )
    if isinstance(change, StatusChanged):
        return Event(
            ts=change.t,
            kind="health_status",
            id=f"health:status-{_ms(change.t)}:{change.new.value}",
            extra={"status": change.new.value, "reason": ",".join(change.reasons)},
        )
    if isinstance(change, ResolutionChanged):
        return Event(
            ts=change.t,
            kind="health_resolution",
            id=f"health:resolution-{_ms(change.t)}:{_size(change.new)}",
            extra={"old": _size(change.old), "new": _size(change.new)},
        )
    raise TypeError(f"not a health change: {change!r}")


def reconnect_event(attempt: ReconnectAttempt) -> Event:
    extra: dict[str, object] = {"attempt": attempt.attempt, "ok": attempt.ok}
    if attempt.error:
        extra["error"] = str(attempt.error)  # the log keeps the English
    return Event(
        ts=attempt.ts,
        kind="health_reconnect",
        id=f"health:reconnect-{_ms(attempt.ts)}:{attempt.attempt}",
        extra=extra,
    )


class HealthLog:
    """Queues the monitor's records for one session and writes them without ever blocking.

    Call ``flush()`` regularly (the worker does, several times a second) and ``close()`` at the end.
    Not thread-safe: one capture worker owns it.
    """

    def __init__(self, store: Store, session_id: int, *, max_backlog: int = 20_000) -> None:
        if max_backlog < 1:
            raise ValueError(f"max_backlog must be at least 1, got {max_backlog}")
        self.store = store
        self.session_id = session_id
        self.max_backlog = max_backlog
        self._events: deque[Event] = deque()
        self._samples: deque[HealthSample] = deque()
        self._in_flight: list[tuple[Future, int]] = []  # (write, how many records)
        self.lost = 0  # records given up because the backlog was full
        self.failed = 0  # records the database refused (reported in the log)
        self._store_gone = False

    @property
    def backlog(self) -> int:
        """Records waiting to be handed to the database writer."""
        return len(self._events) + len(self._samples)

    def changes(self, changes: Iterable[HealthChange]) -> None:
        self._events.extend(health_event(c) for c in changes)
        self._bound()

    def reconnect(self, attempt: ReconnectAttempt) -> None:
        self._events.append(reconnect_event(attempt))
        self._bound()

    def sample(self, sample: HealthSample) -> None:
        self._samples.append(sample)
        self._bound()

    def flush(self) -> None:
        """Hand what waits to the writer, as far as it takes it now; never waits."""
        self._harvest()
        try:
            while self._events:
                batch = [self._events[i] for i in range(min(_BATCH, len(self._events)))]
                self._track(self.store.add_events(self.session_id, batch, block=False), batch)
                for _ in batch:
                    self._events.popleft()
            while self._samples:
                rows = [self._samples[i] for i in range(min(_BATCH, len(self._samples)))]
                self._track(self.store.add_health_samples(self.session_id, rows, block=False),
                            rows)
                for _ in rows:
                    self._samples.popleft()
        except WriterBusy:
            return  # try again on the next tick
        except StoreError as exc:  # closed: nothing will take them; keep them, within bounds
            if not self._store_gone:
                log.warning("capture health log: the database cannot be written (%s); "
                            "keeping up to %d records", exc, self.max_backlog)
            self._store_gone = True
            return
        self._store_gone = False

    def close(self, timeout: float = 5.0) -> int:
        """Flush and wait for the commits, for at most `timeout` seconds. Returns how many
        records are not known to be written (also logged)."""
        deadline = time.monotonic() + timeout
        while self.backlog and not self._store_gone and time.monotonic() < deadline:
            self.flush()
            if self.backlog:
                time.sleep(0.02)
        for future, _ in self._in_flight:
            wait([future], timeout=max(0.0, deadline - time.monotonic()))
        self._harvest()
        left = self.backlog + sum(count for _, count in self._in_flight)
        if left:
            log.warning("capture health log: %d records for session %d could not be written",
                        left, self.session_id)
        return left

    def _track(self, future: Future, records: list) -> None:
        self._in_flight.append((future, len(records)))

    def _harvest(self) -> None:
        """Forget committed writes; report the ones the database refused."""
        waiting = []
        for future, count in self._in_flight:
            if not future.done():
                waiting.append((future, count))
            elif future.exception() is not None:
                self.failed += count
                log.error("capture health log: %d records for session %d were refused: %s",
                          count, self.session_id, future.exception())
        self._in_flight = waiting

    def _bound(self) -> None:
        """Give up the oldest samples, then the oldest events, beyond max_backlog."""
        excess = self.backlog - self.max_backlog
        if excess <= 0:
            return
        if self.lost == 0:
            log.warning("capture health log: the database is not keeping up; dropping the "
                        "oldest health records beyond %d", self.max_backlog)
        for queue in (self._samples, self._events):
            while excess > 0 and queue:
                queue.popleft()
                excess -= 1
                self.lost += 1
