"""The host's marker hotkeys: pin product, flash sale start/end, segment start, custom label.

Each writes a `marker` event into the session on air; the board worker picks it up and every
timeline shows it. Keys are single presses the host can hit without looking (Ctrl+1..5).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from studio.core.onair.markers import (
    FLASH_END,
    FLASH_START,
    UNPIN,
    MarkerError,
    pin_label,
    segment_label,
)
from studio.i18n import _
from studio.ui.actions import make_action
from studio.ui.live.controller import LiveController


class MarkerActions:
    def __init__(self, controller: LiveController, parent: QWidget) -> None:
        self.controller = controller
        self.parent = parent
        self.last_sku = ""
        self.actions: list[QAction] = [
            self._action(_("Pin product…"), "Ctrl+1", self._pin),
            self._action(_("Flash sale starts"), "Ctrl+2", lambda: self.mark(FLASH_START)),
            self._action(_("Flash sale ends"), "Ctrl+3", lambda: self.mark(FLASH_END)),
            self._action(_("Segment starts…"), "Ctrl+4", self._segment),
            self._action(_("Custom marker…"), "Ctrl+5", self._custom),
            self._action(_("Unpin product"), "Ctrl+6", lambda: self.mark(UNPIN)),
        ]
        self.set_enabled(False)
        controller.started.connect(lambda _s: self.set_enabled(True))
        controller.stopped.connect(lambda _s: self.set_enabled(False))

    def _action(self, text: str, keys: str, slot: Callable[[], None]) -> QAction:
        # App-wide: also while the compact on-air window has the focus.
        action = make_action(self.parent, text, slot, keys=keys, app_wide=True)
        self.parent.addAction(action)
        return action

    def set_enabled(self, enabled: bool) -> None:
        for action in self.actions:
            action.setEnabled(enabled)

    def mark(self, label: str) -> bool:
        if not self.controller.on_air:
            return False
        try:
            self.controller.add_marker(label)
        except MarkerError:
            QMessageBox.warning(self.parent, _("Marker"),
                                _("A marker needs a label of 1 to 200 characters."))
            return False
        return True

    def _ask(self, title: str, prompt: str, text: str = "") -> str | None:
        value, ok = QInputDialog.getText(self.parent, title, prompt, text=text)
        return value if ok else None

    def _pin(self) -> None:
        sku = self._ask(_("Pin product"), _("Product (SKU):"), self.last_sku)
        if sku is None:
            return
        if not sku.strip():
            QMessageBox.warning(self.parent, _("Marker"), _("Enter the product's SKU to pin it."))
            return
        if self.mark(pin_label(sku)):
            self.last_sku = sku.strip()

    def _segment(self) -> None:
        name = self._ask(_("Segment starts"), _("Segment name:"))
        if name is None:
            return
        if not name.strip():
            QMessageBox.warning(self.parent, _("Marker"), _("Enter the segment's name."))
            return
        self.mark(segment_label(name))

    def _custom(self) -> None:
        label = self._ask(_("Custom marker"), _("Label:"))
        if label is not None:
            self.mark(label)
