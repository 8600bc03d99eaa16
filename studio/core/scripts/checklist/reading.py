"""A script's lines as the rules read them, prepared once per check: placeholders and price
literals set apart, the rest normalised into words the way the comment classifier reads."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from studio.core.comments.text import UNSPACED, WORD, fold, normalise, squeeze
from studio.core.scripts.checklist.prices import BIDI_MARKS, PriceLiteral, PriceReader
from studio.core.scripts.model import Line, Script

PLACEHOLDER = re.compile(r"\{[a-z_]+(?::[^{}\n]*)?\}")


@dataclass(frozen=True, slots=True)
class ReadLine:
    number: int
    segment: int  # index into the script's segments; -1 for the preamble
    text: str  # NFKC, direction marks gone, placeholders blanked
    prices: tuple[PriceLiteral, ...]
    plain: str  # `text` with its prices blanked
    norm: str  # `text` without its prices, normalised and squeezed
    words: tuple[str, ...]
    bare: tuple[str, ...]  # the same words without Latin accents
    unspaced: bool  # holds letters of a script written without spaces
    placeholders: int


def read_lines(script: Script, prices: PriceReader) -> list[ReadLine]:
    lines = [(-1, line) for line in script.preamble]
    for index, segment in enumerate(script.segments):
        lines += [(index, line) for line in segment.lines]
    return [_read(index, line, prices) for index, line in lines if line.text.strip()]


def _read(segment: int, line: Line, prices: PriceReader) -> ReadLine:
    text = unicodedata.normalize("NFKC", line.text).translate(BIDI_MARKS)
    text, placeholders = PLACEHOLDER.subn(" ", text)
    found = tuple(prices.find(text))
    plain = text
    for price in reversed(found):
        plain = plain[:price.start] + " " + plain[price.end:]
    norm = squeeze(normalise(plain))
    words = tuple(WORD.findall(norm))
    return ReadLine(line.number, segment, text, found, plain, norm, words,
                    tuple(fold(" ".join(words)).split(" ")) if words else (),
                    UNSPACED.search(norm) is not None, placeholders)
