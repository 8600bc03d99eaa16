"""Comment classifier: accuracy on the labelled set, and throughput against a baseline.

    .venv/bin/python benchmarks/bench_comments.py           # 60 k comments per speed run
    .venv/bin/python benchmarks/bench_comments.py --full    # 600 k comments per speed run
    .venv/bin/python benchmarks/bench_comments.py --misses  # also list every miss of both sets

Accuracy (tests/data/comments_labelled.jsonl): per language and per category (the share of the
comments of that category that get it), for the category, the question flag and the language
guess, on the "dev" rows (written before the rules, then used while writing them), the
"holdout" and "holdout2" rows (each written after the rules were frozen, measured once blind,
then used to fix what they showed; docs/comments.md keeps the blind figures) and all of them.
Prints Markdown tables, as pasted into docs/comments.md.

Simulator phrases (resources/simulate/comments_<lang>.toml): every template of every language,
filled once by the simulator's own CommentWriter, labelled with its template's category. The
rules are tuned on these, so their agreement says how realistic the demo's comment mix is, not
how well the classifier does on new comments: that is the blind holdouts' job.

Throughput: distinct comments (every text new, so the classifier's cache never helps), and a
stream where texts repeat the way live rooms do (a few comments make up much of the room).
Baseline, in the same process on the same texts: NFKC + case folding alone, the least any
multilingual classifier has to do per comment.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from studio.core.comments import CATEGORIES, Classifier
from studio.core.markets import markets
from studio.core.simulate.config import SPOKEN_CATEGORIES
from studio.core.simulate.phrases import FILLS, CommentWriter, comment_languages, phrasebook
from studio.core.simulate.plan import ShowPlan

LABELLED = Path(__file__).resolve().parents[1] / "tests" / "data" / "comments_labelled.jsonl"
LANGUAGES = ("en", "zh", "es", "pt", "de", "fr", "id", "ms", "th", "vi", "ja", "ko", "ar")
SPLITS = ("dev", "holdout", "holdout2", "all")


def load() -> list[dict]:
    with LABELLED.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def percent(right: int, total: int) -> str:
    return f"{right / total:.1%} ({right}/{total})" if total else "-"


def accuracy_tables(rows: list[dict], classifier: Classifier, misses: bool) -> None:
    # counts[split][group] = [category right, question right, language right, total]
    counts: dict[str, dict[str, list[int]]] = {s: defaultdict(lambda: [0, 0, 0, 0]) for s in SPLITS}
    for row in rows:
        result = classifier.classify(row["text"])
        marks = (
            result.category == row["category"],
            result.is_question == row["is_question"],
            result.language == row["lang"],
        )
        if misses and not all(marks[:2]):
            print(
                f"  miss [{row['split']}/{row['lang']}] {row['text']!r}: expected "
                f"{row['category']}/{row['is_question']}, got {result.category}/"
                f"{result.is_question} {result.rules}"
            )
        for split in (row["split"], "all"):
            for group in (f"lang:{row['lang']}", f"cat:{row['category']}", "overall"):
                tally = counts[split][group]
                for i, mark in enumerate(marks):
                    tally[i] += mark
                tally[3] += 1

    print("\n### Overall\n")
    print("| rows | n | category | question | language |")
    print("|---|---|---|---|---|")
    for split in SPLITS:
        cat, question, lang, total = counts[split]["overall"]
        print(
            f"| {split} | {total} | {percent(cat, total)} | {percent(question, total)} | "
            f"{percent(lang, total)} |"
        )
    print("\n### Per language (all rows; both holdouts in brackets)\n")
    print("| language | n | category | question | language guess |")
    print("|---|---|---|---|---|")
    for code in LANGUAGES:
        cat, question, lang, total = counts["all"][f"lang:{code}"]
        tallies = (counts[split][f"lang:{code}"] for split in ("holdout", "holdout2"))
        held = [sum(column) for column in zip(*tallies, strict=True)]
        print(
            f"| {code} | {total} | {cat / total:.1%} [{held[0] / held[3]:.0%}] | "
            f"{question / total:.1%} | {lang / total:.1%} |"
        )
    print("\n### Per category (share of that category's comments that get it)\n")
    print("| category | n | all rows | holdout | holdout2 |")
    print("|---|---|---|---|---|")
    for category in CATEGORIES:
        cat, _, _, total = counts["all"][f"cat:{category}"]
        held = [percent(c[0], c[3]) for c in (counts[s][f"cat:{category}"] for s in SPLITS[1:3])]
        print(f"| {category} | {total} | {percent(cat, total)} | {held[0]} | {held[1]} |")


class ChosenPicks:
    """Stands in for the random generator CommentWriter.texts draws from: it hands back chosen
    uniforms instead, so each template is filled exactly once and the same way every run."""

    def __init__(self, picks: np.ndarray) -> None:
        self.picks = picks

    def random(self, shape: tuple[int, ...]) -> np.ndarray:
        if shape != self.picks.shape:
            raise ValueError(f"CommentWriter asked for {shape} picks, {self.picks.shape} prepared")
        return self.picks


def simulator_rows() -> list[dict]:
    """Every simulator template of every language, filled by the simulator's own writer: the
    first market whose viewers comment in that language supplies its prices; colours, sizes,
    emoji and products rotate over the templates."""
    rows = []
    for code in LANGUAGES:
        where, slot = next(
            (m, [lang for lang, _ in comment_languages(m)].index(code))
            for m in markets().values()
            if code in dict(comment_languages(m))
        )
        writer = CommentWriter(where, ShowPlan(market=where.code).products)
        book = phrasebook(code)
        cats = [c for c, templates in enumerate(book.phrases) for _ in templates]
        nth = [i for templates in book.phrases for i in range(len(templates))]
        count = len(cats)
        fills = [len(book.fill[name]) for name in FILLS]  # the writer draws them in this order
        picks = np.array(
            [[(i + 0.5) / len(book.phrases[c]) for i, c in zip(nth, cats, strict=True)]]
            + [[(k % n + 0.5) / n for k in range(count)] for n in fills]
        )
        texts = writer.texts(
            ChosenPicks(picks),
            np.full(count, slot),
            np.array(cats),
            np.arange(count) % len(writer.links),
        )
        rows += [
            {"text": text, "lang": code, "category": SPOKEN_CATEGORIES[c]}
            for text, c in zip(texts, cats, strict=True)
        ]
    return rows


def simulator_tables(rows: list[dict], classifier: Classifier, misses: bool) -> None:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # group -> [agree, total]
    fell_to_other = 0
    for row in rows:
        result = classifier.classify(row["text"])
        agree = result.category == row["category"]
        fell_to_other += result.category == "other"
        if misses and not agree:
            print(
                f"  sim miss [{row['lang']}/{row['category']}] {row['text']!r}: got "
                f"{result.category} {result.rules}"
            )
        for group in (f"lang:{row['lang']}", f"cat:{row['category']}", "overall"):
            counts[group][0] += agree
            counts[group][1] += 1
    print("\n## Simulator phrases, used for tuning (not a blind measure)\n")
    print(
        "Every template of resources/simulate/comments_<lang>.toml filled once by the simulator,"
        "\nagainst its template's category. The rules were tuned on these texts."
    )
    print(f"\nOverall: {percent(*counts['overall'])}; fell to other: {fell_to_other}\n")
    print("| language | n | agreement |")
    print("|---|---|---|")
    for code in LANGUAGES:
        print(f"| {code} | {counts[f'lang:{code}'][1]} | {percent(*counts[f'lang:{code}'])} |")
    print("\n| category | n | agreement |")
    print("|---|---|---|")
    for category in SPOKEN_CATEGORIES:
        group = counts[f"cat:{category}"]
        print(f"| {category} | {group[1]} | {percent(*group)} |")


def distinct_texts(rows: list[dict], count: int) -> list[str]:
    """Labelled comments varied so each is new: a number, a name or an emoji added."""
    extras = ("", " 😍", " !!", " kak", " sis", " 🙏", " 哈哈", " pls")
    rng = random.Random(7)
    return [
        f"{rows[i % len(rows)]['text']}{rng.choice(extras)} {i}"[: 10 + rng.randrange(200)]
        for i in range(count)
    ]


def stream_texts(rows: list[dict], count: int) -> list[str]:
    """A room's stream: texts drawn with Zipf-like weights, so a few repeat a lot."""
    rng = random.Random(11)
    pool = [row["text"] for row in rows] + [f"{row['text']} {n}" for row in rows for n in range(20)]
    weights = [1 / (rank + 1) for rank in range(len(pool))]
    return rng.choices(pool, weights=weights, k=count)


