"""The Live view: session controls and stream health on the left, the audience on the right."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QSplitter, QVBoxLayout, QWidget

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
from studio.ui.widgets import Banner, sized


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
        self.panels = BoardPanels(headline_inside=False)
        self.banner = Banner()
        self.show_state = sized(QLabel(""), self.font().pointSize() + 2, bold=True)
        self.show_state.setAccessibleName(_("Show state"))
        self.show_state.setIndent(Banner.PADDING)
        # a long segment name is cut at the window's edge (whole in the tooltip), never widens it
        self.show_state.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        top_line = QWidget()  # the show state, and over it the banner when one is up: one line
        stack = QGridLayout(top_line)  # of fixed height, so that neither pushes the view down
        stack.setContentsMargins(0, 0, 0, 0)
        stack.addWidget(self.show_state, 0, 0)
        stack.addWidget(self.banner, 0, 0)  # the later sibling is drawn on top
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.controls)
        left_layout.addWidget(self.capture, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.panels)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 5)
        self._split = split
        self._split_set = False  # set to the stretch factors' proportions when first shown
        layout = QVBoxLayout(self)
        layout.setContentsMargins(9, 4, 9, 4)  # every pixel counts at 1280x800
        layout.setSpacing(4)
        layout.addWidget(top_line)
        layout.addWidget(self.panels.headline)
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

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._split_set:  # alone, the stretch factors follow the panels' size hints
            self._split_set = True
            width = self._split.width()
            self._split.setSizes([width * 2 // 7, width - width * 2 // 7])

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
            self._board(history.view)

    def _stop(self) -> None:
        if self.controller.stop() is not None:
            self.controls.set_on_air(True, busy=True)

    def _started(self, session: Session) -> None:
        self.controls.set_on_air(True)
        self.capture.set_time_zone(market(session.market).tz_name)

    def _stopped(self, _session: Session | None) -> None:
        """Nothing that claims to be live stays: the panels already show the show's final
        figures (the controller sends them before it says stopped)."""
        self.controls.set_on_air(False)
        self._set_show_state("")
        self.banner.end_alert()  # an error about the stop itself stays
        self.capture.show_stopped()

    def _failed(self, error: ControllerError) -> None:
        self.controls.set_on_air(self.controller.on_air)
        self.banner.show_message(error.message)

    def _board(self, view: BoardView) -> None:
        self.panels.show_view(view)
        self._set_show_state(show_state_text(view.show) if view.on_air else "")

    def _set_show_state(self, text: str) -> None:
        self.show_state.setText(text)
        self.show_state.setToolTip(text)

    def _alert(self, alert) -> None:
        tz = market(self.controller.session.market).tz_name if self.controller.session else None
        self.banner.show_message(alert_text(alert, tz), Banner.ALERT_S)
