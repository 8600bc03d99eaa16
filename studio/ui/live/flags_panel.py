"""Flags: every figure outside its reference, with one sentence of what to look at, and the
alerts raised when an incident hit while a sale was exposed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from studio.core.metrics.messages import MESSAGES, Plural
from studio.core.onair.risk import RiskAlert
from studio.i18n import _, ngettext
from studio.i18n.format import clock, share
from studio.ui.health_text import incident_name
from studio.ui.widgets import heading


def flag_text(flag: Mapping[str, Any], figures: Mapping[str, Any] | None = None) -> str:
    """The flag's sentence in the interface language (the English one if it has no entry)."""
    code = flag.get("code", "")
    template = MESSAGES.get(code)
    if template is None:
        return str(flag.get("message", ""))
    params = dict(flag.get("params") or {})
    if figures is not None:
        reference = _reference(code, figures)
        if reference is not None:
            params["reference"] = reference
    try:
        if isinstance(template, Plural):
            text = ngettext(template.singular, template.plural, params["count"])
        else:
            text = _(template)
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return str(flag.get("message", ""))


def _reference(code: str, figures: Mapping[str, Any]) -> str | None:
    """Core writes two references in English words; these are the same in the UI's."""
    if code == "chitchat_over_product":
        return _("product questions {share}").format(
            share=share(figures["comment_mix"]["product"], 0))
    diagnosis = figures["funnel"].get("diagnosis") or {}
    if code.startswith("funnel_weak_") and diagnosis:
        if diagnosis.get("median") is None:
            return _("lowest of the four step rates")
        return ngettext("median {median} over {n} earlier session",
                        "median {median} over {n} earlier sessions",
                        diagnosis["sessions_compared"]).format(
            median=share(diagnosis["median"]), n=diagnosis["sessions_compared"])
    return None


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

    def show_flags(self, figures: Mapping[str, Any], alerts: Sequence[RiskAlert] = ()) -> None:
        lines = [(alert_text(a, self._tz), True) for a in reversed(alerts)]
        lines += [(flag_text(f, figures), False) for f in figures.get("flags", ())]
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
