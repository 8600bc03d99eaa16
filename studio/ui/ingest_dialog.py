"""The live ingest endpoint, as the app shows it: its address, the token to copy into a relay,
a ready curl line for the session on air, and a way to replace a leaked token."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studio.i18n import _
from studio.ingest import IngestServer, new_installation_token


def curl_example(url: str, session_id: int | None, now: datetime | None = None) -> str:
    """Timed now (default), so that the event pasted during a show lands inside it."""
    target = f"{url}/v1/sessions/{session_id if session_id is not None else 'ID'}/events"
    ts = (now or datetime.now().astimezone()).isoformat(timespec="seconds")
    return (
        'curl -sS -H "Authorization: Bearer $STUDIO_TOKEN" '
        '-H "Content-Type: application/json" \\\n'
        f"  -d '[{{\"ts\": \"{ts}\", \"kind\": \"comment\", "
        "\"viewer\": \"v1\", \"text\": \"ship to Texas?\"}]' \\\n"
        f"  {target}"
    )


def _copy_row(text: str) -> tuple[QLineEdit, QWidget]:
    field = QLineEdit(text)
    field.setReadOnly(True)
    button = QPushButton(_("Copy"))
    button.clicked.connect(lambda: QGuiApplication.clipboard().setText(field.text()))
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(field, 1)
    layout.addWidget(button)
    return field, row


class IngestDialog(QDialog):
    def __init__(self, server: IngestServer | None, error: str | None,
                 session_id: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Live ingest"))
        self.server = server
        layout = QVBoxLayout(self)
        if server is None or not server.running:
            layout.addWidget(QLabel(_("The ingest endpoint is not running: {error}").format(
                error=error or _("it is turned off"))))
        else:
            form = QFormLayout()
            self.url, url_row = _copy_row(server.url)
            self.token, token_row = _copy_row(server.token)
            form.addRow(_("Address"), url_row)
            form.addRow(_("Token"), token_row)
            layout.addLayout(form)
            if server.exposed:
                warning = QLabel(_("Reachable from other machines: anyone on the network with "
                                   "the token can write events."))
                warning.setStyleSheet("color: #d93a2b;")
                layout.addWidget(warning)
            layout.addWidget(QLabel(_("Relays post events with the header Authorization: "
                                      "Bearer <token>. For the session on air:")))
            example = QPlainTextEdit(curl_example(server.url, session_id))
            example.setReadOnly(True)
            example.setMaximumHeight(90)
            layout.addWidget(example)
            renew = QPushButton(_("New token…"))
            renew.setToolTip(_("Replace the token, e.g. after it leaked; relays need the new one"))
            renew.clicked.connect(self._renew)
            layout.addWidget(renew)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _renew(self) -> None:
        answer = QMessageBox.question(
            self, _("New token"),
            _("Relays that use the old token will be refused from now on. Replace it?"))
        if answer != QMessageBox.StandardButton.Yes or self.server is None:
            return
        self.server.token = new_installation_token()
        self.token.setText(self.server.token)
