"""The rules that look for words: what a script must say (shipping time, returns, the market's
ways to pay) and what it must not (banned claims, sending buyers off the platform).

Every list of every rule goes into one Lexicon (the comment classifier's keyword finder), so a
line is read once for all of them, whatever the number of entries.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from studio.core.comments.lexicon import Hit, Lexicon
from studio.core.comments.text import normalise, squeeze
from studio.core.message import N_, Message, message
from studio.core.scripts.checklist.item import CheckItem
from studio.core.scripts.checklist.reading import ReadLine
from studio.core.scripts.checklist.words import COMMON, WordLists

# What a script must say somewhere, with the words of the rule's list.
REQUIRED = ("shipping_time", "returns_policy", "payment_methods")
# What a script must not say anywhere.
FORBIDDEN = ("banned_claims", "off_platform")
_WHAT = {
    "shipping_time": N_("how long delivery takes"),
    "returns_policy": N_("how returns work"),
    "payment_methods": N_("the market's local ways to pay"),
}
_KINDS = {
    "absolute": N_("an absolute or superlative claim"),
    "medical": N_("a medical or health claim"),
    "comparison": N_("a price comparison with another platform"),
    "words": N_("a way to reach the seller off the platform"),
}
_OTHER_KIND = N_("a banned claim")
_MARKET = "market"  # the "language" of the market's own payment method names
_EXAMPLES = 4


@dataclass(frozen=True, slots=True)
class _Found:
    entry: str
    line: int


class PhraseRules:
    def __init__(self, languages: Sequence[str], payment_methods: Sequence[str],
                 words: WordLists) -> None:
        entries = [(f"{rule}:{key}", lang, entry)
                   for rule in (*REQUIRED, *FORBIDDEN)
                   for key, lang, entry in words.entries(languages, rule)
                   if key != "patterns"]
        entries += [("payment_methods:market", _MARKET, name) for name in payment_methods]
        self._lexicon = Lexicon(entries, lambda s: squeeze(normalise(s)), tolerant=True)
        self._patterns = [re.compile(p) for p in
                          words.lists(COMMON, "off_platform").get("patterns", ())]
        self._examples = {rule: [e for key, _lang, e in words.entries(languages[:1], rule)
                                 if key != "patterns"][:_EXAMPLES] for rule in REQUIRED}
        self._examples["payment_methods"] = list(payment_methods)[:_EXAMPLES * 2] or \
            self._examples["payment_methods"]

    def check(self, lines: Sequence[ReadLine]) -> list[CheckItem]:
        found: dict[str, list[tuple[str, _Found]]] = {r: [] for r in (*REQUIRED, *FORBIDDEN)}
        for line in lines:
            hits: list[Hit] = self._lexicon.find(list(line.words), list(line.bare), line.norm,
                                                  line.unspaced, first=False)
            for payload, _langs, entry in hits:
                rule, key = payload.split(":", 1)
                found[rule].append((key, _Found(entry, line.number)))
            taken: list[range] = []  # a link's address is not a second finding
            for pattern in self._patterns:
                for m in pattern.finditer(line.plain):
                    if not any(m.start() in span for span in taken):
                        taken.append(range(m.start(), m.end()))
                        found["off_platform"].append(("words", _Found(m[0].strip(),
                                                                      line.number)))
        items = [self._required(rule, found[rule]) for rule in REQUIRED]
        for rule in FORBIDDEN:
            items += _forbidden(rule, found[rule])
        return items

    def _required(self, rule: str, found: list[tuple[str, _Found]]) -> CheckItem:
        if not found:
            return CheckItem(rule, False, message(
                N_("no line says {what}; expected words such as: {examples}"),
                what=message(_WHAT[rule]), examples=", ".join(self._examples[rule])))
        first = found[0][1].line
        said = ", ".join(dict.fromkeys(f'"{f.entry}" ({f.line})' for _k, f in found))
        return CheckItem(rule, True, message(N_("{what}: found {words}"),
                                             what=message(_WHAT[rule]), words=said), first)


def _forbidden(rule: str, found: list[tuple[str, _Found]]) -> list[CheckItem]:
    if not found:
        return [CheckItem(rule, True, message(N_("nothing found")))]
    by_line: dict[tuple[int, str], list[str]] = {}
    for key, f in found:
        by_line.setdefault((f.line, key), []).append(f.entry)
    return [CheckItem(rule, False, _said(key, entries), line)
            for (line, key), entries in sorted(by_line.items())]


def _said(key: str, entries: list[str]) -> Message:
    return message(N_("{words}: {kind}"),
                   words=", ".join(f'"{e}"' for e in dict.fromkeys(entries)),
                   kind=message(_KINDS.get(key, _OTHER_KIND)))
