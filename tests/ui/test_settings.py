"""Settings: each declared once with its type and default; a value of the wrong type in the INI
file (the user's to edit) falls back to the default instead of stopping the app."""

from __future__ import annotations

import logging

import pytest

from studio.ingest import DEFAULT_PORT
from studio.ui import settings
from studio.ui.settings import GEOMETRY, INGEST_PORT, LANGUAGE, MARKET, THEME, settings_path


def _write_ini(text: str) -> None:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("[General]\n" + text, encoding="utf-8")


def test_every_setting_has_its_default_until_set():
    declared = [value for value in vars(settings).values() if isinstance(value, settings.Setting)]
    assert {s.key for s in declared} == {"language", "theme", "geometry", "market",
                                         "ingest_port"}
    assert len({s.key for s in declared}) == len(declared)  # no key declared twice
    for setting in declared:
        assert setting.get() == setting.default
        assert isinstance(setting.default, setting.kind)


def test_a_value_comes_back_with_its_type_from_the_file():
    INGEST_PORT.set(9001)
    THEME.set("dark")
    assert "ingest_port=9001" in settings_path().read_text(encoding="utf-8")
    assert INGEST_PORT.get() == 9001 and THEME.get() == "dark"


def test_a_value_of_the_wrong_type_is_refused_when_set():
    with pytest.raises(TypeError, match="ingest_port takes int"):
        INGEST_PORT.set("9001")  # type: ignore[arg-type]


def test_a_wrong_typed_value_in_the_file_falls_back_to_the_default(qapp, tmp_path, caplog):
    from studio.app import Studio
    from studio.core.store import Store

    _write_ini("ingest_port=nine thousand\ntheme=dark, light\nlanguage=zh_CN, en\nmarket=1\n")
    with caplog.at_level(logging.WARNING, logger="studio.ui.settings"):
        assert INGEST_PORT.get() == DEFAULT_PORT
        assert THEME.get() == "light"  # a comma makes a list of an INI value
        assert LANGUAGE.get() == ""
        assert MARKET.get() == "1"  # text is text
    assert "ingest_port = 'nine thousand' is not of type int" in caplog.text
    with Store(tmp_path / "studio.db") as store:
        studio = Studio(qapp, store)
        try:
            assert (studio.theme, studio.language) == ("light", "en")
            studio.restore_window()  # a market that is not one leaves the controls as they are
            assert GEOMETRY.get() == ""
        finally:
            studio.close()
