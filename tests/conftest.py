"""Test-wide set-up: offscreen Qt, settings and data in tmp_path, and no leaked threads."""

from __future__ import annotations

import os
import threading
import time

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    """platformdirs resolves through XDG_*: point them at a temporary home, never the user's."""
    home = tmp_path_factory.mktemp("home")
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(home / name.lower()))
    monkeypatch.setenv("HOME", str(home))


@pytest.fixture(autouse=True)
def _english(monkeypatch):
    """Tests read English unless they ask for another language, whatever the machine's locale;
    one that switched the language leaves English behind."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANGUAGE", "en")
    yield
    from studio.i18n import set_language

    set_language("en")


@pytest.fixture(autouse=True)
def _no_leaked_threads():
    """Fail a test that leaves a thread of its own running (a store not closed, a worker)."""
    before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + 5
    while True:
        leaked = [t for t in threading.enumerate() if t not in before and t.is_alive()]
        if not leaked or time.monotonic() > deadline:
            break
        time.sleep(0.02)
    assert not leaked, f"test left threads running: {[t.name for t in leaked]}"


@pytest.fixture
def store(tmp_path):
    from studio.core.store import Store

    db = Store(tmp_path / "studio.db")
    yield db
    db.close()
