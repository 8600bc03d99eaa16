"""Installs the interface language: gettext catalog, QLocale, layout direction, Qt's own strings.

Qt's standard dialogs (file pickers, message box buttons) translate through the `qtbase`
catalog that ships with Qt; loading it keeps them in the same language as our own strings.
"""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtWidgets import QApplication

from studio.i18n import is_rtl, set_language

_qt_translator: QTranslator | None = None


def apply_language(app: QApplication, language: str | None) -> str:
    """Install `language` (or the system's); returns the language chosen."""
    global _qt_translator
    chosen = set_language(language)
    QLocale.setDefault(QLocale(chosen))
    app.setLayoutDirection(
        Qt.LayoutDirection.RightToLeft if is_rtl(chosen) else Qt.LayoutDirection.LeftToRight
    )
    if _qt_translator is not None:
        app.removeTranslator(_qt_translator)
        _qt_translator = None
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(f"qtbase_{chosen}", folder):
        app.installTranslator(translator)
        _qt_translator = translator
    return chosen
