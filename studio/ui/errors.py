"""The one place a background error reaches the user: logged with its traceback, shown
translated, never as a traceback.

Errors written for the user (bad input, a database that cannot be opened, a missing file) are
shown in the user's language (their Message, studio.i18n.render); anything else is an
unexpected failure, shown as one sentence that says where to look. `errors_shown` lets tests
and the status bar follow. A view that shows an error in place (a banner, a table cell) logs it
through `shown_in_place`, so that every error reaches the log the same way.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from studio.core.errors import user_facing
from studio.core.identity import APP_NAME
from studio.i18n import _
from studio.i18n.render import render_error

log = logging.getLogger(__name__)


class _Reported(QObject):
    shown = Signal(str)  # the message as the user saw it


errors_shown = _Reported()


def user_message(error: BaseException) -> str:
    if user_facing(error):
        return render_error(error)
    return _("Something went wrong ({error}). The details are in the log; what was saved "
             "before stays saved.").format(error=str(error) or type(error).__name__)


def report_error(error: BaseException) -> None:
    """On the GUI thread: tell the user, without blocking the event loop."""
    _log(error, "unexpected error")
    message = user_message(error)
    box = QMessageBox(QMessageBox.Icon.Warning, APP_NAME, message,
                      QMessageBox.StandardButton.Ok, QApplication.activeWindow())
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    errors_shown.shown.emit(message)


def shown_in_place(error: BaseException, doing: str) -> str:
    """For a caller that shows an error where it happened (the Live view's banner, a table
    cell, the import problems) rather than in report_error's box: logs it the same way and
    returns what to show, in the user's language. `doing` says what failed, for the log."""
    _log(error, doing)
    return render_error(error) or type(error).__name__


def _log(error: BaseException, doing: str) -> None:
    """An error written for the user is one line in the log; any other keeps its traceback."""
    if user_facing(error):
        log.warning("%s: %s", doing, error)
    else:
        log.error("%s", doing, exc_info=error)
