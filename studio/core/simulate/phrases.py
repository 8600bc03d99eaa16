"""Comments in the market's language, from the phrase files resources/simulate/comments_<lang>.toml.

Each file holds templates per category (docs/metrics.md comment_mix) with placeholders filled
per comment: {link} the product's link number, {price} its price as the market writes it,
{color}, {size} and {emoji} from the file's own lists.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from studio.core.markets import Market
from studio.core.simulate.catalog import Product
from studio.core.simulate.config import (
    SPOKEN_CATEGORIES,
    SimulationConfigError,
    Table,
    audience,
    load_toml,
)
from studio.resources import resource

FILLS = ("color", "size", "emoji")
_SAMPLE = {"link": 1, "price": "$1", **{name: "x" for name in FILLS}}


@dataclass(frozen=True, slots=True)
class Phrasebook:
    language: str
    phrases: tuple[tuple[str, ...], ...]  # per category, in SPOKEN_CATEGORIES order
    fill: Mapping[str, tuple[str, ...]]


def language_of(where: Market) -> str:
    """The language part of the market's locale: ms_MY -> ms."""
    return where.locale.split("_")[0].lower()


@cache
def phrasebook(language: str) -> Phrasebook:
    path = resource("simulate", f"comments_{language}.toml")
    if not path.exists():
        raise SimulationConfigError(f"no comment phrases for language {language} ({path.name})")
    root = load_toml(path)
    fill_table, phrase_table = root.table("fill"), root.table("phrases")
    fill = {name: _texts(fill_table, name) for name in FILLS}
    phrases = tuple(_texts(phrase_table, category) for category in SPOKEN_CATEGORIES)
    for category, templates in zip(SPOKEN_CATEGORIES, phrases, strict=True):
        for template in templates:
            try:
                template.format(**_SAMPLE)
            except (KeyError, IndexError, ValueError) as exc:
                raise SimulationConfigError(
                    f"{path.name}: {category} phrase {template!r} has a bad placeholder ({exc})"
                ) from None
    return Phrasebook(language, phrases, fill)


def _texts(table: Table, key: str) -> tuple[str, ...]:
    value = table.require(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise SimulationConfigError(f"{table.where}.{key} is not a list of texts")
    return tuple(value)


def comment_languages(where: Market) -> tuple[tuple[str, float], ...]:
    """Which languages the market's viewers comment in, with shares."""
    config = audience()
    mixed = config.market_languages.get(where.code)
    if mixed:
        return mixed
    own = language_of(where)
    if own == "en" or config.english_share <= 0:
        return ((own, 1.0),)
    return ((own, 1.0 - config.english_share), ("en", config.english_share))


class CommentWriter:
    """Writes comment texts for one show, vectorised over its comments."""

    def __init__(self, where: Market, products: Sequence[Product]) -> None:
        self.languages = comment_languages(where)
        self.books = [phrasebook(language) for language, _ in self.languages]
        self.links = [str(n) for n in range(1, len(products) + 1)]
        self.prices = [where.money(p.price) for p in products]

    def pick_languages(self, rng: np.random.Generator, count: int) -> np.ndarray:
        shares = np.array([share for _, share in self.languages])
        return rng.choice(len(shares), size=count, p=shares / shares.sum())

    def texts(
        self,
        rng: np.random.Generator,
        language: np.ndarray,
        category: np.ndarray,
        product: np.ndarray,
    ) -> list[str]:
        count = len(language)
        picks = rng.random((4, count)).tolist()
        out = []
        for i, (lang, cat, sku) in enumerate(
            zip(language.tolist(), category.tolist(), product.tolist(), strict=True)
        ):
            book = self.books[lang]
            templates = book.phrases[cat]
            fill = book.fill
            out.append(
                templates[int(picks[0][i] * len(templates))].format(
                    link=self.links[sku],
                    price=self.prices[sku],
                    color=_pick(fill["color"], picks[1][i]),
                    size=_pick(fill["size"], picks[2][i]),
                    emoji=_pick(fill["emoji"], picks[3][i]),
                )
            )
        return out


def _pick(options: tuple[str, ...], u: float) -> str:
    return options[int(u * len(options))]
