"""The one door for background work: a function runs off the GUI thread, and its result or its
error comes back on the GUI thread.

    tasks = Tasks("sessions", parent=self)
    tasks.run(compute, store, session_id, on_done=self._show, on_error=self._failed)

- `run(fn, *args, on_done=, on_error=)`: `fn(*args)` runs on the runner's own worker threads
  (one by default, so a runner's jobs run in the order they were given); `on_done(result)` or
  `on_error(exception)` is then called on the GUI thread. Without `on_error` the error goes to
  the one handler, `report_error`, which logs the traceback and shows the message translated;
  a caller that shows the error in place instead passes `on_error` and logs it with
  `studio.ui.errors.shown_in_place`.
- `on_main(callback)`: wraps a callback that a long-lived worker calls from its own thread
  (a progress count, a health update, a board view) so that it runs on the GUI thread instead.
- `shutdown(wait, cancel)`: no new jobs. The queued ones still run and, with `wait`, are waited
  for; with `cancel` (a view closing) the queued ones never start and nothing more is
  delivered. Results that arrive after the runner's QObject is gone are dropped.

Every hop to the GUI thread is a queued Qt signal carrying a frozen dataclass, so no widget is
ever touched from another thread, and a callback never runs inside the call that asked for it,
even when the work was done at once. Long-lived workers (capture, frame reader, live board,
demo audience) are not jobs: they share `studio.core.background.Background` instead.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, Signal

from studio.ui.errors import report_error

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class _Call:
    """A callback and its arguments, to be run on the GUI thread."""

    callback: Callable[..., object]
    args: tuple[Any, ...]


class Tasks(QObject):
    _arrived = Signal(object)  # _Call

    def __init__(self, name: str, *, workers: int = 1, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._executor = ThreadPoolExecutor(workers, thread_name_prefix=f"studio-{name}")
        self._cancelled = False
        self._arrived.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def run(self, fn: Callable[..., T], *args: Any,
            on_done: Callable[[T], object] | None = None,
            on_error: Callable[[BaseException], object] | None = None) -> Future[T]:
        future = self._executor.submit(fn, *args)
        future.add_done_callback(lambda done: self._finished(done, on_done, on_error))
        return future

    def on_main(self, callback: Callable[..., object]) -> Callable[..., None]:
        """`callback`, callable from any thread, run on the GUI thread with the same
        arguments."""
        def hop(*args: Any) -> None:
            self._send(_Call(callback, args))
        return hop

    def shutdown(self, wait: bool = True, *, cancel: bool = False) -> None:
        if cancel:
            self._cancelled = True
        self._executor.shutdown(wait=wait, cancel_futures=cancel)

    def _finished(self, future: Future, on_done: Callable | None,
                  on_error: Callable | None) -> None:
        """On the worker thread: hand the outcome to the GUI thread."""
        if future.cancelled():
            return
        error = future.exception()
        if error is None:
            if on_done is not None:
                self._send(_Call(on_done, (future.result(),)))
            return
        self._send(_Call(report_error if on_error is None else on_error, (error,)))

    def _send(self, call: _Call) -> None:
        try:
            self._arrived.emit(call)
        except RuntimeError:  # the QObject is gone: nobody is left to tell
            log.debug("%s: a result arrived after its window closed", self.name)

    def _deliver(self, call: _Call) -> None:
        """On the GUI thread."""
        if not self._cancelled:
            call.callback(*call.args)
