"""The one renderer of core's Messages: translated, plurals by ngettext, numbers the user's way."""

from __future__ import annotations

from studio.core.importers.errors import ImportFailed, Problem
from studio.core.message import N_, Message, Np_, message
from studio.core.store import UnknownSession
from studio.i18n import set_language
from studio.i18n.render import render, render_error

FIELD_ERROR = message(N_('{field} "{value}" {expected}'), field="qty", value="3x",
                      expected=message(N_("is not a whole number")))


def test_english_renders_as_str_does():
    assert render(FIELD_ERROR) == str(FIELD_ERROR) == 'qty "3x" is not a whole number'
    assert render("a viewer's comment") == "a viewer's comment"  # data stays as it is


def test_chinese_translates_the_sentence_and_what_is_nested_in_it():
    set_language("zh_CN")
    assert render(FIELD_ERROR) == "qty“3x”不是整数"
    said = message(Np_("median {median:.1%} over {n} earlier session",
                       "median {median:.1%} over {n} earlier sessions"), median=0.583, n=1)
    assert render(said) == "此前 1 场的中位数 58.3%"


def test_numbers_follow_the_locale():
    said = message(N_("{seconds:.0f} s"), seconds=12345.4)
    set_language("de_DE")  # no catalog: English words, German numbers
    assert render(said) == "12.345 s"
    assert render(Message("{value:.1f} fps", {"value": 29.94})) == "29,9 fps"


def test_an_unknown_sentence_is_shown_in_english():
    assert render(Message("not in any catalog: {x}", {"x": 1})) == "not in any catalog: 1"


def test_errors_are_rendered_line_by_line():
    set_language("zh_CN")
    failed = ImportFailed([Problem("a.csv", 2, message(N_("holds no events")))], more=3)
    assert render_error(failed).splitlines() == [
        "a.csv:2：不含任何事件", "a.csv：另有 3 个问题未列出（只列出前 1 个）"]
    gone = UnknownSession(message(N_("session {id} does not exist in {path}"), id=9,
                                  path="x.db"))
    assert render_error(gone) == "x.db 中不存在场次 9"
    assert render_error(ValueError("plain words")) == "plain words"
