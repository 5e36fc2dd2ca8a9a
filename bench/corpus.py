"""A deterministic corpus of news articles for the benchmark, made from the fixtures' real text.

Each article takes one fixture as its base (its paragraphs in order, so quotes keep their
attributions), adds paragraphs from other fixtures until it is about 600 words long, and
recasts the people: every person of the fixtures is replaced by a name built from the
fixtures' first names and surnames, drawn with a skew so that some people recur in hundreds
of articles and many share a surname, as in a real archive. Each seed has a sidecar with a
date between 2006 and 2025 and one or two topics. Article i is the same on every machine.

Sources and licences of bench/fixtures/: see bench/fixtures/SOURCES.md.

    python bench/corpus.py 1000 /tmp/seeds      # writes 1000 seeds (+ sidecars)
"""

from __future__ import annotations

import json
import random
import re
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TOPICS = {
    "voa-burns-iran": ["Diplomacy", "Iran"],
    "wn-ahmed-clock": ["Society", "Technology"],
    "wn-crops-ozone": ["Science", "Climate"],
    "wn-greek-deities-court": ["Courts", "Religion"],
    "wn-indonesia-asylum": ["Diplomacy", "Migration"],
    "wn-shuttle-homes": ["Science", "Space"],
}
TARGET_WORDS = 600
FIRST_DAY = date(2006, 1, 1)
DAYS = 20 * 365
NEWSMAKERS = 20


@dataclass(frozen=True)
class Fixture:
    id: str
    paragraphs: tuple[str, ...]
    people: tuple[tuple[str, tuple[str, ...]], ...]  # (full name, aliases)


@cache
def fixtures() -> tuple[Fixture, ...]:
    found = []
    for txt in sorted(FIXTURES.glob("*.txt")):
        gold = json.loads(txt.with_suffix(".json").read_text(encoding="utf-8"))
        paragraphs = tuple(p.strip() for p in txt.read_text(encoding="utf-8").split("\n\n") if p.strip())
        people = tuple((p["name"], tuple(p.get("aliases") or ())) for p in gold["people"])
        found.append(Fixture(txt.stem, paragraphs, people))
    return tuple(found)


@cache
def name_pool() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """First names and surnames of the fixtures' people ('AS Heagle' gives no first name)."""
    firsts, lasts = set(), set()
    for f in fixtures():
        for name, _ in f.people:
            words = name.split()
            if len(words[0]) > 2:
                firsts.add(words[0])
            lasts.add(words[-1])
    return tuple(sorted(firsts)), tuple(sorted(lasts))


def _person(rng: random.Random) -> tuple[str, str]:
    firsts, lasts = name_pool()
    combos = len(firsts) * len(lasts)
    # A few newsmakers are in many articles (each in about 6 %), everyone else in a few.
    i = rng.randrange(NEWSMAKERS) if rng.random() < 0.3 else rng.randrange(combos)
    i = (i * 7919) % combos  # spread the newsmakers over the alphabet
    return firsts[i % len(firsts)], lasts[i // len(firsts)]


def _recast(text: str, people: dict[str, str]) -> str:
    if not people:
        return text
    pattern = re.compile(
        r"(?<!\w)(" + "|".join(re.escape(k) for k in sorted(people, key=len, reverse=True)) + r")(?!\w)"
    )
    return pattern.sub(lambda m: people[m.group(1)], text)


def _cast(fixture: Fixture, rng: random.Random) -> dict[str, str]:
    """Old form -> new form for every person of a fixture: full name, surname, first name."""
    mapping: dict[str, str] = {}
    for name, aliases in fixture.people:
        first, last = _person(rng)
        old = name.split()
        mapping.setdefault(name, f"{first} {last}")
        mapping.setdefault(old[-1], last)
        if old[0] in aliases:
            mapping.setdefault(old[0], first)
    return mapping


def _whole(paragraph: str) -> bool:
    """Every quotation mark in the paragraph is closed in it."""
    return paragraph.count('"') % 2 == 0 and paragraph.count("“") == paragraph.count("”")


def article(i: int) -> tuple[str, str]:
    """(seed text, sidecar YAML) of article i."""
    rng = random.Random(f"marginalia-bench-{i}")
    pool = fixtures()
    base = pool[i % len(pool)]
    cast = _cast(base, rng)
    paragraphs = []
    runs_on = False  # the paragraph before left a quotation open: this one continues it, so it stays
    for n, p in enumerate(base.paragraphs):
        # rng.random() is drawn for every paragraph but the first, kept or not, so that each article
        # stays the one it was before quotes that run on were kept whole.
        if n == 0 or rng.random() > 0.1 or not _whole(p) or runs_on:
            paragraphs.append(_recast(p, cast))
        runs_on = not _whole(p)
    words = sum(len(p.split()) for p in paragraphs)
    while words < TARGET_WORDS:
        other = rng.choice(pool)
        cast = _cast(other, rng)
        start = rng.randrange(1, len(other.paragraphs)) if len(other.paragraphs) > 1 else 0
        for p in other.paragraphs[start : start + rng.randint(1, 3)]:
            if _whole(p):  # a paragraph of a quote that runs on would leave a mark unclosed
                paragraphs.append(_recast(p, cast))
                words += len(p.split())
    day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
    topics = TOPICS[base.id][: rng.randint(1, 2)]
    sidecar = f"date: {day.isoformat()}\ntags: [{', '.join(topics)}]\n"
    return "\n\n".join(paragraphs) + "\n", sidecar


def slug(i: int) -> str:
    return f"{fixtures()[i % len(fixtures())].id}-{i:05d}"


def generate(count: int, seeds: Path) -> list[Path]:
    seeds.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        text, sidecar = article(i)
        path = seeds / f"{slug(i)}.txt"
        path.write_text(text, encoding="utf-8")
        path.with_suffix(".yml").write_text(sidecar, encoding="utf-8")
        paths.append(path)
    return paths


def change_one(seeds: Path, revision: int) -> Path:
    """Edit one seed as a correction would: the benchmark's 'one seed changed' rebuild."""
    path = seeds / f"{slug(0)}.txt"
    text = path.read_text(encoding="utf-8").split("\n\nCorrection ")[0].rstrip("\n")
    path.write_text(
        f"{text}\n\nCorrection {revision}: an earlier version of this article misspelled a name.\n",
        encoding="utf-8",
    )
    return path


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[2]))
