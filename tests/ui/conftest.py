"""Widgets under test: a Studio on a database in tmp_path, closed after each test."""

from __future__ import annotations

import pytest

from studio.core.store import Store


@pytest.fixture
def studio(qapp, tmp_path):
    from studio.app import Studio

    store = Store(tmp_path / "studio.db")
    app = Studio(qapp, store, language="en", theme="light")
    yield app
    app.window.hide()
    app.close()
