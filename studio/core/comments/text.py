"""Text forms the comment classifier compares: normalisation, accent folding, words, scripts."""

from __future__ import annotations

import re
import unicodedata

# A letter or digit of a script written with spaces between words. Scripts written without spaces
# (Thai, kana, Han, Hangul) are left out so "size" still counts as a word in "这个size有M吗".
WORDCH = (
    r"[^\W_\u0e00-\u0e7f\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    r"\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]"
)
# Letters of the scripts written without spaces, whose entries match anywhere.
UNSPACED = re.compile(
    "[\u0e00-\u0e7f\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]"
)
# Words of the spaced scripts. A short elided head ("l'", "qu'", "c'") is a word of its own, so
# "l'utilise" holds "utilise"; a longer one keeps its apostrophe ("can't" is not "can").
WORD = re.compile(rf"{WORDCH}{{1,2}}'(?={WORDCH})|{WORDCH}+(?:'{WORDCH}+)*")
SQUEEZE = re.compile(r"(.)\1{2,}")
HAS_WORD = re.compile(r"[^\W_]")
EMOJI = re.compile("[\u2190-\u2bff\u3297\u3299\U0001f000-\U0001faff]")
# Scripts that name their language outright, checked in this order: kana before Han, because
# Japanese mixes both while Chinese has no kana.
SCRIPTS = (
    ("ko", re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")),
    ("ja", re.compile("[\u3040-\u30ff\u31f0-\u31ff]")),
    ("th", re.compile("[\u0e00-\u0e7f]")),
    ("ar", re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")),
    ("zh", re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")),
)
ARABIC = SCRIPTS[3][1]
# Letters only Vietnamese uses among the Latin-script languages (ă đ ơ ư and the stacked tones).
VIETNAMESE = re.compile("[ăđơư\u1ea0-\u1ef9]")


def _latin_fold_table() -> dict[int, str]:
    table = {}
    for start, end in ((0x00C0, 0x0250), (0x1E00, 0x1F00)):
        for code in range(start, end):
            base = unicodedata.normalize("NFD", chr(code))[0]
            if base != chr(code) and base.isascii():
                table[code] = base
    table.update({ord("đ"): "d", ord("ø"): "o", ord("ł"): "l", ord("ı"): "i"})
    return table


LATIN_FOLD = _latin_fold_table()
# Hamza seats and final forms vary by keyboard and habit; Arabic diacritics and the tatweel are
# noise; phones type a typographic apostrophe where rules have a plain one.
NORM_FOLD: dict[int, str | None] = {
    ord("’"): "'",
    **{ord(c): "ا" for c in "أإآٱ"},
    ord("ة"): "ه",
    ord("ى"): "ي",
    ord("ـ"): None,
    **{code: None for code in range(0x064B, 0x0660)},
    0x0670: None,
}


def normalise(text: str) -> str:
    """The form patterns and question forms see: NFKC, case-folded, Arabic variants unified."""
    return unicodedata.normalize("NFKC", text).casefold().translate(NORM_FOLD)


def squeeze(norm: str) -> str:
    """The form keywords see: long runs of one character cut to one."""
    return SQUEEZE.sub(r"\1", norm)


def fold(text: str) -> str:
    """`text` without Latin accents: to compare words whatever accents a buyer typed."""
    return text.translate(LATIN_FOLD)
