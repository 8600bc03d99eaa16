"""Background: one daemon thread running `_run` until it returns or `stop()` is called.

The plain-thread workers (the demo audience, the live board) share this control surface;
`_run` waits on `self._stop` (an Event) so that stop() cuts its waits short.
"""

from __future__ import annotations

import threading


class Background:
    def __init__(self, name: str) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def _run(self) -> None:
        raise NotImplementedError

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Ask it to stop and wait for it (at most `timeout` seconds)."""
        self._stop.set()
        if self._thread.ident is not None:
            self._thread.join(timeout)

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    def is_alive(self) -> bool:
        return self._thread.is_alive()
