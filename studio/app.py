"""The desktop app: builds the QApplication, opens the database, wires core to the widgets.

`main(args)` is what `studio` (without a verb) runs. `Studio` owns the pieces that live as
long as the app (the store, the live controller) and rebuilds the window when the language or
the theme changes, so every string is translated again without a restart.
"""

from __future__ import annotations

import argparse
import errno
import logging
import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QByteArray, QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox

from studio.core.errors import UserError
from studio.core.identity import APP_ID, APP_NAME
from studio.core.store import Store, StoreError, default_db_path
from studio.i18n import LANGUAGES, _, match_language, set_language
from studio.i18n.render import render_error
from studio.ingest import IngestError, IngestServer
from studio.ui.language import apply_language
from studio.ui.live.controller import DEMO_SOURCE, LiveController, SessionRequest
from studio.ui.main_window import MainWindow
from studio.ui.settings import GEOMETRY, INGEST_PORT, LANGUAGE, MARKET, THEME
from studio.ui.theme import apply_theme

log = logging.getLogger(__name__)

DEMO_MARKET = "US"


# Qt's offscreen platform says these about every top-level window; they mean nothing to a user.
_QUIET_QT_MESSAGES = ("does not support propagateSizeHints", "does not support raise()")


def _qt_message(mode: QtMsgType, context: object, message: str) -> None:
    if any(quiet in message for quiet in _QUIET_QT_MESSAGES):
        return
    level = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
             QtMsgType.QtWarningMsg: logging.WARNING}.get(mode, logging.ERROR)
    logging.getLogger("qt").log(level, "%s", message)


def check_display() -> None:
    """A Linux desktop needs X11 or Wayland; say so instead of letting Qt abort."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        raise UserError(_(
            "no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set); "
            "run it in a desktop session, or render a view with `studio screenshot live "
            "--demo --out live.png`"))


def application() -> QApplication:
    qInstallMessageHandler(_qt_message)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_ID)
    return app  # type: ignore[return-value]


class Studio:
    """The running app: one store, one controller, one main window at a time."""

    def __init__(self, app: QApplication, store: Store, *, language: str | None = None,
                 theme: str | None = None, ingest_port: int | None = None) -> None:
        """`ingest_port`: run the live ingest endpoint on that loopback port (0: any free
        one); None: no endpoint (tests, screenshots)."""
        self.app = app
        self.store = store
        self.language = apply_language(app, language or LANGUAGE.get() or None)
        self.theme = apply_theme(app, theme or THEME.get())
        self.controller = LiveController(store)
        self.ingest: IngestServer | None = None
        self._ingest_failure: tuple[int, Exception] | None = None  # the port and why
        if ingest_port is not None:
            self._start_ingest(ingest_port)
        self.window = self._build_window()

    def _start_ingest(self, port: int) -> None:
        server = IngestServer(self.store, port=port)
        try:
            server.start()
        except (IngestError, OSError) as exc:  # e.g. `studio serve` already holds the port
            log.warning("live ingest endpoint not started: %s", exc)
            self._ingest_failure = (port, exc)
            return
        self.ingest = server

    def _build_window(self) -> MainWindow:
        window = MainWindow(self.store, self.controller, self.ingest, self.ingest_error())
        window.language_chosen.connect(self.set_language)
        window.theme_chosen.connect(self.set_theme)
        return window

    def ingest_error(self) -> str | None:
        """Why the endpoint is off, said in the language of the moment (the window rebuilt
        for another language says it again)."""
        return ingest_failure(*self._ingest_failure) if self._ingest_failure else None

    def set_language(self, language: str) -> None:
        self.language = apply_language(self.app, language)
        LANGUAGE.set(self.language)
        self._rebuild()

    def set_theme(self, theme: str) -> None:
        self.theme = apply_theme(self.app, theme)
        THEME.set(self.theme)
        self._rebuild()

    def _rebuild(self) -> None:
        old = self.window
        geometry, view, visible = old.saveGeometry(), old.current_view(), old.isVisible()
        compact = old.compact.isVisible()
        old.shutdown(wait=False)
        self.controller.disconnect_widgets()  # the controller outlives the window
        self.window = self._build_window()
        self.window.restoreGeometry(geometry)
        self.window.show_view(view)
        self.window.resume(compact=compact)
        if visible:
            self.window.show()
        old.deleteLater()

    def start_demo(self, speed: float = 1.0, minutes: float = 60, viewers: int = 3000) -> None:
        self.window.live.controls.select_market(DEMO_MARKET)
        self.window.live.controls.select_source(DEMO_SOURCE)
        self.controller.start(SessionRequest(
            market=DEMO_MARKET, title=_("Demo show"), source=DEMO_SOURCE, platform="tiktok",
            demo_audience=True, demo_viewers=viewers, demo_minutes=minutes, speed=speed))

    def restore_window(self) -> None:
        """The window's size and place and the last market, as the user left them."""
        geometry = GEOMETRY.get()
        if geometry:
            self.window.restoreGeometry(QByteArray.fromBase64(geometry.encode("ascii")))
        market = MARKET.get()
        if market:
            self.window.live.controls.select_market(market)

    def save_window(self) -> None:
        GEOMETRY.set(self.window.saveGeometry().toBase64().data().decode("ascii"))
        market = self.window.live.controls.market.currentData()
        if market:
            MARKET.set(market)

    def close(self) -> None:
        self.save_window()
        self.window.shutdown()
        self.controller.shutdown()
        if self.ingest is not None:
            self.ingest.stop()
        self.store.close()


