"""The main window: the Live, Sessions, Scripts and Review views, menus, toolbar, status bar."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QTabWidget, QToolBar

from studio.core.store import Store
from studio.i18n import LANGUAGES, _, current_language
from studio.ingest import IngestServer
from studio.ui.about import show_about
from studio.ui.compact import CompactWindow
from studio.ui.import_dialog import ImportRunner
from studio.ui.ingest_dialog import IngestDialog
from studio.ui.live.controller import LiveController
from studio.ui.live.view import LiveView
from studio.ui.marker_actions import MarkerActions
from studio.ui.pending_view import PendingView
from studio.ui.sessions_view import SessionsView
from studio.ui.theme import THEMES, current_theme

VIEWS = ("live", "sessions", "scripts", "review")


class MainWindow(QMainWindow):
    language_chosen = Signal(str)
    theme_chosen = Signal(str)

    def __init__(self, store: Store, controller: LiveController,
                 ingest: IngestServer | None = None, ingest_error: str | None = None) -> None:
        super().__init__()
        self.store = store
        self.controller = controller
        self.ingest = ingest
        self.ingest_error = ingest_error
        self.setWindowTitle(_("Live Studio Companion"))
        self.resize(1440, 900)
        self.live = LiveView(controller)
        self.sessions = SessionsView(store)
        self.scripts = PendingView(
            _("Scripts"),
            _("Per-market scripts (locale, currency and time zone), pre-air checklists and the "
              "teleprompter will live here."))
        self.review = PendingView(
            _("Review"),
            _("The post-stream review (first pass within 24 hours, the detailed one within "
              "72 hours) will live here. Until then, every figure of the review is in the "
              "Sessions view and in the command studio metrics ID."))
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        for widget, name in ((self.live, _("Live")), (self.sessions, _("Sessions")),
                             (self.scripts, _("Scripts")), (self.review, _("Review"))):
            self.tabs.addTab(widget, name)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.setCentralWidget(self.tabs)
        self.compact = CompactWindow(controller)
        self.compact.hidden.connect(lambda: self.compact_action.setChecked(False))
        self.importer = ImportRunner(store, self)
        self.markers = MarkerActions(controller, self)
        self._build_menus()
        self._build_status_bar()
        controller.started.connect(self._on_air)
        controller.stopped.connect(self._off_air)
        controller.board.connect(self._board)
        self._sessions_loaded = False

    # -- public --

    def show_view(self, name: str) -> None:
        self.tabs.setCurrentIndex(VIEWS.index(name))

    def current_view(self) -> str:
        return VIEWS[self.tabs.currentIndex()]

    def resume(self, *, compact: bool = False) -> None:
        """After a rebuild: on air stays on air, with its figures, incidents and windows."""
        self.live.resume()
        session = self.controller.session
        if session is not None:
            self._on_air(session)
            self.markers.set_enabled(True)
            if self.controller.history.view is not None:
                self.compact.show_view(self.controller.history.view)
            if self.controller.history.latest is not None:
                self.compact.show_update(self.controller.history.latest)
        if compact:
            self._toggle_compact()

    def shutdown(self, wait: bool = True) -> None:
        """wait=False for a rebuild: figures under way are dropped rather than waited for (an
        import still finishes: it is one transaction, and its report would be lost)."""
        self.compact.close()
        self.sessions.shutdown(wait=wait)
        self.importer.shutdown()

    # -- building --

    def _action(self, text: str, slot: Callable[[], object], keys: str | QKeySequence = "",
                tip: str = "") -> QAction:
        action = QAction(text, self)
        if keys:
            action.setShortcut(QKeySequence(keys))
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        self.start_action = self._action(_("Start session"), self.live.toggle_session, "F5",
                                         _("Start or stop the live session"))
        self.import_action = self._action(_("Import events…"), self._import, "Ctrl+I",
                                          _("Import an event file or a platform export"))
        self.compact_action = self._action(_("Compact on-air window"), self._toggle_compact,
                                           "Ctrl+Shift+O", _("A small always-on-top window"))
        self.compact_action.setCheckable(True)
        for action in (self.start_action, self.compact_action):  # from the compact window too
            action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.ingest_action = self._action(_("Live ingest…"), self._show_ingest, "Ctrl+L",
                                          _("The address and token for chat relays"))
        quit_action = self._action(_("Quit"), self.close, QKeySequence.StandardKey.Quit)

        menu = self.menuBar().addMenu(_("&File"))
        menu.addAction(self.start_action)
        menu.addAction(self.import_action)
        menu.addAction(self.ingest_action)
        menu.addSeparator()
        menu.addAction(quit_action)

        markers = self.menuBar().addMenu(_("&Markers"))
        for action in self.markers.actions:
            markers.addAction(action)

        view = self.menuBar().addMenu(_("&View"))
        for index, name in enumerate((_("Live"), _("Sessions"), _("Scripts"), _("Review"))):
            view.addAction(self._action(name, lambda i=index: self.tabs.setCurrentIndex(i),
                                        f"Alt+{index + 1}"))
        view.addSeparator()
        view.addAction(self.compact_action)
        themes = view.addMenu(_("Theme"))
        theme_names = {"light": _("Light"), "dark": _("Dark")}
        group = QActionGroup(self)
        for theme in THEMES:
            action = self._action(theme_names[theme], lambda t=theme: self.theme_chosen.emit(t))
            action.setCheckable(True)
            action.setChecked(theme == current_theme())
            group.addAction(action)
            themes.addAction(action)
        languages = view.addMenu(_("Language"))
        group = QActionGroup(self)
        for code, name in LANGUAGES.items():
            action = self._action(name, lambda c=code: self.language_chosen.emit(c))
            action.setCheckable(True)
            action.setChecked(code == current_language())
            group.addAction(action)
            languages.addAction(action)

        help_menu = self.menuBar().addMenu(_("&Help"))
        help_menu.addAction(self._action(_("About"), lambda: show_about(self, str(
            self.store.path))))

        toolbar = QToolBar(_("Main"))
        toolbar.setObjectName("main-toolbar")
        toolbar.setMovable(False)
        toolbar.addAction(self.start_action)
        toolbar.addAction(self.compact_action)
        toolbar.addSeparator()
        for action in self.markers.actions:
            toolbar.addAction(action)
        toolbar.addSeparator()
        toolbar.addAction(self.import_action)
        self.addToolBar(toolbar)

    def _build_status_bar(self) -> None:
        self.air_label = QLabel(_("Off air"))
        self.events_label = QLabel("")
        self.statusBar().addWidget(self.air_label)
        self.statusBar().addWidget(self.events_label)
        if self.ingest is not None:
            ingest = _("Ingest: {url}").format(url=self.ingest.url)
        else:
            ingest = _("Ingest: off")
        self.ingest_label = QLabel(ingest)
        self.ingest_label.setToolTip(self.ingest_error or _("Live ingest… (Ctrl+L) shows the "
                                                           "token"))
        self.statusBar().addPermanentWidget(self.ingest_label)
        self.statusBar().addPermanentWidget(QLabel(str(self.store.path)))

    # -- reactions --

    def _tab_changed(self, index: int) -> None:
        if VIEWS[index] == "sessions" and not self._sessions_loaded:
            self._sessions_loaded = True
            self.sessions.refresh()

    def _toggle_compact(self) -> None:
        self.compact.setVisible(not self.compact.isVisible())
        self.compact_action.setChecked(self.compact.isVisible())

    def _import(self) -> None:
        session = self.controller.session
        session_id = session.id if session is not None else self.sessions.opened
        if session_id is None:
            QMessageBox.information(
                self, _("Import events"),
                _("Start a session, or open one in the Sessions view, to import into it."))
            return
        self.importer.choose_and_import(session_id)

    def _show_ingest(self) -> None:
        session = self.controller.session
        dialog = IngestDialog(self.ingest, self.ingest_error, session.id if session else None,
                              self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.exec()

    def _on_air(self, session) -> None:
        self.start_action.setText(_("Stop session"))
        self.air_label.setText(_("On air: {title} ({market})").format(
            title=session.title, market=session.market))

    def _off_air(self, _session) -> None:
        self.start_action.setText(_("Start session"))
        self.air_label.setText(_("Off air"))
        self._sessions_loaded = False
        if self.current_view() == "sessions":
            self._tab_changed(self.tabs.currentIndex())

    def _board(self, view) -> None:
        self.events_label.setText(_("{n} events").format(n=view.events))

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.controller.on_air:
            answer = QMessageBox.question(
                self, _("Quit"), _("A session is on air. Stop it and quit?"))
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        event.accept()
