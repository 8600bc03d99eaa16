"""A view is one entry in studio.ui.views: its tab, its View-menu entry and its Alt+N shortcut
follow from it, and `studio screenshot` offers it."""

from __future__ import annotations

import argparse

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel

from studio.commands import screenshot
from studio.commands._screenshot import SCREENSHOT_VIEWS
from studio.i18n import N_
from studio.ui import main_window
from studio.ui.main_window import MainWindow
from studio.ui.views import VIEW_NAMES, VIEWS, View


def test_one_entry_makes_a_tab_a_menu_entry_and_a_shortcut(qtbot, studio, monkeypatch):
    extra = View("extra", N_("Extra"), lambda context: QLabel(str(context.store.path)))
    monkeypatch.setattr(main_window, "VIEWS", (*VIEWS, extra))
    window = MainWindow(studio.store, studio.controller)
    qtbot.addWidget(window)
    number = len(VIEWS) + 1
    assert window.tabs.tabText(number - 1) == "Extra"
    action = window.findChild(QAction, "view-extra")
    assert action.text() == "Extra" and action.shortcut().toString() == f"Alt+{number}"
    action.trigger()
    assert window.current_view() == "extra"
    assert window.tabs.currentWidget().text() == str(studio.store.path)
    window.shutdown()


def test_studio_screenshot_offers_every_view(capsys):
    assert (*VIEW_NAMES, "compact") == SCREENSHOT_VIEWS
    parser = argparse.ArgumentParser(prog="studio")
    screenshot.register(parser.add_subparsers())
    with pytest.raises(SystemExit):
        parser.parse_args(["screenshot", "--help"])
    said = capsys.readouterr().out
    assert all(name in said for name in SCREENSHOT_VIEWS), said