def ingest_failure(port: int, exc: Exception) -> str:
    """Why the endpoint is off, in the interface language where the cause is a common one."""
    cause = exc.__cause__ if isinstance(exc, IngestError) else exc
    if isinstance(cause, OSError) and cause.errno == errno.EADDRINUSE:
        return _("port {port} is in use by another program").format(port=port)
    return render_error(exc)


def open_database(path: Path) -> Store | None:
    try:
        return Store(path)
    except StoreError as exc:
        QMessageBox.critical(None, _("The database cannot be opened"), render_error(exc))
        return None


def check_language(code: str | None) -> None:
    if code and match_language(code) is None:
        raise UserError(_('--lang "{code}" is not offered (offered: {offered})').format(
            code=code, offered=", ".join(LANGUAGES)))


def main(args: argparse.Namespace) -> int:
    set_language(args.lang or LANGUAGE.get() or None)  # for what is said before the window
    check_language(args.lang)
    check_display()
    app = application()
    temporary: Path | None = None
    if getattr(args, "db", None):
        path = Path(args.db)
    elif args.demo:
        temporary = Path(tempfile.mkdtemp(prefix="studio-demo-"))
        path = temporary / "demo.db"
    else:
        path = default_db_path()
    apply_language(app, args.lang or LANGUAGE.get() or None)
    store = open_database(path)
    if store is None:
        return 1
    studio = Studio(app, store, language=args.lang,
                    ingest_port=INGEST_PORT.get())
    # Ctrl+C in the terminal quits cleanly: Python handles signals only between Qt calls,
    # so a timer hands control back to the interpreter a few times a second.
    # app.exit, not app.quit: quit() closes the windows first, and the main window would
    # ask whether to stop the show; a signal from the terminal or the system has decided.
    signal.signal(signal.SIGINT, lambda *_: app.exit(0))
    signal.signal(signal.SIGTERM, lambda *_: app.exit(0))
    wake = QTimer()
    wake.timeout.connect(lambda: None)
    wake.start(250)
    studio.restore_window()
    try:
        studio.window.show()
        if args.demo:
            studio.start_demo(speed=args.speed)
        return app.exec()
    finally:
        studio.close()
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)
