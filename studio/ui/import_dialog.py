"""Importing a platform export or an event file into a session, with progress, as a background
task. A file is imported whole or not at all; the error names file, row and column, in the
import problems dialog."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from studio.core.importers import import_file
from studio.core.importers.run import ImportReport
from studio.core.store import Session, Store
from studio.i18n import _, ngettext
from studio.i18n.render import render
from studio.ui.errors import shown_in_place
from studio.ui.import_problems import show_import_problems
from studio.ui.sessions_view import session_label
from studio.ui.tasks import Tasks


@dataclass(frozen=True, slots=True)
class ImportFinished:
    report: ImportReport | None
    error: str | None = None
    session: Session | None = None  # where the events went


class ImportRunner:
    def __init__(self, store: Store, parent: QWidget,
                 on_imported: Callable[[int], None]) -> None:
        """`on_imported(session_id)`: events were written into that session."""
        self.store = store
        self.parent = parent
        self.on_imported = on_imported
        self._tasks = Tasks("import", parent=parent)
        self._dialog: QProgressDialog | None = None
        self.last: ImportFinished | None = None

    def choose_and_import(self, target: Session) -> None:
        """Asks for a file, then for a yes naming the file and the session, then imports."""
        label = session_label(target)
        path, _filter = QFileDialog.getOpenFileName(
            self.parent, _("Import events into {session}").format(session=label), "",
            _("Event files and platform exports (*.csv *.jsonl *.json *.xlsx);;All files (*)"))
        if not path:
            return
        answer = QMessageBox.question(
            self.parent, _("Import events"),
            _("Import {file} into {session}?").format(file=Path(path).name, session=label),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Yes:
            self.start(target, Path(path))

    def start(self, target: Session, path: Path) -> None:
        dialog = QProgressDialog(_("Importing {name}…").format(name=path.name), "", 0, 1000,
                                 self.parent)
        dialog.setWindowTitle(_("Import events"))
        dialog.setCancelButton(None)  # one transaction: it finishes or writes nothing
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        self._dialog = dialog
        work = partial(import_file, progress=self._tasks.on_main(self._progress))
        self._tasks.run(work, self.store, target.id, path,
                        on_done=partial(self._imported, target), on_error=self._failed)

    def shutdown(self) -> None:
        """An import under way still finishes: it is one transaction."""
        self._tasks.shutdown(wait=True)

    def _progress(self, done: int, total: int) -> None:
        if self._dialog is not None:
            self._dialog.setValue(int(1000 * done / total) if total else 0)

    def _close_progress(self) -> None:
        if self._dialog is not None:
            self._dialog.reset()
            self._dialog = None

    def _failed(self, error: BaseException) -> None:
        """ImportFailed names file, row and column, every problem on its line."""
        self._close_progress()
        message = shown_in_place(error, "importing events")
        self.last = ImportFinished(None, message)
        show_import_problems(self.parent, message)

    def _imported(self, target: Session, report: ImportReport) -> None:
        self._close_progress()
        self.last = ImportFinished(report, session=target)
        self.on_imported(target.id)
        text = _("Into {session}:").format(session=session_label(target)) + "\n"
        text += ngettext("{rows} event read, {added} added, {duplicates} already there.",
                         "{rows} events read, {added} added, {duplicates} already there.",
                         report.rows).format(
            rows=report.rows, added=report.added, duplicates=report.duplicates)
        if report.warnings:
            text += "\n\n" + "\n".join(render(warning) for warning in report.warnings)
        QMessageBox.information(self.parent, _("Import finished"), text)
