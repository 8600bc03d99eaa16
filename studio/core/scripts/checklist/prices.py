"""Prices written out in a script: a currency sign, code or word beside a number.

What a sign means depends on where it is read: "$" is the peso in Mexico, the Singapore dollar
in Singapore and the US dollar in Germany. A sign's meanings are the currencies whose CLDR
symbol it is in the market's locale or in English, its ISO code, and the words common.toml's
[currencies] lists for it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

from babel.numbers import get_currency_symbol

from studio.core.scripts.checklist.words import COMMON, WordLists

# Currencies a script is likely to name besides the market's own.
WORLD_CURRENCIES = ("USD", "EUR", "GBP", "CNY", "JPY", "KRW", "HKD", "TWD", "AUD", "CAD", "CHF")
# Thousands grouped by one separator, or plain digits, each with an optional decimal part.
_NUMBER = r"\d{1,3}(?:[.,'\u00a0\u202f ]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
# A sign is a word of its own in scripts written with spaces ("Rp", not the end of "Grp");
# in Japanese or Chinese it runs on into the sentence ("20ドルです").
_NOT_LETTER = r"(?<![A-Za-z\u00c0-\u024f])"
_NO_LETTER_AFTER = r"(?![A-Za-z\u00c0-\u024f])"


@dataclass(frozen=True, slots=True)
class PriceLiteral:
    sign: str  # as written: "$", "Rp", "EUR", "円"
    currencies: frozenset[str]  # what the sign can mean in the market
    amount: Decimal | None  # None when the digits do not read as one number
    text: str  # the whole literal as written
    start: int
    end: int


class PriceReader:
    """Finds price literals in the text of one market's script."""

    def __init__(self, locale: str, currencies: Iterable[str], words: WordLists) -> None:
        meanings: dict[str, set[str]] = {}
        for code in currencies:
            signs = {code, _plain(get_currency_symbol(code, locale)),
                     _plain(get_currency_symbol(code, "en"))}
            signs.update(words.lists(COMMON, "currencies").get(code, ()))
            for sign in signs:
                meanings.setdefault(sign.casefold(), set()).add(code)
        self._meanings = {sign: frozenset(codes) for sign, codes in meanings.items()}
        signs = "|".join(re.escape(s) for s in sorted(meanings, key=len, reverse=True))
        sign = rf"{_NOT_LETTER}(?:{signs}){_NO_LETTER_AFTER}"
        self._regex = re.compile(
            rf"(?P<pre>{sign})\s?(?P<n1>{_NUMBER})(?!\d)|(?<![\d.,])(?P<n2>{_NUMBER})\s?"
            rf"(?P<post>{sign})", re.IGNORECASE)

    def find(self, text: str) -> list[PriceLiteral]:
        found = []
        for m in self._regex.finditer(text):
            sign, digits = (m["pre"], m["n1"]) if m["pre"] else (m["post"], m["n2"])
            found.append(PriceLiteral(sign, self._meanings[sign.casefold()], amount(digits),
                                      m[0], m.start(), m.end()))
        return found


def amount(digits: str) -> Decimal | None:
    """The number a price's digits say. A last separator followed by one or two digits is the
    decimal mark whatever the locale ("19,99" and "19.99"); followed by three it groups
    thousands ("150.000" and "1,500"), as prices are written in every market's convention."""
    digits = re.sub(r"[\s'\u00a0\u202f]", "", digits)
    head, sep, tail = max(digits.rpartition(","), digits.rpartition("."), key=lambda p: len(p[0]))
    if sep and len(tail) != 3:
        digits = head.replace(",", "").replace(".", "") + "." + tail
    else:
        digits = digits.replace(",", "").replace(".", "")
    try:
        return Decimal(digits)
    except InvalidOperation:
        return None


def _plain(symbol: str) -> str:
    """A CLDR symbol without its direction marks ("ر.س.\u200f")."""
    return symbol.translate(BIDI_MARKS)


BIDI_MARKS = {code: None for code in (0x200E, 0x200F, 0x061C, 0x202A, 0x202B, 0x202C)}


@cache
def price_reader(locale: str, currency: str, words: WordLists) -> PriceReader:
    return PriceReader(locale, dict.fromkeys((currency, *WORLD_CURRENCIES)), words)
