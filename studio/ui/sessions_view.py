"""The Sessions view: every session with its key figures; opening one shows its graphs.

Figures are computed as background tasks, one session at a time, and fill the table as they
arrive, so a database of long shows opens at once and never freezes the window. The session on
air is the exception: its row and its graphs follow the live board, so that they say what the
Live view says (shares "so far", the retention curve censored at the show's age).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

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
from studio.core.metrics.prior import session_bounds
from studio.core.onair.board import BoardView, review_view
from studio.core.store import Session, Store
from studio.i18n import _, ngettext
from studio.i18n.format import MISSING
from studio.ui.errors import shown_in_place
from studio.ui.live.board_panels import BoardPanels
from studio.ui.live.controller import LiveController
from studio.ui.session_columns import (
    COLUMNS,
    FIGURE_COLUMNS,
    ID,
    SESSION_COLUMNS,
    Column,
    ListedSession,
)
from studio.ui.tasks import Tasks

SORT_ROLE = Qt.ItemDataRole.UserRole + 1


def session_label(session: Session) -> str:
    """How a session is named wherever the user must tell one from another."""
    return _("session {id} · {title} ({market})").format(
        id=session.id, title=session.title, market=session.market)


@dataclass(frozen=True, slots=True)
class KeyFigures:
    session_id: int
    figures: Figures | None
    error: str | None = None


def listed_sessions(store: Store) -> tuple[ListedSession, ...]:
    """On a worker thread: every session, with the start its figures use."""
    return tuple(ListedSession(session, session_bounds(store, session)[0])
                 for session in store.sessions())


class SessionsView(QWidget):
    def __init__(self, store: Store, live: LiveController | None = None,
                 parent: QWidget | None = None) -> None:
        """`live`: the controller whose session on air this view follows (none in tests of
        finished sessions)."""
        super().__init__(parent)
        self.store = store
        self.live = live
        self._tasks = Tasks("sessions", parent=self)
        self._computed: dict[int, Figures] = {}  # finished sessions' figures
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
        self._wanted: int | None = None  # the session last asked for: the one to show
        self._sessions: dict[int, Session] = {}
        self._pending = 0
        if live is not None:
            live.board.connect(self._live_board)

    # -- GUI thread --

    def refresh(self) -> None:
        self.status.setText(_("Loading sessions…"))
        self._tasks.run(listed_sessions, self.store, on_done=self._fill,
                        on_error=self._list_failed)

    def open_session(self, session_id: int | None) -> None:
        if session_id is None:
            return
        self._wanted = session_id
        if self._on_air(session_id):  # the live board's figures, as the Live view shows them
            self.opened = session_id
            view = self.live.history.view if self.live is not None else None
            if view is None:
                self.title.setText(_("Loading session {id}…").format(id=session_id))
            else:
                self._show(view)
            return
        self.title.setText(_("Loading session {id}…").format(id=session_id))
        self._tasks.run(review_view, self.store, session_id, self._computed.get(session_id),
                        on_done=self._opened, on_error=partial(self._open_failed, session_id))

    def selected_session(self) -> Session | None:
        """The row the user selected (a click); not necessarily the one opened below."""
        rows = self.table.selectionModel().selectedRows()
        return self._sessions.get(self._id_at(rows[0].row())) if rows else None

    def forget_figures(self, session_id: int) -> None:
        """Its events changed (an import): the next refresh computes its figures again."""
        self._computed.pop(session_id, None)

    def shutdown(self, wait: bool = True) -> None:
        """The queued figures are dropped; wait=False (a window rebuild): the one under way
        is not waited for either."""
        self._tasks.shutdown(wait=wait, cancel=True)

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

    def _on_air(self, session_id: int) -> bool:
        return (self.live is not None and self.live.session is not None
                and self.live.session.id == session_id)

    def _fill(self, listed: tuple[ListedSession, ...]) -> None:
        selected = self.selected_session()
        sessions = [row.session for row in listed]
        self._sessions = {session.id: session for session in sessions}
        self.model.removeRows(0, self.model.rowCount())
        for row in listed:
            self.model.appendRow(
                [_item(column.text(row), column.sort_key(row)) for column in SESSION_COLUMNS]
                + [_item("…", 0) for _column in FIGURE_COLUMNS])
        self._pending = len(sessions)
        self._ask_figures(sessions)
        if sessions and self._wanted is None:
            self.table.selectRow(0)
            self.open_session(self._id_at(0))
        else:
            if selected is not None:  # a refresh keeps the user's selection
                self._select(selected.id)
            if self._wanted in self._sessions:  # its events may have changed (an import)
                self.open_session(self._wanted)
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

    def _ask_figures(self, sessions: list[Session]) -> None:
        """Newest first; the session on air waits for the live board instead."""
        for session in sorted(sessions, key=lambda s: -s.id):
            if self._on_air(session.id):
                if self.live is not None and self.live.history.view is not None:
                    self._live_board(self.live.history.view)
            elif session.id in self._computed:
                self._figures(KeyFigures(session.id, self._computed[session.id]))
            else:
                self._tasks.run(compute, self.store, session.id,
                                on_done=partial(self._computed_figures, session),
                                on_error=partial(self._figures_failed, session.id))

    def _computed_figures(self, session: Session, figures: Figures) -> None:
        if session.ended_at is not None:  # a session on air keeps changing
            self._computed[session.id] = figures
        self._figures(KeyFigures(session.id, figures))

    def _figures_failed(self, session_id: int, error: BaseException) -> None:
        """One broken session must not hide the others: its row says why."""
        message = shown_in_place(error, f"figures of session {session_id}")
        self._figures(KeyFigures(session_id, None, message))

    def _list_failed(self, error: BaseException) -> None:
        self.status.setText(shown_in_place(error, "listing the sessions"))

    def _live_board(self, view: BoardView) -> None:
        """A fresh view of the session on air (or its final one, as it stops)."""
        if self._row_of(view.session.id) is not None:
            self._figures(KeyFigures(view.session.id, view.figures))
        if self.opened == view.session.id == self._wanted:
            self._show(view)

    def _opened(self, view: BoardView) -> None:
        if view.session.id != self._wanted:  # the user has since opened another
            return
        if self._on_air(view.session.id) and self.live.history.view is not None:
            view = self.live.history.view  # went on air meanwhile: the live board's figures
        self._show(view)

    def _open_failed(self, session_id: int, error: BaseException) -> None:
        message = shown_in_place(error, f"opening session {session_id}")
        if session_id == self._wanted:
            self.title.setText(message)

    def _show(self, view: BoardView) -> None:
        session = view.session
        self.opened = session.id
        self.title.setText(f"{session.id} · {session.title} · {session.market}")
        self.panels.show_view(view)

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


def _item(text: str, key: object) -> QStandardItem:
    item = QStandardItem(text)
    item.setData(key, SORT_ROLE)
    return item
