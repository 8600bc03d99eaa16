"""The window driven the way a user drives it: its menus' QActions, its shortcuts, a click on a
row, the file chooser (the only thing patched, with the modal boxes around it).

A slot tested directly can pass while the menu that calls it is broken; these tests go
through the menu bar, so a wrongly connected action fails here.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import datetime

import pytest
from babel.messages.pofile import read_po
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QPalette
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox

from studio.app import Studio
from studio.core.store import Store
from studio.i18n import LANGUAGES, catalog_path
from studio.ui.live.controller import DEMO_SOURCE, SessionRequest
from studio.ui.session_columns import COLUMNS, ID, TITLE, VIEWERS
from studio.ui.settings import LANGUAGE, THEME
from studio.ui.theme import GRAPH, THEMES
from studio.ui.views import VIEW_NAMES


def _menu_actions(menu: QMenu) -> Iterator[QAction]:
    for action in menu.actions():
        yield action
        if action.menu() is not None:
            yield from _menu_actions(action.menu())


def menu_action(window, name: str) -> QAction:
    """The action a user reaches from the menu bar, by its object name."""
    for top in window.menuBar().actions():
        for action in _menu_actions(top.menu()):
            if action.objectName() == name:
                return action
    raise AssertionError(f"no menu entry {name!r}")


def _catalog(language: str) -> dict[str, str]:
    with catalog_path(language).open("rb") as fh:
        return {m.id: m.string for m in read_po(fh) if m.id and m.string}


def _in(language: str, text: str) -> str:
    return text if language == "en" else _catalog(language)[text]


@pytest.fixture
def english_light(qapp):
    """Language and theme are app-wide: whatever a test chose, the next test starts in English
    and light."""
    yield
    from studio.ui.language import apply_language
    from studio.ui.theme import apply_theme

    apply_language(qapp, "en")
    apply_theme(qapp, "light")


# -- views --

def test_every_view_menu_entry_opens_its_view(qtbot, studio):
    window = studio.window
    for name in reversed(VIEW_NAMES):  # Live is the default: start away from it
        menu_action(window, f"view-{name}").trigger()
        assert window.current_view() == name


def test_alt_number_opens_each_view(qtbot, studio):
    window = studio.window
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5_000)
    for number, name in reversed(list(enumerate(VIEW_NAMES, start=1))):
        assert menu_action(window, f"view-{name}").shortcut().toString() == f"Alt+{number}"
        # As typed: into whatever has the keyboard focus in the active window.
        qtbot.keyClick(QApplication.focusWidget() or window, getattr(Qt.Key, f"Key_{number}"),
                       Qt.KeyboardModifier.AltModifier)
        assert window.current_view() == name


# -- language and theme --

def test_each_language_from_the_menu_rebuilds_the_window_and_is_remembered(
        qapp, qtbot, studio, tmp_path, english_light):
    studio.window.show_view("sessions")
    for language in reversed(list(LANGUAGES)):  # English first would change nothing
        old = studio.window
        menu_action(old, f"language-{language}").trigger()
        window = studio.window
        assert window is not old
        assert studio.language == language
        assert LANGUAGE.get() == language
        assert window.windowTitle() == _in(language, "Live Studio Companion")
        assert window.tabs.tabText(1) == _in(language, "Sessions")
        assert window.current_view() == "sessions"  # the rebuilt window keeps its place
        assert menu_action(window, f"language-{language}").isChecked()
        # A new start without --lang opens in the language chosen.
        with Store(tmp_path / f"{language}.db") as store:
            again = Studio(qapp, store)
            try:
                assert again.language == language
                assert again.window.windowTitle() == _in(language, "Live Studio Companion")
            finally:
                again.window.shutdown()
                again.controller.shutdown()
                again.window.deleteLater()


def test_each_theme_from_the_menu_rebuilds_the_window_and_is_remembered(
        qtbot, studio, english_light):
    menu_action(studio.window, "language-zh_CN").trigger()
    for theme in reversed(THEMES):
        old = studio.window
        menu_action(old, f"theme-{theme}").trigger()
        window = studio.window
        assert window is not old
        assert THEME.get() == theme and studio.theme == theme
        lightness = QApplication.instance().palette().color(QPalette.ColorRole.Window).lightness()
        assert lightness < 80 if theme == "dark" else lightness > 180
        background = window.live.panels.timeline.plot.backgroundBrush().color().name()
        assert background == GRAPH[theme].background
        assert menu_action(window, f"theme-{theme}").isChecked()
        assert window.tabs.tabText(1) == _in("zh_CN", "Sessions")  # the language stays
        assert LANGUAGE.get() == "zh_CN"


# -- import --

class Dialogs:
    """The file chooser answers with a file; the modal boxes are recorded and accepted."""

    def __init__(self, monkeypatch, path) -> None:
        self.chooser: list[str] = []
        self.questions: list[str] = []
        self.results: list[str] = []

        def choose(parent, caption, *args, **kwargs):
            self.chooser.append(caption)
            return str(path), ""

        def question(parent, title, text, *args, **kwargs):
            self.questions.append(text)
            return QMessageBox.StandardButton.Yes

        def result(parent, title, text, *args, **kwargs):
            self.results.append(text)
            return QMessageBox.StandardButton.Ok

        monkeypatch.setattr("studio.ui.import_dialog.QFileDialog.getOpenFileName", choose)
        monkeypatch.setattr(QMessageBox, "question", question)
        monkeypatch.setattr(QMessageBox, "information", result)
        monkeypatch.setattr(QMessageBox, "warning", result)


MORNING_STARTS = 1_795_000_000


def _event_file(tmp_path):
    """Three viewers who join the morning show."""
    path = tmp_path / "joins.csv"
    path.write_text("ts,kind,viewer\n" + "".join(
        f"{MORNING_STARTS + 5 + n},join,v{n}\n" for n in range(3)), encoding="utf-8")
    return path


def _sessions(store) -> tuple[int, int]:
    """Two finished shows (the Sessions view keeps finished shows' figures once computed)."""
    morning = store.create_session(market="US", title="Morning show", platform="tiktok",
                                   started_at=MORNING_STARTS, ended_at=MORNING_STARTS + 3600)
    evening = store.create_session(market="ID", title="Evening show", platform="shopee",
                                   started_at=MORNING_STARTS + 30_000,
                                   ended_at=MORNING_STARTS + 33_600)
    return morning, evening


def _viewers_shown(window, session_id: int) -> str:
    sessions = window.sessions
    row = next(r for r in range(sessions.row_count()) if sessions.cell(r, ID) == str(session_id))
    return sessions.cell(row, VIEWERS)


def _open_sessions_view(qtbot, window, rows: int) -> None:
    menu_action(window, "view-sessions").trigger()
    sessions = window.sessions
    qtbot.waitUntil(lambda: sessions.row_count() == rows and sessions.opened is not None,
                    timeout=10_000)


def _click_row_of(qtbot, window, session_id: int) -> None:
    table = window.sessions.table
    proxy = table.model()
    row = next(r for r in range(proxy.rowCount())
               if proxy.index(r, COLUMNS.index(ID)).data() == str(session_id))
    rect = table.visualRect(proxy.index(row, COLUMNS.index(TITLE)))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _import(qtbot, window) -> None:
    window.importer.last = None
    window.import_action.trigger()
    qtbot.waitUntil(lambda: window.importer.last is not None, timeout=10_000)


def test_import_goes_into_the_row_selected_not_the_one_shown_below(
        qtbot, studio, tmp_path, monkeypatch):
    morning, evening = _sessions(studio.store)
    window = studio.window
    window.show()
    _open_sessions_view(qtbot, window, rows=2)
    qtbot.waitUntil(lambda: _viewers_shown(window, morning) == "0", timeout=10_000)
    assert window.sessions.opened == evening  # the newest opens by itself
    _click_row_of(qtbot, window, morning)
    assert window.sessions.opened == evening  # a click selects; its figures are not opened
    dialogs = Dialogs(monkeypatch, _event_file(tmp_path))
    _import(qtbot, window)
    assert len(studio.store.events(morning)) == 3
    assert studio.store.events(evening) == []
    for said in (dialogs.chooser[0], dialogs.questions[0], dialogs.results[0]):
        assert f"session {morning}" in said and "Morning show" in said, said
    assert "joins.csv" in dialogs.questions[0] and "(US)" in dialogs.questions[0]
    # The list shows the new figures and keeps the row selected.
    qtbot.waitUntil(lambda: _viewers_shown(window, morning) == "3", timeout=10_000)
    assert window.sessions.selected_session().id == morning


def test_import_on_air_goes_to_the_show_from_live_and_to_the_selected_row_from_sessions(
        qtbot, studio, tmp_path, monkeypatch):
    morning, _evening = _sessions(studio.store)
    window = studio.window
    window.show()
    with qtbot.waitSignal(studio.controller.started, timeout=10_000) as started:
        window.live._start(SessionRequest(market="US", title="On air", source=DEMO_SOURCE))
    on_air = started.args[0].id
    dialogs = Dialogs(monkeypatch, _event_file(tmp_path))
    _import(qtbot, window)  # from the Live view
    assert len(studio.store.events(on_air, ["join"])) == 3
    assert f"session {on_air}" in dialogs.questions[-1]
    _open_sessions_view(qtbot, window, rows=3)
    _click_row_of(qtbot, window, morning)
    _import(qtbot, window)  # from the Sessions view, a row selected
    assert len(studio.store.events(morning)) == 3
    assert f"session {morning}" in dialogs.questions[-1]
    with qtbot.waitSignal(studio.controller.stopped, timeout=10_000):
        window.start_action.trigger()


def test_import_that_is_not_confirmed_writes_nothing(qtbot, studio, tmp_path, monkeypatch):
    morning, evening = _sessions(studio.store)
    window = studio.window
    _open_sessions_view(qtbot, window, rows=2)
    dialogs = Dialogs(monkeypatch, _event_file(tmp_path))
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *args, **kwargs: QMessageBox.StandardButton.Cancel)
    window.import_action.trigger()
    assert window.importer.last is None and not dialogs.results
    assert studio.store.events(morning) == [] and studio.store.events(evening) == []


