"""Importing a platform export or an event file into a session, with progress, off the GUI
thread. A file is imported whole or not at all; the error names file, row and column."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from studio.core.importers import import_file
from studio.core.importers.run import ImportReport
from studio.core.store import Session, Store
from studio.i18n import _, ngettext
from studio.i18n.render import render, render_error
from studio.ui.bridge import Relay
from studio.ui.import_problems import show_import_problems
from studio.ui.sessions_view import session_label


@dataclass(frozen=True, slots=True)
class ImportProgress:
    done: int
    total: int


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
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="import")
        self._relay = Relay(parent)
        self._relay.arrived.connect(self._arrived)
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
        self._executor.submit(self._run, target, path)

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True)

    def _run(self, target: Session, path: Path) -> None:
        try:
            report = import_file(
                self.store, target.id, path,
                progress=lambda done, total: self._relay.send(ImportProgress(done, total)))
        except Exception as exc:  # ImportFailed names file, row and column
            self._relay.send(ImportFinished(None, render_error(exc)))
            return
        self._relay.send(ImportFinished(report, session=target))

    def _arrived(self, payload: object) -> None:
        if isinstance(payload, ImportProgress) and self._dialog is not None:
            self._dialog.setValue(int(1000 * payload.done / payload.total) if payload.total else 0)
            return
        if not isinstance(payload, ImportFinished):
            return
        if self._dialog is not None:
            self._dialog.reset()
            self._dialog = None
        self.last = payload
        if payload.report is None:
            show_import_problems(self.parent, payload.error or "")
            return
        report, target = payload.report, payload.session  # a report always has its session
        self.on_imported(target.id)
        text = _("Into {session}:").format(session=session_label(target)) + "\n"
        text += ngettext("{rows} event read, {added} added, {duplicates} already there.",
                         "{rows} events read, {added} added, {duplicates} already there.",
                         report.rows).format(
            rows=report.rows, added=report.added, duplicates=report.duplicates)
        if report.warnings:
            text += "\n\n" + "\n".join(render(warning) for warning in report.warnings)
        QMessageBox.information(self.parent, _("Import finished"), text)
