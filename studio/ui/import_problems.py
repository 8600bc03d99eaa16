"""Why an import failed: every problem the importer listed (up to 20, docs/importing.md), in a
list the user can read, scroll and copy, instead of the first one and a count of the rest."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from studio.i18n import _, ngettext

SHOWN_LINES = 12  # the list grows to this many lines, then scrolls


class ImportProblemsDialog(QDialog):
    """`error`: the failed import's message, one problem per line (ImportFailed's form)."""

    def __init__(self, error: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("import-problems")
        self.setWindowTitle(_("Import failed"))
        self.problems = [line for line in error.splitlines() if line.strip()]
        summary = QLabel(ngettext(
            "Nothing was imported: a file goes in whole or not at all. Fix this problem and "
            "import the file again.",
            "Nothing was imported: a file goes in whole or not at all. Fix these problems and "
            "import the file again.",
            len(self.problems)))
        summary.setWordWrap(True)
        self.list = QPlainTextEdit("\n".join(self.problems))
        self.list.setReadOnly(True)
        self.list.setAccessibleName(_("Problems"))
        self.list.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        lines = min(max(len(self.problems), 3), SHOWN_LINES)
        self.list.setMinimumHeight(QFontMetrics(self.list.font()).lineSpacing() * (lines + 1))
        self.list.setMinimumWidth(QFontMetrics(self.list.font()).averageCharWidth() * 80)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)


def show_import_problems(parent: QWidget, error: str) -> ImportProblemsDialog:
    """Opens the list without blocking the event loop (window-modal); returns it."""
    dialog = ImportProblemsDialog(error, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.open()
    return dialog
