"""The pre-air checklist: automatic rules with stable ids run over a script for one market
(docs/scripts.md, "The pre-air checklist").

    items = check(script, market("DE"), products=[catalog.product(sku, de) for sku in ...])

Each rule says why it passed or failed (the words found or missing, with their line). The rules
read the market's own languages from the word lists in resources/checklists/, which a producer
extends with a folder of their own (`extra_dirs`) without code. Everything that does not depend
on the script (word lists, lexicons, price signs, dictionaries) is built once per market and
kept, so that a check is fast enough to run as a producer types.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from studio.core.markets import Market
from studio.core.scripts.catalog import Product
from studio.core.scripts.checklist.item import RULE_IDS, CheckItem
from studio.core.scripts.checklist.language import LanguageGuesser, language_items
from studio.core.scripts.checklist.length import length_items
from studio.core.scripts.checklist.money import catalog_items, local_currency_items
from studio.core.scripts.checklist.phrases import PhraseRules
from studio.core.scripts.checklist.prices import PriceReader, price_reader
from studio.core.scripts.checklist.reading import read_lines
from studio.core.scripts.checklist.spelling import SpellingRule
from studio.core.scripts.checklist.words import WordListError, WordLists, load_word_lists
from studio.core.scripts.model import Script

__all__ = ["RULE_IDS", "CheckItem", "WordListError", "check", "failed"]


@dataclass(frozen=True, slots=True, eq=False)
class _MarketRules:
    """What a check of one market needs that no script changes."""

    prices: PriceReader
    phrases: PhraseRules
    guesser: LanguageGuesser
    words: WordLists


def _rules(market: Market, words: WordLists) -> _MarketRules:
    return _MarketRules(price_reader(market.locale, market.currency, words),
                        PhraseRules(market.languages, market.payment_methods, words),
                        _guesser(words), words)


@cache
def _guesser(words: WordLists) -> LanguageGuesser:
    return LanguageGuesser(words)


@cache
def _builtin_rules(market: Market) -> _MarketRules:
    return _rules(market, load_word_lists())


def check(script: Script, market: Market, products: Sequence[Product] | None = None,
          extra_dirs: Sequence[Path] = ()) -> list[CheckItem]:
    """Every automatic rule's items, in RULE_IDS order. `products`: the catalog's prices in
    the market (None: price_matches_catalog is not checked); `extra_dirs`: folders of word list
    files that add to the built-in ones."""
    rules = _rules(market, load_word_lists(extra_dirs)) if extra_dirs else _builtin_rules(market)
    lines = read_lines(script, rules.prices)
    by_segment: list[list] = [[] for _ in script.segments]
    for line in lines:
        if line.segment >= 0:
            by_segment[line.segment].append(line)
    readings = [rules.guesser.guess(seg, market.languages) for seg in by_segment]
    main = market.languages[0]
    spelled = [line for line in lines
               if line.segment < 0 or readings[line.segment].language in (None, main)]
    known = [*market.payment_methods, *(name for p in products or () for name in (p.name, p.sku))]
    items = [
        *rules.phrases.check(lines),
        *local_currency_items(lines, market.currency),
        *catalog_items(lines, market.currency, products),
        *length_items(script, lines, market.speaking_rate, market.rate_unit),
        *language_items(script, readings, market.languages),
        *SpellingRule(main, rules.words, known).items(spelled),
    ]
    order = {rule: i for i, rule in enumerate(RULE_IDS)}
    return sorted(items, key=lambda item: order[item.id])


def failed(items: Sequence[CheckItem]) -> bool:
    return any(not item.passed for item in items)
