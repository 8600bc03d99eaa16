"""The multilingual comment classifier: offline, fast, and able to say which rule fired.

A comment gets one category (docs/metrics.md: product, price, usage, logistics, chitchat, other),
whether it asks something, and a best guess of its language. Every decision comes from keyword
lists and patterns in resources/comments/<lang>.toml, which a producer extends per market
(resources/comments/markets/<MARKET>.toml) or in a folder of their own (docs/comments.md).

How a comment is read:
- It is normalised once (NFKC, case folding, Arabic letter variants unified) into `norm`, which
  patterns and question forms see; keywords see `norm` with runs of three or more equal characters
  squeezed to one ("hiii" -> "hi", "sooo" -> "so").
- Keywords are accent-tolerant one way: an accented letter in a keyword also matches its bare
  letter ("envío" matches "envio", "dùng" matches "dung"), but an accent the keyword does not have
  never matches ("dùng", use, stays apart from "đứng", stand still; "sạc", charger, from the
  French "sac"). Question forms match exactly, where accents tell "qué" (what) from "que" (that).
- Comments mix languages ("这个size有M吗", "فيه shipping؟"), so every language's rules apply to
  every comment. Words, phrases and word starts/ends are dictionary look-ups (lexicon.py); only
  entries that match inside words (scripts written without spaces, "*x*") go through a
  trie-shaped regular expression. Either way the cost hardly grows with the number of keywords.
- The category in PRECEDENCE order that comes first among the hits wins: what a buyer needs before
  paying (delivery, payment, price) outranks what the goods are, which outranks greetings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from studio.core.comments.lexicon import ANYWHERE, CLOSING, OPENING, Hit, Lexicon
from studio.core.comments.rules import CATEGORIES, CommentRulesError, load_rules, pattern_source
from studio.core.comments.text import (
    ARABIC,
    EMOJI,
    HAS_WORD,
    SCRIPTS,
    UNSPACED,
    VIETNAMESE,
    WORD,
    fold,
    normalise,
    squeeze,
)
from studio.resources import resource

__all__ = [
    "CATEGORIES",
    "PRECEDENCE",
    "Classification",
    "Classifier",
    "CommentRulesError",
    "classifier_for",
    "classify",
]

PRECEDENCE = ("logistics", "price", "usage", "product", "other", "chitchat")
QUESTION_MARKS = ("?", "؟", "¿")  # NFKC turns the full-width "？" into "?"
# Live comments are short; a cap keeps one pasted essay from stalling a whole import.
MAX_CHARS = 1000
# Live rooms repeat themselves ("❤️", "hi", "555", "price?"): results of recent texts are kept.
CACHE_SIZE = 1 << 16

_RULES_DIR = "comments"
_MARKET_CODE = re.compile(r"[A-Za-z0-9_-]{2,16}")


@dataclass(frozen=True, slots=True)
class Classification:
    category: str  # one of CATEGORIES
    is_question: bool
    language: str | None  # best guess ISO 639-1 code, or None
    rules: tuple[str, ...]  # which rules fired, e.g. ("logistics: en 'shipping'", "question: '?'")


_EMPTY = Classification("other", False, None, ("other: empty",))


class Classifier:
    """Rules of every language, plus the market's additions, compiled once; classify() is pure."""

    def __init__(self, market: str | None = None, extra_dirs: Sequence[Path] = ()) -> None:
        if market is not None and not _MARKET_CODE.fullmatch(market):
            raise ValueError(f"market code {market!r} is not a code like 'US' or 'MY'")
        self.market = market.upper() if market else None
        rules = load_rules(self.market, [resource(_RULES_DIR), *(Path(d) for d in extra_dirs)])
        self.languages = tuple(rules)
        self._keywords = Lexicon(
            (
                (cat, r.code, k)
                for r in rules.values()
                for cat in CATEGORIES
                for k in r.keywords.get(cat, [])
            ),
            lambda s: squeeze(normalise(s)),
            tolerant=True,
        )
        # The same pattern in several languages (laughter) is compiled and tried once.
        patterns: dict[tuple[str, str], list[str]] = {}
        for r in rules.values():
            for cat in CATEGORIES:
                for pattern in r.patterns.get(cat, []):
                    patterns.setdefault((cat, pattern), []).append(r.code)
        self._patterns = {
            cat: [
                (re.compile(pattern_source(p)), tuple(langs), p)
                for (c, p), langs in patterns.items()
                if c == cat
            ]
            for cat in PRECEDENCE
        }

        def question_lexicon(kind: str, where: str) -> Lexicon:
            entries = (("", r.code, w) for r in rules.values() for w in r.question.get(kind, []))
            return Lexicon(entries, normalise, False, where)

        self._questions = (
            ("", question_lexicon("words", ANYWHERE)),
            (" (opening)", question_lexicon("starts", OPENING)),
            (" (closing)", question_lexicon("ends", CLOSING)),
        )
        self._markers: dict[str, tuple[str, ...]] = {}
        for r in rules.values():
            for marker in r.markers:
                key = fold(normalise(marker))
                if r.code not in self._markers.get(key, ()):
                    self._markers[key] = (*self._markers.get(key, ()), r.code)
        self._order = {code: i for i, code in enumerate(self.languages)}
        self._cache: dict[str, Classification] = {}

    def classify(self, text: str) -> Classification:
        """The category, question flag, language and rules of one comment. None and blank text
        are "other"; anything but text is a TypeError."""
        if not isinstance(text, str):
            if text is None:
                return _EMPTY
            raise TypeError(f"a comment must be text (str), not {type(text).__name__}")
        result = self._cache.get(text)
        if result is None:
            result = self._classify(text) if text.strip() else _EMPTY
            if len(text) <= MAX_CHARS:  # a pasted essay is not worth keeping
                if len(self._cache) >= CACHE_SIZE:
                    self._cache.clear()
                self._cache[text] = result
        return result

    def _classify(self, text: str) -> Classification:
        norm = normalise(text[:MAX_CHARS])
        squeezed = squeeze(norm)
        words = WORD.findall(squeezed)
        # Folding maps each letter to one letter and words hold no spaces: same words, bare.
        bare = fold(" ".join(words)).split(" ") if words else []
        unspaced = UNSPACED.search(norm) is not None
        category, hit, kind = self._category(norm, squeezed, words, bare, unspaced)
        language = self._language(norm, bare, unspaced, hit[1] if hit else ())
        if hit:
            rules = [f"{category}: {_label(hit, language)} {kind}{hit[2]!r}"]
        else:
            rules = [f"{category}: {kind}"]
        question = self._question(norm, unspaced, language)
        if question:
            rules.append(question)
        return Classification(category, question is not None, language, tuple(rules))

    def _category(
        self, norm: str, squeezed: str, words: list[str], bare: list[str], unspaced: bool
    ) -> tuple[str, Hit | None, str]:
        """The winning category, its hit, and the kind of rule that fired."""
        hits = self._keywords.find(words, bare, squeezed, unspaced, first=False)
        best = min(hits, key=lambda h: PRECEDENCE.index(h[0]), default=None)
        # Patterns only matter for categories that would beat the best keyword.
        for cat in PRECEDENCE[: PRECEDENCE.index(best[0]) if best else None]:
            for regex, langs, pattern in self._patterns[cat]:
                if regex.search(norm):
                    return cat, (cat, langs, pattern), "pattern "
        if best:
            return best[0], best, ""
        if not HAS_WORD.search(norm):
            return "chitchat", None, "no words, only emoji or punctuation"
        if EMOJI.search(norm):
            return "chitchat", None, "emoji, no other rule"
        return "other", None, "no rule matched"

    def _question(self, norm: str, unspaced: bool, language: str | None) -> str | None:
        for mark in QUESTION_MARKS:
            if mark in norm:
                return f"question: {mark!r}"
        # Not the squeezed words: "kkkk" (laughter) must not become "k" (Vietnamese "không?").
        words = WORD.findall(norm)
        for where, lexicon in self._questions:
            found = lexicon.find(words, words, norm, unspaced, first=True)
            if found:
                return f"question: {_label(found[0], language)} {found[0][2]!r}{where}"
        return None

    def _language(
        self, norm: str, bare: list[str], unspaced: bool, hit_langs: Sequence[str]
    ) -> str | None:
        if unspaced or ARABIC.search(norm):
            for code, script in SCRIPTS:
                if script.search(norm):
                    return code
        if VIETNAMESE.search(norm):
            return "vi"
        votes = dict.fromkeys(hit_langs, 1)
        for word in bare:
            for code in self._markers.get(word, ()):
                votes[code] = votes.get(code, 0) + 1
        if not votes:
            return None
        return min(votes, key=lambda code: (-votes[code], self._order.get(code, len(self._order))))


def _label(hit: Hit, language: str | None) -> str:
    """The language to name in an explanation: the comment's, if its list holds the entry."""
    return language if language in hit[1] else hit[1][0]


@cache
def _shared(market: str | None) -> Classifier:
    return Classifier(market)


def classifier_for(market: str | None = None) -> Classifier:
    """The shared classifier of a market (built on first use, then reused)."""
    return _shared(market.upper() if market else None)


def classify(text: str, market: str | None = None) -> Classification:
    return classifier_for(market).classify(text)
