"""Every text a window shows, and the English words among them that are not the user's data.

Used by the test that renders the views in Chinese: widget texts (labels, buttons, tab titles,
table and tree cells and headers, list items, menus and toolbars, combo boxes, progress bars)
and the graphs' texts (plot titles, axis labels and tick texts, marker lanes, text items).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator

import pyqtgraph as pg
from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGraphicsSimpleTextItem,
    QGraphicsTextItem,
    QLabel,
    QLineEdit,
    QMenu,
    QMenuBar,
    QProgressBar,
    QTabBar,
    QToolBar,
    QWidget,
)

_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"[A-Za-z]{2,}")


def visible_texts(top: QWidget) -> list[str]:
    """The texts of `top` and of every widget in it that is visible."""
    texts: list[str] = []
    for widget in [top, *top.findChildren(QWidget)]:
        if widget is top or widget.isVisibleTo(top):
            texts += _widget_texts(widget)
    return [_plain(t) for t in texts if t and t.strip()]


def _plain(text: str) -> str:
    return html.unescape(_TAG.sub(" ", text)).replace("&&", "&")


def _widget_texts(widget: QWidget) -> Iterator[str]:
    if isinstance(widget, QLabel | QAbstractButton):
        yield widget.text()
    elif isinstance(widget, QTabBar):
        yield from (widget.tabText(i) for i in range(widget.count()))
    elif isinstance(widget, QComboBox):
        yield widget.currentText()
    elif isinstance(widget, QLineEdit):
        yield widget.text() or widget.placeholderText()
    elif isinstance(widget, QProgressBar) and widget.isTextVisible():
        yield widget.text()
    elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
        yield from _model_texts(widget)
    elif isinstance(widget, QMenuBar | QToolBar):
        yield from _action_texts(widget.actions())
    elif isinstance(widget, pg.GraphicsView):
        yield from _graph_texts(widget)


def _model_texts(view: QAbstractItemView) -> Iterator[str]:
    model = view.model()

    def columns(parent: QModelIndex) -> int:
        # A list's model hides columnCount (private in QListWidget's model): one column.
        return 1 if isinstance(model, QAbstractListModel) else model.columnCount(parent)

    header = getattr(view, "horizontalHeader", None) or getattr(view, "header", None)
    if header is not None and header().isVisibleTo(view):
        for section in range(columns(QModelIndex())):
            value = model.headerData(section, Qt.Orientation.Horizontal,
                                     Qt.ItemDataRole.DisplayRole)
            if value is not None:
                yield str(value)

    def walk(parent: QModelIndex) -> Iterator[str]:
        for row in range(model.rowCount(parent)):
            for column in range(columns(parent)):
                index = model.index(row, column, parent)
                value = model.data(index, Qt.ItemDataRole.DisplayRole)
                if value is not None:
                    yield str(value)
                if column == 0:
                    yield from walk(index)

    yield from walk(QModelIndex())


def _action_texts(actions: Iterable[QAction]) -> Iterator[str]:
    for action in actions:
        if action.isSeparator() or not action.isVisible():
            continue
        yield action.text()
        menu = action.menu()
        if isinstance(menu, QMenu):
            yield from _action_texts(menu.actions())


def _graph_texts(view: pg.GraphicsView) -> Iterator[str]:
    for item in view.scene().items():
        if not item.isVisible():
            continue
        if isinstance(item, QGraphicsTextItem):
            yield item.toPlainText()
        elif isinstance(item, QGraphicsSimpleTextItem):
            yield item.text()
        elif isinstance(item, pg.AxisItem) and item.isVisible():
            yield item.labelText
            for level in getattr(item, "_tickLevels", None) or ():
                yield from (text for _value, text in level)
            yield from (text for _x, text in getattr(item, "_labels", ()))  # marker lanes


def english_words(texts: Iterable[str], allowed: Iterable[str]) -> dict[str, list[str]]:
    """Each text that still holds a Latin word once the `allowed` phrases are taken out, with
    those words. Longer phrases go first, so a title is removed before a word inside it."""
    phrases = sorted({a for a in allowed if a and a.strip()}, key=len, reverse=True)
    found: dict[str, list[str]] = {}
    for text in texts:
        rest = text
        for phrase in phrases:
            if phrase in rest:
                rest = rest.replace(phrase, " ")
        words = _WORD.findall(rest)
        if words:
            found[text] = words
    return found
