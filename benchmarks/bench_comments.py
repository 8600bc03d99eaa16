"""Comment classifier: accuracy on the labelled set, and throughput against a baseline.

    .venv/bin/python benchmarks/bench_comments.py           # 60 k comments per speed run
    .venv/bin/python benchmarks/bench_comments.py --full    # 600 k comments per speed run
    .venv/bin/python benchmarks/bench_comments.py --misses  # also list every miss

Accuracy (tests/data/comments_labelled.jsonl): per language and per category (the share of the
comments of that category that get it), for the category, the question flag and the language
guess, on the "dev" rows (written before the rules, then used while writing them), the
"holdout" and "holdout2" rows (each written after the rules were frozen, measured once blind,
then used to fix what they showed; docs/comments.md keeps the blind figures) and all of them.
Prints Markdown tables, as pasted into docs/comments.md.

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

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from studio.core.comments import CATEGORIES, Classifier

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
    print(f"\n### Throughput ({count:,} comments per run)\n")
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
    accuracy_tables(rows, Classifier(), args.misses)
    throughput(rows, 600_000 if args.full else 60_000)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
