"""The pre-air checklist on a 30-minute script, against a bare regex pass over the same text.

    .venv/bin/python benchmarks/bench_checklist.py

The script: a German show of 12 segments of 2.5 minutes each (about 4,000 words, as a producer
writes for 30 minutes at 130 words a minute), built from sentences that trigger every rule, so
that no rule runs on an empty path. Each run parses the text and checks it, as the editor will
on every keystroke pause; the market's word lists, lexicons and dictionary are built once, by
an untimed warm-up run. The baseline, on the same text in the same process: one regex pass
finding its words (the least any checklist does). Medians of 41 runs; the target is 50 ms.
"""

from __future__ import annotations

import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from studio.core.markets import market
from studio.core.scripts.checklist import check
from studio.core.scripts.text import parse_script

SENTENCES = (
    "Hallo und herzlich willkommen zu unserer Sommer-Show, heute zeigen wir euch den Mixer.",
    "Der Mixer ist leise, stark und lässt sich in wenigen Sekunden reinigen.",
    "Heute nur 24,99 € statt 29,99 €, das gibt es nur im Live.",
    "Versand innerhalb von zwei Werktagen, Rückgabe dreißig Tage kostenlos.",
    "Bezahlen könnt ihr mit PayPal, Klarna oder auf Rechnung.",
    "Das ist der beste Mixer, schreibt mir auf WhatsApp für Fragen.",
    "Stellt eure Fragen im Chat, wir beantworten jede einzelne davon.",
)
RUNS = 41


def script_text(words: int = 4000, segments: int = 12) -> str:
    lines, index = [], 0
    per_segment = words // segments
    for number in range(segments):
        lines.append(f"## Teil {number + 1} (2.5 min)")
        written = 0
        while written < per_segment:
            sentence = SENTENCES[index % len(SENTENCES)]
            lines.append(sentence)
            written += len(sentence.split())
            index += 1
    return "\n".join(lines) + "\n"


def median_ms(work) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    text = script_text()
    de = market("DE")
    words = re.compile(r"\w+")

    def run_check() -> None:
        check(parse_script(text, "bench.txt"), de)

    run_check()  # warm-up: word lists, lexicons, the dictionary
    checklist = median_ms(run_check)
    baseline = median_ms(lambda: words.findall(text))
    print(f"script: {len(text.split())} words, {text.count(chr(10))} lines")
    print(f"checklist median: {checklist:.1f} ms (target <= 50 ms)")
    print(f"baseline (one regex pass) median: {baseline:.2f} ms")
    print(f"ratio checklist / baseline: {checklist / baseline:.0f}x")


if __name__ == "__main__":
    main()
