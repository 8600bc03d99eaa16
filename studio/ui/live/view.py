"""The Live view: session controls and stream health on the left, the audience on the right."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from studio.core.markets import market
from studio.core.onair.board import BoardView
from studio.core.onair.markers import ShowState
from studio.core.store import Session
from studio.i18n import _
from studio.ui.live.board_panels import BoardPanels
from studio.ui.live.capture_panel import CapturePanel
from studio.ui.live.controller import ControllerError, LiveController
from studio.ui.live.controls import SessionControls
from studio.ui.live.flags_panel import alert_text
from studio.ui.widgets import Banner


def show_state_text(state: ShowState) -> str:
    """What the markers say now: pinned product, flash sale, segment (the Unpin hotkey and the
    flash-sale end are how the host clears them)."""
    parts = []
    if state.pinned:
        parts.append(_("Pinned: {sku}").format(sku=state.pinned))
    if state.flash_sale:
        parts.append(_("Flash sale running"))
    if state.segment:
        parts.append(_("Segment: {name}").format(name=state.segment))
    return " · ".join(parts)


class LiveView(QWidget):
    def __init__(self, controller: LiveController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.controls = SessionControls()
        self.capture = CapturePanel()
        self.panels = BoardPanels()
        self.banner = Banner()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.controls)
        self.show_state = QLabel("")
        self.show_state.setWordWrap(True)
        self.show_state.setAccessibleName(_("Show state"))
        left_layout.addWidget(self.show_state)
        left_layout.addWidget(self.capture, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.panels)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 5)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(split, 1)

        self.controls.start_requested.connect(self._start)
        self.controls.stop_requested.connect(self._stop)
        controller.started.connect(self._started)
        controller.stopped.connect(self._stopped)
        controller.failed.connect(self._failed)
        controller.health.connect(self.capture.show_update)
        controller.preview.connect(self.capture.show_preview)
        controller.board.connect(self._board)
        controller.alert.connect(self._alert)
        self.panels.interaction.answered.connect(controller.answer)

    def toggle_session(self) -> None:
        if self.controller.on_air:
            self._stop()
        elif not self.controller.busy:
            self._start(self.controls.request())

    def _start(self, request) -> None:
        if self.controller.start(request) is None:  # already on air, or starting
            return
        self.banner.dismiss()
        self.capture.clear()
        self.controls.set_on_air(False, busy=True)

    def resume(self) -> None:
        """A new view over a controller that may be on air: show the show as it stands."""
        controller, history = self.controller, self.controller.history
        self.controls.set_on_air(controller.on_air, busy=controller.busy)
        if controller.session is None:
            return
        self._started(controller.session)
        self.controls.set_on_air(True, busy=controller.busy)
        self.capture.show_incidents(history.incidents)
        if history.latest is not None:
            self.capture.show_update(history.latest)
            if history.latest.preview is not None:
                self.capture.show_preview(history.latest.preview)
        if history.view is not None:
            self.panels.show_view(history.view)

    def _stop(self) -> None:
        if self.controller.stop() is not None:
            self.controls.set_on_air(True, busy=True)

    def _started(self, session: Session) -> None:
        self.controls.set_on_air(True)
        self.capture.set_time_zone(market(session.market).tz_name)

    def _stopped(self, _session: Session | None) -> None:
        self.controls.set_on_air(False)

    def _failed(self, error: ControllerError) -> None:
        self.controls.set_on_air(self.controller.on_air)
        self.banner.show_message(error.message)

    def _board(self, view: BoardView) -> None:
        self.panels.show_view(view)
        self.show_state.setText(show_state_text(view.show))

    def _alert(self, alert) -> None:
        tz = market(self.controller.session.market).tz_name if self.controller.session else None
        self.banner.show_message(alert_text(alert, tz), Banner.ALERT_S)
