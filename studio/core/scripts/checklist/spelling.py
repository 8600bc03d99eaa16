"""The `spelling` rule: words missing from pyspellchecker's dictionary of the market's main
language, where it has one (docs/scripts.md lists them).

Not flagged: words with digits, all-capital words (SKUs, acronyms), capitalised words inside
a sentence (names and brands; German capitalises every noun, so its file turns this off with
[spelling] check_capitalised = true), and the words of the checklist's own lists, the market's
payment methods, platform names, the catalog's products and each language's [spelling] accept
list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache
from importlib import resources

from spellchecker import SpellChecker

from studio.core.comments.text import WORD
from studio.core.message import N_, message
from studio.core.scripts.checklist.item import CheckItem
from studio.core.scripts.checklist.reading import ReadLine
from studio.core.scripts.checklist.words import COMMON, WordLists

_SENTENCE_END = re.compile(r"[.!?¡¿:;]\s*$|^\s*$")
_HAS_DIGIT = re.compile(r"\d")
# A word joined to "/", "@" or a dot and a letter is part of an address (off_platform's matter).
_ADDRESS = re.compile(r"[/@]|\.\w")
_SHOWN = 8


@cache
def dictionaries() -> frozenset[str]:
    """The languages pyspellchecker ships a dictionary for."""
    folder = resources.files("spellchecker") / "resources"
    return frozenset(p.name.split(".")[0] for p in folder.iterdir()
                     if p.name.endswith(".json.gz"))


@cache
def _dictionary(language: str) -> SpellChecker:
    return SpellChecker(language=language)


class SpellingRule:
    def __init__(self, language: str, words: WordLists, known: Iterable[str]) -> None:
        self.language = language
        self.available = language in dictionaries()
        self._check_capitalised = words.flag(language, "spelling.check_capitalised", False)
        # Every entry of the language's and common.toml's lists ([spelling] accept among them).
        tables = {*words.tables.get(language, {}), *words.tables.get(COMMON, {})}
        accepted = {entry for table in tables for _k, _l, entry in words.entries([language], table)}
        accepted.update(known)
        self._accepted = {w.lower() for phrase in accepted for w in WORD.findall(phrase)}
        self._verdicts: dict[str, bool] = {}

    def items(self, lines: Sequence[ReadLine]) -> list[CheckItem]:
        if not self.available:
            return [CheckItem("spelling", True, message(
                N_("not checked: no dictionary for {language}"), language=self.language))]
        frequency = _dictionary(self.language).word_frequency
        items = []
        for line in lines:
            unknown = []
            for match in WORD.finditer(line.plain):
                word = match[0]
                if not self._checked(word, line.plain[:match.start()]) or _ADDRESS.match(
                        line.plain, match.end()) or line.plain[match.start() - 1:match.start()] \
                        in ("/", "@", "."):
                    continue
                folded = word.lower()  # the dictionaries keep ß, which casefold() spells ss
                known = self._verdicts.get(folded)
                if known is None:
                    known = folded in self._accepted or folded in frequency
                    self._verdicts[folded] = known
                if not known:
                    unknown.append(word)
            if unknown:
                shown = list(dict.fromkeys(unknown))
                items.append(CheckItem("spelling", False, message(
                    N_("not in the {language} dictionary: {words}"), language=self.language,
                    words=", ".join(shown[:_SHOWN]) + (" …" if len(shown) > _SHOWN else "")),
                    line.number))
        return items or [CheckItem("spelling", True, message(
            N_("every word is in the {language} dictionary"), language=self.language))]

    def _checked(self, word: str, before: str) -> bool:
        if len(word) < 3 or word.endswith("'") or _HAS_DIGIT.search(word) or word.isupper():
            return False
        if word[0].isupper() and not self._check_capitalised:
            return _SENTENCE_END.search(before) is not None  # a sentence's first word
        return True
