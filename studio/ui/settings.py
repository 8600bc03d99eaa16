"""The app's settings, each declared once below with its type and default, and kept in one INI
file in the user config folder (platformdirs) via QSettings.

    THEME.get()        # "light" until the user chooses
    THEME.set("dark")

An INI file rather than the platform's registry or plist keeps tests honest: the suite points
XDG_CONFIG_HOME at a temporary folder and never touches the user's settings. The file is the
user's to edit, so a value of the wrong type (a port that is not a number, a list where a word
was expected) is logged and the default used: a typo never stops the app from starting.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

import platformdirs
from PySide6.QtCore import QSettings

from studio.core.identity import APP_ID
from studio.ingest import DEFAULT_PORT

log = logging.getLogger(__name__)

T = TypeVar("T", str, int)


def settings_path() -> Path:
    return Path(platformdirs.user_config_dir(APP_ID)) / "settings.ini"


def app_settings() -> QSettings:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return QSettings(str(path), QSettings.Format.IniFormat)


@dataclass(frozen=True, slots=True)
class Setting(Generic[T]):
    key: str  # as written in settings.ini
    kind: type[T]
    default: T

    def get(self) -> T:
        stored = app_settings().value(self.key)
        if stored is None:
            return self.default
        value = _as(self.kind, stored)
        if value is None:
            log.warning("%s: %s = %r is not of type %s; using %r", settings_path(), self.key,
                        stored, self.kind.__name__, self.default)
            return self.default
        return value

    def set(self, value: T) -> None:
        if not isinstance(value, self.kind):
            raise TypeError(f"setting {self.key} takes {self.kind.__name__}, not {value!r}")
        settings = app_settings()
        settings.setValue(self.key, value)
        settings.sync()


def _as(kind: type[T], stored: object) -> T | None:
    """The stored value as `kind`, or None. INI keeps every value as text, so a number comes
    back as a string; a comma in a value comes back as a list."""
    if kind is int and isinstance(stored, int | str):
        try:
            return int(stored)  # type: ignore[return-value]
        except ValueError:
            return None
    return stored if isinstance(stored, kind) else None


# -- every setting the app keeps --

LANGUAGE = Setting("language", str, "")  # a code of studio.i18n.LANGUAGES; "": the system's
THEME = Setting("theme", str, "light")  # a name of studio.ui.theme.THEMES
GEOMETRY = Setting("geometry", str, "")  # the main window's saveGeometry(), in base64
MARKET = Setting("market", str, "")  # the market the Live view's controls last had
INGEST_PORT = Setting("ingest_port", int, DEFAULT_PORT)  # the live ingest endpoint's port
