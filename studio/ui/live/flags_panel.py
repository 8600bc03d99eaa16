"""Flags: every figure outside its reference, with one sentence of what to look at, and the
alerts raised when an incident hit while a sale was exposed."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from studio.core.metrics.model import Figures, Flag
from studio.core.onair.risk import RiskAlert
from studio.i18n import _
from studio.i18n.format import clock
from studio.i18n.render import render
from studio.ui.health_text import incident_name
from studio.ui.widgets import heading


def flag_text(flag: Flag) -> str:
    """The flag's sentence (core's Message) in the interface language."""
    return render(flag.message)


def alert_text(alert: RiskAlert, tz: str | None = None) -> str:
    if alert.flash_sale:
        return _("Revenue at risk: {incident} at {time} during a flash sale").format(
            incident=incident_name(alert.incident), time=clock(alert.started, tz))
    return _("Revenue at risk: {incident} at {time} while {sku} was pinned").format(
        incident=incident_name(alert.incident), time=clock(alert.started, tz), sku=alert.pinned)


class FlagsPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setAccessibleName(_("Flags"))
        self.list.setMinimumHeight(3 * self.list.fontMetrics().lineSpacing() + 8)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 0, 0)
        layout.addWidget(heading(_("Flags")))
        layout.addWidget(self.list)
        self._shown: tuple = ()
        self._tz: str | None = None

    def set_time_zone(self, tz: str | None) -> None:
        self._tz = tz

    def show_flags(self, figures: Figures, alerts: Sequence[RiskAlert] = ()) -> None:
        lines = [(alert_text(a, self._tz), True) for a in reversed(alerts)]
        lines += [(flag_text(f), False) for f in figures.flags]
        if tuple(lines) == self._shown:
            return
        self._shown = tuple(lines)
        self.list.clear()
        for text, urgent in lines:
            item = QListWidgetItem(text)
            if urgent:
                item.setForeground(QColor("#d93a2b"))
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.list.addItem(item)
