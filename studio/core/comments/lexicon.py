"""Finding many keywords of many languages in one comment: dictionaries first, regexes where
they must."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from studio.core.comments.text import LATIN_FOLD, UNSPACED, WORD, fold


def _char_regex(ch: str, tolerant: bool) -> str:
    base = LATIN_FOLD.get(ord(ch)) if tolerant else None
    return f"[{ch}{base}]" if base else re.escape(ch)


def _trie_regex(words: Iterable[str], tolerant: bool) -> str:
    """One alternation for many literals, factored by shared prefixes so the engine walks it
    like a trie instead of trying every keyword at every position. `tolerant`: an accented
    letter also matches its bare letter."""
    root: dict = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [
            _char_regex(ch, tolerant) + build(child) for ch, child in sorted(node.items()) if ch
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(root)


# Where a lexicon looks: anywhere in the comment, at its opening, or at its close (before any
# emoji or punctuation that ends it).
ANYWHERE, OPENING, CLOSING = "anywhere", "opening", "closing"
_ANCHORED = {ANYWHERE: "({})", OPENING: r"\A[\W_]*({})", CLOSING: r"({})[\W_]*\Z"}

# A hit: what the entry stands for (a category, or "" for question forms), the languages whose
# lists hold it, and the entry as written in the file.
Hit = tuple[str, tuple[str, ...], str]
_HitTable = dict[tuple[str, str], list[str]]


def _hits(table: _HitTable) -> tuple[Hit, ...]:
    return tuple((payload, tuple(langs), entry) for (payload, entry), langs in table.items())


def _bare_index(index: dict[str, tuple[Hit, ...]]) -> dict[str, tuple[Hit, ...]]:
    """The same index keyed by bare letters, for comments typed without accents."""
    bare: dict[str, tuple[Hit, ...]] = {}
    for key, found in index.items():
        bare[fold(key)] = bare.get(fold(key), ()) + found
    return bare


def _stem_index(
    stems: dict[str, tuple[Hit, ...]], kind: str
) -> dict[str, list[tuple[str, tuple[Hit, ...]]]]:
    index: dict[str, list[tuple[str, tuple[Hit, ...]]]] = {}
    for stem, found in stems.items():
        index.setdefault(stem[:2] if kind == "prefix" else stem[-2:], []).append((stem, found))
    return index


class Lexicon:
    """Entries of many languages, found in a comment with dictionary look-ups, not regexes.

    Whole words and phrases are keyed by their words joined with one space; word starts
    ("ship*") and word ends ("*kah") by their stem. Only entries that match inside words of any
    script (a "*" at both ends, or a script written without spaces) go into regular expressions,
    one each, shaped like a trie; the one for unspaced scripts runs only on text that has them.
    `tolerant`: an accented letter of an entry also matches its bare letter, but only in words
    the buyer typed without any accent."""

    def __init__(
        self,
        entries: Iterable[tuple[str, str, str]],
        normaliser: Callable[[str], str],
        tolerant: bool,
        where: str = ANYWHERE,
    ) -> None:
        self.tolerant, self.where = tolerant, where
        tables: dict[str, dict[str, _HitTable]] = {
            kind: {} for kind in ("word", "prefix", "suffix", "anywhere", "unspaced")
        }
        for payload, lang, entry in entries:
            lead, trail = entry.startswith("*"), entry.endswith("*")
            text = normaliser(entry.strip("*").strip())
            tokens = WORD.findall(text)
            if UNSPACED.search(text):
                kind, key = "unspaced", text
            elif (lead and trail) or ((lead or trail) and len(tokens) != 1):
                kind, key = "anywhere", text
            elif lead or trail:
                kind, key = ("prefix" if trail else "suffix"), tokens[0]
            else:
                kind, key = "word", " ".join(tokens)
            langs = tables[kind].setdefault(key, {}).setdefault((payload, entry), [])
            if lang not in langs:
                langs.append(lang)
        found = {
            kind: {key: _hits(t) for key, t in table.items()} for kind, table in tables.items()
        }
        self._words = found["word"]
        self._bare_words = _bare_index(self._words)
        # Opening words of phrases: a scan goes on to the next word only after one of these.
        self._heads = {
            " ".join(key.split(" ")[:n])
            for key in self._words
            for n in range(1, key.count(" ") + 1)
        }
        self._bare_heads = {fold(head) for head in self._heads}
        self._max_words = max((key.count(" ") + 1 for key in self._words), default=1)
        # Word starts and ends by their first (last) two letters: one look-up per word, then a
        # startswith over the few stems that share them.
        self._stems = {
            kind: (_stem_index(found[kind], kind), _stem_index(_bare_index(found[kind]), kind))
            for kind in ("prefix", "suffix")
            if found[kind]
        }
        self._regexes = {
            kind: (
                re.compile(_ANCHORED[where].format(_trie_regex(found[kind], tolerant))),
                found[kind],
                _bare_index(found[kind]),
            )
            for kind in ("anywhere", "unspaced")
            if found[kind]
        }

    def find(
        self, words: list[str], bare: list[str], text: str, unspaced: bool, first: bool
    ) -> list[Hit]:
        """Hits in a comment, given as its words, the same words without accents, and its text
        (`unspaced`: it has letters of a script written without spaces). `first`: stop at the
        first hit. The hot loop of the classifier, hence the local names."""
        found: list[Hit] = []
        count = len(words)
        if self.where == ANYWHERE:
            starts: Iterable[int] = range(count)
        elif self.where == OPENING:
            starts = range(min(count, 1))
        else:
            starts = range(max(count - self._max_words, 0), count)
        exact, bare_exact, tolerant = self._words, self._bare_words, self.tolerant
        for i in starts:
            key, bare_key, j = words[i], bare[i], i + 1
            while True:
                hits = exact.get(key)
                if hits is None and tolerant and key == bare_key:
                    hits = bare_exact.get(bare_key)
                if hits and (j == count or self.where != CLOSING):
                    if first:
                        return list(hits)
                    found += hits
                if j == count or not (
                    key in self._heads
                    or (tolerant and key == bare_key and bare_key in self._bare_heads)
                ):
                    break
                key, bare_key, j = f"{key} {words[j]}", f"{bare_key} {bare[j]}", j + 1
        if self.where == ANYWHERE:
            stem_words: Sequence[int] = range(count)
        else:
            stem_words = [0 if self.where == OPENING else count - 1] if count else []
        for kind, (stems, bare_stems) in self._stems.items():
            for i in stem_words:
                word = words[i]
                table = bare_stems if tolerant and word == bare[i] else stems
                edge = word[:2] if kind == "prefix" else word[-2:]
                for stem, hits in table.get(edge, ()):
                    if word.startswith(stem) if kind == "prefix" else word.endswith(stem):
                        if first:
                            return list(hits)
                        found += hits
        for kind, (regex, table, bare_table) in self._regexes.items():
            if kind == "unspaced" and not unspaced:
                continue
            for m in regex.finditer(text):
                match = m.group(1)
                found += table.get(match) or bare_table.get(fold(match), ())
                if first and found:
                    return found
        return found
