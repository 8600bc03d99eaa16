"""Renders one view of the app offscreen into a PNG: for the docs, tests and bug reports.

It drives the whole app (a Studio on the store), so it sits above the app layer, beside the
`screenshot` verb that calls it.

With `demo`, the view shows a simulated show: a finished one in the Sessions view, and a live
one (synthetic capture feed, accelerated audience) in the Live and compact views, given a few
seconds to fill its graphs. With a session id, that session's figures fill the view.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from studio.app import Studio
from studio.core.onair.board import review_view
from studio.core.simulate import ShowPlan, write_show
from studio.core.store import Store
from studio.i18n import _
from studio.ui.views import VIEW_NAMES

SCREENSHOT_VIEWS = (*VIEW_NAMES, "compact")
DEMO_WARMUP_S = 6.0


class ScreenshotError(Exception):
    pass


def render(app: QApplication, store: Store, view: str, out: Path, *, session_id: int | None,
           demo: bool, language: str | None, theme: str | None,
           size: tuple[int, int] = (1600, 1000)) -> None:
    if view not in SCREENSHOT_VIEWS:
        raise ScreenshotError(_('view "{view}" is not one of {views}').format(
            view=view, views=", ".join(SCREENSHOT_VIEWS)))
    studio = Studio(app, store, language=language, theme=theme)
    window = studio.window
    try:
        window.resize(*size)
        window.show_view(view if view in VIEW_NAMES else "live")
        window.show()
        if demo:
            write_show(store, ShowPlan(market="US", viewers=2500, minutes=90, seed=7),
                       title=None)
            if view in ("live", "compact"):
                studio.start_demo(speed=30, minutes=90, viewers=4000)
                _wait(app, lambda: False, DEMO_WARMUP_S)
        if session_id is not None:
            board = review_view(store, session_id)
            window.live.panels.show_view(board)
            window.compact.show_view(board)
        if view == "sessions":
            window.sessions.refresh()
            _wait(app, lambda: window.sessions.opened is not None, 30.0)
            if session_id is not None:
                window.sessions.open_session(session_id)
                _wait(app, lambda: window.sessions.opened == session_id, 30.0)
        target: QWidget = window
        if view == "compact":
            window.compact.show()
            target = window.compact
        _wait(app, lambda: False, 0.3)  # let layouts and the last signals settle
        out.parent.mkdir(parents=True, exist_ok=True)
        if not target.grab().save(str(out), "PNG"):
            raise ScreenshotError(_("{path}: the picture could not be written").format(path=out))
    finally:
        window.hide()
        studio.window.shutdown()
        studio.controller.shutdown()


def _wait(app: QApplication, done, seconds: float) -> None:
    """Runs the event loop until `done()` or `seconds` pass (no busy waiting)."""
    deadline = time.monotonic() + seconds
    loop = QEventLoop()
    timer = QTimer()
    timer.timeout.connect(lambda: (done() or time.monotonic() >= deadline) and loop.quit())
    timer.start(50)
    loop.exec()
    timer.stop()
