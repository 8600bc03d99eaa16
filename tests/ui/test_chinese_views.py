"""In Chinese, the window says every sentence in Chinese: the Live view on a running demo show,
the Sessions view on a finished one and the compact window show no English word that is not
the user's data.

The user's data is read from the database the views show (its file's path, session titles,
viewers' comments and names, SKUs, the host's own text in markers). Besides, a few names stay
as they are on purpose: the product's and the platforms' names, the languages' own names in
the Language menu, market and currency codes, and the units and abbreviations the trade writes
in Latin letters in Chinese too (fps, GMV, GPM, SKU, ID, UTC).
"""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAction

from studio.core.identity import APP_NAME
from studio.core.markets import markets
from studio.core.onair.markers import read_label
from studio.core.platforms import PLATFORM_NAMES
from studio.core.simulate import ShowPlan, write_show
from studio.core.store import Store
from studio.i18n import LANGUAGES
from tests.ui.visible_text import english_words, visible_texts

UNITS = ("fps", "FPS", "GMV", "GPM", "SKU", "ID", "UTC")


@pytest.fixture
def chinese_studio(qapp, tmp_path):
    from studio.app import Studio

    store = Store(tmp_path / "studio.db")
    # A finished show of the same market first: the Sessions view's session, and the earlier
    # session the live show's funnel is compared with ("median ... over 1 earlier session").
    write_show(store, ShowPlan(market="US", viewers=600, minutes=40, seed=7), title=None)
    app = Studio(qapp, store, language="zh_CN", theme="light")
    app.window.resize(1600, 1000)
    app.window.show()
    yield app
    app.window.hide()
    app.close()


def _user_data(store: Store) -> set[str]:
    data = {str(store.path), *(s.title for s in store.sessions())}
    rows = store.reader().execute(
        "SELECT DISTINCT text, viewer, sku, label FROM events").fetchall()
    for text, viewer, sku, label in rows:
        data.update(v for v in (text, viewer, sku) if v)
        if label:
            data.add(read_label(label).text or "")
    return data


def _allowed(store: Store) -> set[str]:
    codes = set(markets())
    codes |= {m.currency for m in markets().values()}
    return (_user_data(store) | codes | set(UNITS) | set(PLATFORM_NAMES.values())
            | set(LANGUAGES.values()) | {APP_NAME})


def _trigger(window, name: str) -> None:
    action = window.findChild(QAction, name)
    assert action is not None, name
    action.trigger()


def test_the_live_sessions_and_compact_views_speak_chinese(qtbot, chinese_studio):
    studio, window = chinese_studio, chinese_studio.window
    studio.start_demo(speed=60, minutes=40, viewers=1500)
    panels = window.live.panels
    # Markers, flags and open questions on the board: the texts core writes are all there.
    qtbot.waitUntil(lambda: panels.timeline.marker_count >= 3 and panels.flags.list.count() > 0
                    and panels.interaction.questions.topLevelItemCount() > 0, timeout=60_000)
    shown = {"live": visible_texts(window)}
    _trigger(window, "compact")
    qtbot.waitUntil(lambda: window.compact.isVisible() and window.compact.viewers.text() != "—",
                    timeout=10_000)
    shown["compact"] = visible_texts(window.compact)
    _trigger(window, "view-sessions")
    sessions = window.sessions
    qtbot.waitUntil(lambda: sessions.opened is not None and sessions.panels.flags.list.count() > 0,
                    timeout=30_000)
    shown["sessions"] = visible_texts(window)
    _trigger(window, "start")  # the show ends, as the user ends it (F5), before the window goes
    qtbot.waitUntil(lambda: not studio.controller.on_air, timeout=10_000)
    allowed = _allowed(studio.store)
    english = {view: english_words(texts, allowed) for view, texts in shown.items()}
    assert all(shown.values())
    assert english == {"live": {}, "compact": {}, "sessions": {}}
