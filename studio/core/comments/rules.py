"""Reading the rule files: languages in resources/comments/, markets, and producers' folders.

The layout is documented at the top of every rule file and in docs/comments.md. Files are read
in order (the built-in languages, then the market's file, then each producer folder the same
way), each adding to what came before; a [remove] table drops keywords again.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from studio.core.comments.text import HAS_WORD, NORM_FOLD, fold, normalise

CATEGORIES = ("product", "price", "usage", "logistics", "chitchat", "other")

_LANGUAGE_KEYS = {"code", "name", "markers"}
_QUESTION_KEYS = ("words", "starts", "ends")
_SECTIONS = {"language", "keywords", "patterns", "remove", "question"}
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")


class CommentRulesError(ValueError):
    """A rules file is unreadable or does not follow the layout in docs/comments.md."""


@dataclass(slots=True)
class LanguageRules:
    code: str
    markers: list[str] = field(default_factory=list)
    keywords: dict[str, list[str]] = field(default_factory=dict)
    patterns: dict[str, list[str]] = field(default_factory=dict)
    question: dict[str, list[str]] = field(default_factory=dict)


def _string_list(value: object, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip("* ") for v in value):
        raise CommentRulesError(f"{where}: expected a list of non-empty strings")
    return value


def _check_table(value: object, allowed: Iterable[str], where: str) -> dict:
    if not isinstance(value, dict):
        raise CommentRulesError(f"{where}: expected a table")
    allowed = set(allowed)
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise CommentRulesError(
            f"{where}: unknown key {unknown[0]!r} (allowed: {', '.join(sorted(allowed))})"
        )
    return value


def _check_pattern(pattern: str, where: str) -> None:
    try:
        re.compile(pattern_source(pattern))
    except re.error as exc:
        raise CommentRulesError(
            f"{where}: pattern {pattern!r} is not a valid regex: {exc}"
        ) from None


def _merge_language(rules: dict[str, LanguageRules], code: str, table: object, where: str) -> None:
    """Adds one language table (a whole language file, or one language of a market file)."""
    table = _check_table(table, _SECTIONS, where)
    language = _check_table(table.get("language", {}), _LANGUAGE_KEYS, f"{where} [language]")
    if language.get("code", code) != code:
        raise CommentRulesError(f"{where}: [language] code {language['code']!r} is not {code!r}")
    lang = rules.setdefault(code, LanguageRules(code))
    lang.markers += _string_list(language.get("markers", []), f"{where} [language] markers")
    for section, target, allowed in (
        ("keywords", lang.keywords, CATEGORIES),
        ("patterns", lang.patterns, CATEGORIES),
        ("question", lang.question, _QUESTION_KEYS),
    ):
        for key, values in _check_table(table.get(section, {}), allowed, where).items():
            values = _string_list(values, f"{where} [{section}] {key}")
            for value in values:
                if section == "patterns":
                    _check_pattern(value, f"{where} [patterns] {key}")
                elif not HAS_WORD.search(value):
                    raise CommentRulesError(
                        f"{where} [{section}] {key}: {value!r} has no letter or digit; "
                        "write it as a pattern"
                    )
                elif "*" in value and len(value.strip("* ")) < 2:
                    raise CommentRulesError(
                        f'{where} [{section}] {key}: {value!r} is too short for a "*" '
                        "(two letters at least)"
                    )
            target.setdefault(key, []).extend(values)
    for key, values in _check_table(table.get("remove", {}), CATEGORIES, where).items():
        dropped = {fold(normalise(v)) for v in _string_list(values, f"{where} [remove] {key}")}
        lang.keywords[key] = [
            k for k in lang.keywords.get(key, []) if fold(normalise(k)) not in dropped
        ]


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise CommentRulesError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise CommentRulesError(f"{path}: cannot be read: {exc.strerror}") from None


def load_rules(market: str | None, dirs: Sequence[Path]) -> dict[str, LanguageRules]:
    """Each folder's language files, then its market file, in the order the folders come."""
    rules: dict[str, LanguageRules] = {}
    for folder in dirs:
        if not folder.is_dir():
            raise CommentRulesError(f"{folder}: not a folder of comment rules")
        for path in sorted(folder.glob("*.toml")):
            code = path.stem.lower()
            if not _LANGUAGE_CODE.fullmatch(code):
                raise CommentRulesError(
                    f"{path}: a language file is named after its language code, like en.toml"
                )
            _merge_language(rules, code, _read_toml(path), str(path))
        market_file = folder / "markets" / f"{market}.toml" if market else None
        if market_file is not None and market_file.is_file():
            for code, table in _read_toml(market_file).items():
                if not _LANGUAGE_CODE.fullmatch(code) or not isinstance(table, dict):
                    raise CommentRulesError(
                        f"{market_file}: {code!r} is not a language table; a market file holds "
                        "tables per language code, like [en.keywords] or [ms.remove]"
                    )
                _merge_language(rules, code.lower(), table, f"{market_file} [{code}]")
    return rules


def pattern_source(pattern: str) -> str:
    r"""A pattern in the form of the text it meets. Only NFKC and the letter folds apply: case
    folding would turn escapes like \D into \d."""
    return unicodedata.normalize("NFKC", pattern).translate(NORM_FOLD)
