"""The window's views, each registered once: its name, its title and how it is built.

The main window makes a tab, a View-menu entry and the Alt+N shortcut (N: its place in this list)
from each entry, and `studio screenshot` offers every name, so a new view (the Scripts editor,
the post-stream Review) is one entry here and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from studio.core.store import Store
from studio.i18n import N_, _
from studio.ui.live.controller import LiveController
from studio.ui.live.view import LiveView
from studio.ui.pending_view import PendingView
from studio.ui.sessions_view import SessionsView


@dataclass(frozen=True, slots=True)
class ViewContext:
    """What a view may be built on: the app's store and its live controller."""

    store: Store
    controller: LiveController


@dataclass(frozen=True, slots=True)
class View:
    name: str  # how the code, the tests and `studio screenshot` say it; its action: view-<name>
    title: str  # marked with N_: translated when the window is built, so a rebuild retranslates
    build: Callable[[ViewContext], QWidget]


def _scripts(_context: ViewContext) -> QWidget:
    return PendingView(
        _("Scripts"),
        _("Per-market scripts (locale, currency and time zone), pre-air checklists and the "
          "teleprompter will live here."))


def _review(_context: ViewContext) -> QWidget:
    return PendingView(
        _("Review"),
        _("The post-stream review (first pass within 24 hours, the detailed one within "
          "72 hours) will live here. Until then, every figure of the review is in the "
          "Sessions view and in the command studio metrics ID."))


VIEWS: tuple[View, ...] = (
    View("live", N_("Live"), lambda context: LiveView(context.controller)),
    View("sessions", N_("Sessions"),
         lambda context: SessionsView(context.store, context.controller)),
    View("scripts", N_("Scripts"), _scripts),
    View("review", N_("Review"), _review),
)
VIEW_NAMES = tuple(view.name for view in VIEWS)
