"""The Sessions view says what the Live view says about the show on air, and dates every session
from the start its figures use."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox

from studio.core.events import Event
from studio.i18n.format import MISSING, share
from studio.ui.session_columns import ID, STARTED, STAYED, TITLE, VIEWERS

START = 1_795_000_000


def _open_sessions(qtbot, window) -> None:
    window.findChild(QAction, "view-sessions").trigger()
    assert window.current_view() == "sessions"


def _row(sessions, session_id: int) -> int:
    return next(r for r in range(sessions.row_count()) if sessions.cell(r, ID) == str(session_id))


def test_the_show_on_air_opened_in_sessions_shows_the_live_views_figures(qtbot, studio):
    window = studio.window
    window.show()
    with qtbot.waitSignal(studio.controller.started, timeout=10_000) as started:
        studio.start_demo(speed=60, minutes=30, viewers=400)
    on_air = started.args[0].id
    history = studio.controller.history
    # Viewers still in the room: on air, their stay is censored, not a departure.
    qtbot.waitUntil(lambda: history.view is not None and history.view.figures.traffic.viewers > 20
                    and history.view.figures.undecided is not None
                    and history.view.figures.undecided.effective_ratio > 0, timeout=20_000)
    _open_sessions(qtbot, window)
    sessions = window.sessions
    qtbot.waitUntil(lambda: sessions.opened == on_air, timeout=10_000)  # the newest opens
    shown, live = sessions.panels, window.live.panels
    # Both show the live board's latest view, and follow it as it moves.
    assert shown.view is history.view and live.view is history.view
    first = history.view
    qtbot.waitUntil(lambda: history.view is not first, timeout=10_000)
    assert shown.view is history.view
    for stat in ("effective", "bounce", "viewers", "elapsed"):
        said, meant = getattr(shown, stat), getattr(live, stat)
        assert (said.value.text(), said.caption.text()) == (meant.value.text(),
                                                            meant.caption.text()), stat
    assert "undecided" in shown.effective.caption.text()
    row = _row(sessions, on_air)
    assert sessions.cell(row, STAYED) == share(history.view.figures.traffic.effective_ratio)
    with qtbot.waitSignal(studio.controller.stopped, timeout=10_000):
        window.start_action.trigger()
    assert shown.view.session.ended_at is not None  # the show's final figures, not "so far"


def test_a_session_without_a_stored_start_starts_at_its_first_event(qtbot, studio):
    store = studio.store
    given = store.create_session(market="US", title="Given start", platform="tiktok",
                                 started_at=START, ended_at=START + 600)
    imported = store.create_session(market="US", title="Imported", platform="tiktok")
    store.add_events(imported, [Event(ts=START, kind="join", viewer="a"),
                                Event(ts=START + 60, kind="leave", viewer="a")]).result()
    empty = store.create_session(market="US", title="Nothing yet", platform="tiktok")
    window = studio.window
    window.show()
    _open_sessions(qtbot, window)
    sessions = window.sessions
    qtbot.waitUntil(lambda: sessions.row_count() == 3, timeout=10_000)
    started = {sessions.cell(r, TITLE): sessions.cell(r, STARTED)
               for r in range(sessions.row_count())}
    assert started["Imported"] == started["Given start"] != MISSING
    assert started["Nothing yet"] == MISSING
    assert {given, imported, empty} == {int(sessions.cell(r, ID)) for r in range(3)}


def test_an_import_into_the_opened_session_shows_in_its_graphs(
        qtbot, studio, tmp_path, monkeypatch):
    session_id = studio.store.create_session(market="US", title="Morning", platform="tiktok",
                                             started_at=START, ended_at=START + 600)
    path = tmp_path / "joins.csv"
    path.write_text("ts,kind,viewer\n" + "".join(f"{START + 5 + n},join,v{n}\n"
                                                 for n in range(3)), encoding="utf-8")
    monkeypatch.setattr("studio.ui.import_dialog.QFileDialog.getOpenFileName",
                        lambda *args, **kwargs: (str(path), ""))
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *args, **kwargs: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "information", lambda *args, **kwargs: None)
    window = studio.window
    window.show()
    _open_sessions(qtbot, window)
    sessions = window.sessions
    qtbot.waitUntil(lambda: sessions.opened == session_id, timeout=10_000)
    assert sessions.panels.viewers.value.text() == "0"
    window.import_action.trigger()
    qtbot.waitUntil(lambda: sessions.cell(_row(sessions, session_id), VIEWERS) == "3",
                    timeout=10_000)
    qtbot.waitUntil(lambda: sessions.panels.viewers.value.text() == "3", timeout=10_000)
