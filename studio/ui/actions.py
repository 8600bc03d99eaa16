"""Menu, toolbar and hotkey actions, made in one place so that every slot is called bare.

`QAction.triggered` carries `checked`, and PySide hands it to any slot that can take an
argument: `lambda i=index: show(i)` receives `False` in `i` and every View entry opened the
first view. Here the signal's argument is dropped, so a slot given with its arguments bound
(`functools.partial(show, name)`) always runs as written.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence


def make_action(parent: QObject, text: str, slot: Callable[[], object], *,
                keys: str | QKeySequence = "", tip: str = "", name: str = "",
                app_wide: bool = False) -> QAction:
    """`name`: the object name tests and automation find the action by; `app_wide`: the
    shortcut works in every window of the app (the compact on-air window too)."""
    action = QAction(text, parent)
    if name:
        action.setObjectName(name)
    if keys:
        action.setShortcut(QKeySequence(keys))
    if app_wide:
        action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
    if tip:
        action.setToolTip(tip)
        action.setStatusTip(tip)
    action.triggered.connect(lambda _checked: slot())
    return action
