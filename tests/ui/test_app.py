"""The shell: sessions view, language and theme switches, the screenshot command."""

from __future__ import annotations

from babel.messages.pofile import read_po
from PySide6.QtGui import QImage, QPalette
from PySide6.QtWidgets import QApplication

from studio.cli import main
from studio.i18n import catalog_path
from studio.ui.session_columns import GMV, ID, PAID_ORDERS, VIEWERS
from studio.ui.sessions_view import SessionsView
from tests.core.onair_logs import show_session


def _catalog(language: str) -> dict[str, str]:
    with catalog_path(language).open("rb") as fh:
        return {m.id: m.string for m in read_po(fh) if m.id and m.string}


def test_sessions_view_lists_sessions_and_opens_the_newest(qtbot, store):
    first = show_session(store)
    second = show_session(store)
    view = SessionsView(store)
    qtbot.addWidget(view)
    view.refresh()
    qtbot.waitUntil(lambda: view.row_count() == 2 and view.cell(0, GMV) != "…", timeout=10_000)
    qtbot.waitUntil(lambda: view.opened == second, timeout=10_000)
    row = next(r for r in range(2) if view.cell(r, ID) == str(first))
    assert view.cell(row, VIEWERS) == "3"
    assert view.cell(row, PAID_ORDERS) == "1"
    assert view.cell(row, GMV) == "$20.00"
    assert view.panels.funnel.counts == [3, 2, 1, 1, 1]
    view.open_session(first)
    qtbot.waitUntil(lambda: view.opened == first, timeout=10_000)
    view.shutdown()


def test_switching_language_rebuilds_the_window_translated(qtbot, studio):
    zh = _catalog("zh_CN")
    assert zh.get("Live Studio Companion") and zh.get("Sessions")
    studio.window.show_view("sessions")
    studio.set_language("zh_CN")
    window = studio.window
    assert window.windowTitle() == zh["Live Studio Companion"]
    assert window.tabs.tabText(1) == zh["Sessions"]
    assert window.current_view() == "sessions"  # the rebuilt window keeps its place
    assert QApplication.instance().layoutDirection().name == "LeftToRight"
    studio.set_language("en")
    assert studio.window.windowTitle() == "Live Studio Companion"


def test_dark_theme_changes_the_palette(qtbot, studio):
    studio.set_theme("dark")
    window = QApplication.instance().palette().color(QPalette.ColorRole.Window)
    assert window.lightness() < 80
    studio.set_theme("light")
    assert QApplication.instance().palette().color(QPalette.ColorRole.Window).lightness() > 180


def test_screenshot_renders_a_session(qtbot, store, tmp_path, capsys):
    session_id = show_session(store)
    for view in ("live", "compact", "sessions", "scripts", "review"):
        out = tmp_path / f"{view}.png"
        code = main(["screenshot", view, "--db", str(store.path), "--session", str(session_id),
                     "--out", str(out), "--size", "1200x800"])
        assert code == 0, capsys.readouterr().err
        image = QImage(str(out))
        assert not image.isNull()
        if view != "compact":  # the window may not shrink below what its layout needs
            assert image.width() == 1200 and image.height() >= 800


def test_screenshot_demo_in_chinese(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr("studio.commands._screenshot.DEMO_WARMUP_S", 1.5)
    out = tmp_path / "live.png"
    assert main(["screenshot", "live", "--demo", "--lang", "zh_CN", "--out", str(out)]) == 0
    assert out.stat().st_size > 10_000


def test_screenshot_bad_input_is_one_line(tmp_path, capsys):
    assert main(["screenshot", "nowhere", "--demo", "--out", str(tmp_path / "x.png")]) == 1
    assert 'view "nowhere"' in capsys.readouterr().err
    assert main(["screenshot", "live", "--session", "3", "--out", str(tmp_path / "x.png")]) == 1
    assert main(["screenshot", "live", "--size", "big", "--out", str(tmp_path / "x.png")]) == 1
    assert main(["screenshot", "live", "--lang", "xx", "--out", str(tmp_path / "x.png")]) == 1
    assert '--lang "xx" is neither an offered language' in capsys.readouterr().err


def test_window_geometry_and_market_are_remembered(qapp, tmp_path):
    from studio.app import Studio
    from studio.core.store import Store
    from studio.ui.settings import GEOMETRY

    with Store(tmp_path / "a.db") as store:
        first = Studio(qapp, store, language="en")
        first.window.show()
        first.window.move(40, 30)
        first.window.live.controls.select_market("DE")
        first.save_window()
        first.window.shutdown()
        first.controller.shutdown()
        second = Studio(qapp, store, language="en")
        second.restore_window()
        second.window.show()
        assert second.window.live.controls.market.currentData() == "DE"
        assert GEOMETRY.get()  # the offscreen screen clamps sizes: not compared
        for window in (first.window, second.window):
            window.hide()
        second.window.shutdown()
        second.controller.shutdown()
