"""Relay: how a result made on a worker thread reaches the GUI thread.

Workers call `relay.send(obj)` with a frozen dataclass from any thread; Qt queues the signal
to the relay's own (GUI) thread, where connected slots run. No widget is touched elsewhere.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class Relay(QObject):
    arrived = Signal(object)

    def send(self, payload: object) -> None:
        self.arrived.emit(payload)