def test_import_with_no_session_anywhere_shows_the_sessions_to_choose_from(
        qtbot, studio, tmp_path, monkeypatch):
    dialogs = Dialogs(monkeypatch, _event_file(tmp_path))
    studio.window.import_action.trigger()
    assert not dialogs.chooser  # nothing to import into: no file is asked for
    assert studio.window.current_view() == "sessions"
    assert dialogs.results and "session" in dialogs.results[0]


# -- ingest and source --

def test_the_status_bar_says_why_ingest_is_off(qapp, qtbot, tmp_path, english_light):
    reason = "port {port} is in use by another program"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with Store(tmp_path / "studio.db") as store:
            app = Studio(qapp, store, language="en", ingest_port=port)
            try:
                text = app.window.ingest_label.text()
                assert text == f"Ingest: off ({reason.format(port=port)})"
                menu_action(app.window, "language-zh_CN").trigger()  # said again, in Chinese
                assert _in("zh_CN", reason).format(port=port) in app.window.ingest_label.text()
            finally:
                app.window.hide()
                app.close()


def test_the_ingest_dialogs_example_is_timed_now(qtbot, studio):
    from studio.ui.ingest_dialog import curl_example

    now = datetime(2027, 3, 4, 5, 6, 7).astimezone()
    assert f'"ts": "{now.isoformat(timespec="seconds")}"' in curl_example("http://x", 3, now)
    example = curl_example("http://x", 3)
    stamp = example.split('"ts": "')[1].split('"')[0]
    assert datetime.fromisoformat(stamp).date() == datetime.now().astimezone().date()


def test_a_real_session_does_not_default_to_the_test_pattern(qtbot, monkeypatch):
    from studio.capture.devices import Device
    from studio.ui.live import controls

    monkeypatch.setattr(controls, "known_devices", lambda: ())
    bare = controls.SessionControls()
    qtbot.addWidget(bare)
    assert bare.source_text() == "" and bare.request().source == ""
    demo = bare.source.findData(DEMO_SOURCE)
    assert demo >= 0  # still offered, when chosen
    bare.source.setCurrentIndex(demo)
    assert bare.request().source == DEMO_SOURCE
    monkeypatch.setattr(controls, "known_devices", lambda: (Device(0, "Camera", 0),))
    with_camera = controls.SessionControls()
    qtbot.addWidget(with_camera)
    assert with_camera.request().source == "0"


def test_start_without_a_source_makes_no_session(qtbot, studio, monkeypatch):
    live = studio.window.live
    live.controls.source.setEditText("")
    with qtbot.waitSignal(studio.controller.failed, timeout=10_000):
        qtbot.mouseClick(live.controls.button, Qt.MouseButton.LeftButton)
    assert studio.store.sessions() == []
    assert live.banner.text().startswith("Choose a source first")
