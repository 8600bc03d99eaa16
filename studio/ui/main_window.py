"""The main window: the views of studio.ui.views as tabs, menus, toolbar, status bar."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QTabWidget, QToolBar

from studio.core.identity import APP_NAME
from studio.core.store import Session, Store
from studio.i18n import LANGUAGES, _, current_language, ngettext
from studio.ingest import IngestServer
from studio.ui.about import show_about
from studio.ui.actions import make_action
from studio.ui.compact import CompactWindow
from studio.ui.import_dialog import ImportRunner
from studio.ui.ingest_dialog import IngestDialog
from studio.ui.live.controller import LiveController
from studio.ui.live.view import LiveView
from studio.ui.marker_actions import MarkerActions
from studio.ui.sessions_view import SessionsView
from studio.ui.settings import settings_path
from studio.ui.theme import THEMES, current_theme
from studio.ui.views import VIEWS, ViewContext


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
        self.setWindowTitle(APP_NAME)
        self.resize(1440, 900)
        context = ViewContext(store, controller)
        self.views = {view.name: view.build(context) for view in VIEWS}
        # The two views the window itself works with (the session on air, the import target).
        self.live: LiveView = self.views["live"]
        self.sessions: SessionsView = self.views["sessions"]
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        for view in VIEWS:
            self.tabs.addTab(self.views[view.name], _(view.title))
        self.tabs.currentChanged.connect(self._tab_changed)
        self.setCentralWidget(self.tabs)
        self.compact = CompactWindow(controller)
        self.compact.hidden.connect(lambda: self.compact_action.setChecked(False))
        self.importer = ImportRunner(store, self, on_imported=self._imported)
        self.markers = MarkerActions(controller, self)
        self._build_menus()
        self._build_status_bar()
        controller.started.connect(self._on_air)
        controller.stopped.connect(self._off_air)
        controller.board.connect(self._board)
        self._sessions_loaded = False

    # -- public --

    def show_view(self, name: str) -> None:
        self.tabs.setCurrentIndex(list(self.views).index(name))

    def current_view(self) -> str:
        return list(self.views)[self.tabs.currentIndex()]

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

    def _build_menus(self) -> None:
        self.start_action = make_action(
            self, _("Start session"), self.live.toggle_session, keys="F5",
            tip=_("Start or stop the live session"), name="start",
            app_wide=True)  # from the compact window too
        self.import_action = make_action(
            self, _("Import events…"), self._import, keys="Ctrl+I",
            tip=_("Import an event file or a platform export"), name="import")
        self.compact_action = make_action(
            self, _("Compact on-air window"), self._toggle_compact, keys="Ctrl+Shift+O",
            tip=_("A small always-on-top window"), name="compact", app_wide=True)
        self.compact_action.setCheckable(True)
        self.ingest_action = make_action(
            self, _("Live ingest…"), self._show_ingest, keys="Ctrl+L",
            tip=_("The address and token for chat relays"), name="ingest")
        quit_action = make_action(self, _("Quit"), self.close,
                                  keys=QKeySequence.StandardKey.Quit, name="quit")

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
        for number, entry in enumerate(VIEWS, start=1):
            view.addAction(make_action(self, _(entry.title), partial(self.show_view, entry.name),
                                       keys=f"Alt+{number}", name=f"view-{entry.name}"))
        view.addSeparator()
        view.addAction(self.compact_action)
        themes = view.addMenu(_("Theme"))
        theme_names = {"light": _("Light"), "dark": _("Dark")}
        group = QActionGroup(self)
        for theme in THEMES:
            action = make_action(self, theme_names[theme], partial(self.theme_chosen.emit, theme),
                                 name=f"theme-{theme}")
            action.setCheckable(True)
            action.setChecked(theme == current_theme())
            group.addAction(action)
            themes.addAction(action)
        languages = view.addMenu(_("Language"))
        group = QActionGroup(self)
        for code, name in LANGUAGES.items():
            action = make_action(self, name, partial(self.language_chosen.emit, code),
                                 name=f"language-{code}")
            action.setCheckable(True)
            action.setChecked(code == current_language())
            group.addAction(action)
            languages.addAction(action)

        help_menu = self.menuBar().addMenu(_("&Help"))
        help_menu.addAction(make_action(
            self, _("About"), lambda: show_about(self, str(self.store.path)), name="about"))

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
            tip = _("Live ingest… (Ctrl+L) shows the token")
        elif self.ingest_error:
            ingest = _("Ingest: off ({reason})").format(reason=self.ingest_error)
            tip = _("The app runs without the live ingest endpoint. Close the program that "
                    "holds the port, or set ingest_port in {path}, and start the app again."
                    ).format(path=settings_path())
        else:
            ingest = _("Ingest: off")
            tip = ""
        self.ingest_label = QLabel(ingest)
        self.ingest_label.setToolTip(tip)
        self.statusBar().addPermanentWidget(self.ingest_label)
        self.statusBar().addPermanentWidget(QLabel(str(self.store.path)))

    # -- reactions --

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.sessions and not self._sessions_loaded:
            self._sessions_loaded = True
            self.sessions.refresh()

    def _toggle_compact(self) -> None:
        self.compact.setVisible(not self.compact.isVisible())
        self.compact_action.setChecked(self.compact.isVisible())

    def import_target(self) -> Session | None:
        """The session an import goes into. In the Sessions view, the row selected there (not
        the one whose figures are open below it: a click selects, a double-click opens); in
        the other views the session on air, else the row last selected in Sessions. The
        import dialog names it before anything is written."""
        selected = self.sessions.selected_session()
        if self.current_view() == "sessions" and selected is not None:
            return selected
        return self.controller.session or selected

    def _import(self) -> None:
        target = self.import_target()
        if target is None:
            self.show_view("sessions")
            QMessageBox.information(
                self, _("Import events"),
                _("Select the session to import into in the Sessions view (or start one in "
                  "the Live view), then import again."))
            return
        self.importer.choose_and_import(target)

    def _imported(self, session_id: int) -> None:
        self.sessions.forget_figures(session_id)
        self._sessions_changed()

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
        self._sessions_changed()

    def _sessions_changed(self) -> None:
        """The Sessions view reloads now if shown, else when next shown."""
        self._sessions_loaded = False
        if self.current_view() == "sessions":
            self._tab_changed(self.tabs.currentIndex())

    def _board(self, view) -> None:
        self.events_label.setText(
            ngettext("{n} event", "{n} events", view.events).format(n=view.events))

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.controller.on_air:
            answer = QMessageBox.question(
                self, _("Quit"), _("A session is on air. Stop it and quit?"))
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        event.accept()
