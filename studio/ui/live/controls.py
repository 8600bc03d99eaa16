"""Session controls: market, source, title, and the start/stop button."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QToolButton,
    QWidget,
)

from studio.capture.devices import Device, list_devices
from studio.core.markets import markets
from studio.core.platforms import PLATFORM_NAMES
from studio.i18n import _, current_language
from studio.ui.live.controller import DEMO_SOURCE, SessionRequest

DEFAULT_MARKET = "US"


@cache
def known_devices() -> tuple[Device, ...]:
    """Asked once per run: the platform's camera query can take a second (DirectShow), and a
    window rebuilt for a language switch must not pay it again."""
    return tuple(list_devices())


class SessionControls(QWidget):
    start_requested = Signal(object)  # SessionRequest
    stop_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.market = QComboBox()
        for code, where in sorted(markets().items()):
            self.market.addItem(f"{where.name(current_language())} ({code})", code)
        self.select_market(DEFAULT_MARKET)
        self.platform = QComboBox()
        for code, name in PLATFORM_NAMES.items():
            self.platform.addItem(name, code)
        self.source = QComboBox()
        self.source.setEditable(True)
        self.source.setToolTip(_("A device, a stream URL (udp://, rtsp://, srt://, rtmp://) or "
                                 "a recording"))
        self.source.lineEdit().setPlaceholderText(_("device, URL or file"))
        devices = known_devices()
        for device in devices:
            self.source.addItem(f"{device.name} ({device.index})", str(device.index))
        # Offered, never the default: a real show monitored on the test pattern would
        # report a healthy feed whatever the camera does.
        self.source.addItem(_("Demo test pattern"), DEMO_SOURCE)
        self.source.setCurrentIndex(0 if devices else -1)
        browse = QToolButton()
        browse.setText("…")
        browse.setToolTip(_("Choose a recording"))
        browse.clicked.connect(self._browse)
        self.title = QLineEdit()
        self.title.setPlaceholderText(_("Title of the show"))
        self.button = QPushButton(_("Start session"))
        self.button.setToolTip(_("Start or stop the live session (F5)"))
        self.button.clicked.connect(self._clicked)
        self._on_air = False

        source_row = QHBoxLayout()
        source_row.addWidget(self.source, 1)
        source_row.addWidget(browse)
        form = QFormLayout(self)
        form.addRow(_("Market"), self.market)
        form.addRow(_("Platform"), self.platform)
        form.addRow(_("Source"), source_row)
        form.addRow(_("Title"), self.title)
        form.addRow(self.button)

    def select_market(self, code: str) -> None:
        index = self.market.findData(code.upper())
        if index >= 0:
            self.market.setCurrentIndex(index)

    def select_source(self, source: str) -> None:
        index = self.source.findData(source)
        if index >= 0:
            self.source.setCurrentIndex(index)

    def source_text(self) -> str:
        index = self.source.currentIndex()
        if index >= 0 and self.source.itemText(index) == self.source.currentText():
            return str(self.source.itemData(index) or self.source.currentText())
        return self.source.currentText().strip()

    def request(self) -> SessionRequest:
        title = self.title.text().strip() or _("Live show")
        return SessionRequest(market=self.market.currentData(), title=title,
                              source=self.source_text(),
                              platform=self.platform.currentData())

    def set_on_air(self, on_air: bool, busy: bool = False) -> None:
        self._on_air = on_air
        self.button.setText(_("Stop session") if on_air else _("Start session"))
        self.button.setEnabled(not busy)
        for widget in (self.market, self.platform, self.source, self.title):
            widget.setEnabled(not on_air and not busy)

    def _clicked(self) -> None:
        if self._on_air:
            self.stop_requested.emit()
        else:
            self.start_requested.emit(self.request())

    def _browse(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Choose a recording"), "",
            _("Videos (*.mp4 *.mkv *.mov *.ts *.flv *.avi);;All files (*)"))
        if path:
            self.source.setEditText(path)
