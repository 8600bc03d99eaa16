"""The checklist's word lists: resources/checklists/<language>.toml and common.toml, plus the
files of a producer's own folders, which add to them (docs/scripts.md, "Extending the word
lists").

A language file has one table per rule and lists in it; common.toml holds what no language owns
(messaging apps, link and phone patterns, other platforms' names, currency words). An entry
"{platform}" in a list stands for every name in common.toml's [platforms] list.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from studio.core.message import N_, message
from studio.resources import resource

COMMON = "common"
PLATFORM = "{platform}"


class WordListError(ValueError):
    """A word list file is unreadable or not laid out as docs/scripts.md says."""


@dataclass(frozen=True, slots=True, eq=False)  # compared and hashed as itself: a cache key
class WordLists:
    """Every list of every file, merged: tables[file stem][table][key] -> entries."""

    tables: dict[str, dict[str, dict[str, tuple[str, ...]]]] = field(default_factory=dict)
    flags: dict[str, dict[str, bool]] = field(default_factory=dict)

    def lists(self, language: str, table: str) -> dict[str, tuple[str, ...]]:
        return self.tables.get(language, {}).get(table, {})

    def entries(self, languages: Sequence[str], table: str) -> Iterator[tuple[str, str, str]]:
        """(key, language, entry) of one table in the given languages' files and common.toml,
        with "{platform}" spelled out for each platform name."""
        platforms = self.lists(COMMON, "platforms").get("names", ())
        for language in (*languages, COMMON):
            for key, entries in self.lists(language, table).items():
                for entry in entries:
                    if PLATFORM in entry:
                        for name in platforms:
                            yield key, language, entry.replace(PLATFORM, name)
                    else:
                        yield key, language, entry

    def flag(self, language: str, name: str, default: bool) -> bool:
        return self.flags.get(language, {}).get(name, default)


def load_word_lists(extra_dirs: Sequence[Path] = ()) -> WordLists:
    """The built-in lists and, after them, each folder's files of the same names."""
    if not extra_dirs:
        return _builtin()
    return _load((resource("checklists"), *extra_dirs))


@cache
def _builtin() -> WordLists:
    return _load((resource("checklists"),))


def _load(folders: Sequence[Path]) -> WordLists:
    merged = WordLists()
    for folder in folders:
        if not folder.is_dir():
            raise WordListError(message(N_("{path}: expected a folder of word list files"),
                                        path=str(folder)))
        for path in sorted(folder.glob("*.toml")):
            _merge(merged, path)
    return merged


def _merge(into: WordLists, path: Path) -> None:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise WordListError(message(N_("{path}: not a readable TOML file ({reason})"),
                                    path=str(path), reason=str(exc))) from None
    tables = into.tables.setdefault(path.stem, {})
    flags = into.flags.setdefault(path.stem, {})
    for table, values in data.items():
        if not isinstance(values, dict):
            raise WordListError(message(N_("{path}: {key}: expected a table of word lists"),
                                        path=str(path), key=table))
        for key, value in values.items():
            where = f"{table}.{key}"
            if isinstance(value, bool):
                flags[where] = value
            elif isinstance(value, list) and all(isinstance(v, str) and v.strip("* ")
                                                 for v in value):
                lists = tables.setdefault(table, {})
                lists[key] = (*lists.get(key, ()), *value)
            elif not isinstance(value, str):  # strings name the file (code, name)
                raise WordListError(message(
                    N_("{path}: {key}: expected a list of non-empty words or true/false"),
                    path=str(path), key=where))
