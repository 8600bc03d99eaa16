"""The About box: what the app is, its version and where its data lives."""

from __future__ import annotations

from PySide6 import __version__ as pyside_version
from PySide6.QtWidgets import QMessageBox, QWidget

from studio.core.identity import app_version
from studio.i18n import _


def show_about(parent: QWidget, db_path: str) -> None:
    QMessageBox.about(
        parent,
        _("About Live Studio Companion"),
        _("<b>Live Studio Companion</b> {version}<br><br>"
          "Stream health, the session event log, live graphs, scripts and reviews for "
          "cross-border live selling.<br><br>Database: {db}<br>Qt for Python {qt}").format(
            version=app_version(), db=db_path, qt=pyside_version),
    )
