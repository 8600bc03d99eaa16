"""Background: one daemon thread running `_run` until it returns or a stop is asked for.

Every long-lived worker (the capture worker, its frame reader, the live board, the demo
audience) shares this control surface, so that starting, stopping and joining mean the same
everywhere. `_run` checks or waits on `self._stop` (an Event), so that a stop cuts its waits
short. One-off jobs from the window go through `studio.ui.tasks` instead.
"""

from __future__ import annotations

import threading


class Background:
    #: How long stop() waits for the thread by default (seconds).
    stop_timeout: float = 5.0

    def __init__(self, name: str) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def _run(self) -> None:
        raise NotImplementedError

    def start(self) -> None:
        self._thread.start()

    def request_stop(self) -> None:
        """Ask it to stop without waiting (what it already produced can still be read)."""
        self._stop.set()

    @property
    def stopping(self) -> bool:
        """A stop was asked for (or the worker set the flag itself on finishing)."""
        return self._stop.is_set()

    def stop(self, timeout: float | None = None) -> bool:
        """Ask it to stop and wait for it (at most `timeout` seconds, by default
        `stop_timeout`); returns whether it has finished. From the worker's own thread (a
        listener that stops it) it only asks."""
        self._stop.set()
        if self._thread.ident is None or self._thread is threading.current_thread():
            return not self._thread.is_alive()
        self._thread.join(self.stop_timeout if timeout is None else timeout)
        return not self._thread.is_alive()

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    def is_alive(self) -> bool:
        return self._thread.is_alive()
