"""The one door for background work: a function runs off the GUI thread, and its result or its
error comes back on the GUI thread.

    tasks = Tasks("sessions", parent=self)
    tasks.run(compute, store, session_id, on_done=self._show, on_error=self._failed)

- `run(fn, *args, on_done=, on_error=)`: `fn(*args)` runs on the runner's own worker threads
  (one by default, so a runner's jobs run in the order they were given); `on_done(result)` or
  `on_error(exception)` is then called on the GUI thread. Without `on_error` the error goes to
  the one handler, `report_error`, which logs the traceback and shows the message translated.
- `on_main(callback)`: wraps a callback that a long-lived worker calls from its own thread
  (a progress count, a health update) so that it runs on the GUI thread instead.
- `shutdown(wait)`: no new jobs; the queued ones still run and, with `wait`, are waited for.
  Results that arrive after the runner's QObject is gone are dropped.

Every hop to the GUI thread is a queued Qt signal carrying a frozen dataclass, so no widget is
ever touched from another thread. Long-lived workers (capture, frame reader, live board, demo
audience) are not jobs: they share `studio.core.background.Background` instead.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from studio.ui.errors import report_error

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class _Call:
    """A callback and its argument, to be run on the GUI thread."""

    callback: Callable[[Any], object]
    value: Any


class _Hop(QObject):
    arrived = Signal(object)  # _Call

    def __init__(self, parent: QObject | None) -> None:
        super().__init__(parent)
        self.arrived.connect(self._run)

    def _run(self, call: _Call) -> None:
        call.callback(call.value)


class Tasks(QObject):
    def __init__(self, name: str, *, workers: int = 1, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._executor = ThreadPoolExecutor(workers, thread_name_prefix=f"studio-{name}")
        self._hop = _Hop(self)
        self._closed = False

    def run(self, fn: Callable[..., T], *args: Any,
            on_done: Callable[[T], object] | None = None,
            on_error: Callable[[BaseException], object] | None = None) -> Future[T]:
        future = self._executor.submit(fn, *args)
        future.add_done_callback(lambda done: self._finished(done, on_done, on_error))
        return future

    def on_main(self, callback: Callable[[T], object]) -> Callable[[T], None]:
        """`callback`, callable from any thread, run on the GUI thread."""
        def hop(value: T) -> None:
            self._send(_Call(callback, value))
        return hop

    def shutdown(self, wait: bool = True) -> None:
        self._closed = True
        self._executor.shutdown(wait=wait)

    def _finished(self, future: Future, on_done: Callable | None,
                  on_error: Callable | None) -> None:
        """On the worker thread: hand the outcome to the GUI thread."""
        if future.cancelled():
            return
        error = future.exception()
        if error is None:
            if on_done is not None:
                self._send(_Call(on_done, future.result()))
            return
        self._send(_Call(report_error if on_error is None else on_error, error))

    def _send(self, call: _Call) -> None:
        try:
            self._hop.arrived.emit(call)
        except RuntimeError:  # the QObject is gone: nobody is left to tell
            log.debug("%s: a result arrived after its window closed", self.name)
