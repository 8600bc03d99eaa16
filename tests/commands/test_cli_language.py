"""The verbs speak the language of --lang, else the system's, as the window does; JSON keeps
its English keys and codes and renders each sentence beside its code."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "core"))
from metrics_logs import MAIN, SAMPLES, make_session

from studio.cli import main
from studio.core.store import Store

LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


@pytest.fixture
def db(tmp_path) -> str:
    path = tmp_path / "studio.db"
    with Store(path) as store:
        make_session(store, MAIN, samples=SAMPLES)
    return str(path)


def test_lang_zh_cn_makes_the_metrics_table_chinese(db, capsys):
    assert main(["--lang", "zh_CN", "metrics", "1", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "流量" in out and "转化漏斗" in out and "问题提示" in out
    assert "画面冻结 1 次，累计 6 秒" in out  # a flag: core's Message, rendered
    # What is left in Latin letters is data and codes: the market, the time zone, SKUs, GMV.
    words = set(LATIN_WORD.findall(out))
    assert words <= {"US", "America", "New_York", "UTC", "SKU", "GMV", "GPM", "TikTok",
                     "Shop", "LIVE", "New", "York"}, words


def test_the_system_locale_chooses_the_language(db, capsys, monkeypatch):
    monkeypatch.delenv("LANGUAGE")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert main(["sessions", "--db", db]) == 0
    header = capsys.readouterr().out.splitlines()[0]
    assert header.split()[:4] == ["ID", "市场", "平台", "类型"]
    assert main(["metrics", "9", "--db", db]) == 1  # an error too
    assert "中不存在场次 9" in capsys.readouterr().err


def test_json_keeps_codes_and_renders_the_sentences(db, capsys):
    assert main(["--lang", "zh_CN", "metrics", "1", "--db", db, "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    freeze = next(f for f in figures["flags"] if f["code"] == "health_freeze")
    assert freeze["message"].startswith("画面冻结 1 次")
    assert freeze["params"]["count"] == 1
    assert figures["warnings"]
    for warning in figures["warnings"]:
        assert warning["code"] and not LATIN_WORD.search(warning["message"]), warning


def test_a_locale_without_a_catalog_writes_its_numbers(db, capsys):
    assert main(["--lang", "de_DE", "metrics", "1", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "55,50" in out and "Traffic" in out
    assert main(["--lang", "xx_YY_ZZ", "metrics", "1", "--db", db]) == 1
    assert '--lang "xx_YY_ZZ"' in capsys.readouterr().err
