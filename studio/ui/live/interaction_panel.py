"""Interaction: comment, question and follow rates, the comment mix, and the open questions
grouped by category, so shipping, returns and payment doubts stand out at once."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGridLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio.core.comments import CATEGORIES
from studio.core.metrics.model import Flag, Interaction
from studio.core.names import CATEGORY_NAMES
from studio.core.onair.questions import GROUP_ORDER, Question
from studio.i18n import _
from studio.i18n.format import clock, share
from studio.ui.widgets import Stat, heading, line_height

KEY_ROLE = Qt.ItemDataRole.UserRole
QUESTION, TIME = range(2)  # the questions' columns: the question (its key in KEY_ROLE), when


class InteractionPanel(QWidget):
    answered = Signal(str)  # the question's key

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        whole = share(1.0)  # the widest a rate gets: its column is kept that wide
        self.comment_rate = Stat(_("commented"), size=16, widest=(whole,))
        self.question_rate = Stat(_("asked"), size=16, widest=(whole,))
        self.follow_rate = Stat(_("followed"), size=16, widest=(whole,))
        rates = QGridLayout()
        for column, stat in enumerate((self.comment_rate, self.question_rate, self.follow_rate)):
            rates.addWidget(stat, 0, column)
        self.mix: dict[str, QProgressBar] = {}
        mix = QGridLayout()
        mix.setVerticalSpacing(2)
        for row, category in enumerate(CATEGORIES):
            bar = QProgressBar()
            bar.setRange(0, 1000)
            bar.setTextVisible(True)
            bar.setFormat("—")
            self.mix[category] = bar
            mix.addWidget(QLabel(_(CATEGORY_NAMES[category])), row, 0)
            mix.addWidget(bar, row, 1)
        self.questions = QTreeWidget()
        self.questions.setHeaderLabels([_("Open questions"), _("Time")])
        self.questions.setRootIsDecorated(True)
        self.questions.setWordWrap(True)
        header = self.questions.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QUESTION, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(TIME, QHeaderView.ResizeMode.ResizeToContents)
        self.questions.setAccessibleName(_("Open questions"))
        self.questions.setMinimumHeight(5 * self.questions.fontMetrics().lineSpacing())
        self.questions.itemActivated.connect(lambda item, _col: self._answer(item))
        self._groups: dict[str, QTreeWidgetItem] = {}
        for category in GROUP_ORDER:
            group = QTreeWidgetItem([_(CATEGORY_NAMES[category]), ""])
            font = group.font(0)
            font.setBold(True)
            group.setFont(QUESTION, font)
            self.questions.addTopLevelItem(group)
            group.setExpanded(category != "chitchat")
            self._groups[category] = group
        self.answer_button = answer = QPushButton(_("Mark answered"))
        answer.setToolTip(_("Removes the selected question from the list (Delete)"))
        answer.clicked.connect(lambda: self._answer(self.questions.currentItem()))
        QShortcut(QKeySequence.StandardKey.Delete, self.questions,
                  activated=lambda: self._answer(self.questions.currentItem()))
        self.chitchat_warning = QLabel("")
        self.chitchat_warning.setWordWrap(True)
        self.chitchat_warning.setStyleSheet("color: #d93a2b;")
        # its two lines are kept when it is silent, so the questions below never jump
        self.chitchat_warning.setMinimumHeight(2 * line_height(self.chitchat_warning))
        self.chitchat_warning.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self._tz: str | None = None
        self._answerable = True

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)  # beside the graphs, under the headline
        layout.addWidget(heading(_("Interaction")))
        layout.addLayout(rates)
        layout.addLayout(mix)
        layout.addWidget(self.chitchat_warning)
        layout.addWidget(self.questions, 1)
        layout.addWidget(answer)

    def set_time_zone(self, tz: str | None) -> None:
        self._tz = tz

    def set_answerable(self, answerable: bool) -> None:
        self.answer_button.setVisible(answerable)
        self._answerable = answerable

    def show_interaction(self, interaction: Interaction, flags: Sequence[Flag]) -> None:
        self.comment_rate.set(share(interaction.comment_rate))
        self.question_rate.set(share(interaction.question_rate))
        self.follow_rate.set(share(interaction.follow_rate))
        for category, bar in self.mix.items():
            value = interaction.comment_mix.get(category)
            bar.setValue(0 if value is None else round(value * 1000))
            bar.setFormat(share(value))
        # the core's flag, which waits for enough comments: one "hello" is not the room
        flagged = any(f.code == "chitchat_over_product" for f in flags)
        self.chitchat_warning.setText(
            _("Chitchat outweighs product talk: bring the room back to the products.")
            if flagged else "")

    def show_questions(self, groups: Mapping[str, tuple[Question, ...]]) -> None:
        current = self.questions.currentItem()
        selected = current.data(QUESTION, KEY_ROLE) if current is not None else None
        for category, group in self._groups.items():
            wanted = groups.get(category, ())
            keys = [group.child(i).data(QUESTION, KEY_ROLE) for i in range(group.childCount())]
            if keys == [q.key for q in wanted]:
                continue
            group.takeChildren()
            for question in wanted:
                item = QTreeWidgetItem([question.text, clock(question.ts, self._tz)])
                item.setData(QUESTION, KEY_ROLE, question.key)
                item.setToolTip(QUESTION, question.text)
                group.addChild(item)
                if question.key == selected:
                    self.questions.setCurrentItem(item)
            group.setText(QUESTION, f"{_(CATEGORY_NAMES[category])} ({len(wanted)})")

    def question_count(self, category: str) -> int:
        return self._groups[category].childCount()

    def _answer(self, item: QTreeWidgetItem | None) -> None:
        if item is None or item.parent() is None or not self._answerable:
            return
        key = item.data(QUESTION, KEY_ROLE)
        item.parent().removeChild(item)
        self.answered.emit(key)
