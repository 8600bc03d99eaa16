"""Which language each segment is written in, and the rule that it is the market's.

Scripts that name their language settle it (Hangul, kana, Thai, Arabic, Han without kana for
Chinese); Vietnamese has letters of its own. Between the other Latin-script languages the
common words of each language file's [language] markers vote.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from studio.core.comments.text import SCRIPTS, VIETNAMESE
from studio.core.message import N_, message
from studio.core.scripts.checklist.item import CheckItem
from studio.core.scripts.checklist.reading import ReadLine
from studio.core.scripts.checklist.words import COMMON, WordLists
from studio.core.scripts.model import Script

_LATIN = re.compile(r"[a-zß-ɏ]")
_SCRIPT_OF = dict(SCRIPTS)
# Kana among Han and kana makes the text Japanese from this share on: a Japanese sentence is
# mostly kana, a Chinese one has none.
_KANA_SHARE = 0.1
# Fewer marker words than this and a Latin-script segment is too short to tell.
_MIN_VOTES = 2
_EVIDENCE = 5


@dataclass(frozen=True, slots=True)
class Reading:
    language: str | None  # None: too little text to tell
    evidence: tuple[str, ...]  # the marker words or characters that decided


class LanguageGuesser:
    def __init__(self, words: WordLists) -> None:
        every_language = [lang for lang in words.tables if lang != COMMON]
        self._markers: dict[str, list[str]] = {}
        for _key, lang, entry in words.entries(every_language, "language"):
            self._markers.setdefault(entry.casefold(), []).append(lang)
        self._order = {lang: i for i, lang in enumerate(dict.fromkeys(
            lang for langs in self._markers.values() for lang in langs))}

    def guess(self, lines: Sequence[ReadLine], preferred: Sequence[str]) -> Reading:
        """The language of a segment's lines; on a tie between Latin-script languages (Malay
        and Indonesian share many words) `preferred` ones win."""
        text = "\n".join(line.norm for line in lines)
        counts = {code: len(script.findall(text)) for code, script in SCRIPTS}
        latin = len(_LATIN.findall(text))
        han_kana = counts["zh"] + counts["ja"]
        spaced_scripts = {"ko": counts["ko"], "th": counts["th"], "ar": counts["ar"],
                          "cjk": han_kana}
        script, letters = max(spaced_scripts.items(), key=lambda kv: kv[1])
        if letters > latin:
            if script == "cjk":
                script = "ja" if counts["ja"] >= _KANA_SHARE * han_kana else "zh"
            return Reading(script, tuple(dict.fromkeys(_SCRIPT_OF[script].findall(text)))
                           [:_EVIDENCE])
        vietnamese = VIETNAMESE.findall(text)
        if len(vietnamese) >= _MIN_VOTES:
            return Reading("vi", tuple(dict.fromkeys(vietnamese))[:_EVIDENCE])
        votes: Counter[str] = Counter()
        seen: dict[str, list[str]] = {}
        for line in lines:
            for word in line.words:
                for lang in self._markers.get(word, ()):
                    votes[lang] += 1
                    seen.setdefault(lang, []).append(word)
        if sum(votes.values()) < _MIN_VOTES:
            return Reading(None, ())
        best = min(votes, key=lambda lang: (-votes[lang], lang not in preferred,
                                            self._order[lang]))
        return Reading(best, tuple(dict.fromkeys(seen[best]))[:_EVIDENCE])


def language_items(script: Script, readings: Sequence[Reading],
                   languages: Sequence[str]) -> list[CheckItem]:
    """One failed item per segment written in another language than the market's."""
    items = [
        CheckItem("language", False, message(
            N_('segment "{segment}" reads as {found} ({evidence}), not as {expected}'),
            segment=segment.name, found=reading.language,
            evidence=", ".join(reading.evidence), expected=", ".join(languages)),
            segment.heading_line)
        for segment, reading in zip(script.segments, readings, strict=True)
        if reading.language is not None and reading.language not in languages
    ]
    return items or [CheckItem("language", True, message(
        N_("every segment reads as {expected}"), expected=", ".join(languages)))]
