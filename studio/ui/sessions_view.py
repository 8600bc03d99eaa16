"""The Sessions view: every session with its key figures; opening one shows its graphs.

Figures are computed on a worker thread, one session at a time, and fill the table as they
arrive, so a database of long shows opens at once and never freezes the window.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QKeySequence, QShortcut, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from studio.core.metrics import compute
from studio.core.metrics.model import Figures
from studio.core.onair.board import BoardView, review_view
from studio.core.store import Session, Store
from studio.i18n import _, ngettext
from studio.i18n.format import MISSING
from studio.ui.bridge import Relay
from studio.ui.live.board_panels import BoardPanels
from studio.ui.session_columns import COLUMNS, FIGURE_COLUMNS, ID, SESSION_COLUMNS, Column

log = logging.getLogger(__name__)

SORT_ROLE = Qt.ItemDataRole.UserRole + 1


def session_label(session: Session) -> str:
    """How a session is named wherever the user must tell one from another."""
    return _("session {id} · {title} ({market})").format(
        id=session.id, title=session.title, market=session.market)


@dataclass(frozen=True, slots=True)
class SessionList:
    sessions: tuple[Session, ...]


@dataclass(frozen=True, slots=True)
class KeyFigures:
    session_id: int
    figures: Figures | None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class OpenedSession:
    view: BoardView | None
    error: str | None = None


class SessionsView(QWidget):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="sessions")
        self._computed: dict[int, Figures] = {}  # finished sessions' (worker thread only)
        self._closed = False
        self._relay = Relay(self)
        self._relay.arrived.connect(self._arrived)
        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels([column.heading() for column in COLUMNS])
        proxy = QSortFilterProxyModel(self)
        proxy.setSourceModel(self.model)
        proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setModel(proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COLUMNS.index(ID), Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for index, column in enumerate(COLUMNS):
            if column.stretch:
                header.setSectionResizeMode(index, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.activated.connect(lambda index: self.open_session(self._id_at(index.row())))
        self.status = QLabel("")
        refresh = QPushButton(_("Refresh"))
        refresh.setToolTip(_("Reload the list of sessions (Ctrl+R)"))
        refresh.clicked.connect(self.refresh)
        QShortcut(QKeySequence("Ctrl+R"), self, activated=self.refresh)
        self.panels = BoardPanels()
        self.panels.interaction.set_answerable(False)  # answering is for the show on air
        self.title = QLabel(_("Open a session (double-click or Enter) to see its graphs."))
        top = QWidget()
        top_layout = QVBoxLayout(top)
        bar = QHBoxLayout()
        bar.addWidget(self.status, 1)
        bar.addWidget(refresh)
        top_layout.addLayout(bar)
        top_layout.addWidget(self.table)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.addWidget(self.title)
        bottom_layout.addWidget(self.panels, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setSizes([260, 600])
        layout = QVBoxLayout(self)
        layout.addWidget(split)
        self.opened: int | None = None
        self._sessions: dict[int, Session] = {}
        self._pending = 0

    # -- GUI thread --

    def refresh(self) -> None:
        self.status.setText(_("Loading sessions…"))
        self._executor.submit(self._load_list)

    def open_session(self, session_id: int | None) -> None:
        if session_id is None:
            return
        self.title.setText(_("Loading session {id}…").format(id=session_id))
        self._executor.submit(self._open, session_id)

    def selected_session(self) -> Session | None:
        """The row the user selected (a click); not necessarily the one opened below."""
        rows = self.table.selectionModel().selectedRows()
        return self._sessions.get(self._id_at(rows[0].row())) if rows else None

    def forget_figures(self, session_id: int) -> None:
        """Its events changed (an import): the next refresh computes its figures again."""
        if not self._closed:  # an import that outlived its window (a rebuild)
            self._executor.submit(self._computed.pop, session_id, None)

    def shutdown(self, wait: bool = True) -> None:
        """wait=False (a window rebuild): the figures under way are dropped, not waited for."""
        self._closed = True
        self._executor.shutdown(wait=wait, cancel_futures=True)

    def row_count(self) -> int:
        return self.model.rowCount()

    def cell(self, row: int, column: Column) -> str:
        return self._item(row, column).text()

    def _item(self, row: int, column: Column) -> QStandardItem:
        return self.model.item(row, COLUMNS.index(column))

    def _id_at(self, proxy_row: int) -> int | None:
        proxy = self.table.model()
        index = proxy.mapToSource(proxy.index(proxy_row, COLUMNS.index(ID)))
        item = self._item(index.row(), ID)
        return None if item is None else int(item.data(SORT_ROLE))

    def _arrived(self, payload: object) -> None:
        if isinstance(payload, SessionList):
            self._fill(payload.sessions)
        elif isinstance(payload, KeyFigures):
            self._figures(payload)
        elif isinstance(payload, OpenedSession):
            self._opened(payload)

    def _fill(self, sessions: tuple[Session, ...]) -> None:
        selected = self.selected_session()
        self._sessions = {session.id: session for session in sessions}
        self.model.removeRows(0, self.model.rowCount())
        for session in sessions:
            self.model.appendRow(
                [_item(column.text(session), column.sort_key(session))
                 for column in SESSION_COLUMNS]
                + [_item("…", 0) for _column in FIGURE_COLUMNS])
        self._pending = len(sessions)
        if sessions and self.opened is None:
            self.table.selectRow(0)
            self.open_session(self._id_at(0))
        elif selected is not None:  # a refresh keeps the user's selection
            self._select(selected.id)
        self.status.setText(
            ngettext("{n} session", "{n} sessions", len(sessions)).format(n=len(sessions))
            if sessions else
            _("No sessions yet: start one in the Live view, or import a platform export."))

    def _figures(self, result: KeyFigures) -> None:
        self._pending -= 1
        row = self._row_of(result.session_id)
        if row is None:
            return
        for column in FIGURE_COLUMNS:
            item = self._item(row, column)
            if result.figures is None:  # every figure of the row is missing, and says why
                item.setText(MISSING)
                item.setToolTip(result.error or "")
            else:
                item.setText(column.text(result.figures))
                item.setData(column.sort_key(result.figures), SORT_ROLE)
        if self._pending <= 0:
            rows = self.model.rowCount()
            self.status.setText(ngettext("{n} session", "{n} sessions", rows).format(n=rows))

    def _opened(self, result: OpenedSession) -> None:
        if result.view is None:
            self.title.setText(result.error or "")
            return
        session = result.view.session
        self.opened = session.id
        self.title.setText(f"{session.id} · {session.title} · {session.market}")
        self.panels.show_view(result.view)

    def _select(self, session_id: int) -> None:
        row = self._row_of(session_id)
        if row is not None:
            proxy = self.table.model()
            self.table.selectRow(
                proxy.mapFromSource(self.model.index(row, COLUMNS.index(ID))).row())

    def _row_of(self, session_id: int) -> int | None:
        for row in range(self.model.rowCount()):
            if int(self._item(row, ID).data(SORT_ROLE)) == session_id:
                return row
        return None

    # -- worker thread --

    def _load_list(self) -> None:
        sessions = tuple(self.store.sessions())
        self._relay.send(SessionList(sessions))
        for session in sorted(sessions, key=lambda s: -s.id):
            if self._closed:
                return
            try:
                figures = self._computed.get(session.id) or compute(self.store, session.id)
                if session.ended_at is not None:  # a session on air keeps changing
                    self._computed[session.id] = figures
                self._relay.send(KeyFigures(session.id, figures))
            except Exception as exc:  # one broken session must not hide the others
                log.exception("figures of session %s", session.id)
                self._relay.send(KeyFigures(session.id, None, str(exc)))

    def _open(self, session_id: int) -> None:
        try:
            figures = self._computed.get(session_id)
            self._relay.send(OpenedSession(review_view(self.store, session_id, figures)))
        except Exception as exc:
            log.exception("opening session %s", session_id)
            self._relay.send(OpenedSession(None, str(exc)))


def _item(text: str, key: object) -> QStandardItem:
    item = QStandardItem(text)
    item.setData(key, SORT_ROLE)
    return item
