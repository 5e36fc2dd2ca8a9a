"""Extraction speed: words per second of our whole extraction against spaCy's own parse.

Both are measured in the same process on the same texts (the dev fixtures, the seed and the
golden cases), the model loaded once. Our rules may add at most 30 % on top of the model.

    python bench/extraction_speed.py [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from build_tools import ingest, nlp
from build_tools.extract import extract

ROOT = Path(__file__).resolve().parent.parent
TEXTS = [
    *sorted((ROOT / "tests" / "fixtures" / "articles").glob("*.txt")),
    ROOT / "seeds" / "taliban-israel.txt",
    *sorted((ROOT / "tests" / "golden" / "extract").glob("*.txt")),
]


def timed(fn, items) -> float:  # type: ignore[no-untyped-def]  # a benchmark helper, any callable
    start = time.perf_counter()
    for item in items:
        fn(item)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    model = nlp.load()
    articles = [ingest.read_seed(p)[0] for p in TEXTS]
    words = sum(len(a.text.split()) for a in articles)
    timed(lambda a: extract(a, model), articles)  # warm-up: caches, lazy tables
    parse, full = [], []
    for _ in range(args.runs):
        parse.append(timed(lambda a: model(a.text), articles))
        full.append(timed(lambda a: extract(a, model), articles))
    p, f = statistics.median(parse), statistics.median(full)
    overhead = [b / a - 1 for a, b in zip(parse, full, strict=True)]
    print(f"{len(articles)} articles, {words} words, {args.runs} runs (median, min–max)")
    print(f"spaCy parse only : {words / p:8.0f} words/s  ({min(parse):.3f}–{max(parse):.3f} s)")
    print(f"full extraction  : {words / f:8.0f} words/s  ({min(full):.3f}–{max(full):.3f} s)")
    print(f"rules overhead   : {f / p - 1:+.1%} (per-run range {min(overhead):+.1%} to {max(overhead):+.1%})")


if __name__ == "__main__":
    main()