def rate(func: Callable[[str], object], texts: Sequence[str]) -> float:
    start = time.perf_counter()
    for text in texts:
        func(text)
    return len(texts) / (time.perf_counter() - start)


def baseline(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def throughput(rows: list[dict], count: int) -> None:
    print(f"\n## Throughput ({count:,} comments per run)\n")
    print("| run | comments/s | vs baseline |")
    print("|---|---|---|")
    for name, texts in (
        ("distinct comments", distinct_texts(rows, count)),
        ("live stream (repeats)", stream_texts(rows, count)),
    ):
        base = rate(baseline, texts)
        ours = rate(Classifier().classify, texts)  # a fresh classifier: an empty cache
        print(f"| baseline NFKC+casefold, {name} | {base:,.0f} | 1.00x |")
        print(f"| classifier, {name} | {ours:,.0f} | {ours / base:.3f}x |")
    start = time.perf_counter()
    Classifier("MY")
    print(f"\nBuilding a classifier (13 languages + a market): {time.perf_counter() - start:.2f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="600 k comments per speed run")
    parser.add_argument("--misses", action="store_true", help="list every miss")
    args = parser.parse_args()
    rows = load()
    print("## Labelled comments (tests/data/comments_labelled.jsonl)")
    accuracy_tables(rows, Classifier(), args.misses)
    simulator_tables(simulator_rows(), Classifier(), args.misses)
    throughput(rows, 600_000 if args.full else 60_000)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
