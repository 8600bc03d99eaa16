"""A failed import from the window lists every problem the importer found (up to 20), not the
first one and a count of the others."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QMessageBox

from studio.ui.import_problems import ImportProblemsDialog

BAD_ROWS = 25


def _bad_file(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("ts,kind,viewer,qty\n" + "".join(
        f"1795636800,add_to_cart,v{n},{n}x\n" for n in range(BAD_ROWS)), encoding="utf-8")
    return path


def test_import_errors_are_all_listed_in_the_window(qtbot, studio, tmp_path, monkeypatch):
    session = studio.store.create_session(market="US", title="Morning show")
    window = studio.window
    window.show()
    window.show_view("sessions")
    qtbot.waitUntil(lambda: window.sessions.selected_session() is not None, timeout=10_000)
    monkeypatch.setattr("studio.ui.import_dialog.QFileDialog.getOpenFileName",
                        lambda *args, **kwargs: (str(_bad_file(tmp_path)), ""))
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *args, **kwargs: QMessageBox.StandardButton.Yes)
    # A message box would block the test; a failure must not be shown in one anyway.
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda *args, **kwargs: QMessageBox.StandardButton.Ok)

    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.findChild(ImportProblemsDialog) is not None, timeout=10_000)

    dialog = window.findChild(ImportProblemsDialog)
    assert dialog.isVisible()
    shown = dialog.list.toPlainText().splitlines()
    assert shown[0] == 'events.csv:2: qty "0x" is not a whole number'
    assert shown[19] == 'events.csv:21: qty "19x" is not a whole number'
    assert shown[20] == "events.csv: 5 more problems, not listed (only the first 20 are)"
    assert len(shown) == 21
    assert studio.store.event_count(session) == 0
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5_000)


def test_one_problem_is_said_in_the_singular(qtbot):
    dialog = ImportProblemsDialog('events.csv:2: amount "12,5O" is not a number')
    qtbot.addWidget(dialog)
    assert dialog.list.toPlainText() == 'events.csv:2: amount "12,5O" is not a number'
    said = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "Fix this problem and" in said
