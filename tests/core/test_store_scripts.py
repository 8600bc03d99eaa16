"""Stored scripts: versions, restore, one script per market and platform, manual ticks."""

from __future__ import annotations

import sqlite3

import pytest

from studio.core.store import SCHEMA_VERSION, Store, StoreError, UnknownScript


def test_saving_adds_versions_and_an_unchanged_text_adds_none(store):
    first, new = store.save_script("advent", "## A\none\n", market="DE", platform="tiktok",
                                   source="advent.txt")
    assert (first.number, new, first.source, first.restored_from) == (1, True, "advent.txt",
                                                                     None)
    assert store.save_script("advent", "## A\none\n", market="DE", platform="tiktok")[1] is False
    second, new = store.save_script("advent", "## A\ntwo\n", market="DE", platform="tiktok")
    assert (second.number, new) == (2, True)
    assert [v.number for v in store.script_versions("advent")] == [1, 2]
    assert store.script_version("advent").text == "## A\ntwo\n"
    assert store.script_version("advent", 1).text == "## A\none\n"
    listed = store.scripts()
    assert [(s.name, s.market, s.platform, s.latest) for s in listed] == [
        ("advent", "DE", "tiktok", 2)]
    assert store.scripts(market="US") == []


def test_restore_adds_the_old_text_as_the_newest_version(store):
    store.save_script("s", "## A\nold\n", market="US")
    store.save_script("s", "## A\nnew\n", market="US")
    restored, new = store.restore_script("s", 1)
    assert (restored.number, restored.text, restored.restored_from, new) == (
        3, "## A\nold\n", 1, True)
    assert [v.text for v in store.script_versions("s")] == [
        "## A\nold\n", "## A\nnew\n", "## A\nold\n"]


def test_unknown_scripts_and_versions_say_what_exists(store):
    with pytest.raises(UnknownScript, match='no script is called "nope"'):
        store.script("nope")
    store.save_script("s", "## A\n", market="US")
    with pytest.raises(UnknownScript, match="has no version 5 \\(versions 1 to 1\\)"):
        store.script_version("s", 5)
    with pytest.raises(UnknownScript):
        store.restore_script("s", 0)
    assert len(store.script_versions("s")) == 1


def test_a_name_keeps_its_market_and_platform(store):
    store.save_script("s", "## A\n", market="US", platform="tiktok")
    with pytest.raises(StoreError, match="market US"):
        store.save_script("s", "## B\n", market="DE", platform="tiktok")
    assert len(store.script_versions("s")) == 1


def test_manual_items_keep_who_ticked_them_and_when(store):
    store.save_script("s", "## A\n", market="US")
    tick = store.tick("s", "rehearsed", "mia")
    assert store.ticks("s") == [tick] and tick.ticked_by == "mia" and tick.ticked_at > 0
    store.untick("s", "rehearsed")
    assert store.ticks("s") == []


def test_a_version_1_database_gains_the_script_tables(tmp_path):
    path = tmp_path / "old.db"
    with Store(path) as db:
        db.create_session(market="US", title="kept")
    conn = sqlite3.connect(path)
    for table in ("script_ticks", "script_versions", "scripts"):
        conn.execute(f"DROP TABLE {table}")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with Store(path) as db:
        assert db.reader().execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 2
        assert [s.title for s in db.sessions()] == ["kept"]
        db.save_script("s", "## A\n", market="US")
        assert db.script("s").latest == 1
