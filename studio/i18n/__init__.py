"""gettext for the whole app: `from studio.i18n import _`.

Catalogs are resources/locale/<lang>/LC_MESSAGES/studio.po, managed with Babel (`make
catalogs` extracts and updates them). They are compiled in memory when a language is chosen,
so a checkout never runs on stale binary catalogs and none are committed.
"""

from __future__ import annotations

import gettext
import locale as _locale
import os
from io import BytesIO

from babel import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from studio.resources import resource

DOMAIN = "studio"
LOCALE_DIR = resource("locale")
SOURCE_LANGUAGE = "en"
# What the UI offers; the names are written in their own language.
LANGUAGES = {"en": "English", "zh_CN": "简体中文"}

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = SOURCE_LANGUAGE
_number_locale = SOURCE_LANGUAGE


def _(message: str) -> str:
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a string for extraction where it is defined; translate it with _() where shown."""
    return message


def catalog_path(language: str):
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def load_translations(language: str) -> gettext.NullTranslations:
    path = catalog_path(language)
    if not path.is_file():
        return gettext.NullTranslations()
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=language)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def system_language() -> str:
    """The closest offered language to the system's (LANGUAGE, LC_ALL, LC_MESSAGES, LANG)."""
    candidates = [
        os.environ.get(name, "") for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
    ]
    candidates.append(_locale.getlocale()[0] or "")
    for value in candidates:
        for part in value.split(":"):
            chosen = match_language(part.split(".")[0])
            if chosen:
                return chosen
    return SOURCE_LANGUAGE


def match_language(code: str) -> str | None:
    """'zh_CN', 'zh-Hans', 'zh' -> 'zh_CN'; 'en_GB' -> 'en'; unknown -> None."""
    if not code or code in ("C", "POSIX"):
        return None
    try:
        wanted = Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None
    for offered in LANGUAGES:
        have = Locale.parse(offered)
        if have.language == wanted.language:
            return offered
    return None


def set_language(language: str | None) -> str:
    """Install `language` (or the system's) for every later _() call; returns the one chosen.

    A locale without a catalog of its own (`de_DE`) still writes the numbers, money and times
    (current_locale); its words are the closest offered language's, else the system's."""
    global _translations, _language, _number_locale
    chosen = (match_language(language) if language else None) or system_language()
    _translations = load_translations(chosen)
    _language = chosen
    uncatalogued = language and match_language(language) is None and _known(language)
    _number_locale = language.replace("-", "_") if uncatalogued else chosen
    return chosen


def _known(code: str) -> bool:
    try:
        Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return False
    return True


def current_language() -> str:
    """The language of the words: a catalog's code."""
    return _language


def current_locale() -> str:
    """How numbers, money and times are written (Babel): the language's, or the locale asked
    for when it has no catalog."""
    return _number_locale


def is_rtl(language: str) -> bool:
    try:
        return Locale.parse(language).character_order == "right-to-left"
    except (UnknownLocaleError, ValueError):
        return False
