"""Who the app is: its name, and the identifier under which it is installed and keeps its
files (the data folder with the database, the config folder with settings, mappings and the
ingest token)."""

from __future__ import annotations

from importlib import metadata

APP_ID = "live-studio-companion"  # the distribution's name, and its folders' name
APP_NAME = "Live Studio Companion"


def app_version() -> str:
    try:
        return metadata.version(APP_ID)
    except metadata.PackageNotFoundError:  # running from a bare checkout
        return "0+unknown"
