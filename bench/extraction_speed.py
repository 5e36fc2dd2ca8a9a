"""Extraction speed: words per second of our whole extraction against spaCy's fastest parse.

The baseline is spaCy's own `nlp.pipe` over the same texts with the batch size that is fastest
here (16, 32, 64 and 128 are tried); the extraction is `extract_many`, which streams the
paragraphs of every article through one `nlp.pipe` and then runs every rule. Both run in one
process, the model loaded once, alternately, on the 31 dev fixtures and the seed. Issue 15's
floor: the extraction within 1.25x the fastest parse.

    python bench/extraction_speed.py [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from build_tools import ingest, nlp
from build_tools.extract import extract_many
from build_tools.model import Article

ROOT = Path(__file__).resolve().parent.parent
TEXTS = [
    *sorted((ROOT / "tests" / "fixtures" / "articles").glob("*.txt")),
    ROOT / "seeds" / "taliban-israel.txt",
]
BATCHES = (16, 32, 64, 128)


def timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def parse_only(model: object, texts: list[str], batch: int) -> Callable[[], object]:
    return lambda: list(model.pipe(texts, batch_size=batch))  # type: ignore[attr-defined]


def extraction(model: object, articles: list[Article]) -> Callable[[], object]:
    return lambda: list(extract_many(articles, model))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    model = nlp.load()
    articles = [ingest.read_seed(p)[0] for p in TEXTS]
    texts = [p.text for a in articles for p in a.paragraphs]  # what the extraction parses
    words = sum(len(a.text.split()) for a in articles)
    timed(extraction(model, articles))  # warm-up: caches, lazy tables
    batch = min(BATCHES, key=lambda b: min(timed(parse_only(model, texts, b)) for _ in range(2)))
    parse, full = [], []
    for _ in range(args.runs):
        parse.append(timed(parse_only(model, texts, batch)))
        full.append(timed(extraction(model, articles)))
    p, f = statistics.median(parse), statistics.median(full)
    ratios = [b / a for a, b in zip(parse, full, strict=True)]
    print(f"{len(articles)} articles, {words} words, {args.runs} runs (median, min–max)")
    print(
        f"spaCy nlp.pipe, batch {batch:<4}: {words / p:7.0f} words/s  ({min(parse):.3f}–{max(parse):.3f} s)"
    )
    print(f"full extraction         : {words / f:7.0f} words/s  ({min(full):.3f}–{max(full):.3f} s)")
    spread = f"per run {min(ratios):.2f}x to {max(ratios):.2f}x"
    print(f"extraction / parse      : {f / p:.2f}x ({spread}; floor 1.25x)")


if __name__ == "__main__":
    main()
