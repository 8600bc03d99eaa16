"""The window says a count of 1 in the singular: "1 session", "1 paid order", "1 event read"
(and translates the pair, not the English plural)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from studio.core.events import Event

START = 1_795_000_000


def _one_buyer_show(store) -> int:
    session_id = store.create_session(market="US", title="Tiny show", platform="tiktok",
                                      started_at=START, ended_at=START + 600)
    store.add_events(session_id, [
        Event(ts=START + 5, kind="join", viewer="a"),
        Event(ts=START + 60, kind="order", viewer="a", order_id="A-1", sku="S", qty=1),
        Event(ts=START + 65, kind="payment", viewer="a", order_id="A-1", amount=9, currency="USD"),
    ]).result()
    return session_id


def test_the_sessions_view_says_one_session_one_viewer_one_paid_order(qtbot, studio):
    _one_buyer_show(studio.store)
    window = studio.window
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5_000)
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_2,
                   Qt.KeyboardModifier.AltModifier)  # View → Sessions
    sessions = window.sessions
    qtbot.waitUntil(lambda: sessions.panels.view is not None, timeout=10_000)
    qtbot.waitUntil(lambda: sessions.status.text() == "1 session", timeout=10_000)
    panels = sessions.panels
    assert panels.orders.caption.text() == "paid order"
    assert panels.viewers.caption.text() == "viewer in all"


def test_an_import_of_one_event_says_one_event_read(qtbot, studio, tmp_path, monkeypatch):
    session_id = _one_buyer_show(studio.store)
    path = tmp_path / "more.csv"
    path.write_text(f"ts,kind,viewer\n{START + 100},join,b\n", encoding="utf-8")
    said: list[str] = []
    monkeypatch.setattr("studio.ui.import_dialog.QFileDialog.getOpenFileName",
                        lambda *args, **kwargs: (str(path), ""))
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *args, **kwargs: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "information",
                        lambda parent, title, text, *args, **kwargs: said.append(text))
    window = studio.window
    window.show()
    window.show_view("sessions")
    qtbot.waitUntil(lambda: window.sessions.selected_session() is not None, timeout=10_000)
    window.import_action.trigger()
    qtbot.waitUntil(lambda: bool(said), timeout=10_000)
    assert "1 event read, 1 added, 0 already there." in said[0]
    assert studio.store.event_count(session_id) == 4


def test_a_flag_that_says_a_count_is_translated_as_a_plural_pair():
    from studio.core.metrics.messages import said
    from studio.i18n import set_language
    from studio.i18n.render import render

    flag = said("health_freeze", count=1, value=6.0)
    assert render(flag).startswith("The picture froze 1 time, 6 s in all")
    assert render(said("health_freeze", count=2, value=6.0)).startswith(
        "The picture froze 2 times, 6 s in all")
    set_language("zh_CN")
    assert render(flag).startswith("画面冻结 1 次，累计 6 秒")
