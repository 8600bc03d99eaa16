"""The app's settings: one INI file in the user config folder (platformdirs), via QSettings.

An INI file rather than the platform's registry or plist keeps tests honest: the suite points
XDG_CONFIG_HOME at a temporary folder and never touches the user's settings.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs
from PySide6.QtCore import QSettings

from studio.core.identity import APP_ID


def settings_path() -> Path:
    return Path(platformdirs.user_config_dir(APP_ID)) / "settings.ini"


def app_settings() -> QSettings:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return QSettings(str(path), QSettings.Format.IniFormat)


def setting(key: str, default: str = "") -> str:
    value = app_settings().value(key, default)
    return default if value is None else str(value)


def set_setting(key: str, value: str) -> None:
    settings = app_settings()
    settings.setValue(key, value)
    settings.sync()
