"""Light and dark themes: one palette for the widgets and the matching graph colours.

Fusion with an explicit palette looks the same on every desktop, which matters for a tool a
team shares screenshots of. Status colours follow OBS's stats dock: green, amber, red.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

THEMES = ("light", "dark")
STATUS_COLOURS = {"OK": "#2e9d4f", "WARN": "#e0a100", "CRIT": "#d93a2b", "": "#8a8f98"}


@dataclass(frozen=True, slots=True)
class GraphColours:
    background: str
    foreground: str
    line: str
    accent: str
    incident: str
    marker: str


GRAPH = {
    "light": GraphColours("#ffffff", "#30343b", "#1f6fd1", "#e07b00", "#d93a2b40", "#7b4fd0"),
    "dark": GraphColours("#1e2126", "#d7dae0", "#5aa7ff", "#ffae42", "#ff5a4a50", "#b394ff"),
}

_current = "light"


def current_theme() -> str:
    return _current


def graph_colours() -> GraphColours:
    return GRAPH[_current]


def apply_theme(app: QApplication, theme: str) -> str:
    global _current
    theme = theme if theme in THEMES else "light"
    _current = theme
    app.setStyle("Fusion")
    app.setPalette(_palette(theme))
    colours = GRAPH[theme]
    pg.setConfigOptions(background=colours.background, foreground=colours.foreground,
                        antialias=True)
    return theme


def _palette(theme: str) -> QPalette:
    palette = QPalette()
    if theme == "light":
        return QApplication.style().standardPalette()
    roles = {
        QPalette.ColorRole.Window: "#25282e",
        QPalette.ColorRole.WindowText: "#e6e8eb",
        QPalette.ColorRole.Base: "#1e2126",
        QPalette.ColorRole.AlternateBase: "#2b2f36",
        QPalette.ColorRole.ToolTipBase: "#2b2f36",
        QPalette.ColorRole.ToolTipText: "#e6e8eb",
        QPalette.ColorRole.Text: "#e6e8eb",
        QPalette.ColorRole.Button: "#2f333a",
        QPalette.ColorRole.ButtonText: "#e6e8eb",
        QPalette.ColorRole.BrightText: "#ff6b5a",
        QPalette.ColorRole.Highlight: "#3d7bd9",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.PlaceholderText: "#8a8f98",
        QPalette.ColorRole.Link: "#5aa7ff",
    }
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor("#6b7079"))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText,
                     QColor("#6b7079"))
    return palette
