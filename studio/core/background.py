"""Run an iterator on a worker thread, a few items ahead of its consumer.

The import parses rows in Python while SQLite inserts the previous batch: sqlite3 releases the
GIL inside sqlite3_step, so on two cores the two overlap instead of taking turns.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import TypeVar

T = TypeVar("T")

_DONE = object()


class _Failure:
    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


def background(items: Iterator[T], *, depth: int = 4, name: str = "background") -> Iterator[T]:
    """Yield what `items` yields, produced on another thread at most `depth` items ahead.

    An exception in the producer is raised in the consumer. Stopping early (closing this
    generator, or an exception in the consumer) stops the producer before the next item.
    """
    handoff: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                handoff.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put(item):
                    return
            put(_DONE)
        except BaseException as exc:
            put(_Failure(exc))

    worker = threading.Thread(target=produce, name=name, daemon=True)
    worker.start()
    try:
        while True:
            item = handoff.get()
            if item is _DONE:
                return
            if isinstance(item, _Failure):
                raise item.exc
            yield item
    finally:
        stop.set()
        worker.join()
