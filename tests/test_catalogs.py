"""Every translation keeps its source's {placeholders}, and every UI string is in the catalog."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from studio.i18n import LANGUAGES, catalog_path

PLACEHOLDER = re.compile(r"{[^{}]*}")


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
def test_translations_keep_placeholders(language):
    with catalog_path(language).open("rb") as fh:
        catalog = read_po(fh, locale=language)
    checked = 0
    for message in catalog:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = sorted(PLACEHOLDER.findall(ids[0]))
        for string in strings:
            if string:
                assert sorted(PLACEHOLDER.findall(string)) == wanted, message.id
        checked += 1
    assert checked > 100


def test_every_catalog_entry_is_translated_in_chinese():
    with catalog_path("zh_CN").open("rb") as fh:
        catalog = read_po(fh, locale="zh_CN")
    missing = [m.id for m in catalog if m.id and not m.string]
    assert not missing, missing[:10]


def test_every_string_the_code_marks_is_translated_in_chinese():
    """What `make catalogs` extracts (the Makefile's keywords) is all in the zh_CN catalog, so
    a new sentence cannot reach a Chinese user in English before the catalogs are merged."""
    from babel.messages.extract import extract_from_dir

    keywords = {"_": None, "N_": None, "Np_": (1, 2), "ngettext": (1, 2)}
    root = Path(__file__).parents[1] / "studio"
    with catalog_path("zh_CN").open("rb") as fh:
        catalog = read_po(fh, locale="zh_CN")
    missing = sorted({
        message if isinstance(message, str) else message[0]
        for _file, _line, message, _comments, _context in extract_from_dir(
            root, method_map=[("**.py", "python")], keywords=keywords)
        if not (entry := catalog.get(message if isinstance(message, str) else message[0]))
        or not entry.string
    })
    assert not missing, missing
