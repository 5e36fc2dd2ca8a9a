"""Extraction stays linear on crafted input (issues 12 and 15): long runs of punctuation, thousands
of quotes in one paragraph, thousands of distinct people.

Each case is timed at one size and at four times that size, each in a fresh process (the best of
three runs): linear work costs about four times as much, quadratic work sixteen. The bound, eight,
leaves room for a busy machine. One crafted seed also goes through the CLI's build.
"""

from __future__ import annotations

import gc
import multiprocessing
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from safetykit import clean, cli, project_copy

from build_tools import ingest, nlp
from build_tools.model import Article

RATIO = 8.0  # for four times the input
BUILD_SECONDS = 60  # the whole CLI build of the two crafted seeds, spaCy's start included


def _article(text: str) -> Article:
    return ingest.build_article("crafted", "seeds/crafted.txt", text.encode(), ingest.NO_CORRECTIONS)[0]


def _run_of(mark: str) -> Callable[[int], str]:
    return lambda n: f"The minister said {mark * n} and left.\n"


def _quotes(n: int) -> str:
    return " ".join(f'"The plan number {i} will work," Smith said' for i in range(n)) + "\n"


def _people(n: int) -> str:
    def name(i: int) -> str:
        letters = "".join(chr(97 + (i // 26**k) % 26) for k in range(4))
        return f"Ab{letters} Cd{letters[::-1]}"

    return ". ".join(f"{name(2 * i)} met {name(2 * i + 1)} in town" for i in range(n)) + ".\n"


def _company_said(n: int) -> str:
    """`the company said` looks back over every organisation named before it."""
    return " ".join(f'Halden Corp. sold plant {i}. "It is done," the company said.' for i in range(n)) + "\n"


def _bodies_and(n: int) -> str:
    """Two bodies joined by `and` are looked for alone elsewhere in the text."""
    return " ".join(f"Alder University and Birch University {i} agreed." for i in range(n)) + "\n"


CASES: dict[str, tuple[Callable[[int], str], int]] = {
    "parentheses": (_run_of(")"), 10_000),
    "dashes": (_run_of("-"), 5_000),
    "quotation marks": (_run_of('"'), 5_000),
    "apostrophes": (_run_of("'"), 5_000),
    "quotes in one paragraph": (_quotes, 200),
    "distinct people": (_people, 500),
    "the company said": (_company_said, 200),
    "bodies joined by and": (_bodies_and, 200),
}


def _timed(case: str, n: int) -> float:
    from build_tools.extract import extract

    make, _ = CASES[case]
    model = nlp.load()
    article = _article(make(n))
    extract(article, model)  # warm-up: lazy tables
    times = []
    gc.disable()
    try:
        for _ in range(3):
            started = time.perf_counter()
            extract(article, model)
            times.append(time.perf_counter() - started)
    finally:
        gc.enable()
    return min(times)


def _best(case: str, n: int) -> float:
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(_timed, (case, n))


@pytest.mark.parametrize("case", list(CASES))
def test_four_times_the_crafted_input_costs_about_four_times_the_time(case: str) -> None:
    _, size = CASES[case]
    small, large = _best(case, size), _best(case, 4 * size)
    assert large / max(small, 1e-3) <= RATIO, f"{case}: x4 input took x{large / small:.1f} the time"


def test_forty_thousand_parentheses_and_four_thousand_quotes_build_in_seconds(tmp_path: Path) -> None:
    """The issue's crafted seeds through the CLI's build: 160 s and 216 s before the fix."""

    def setup(project: Path) -> None:
        (project / "seeds" / "parentheses.txt").write_text(_run_of(")")(40_000), encoding="utf-8")
        (project / "seeds" / "quotes.txt").write_text(_quotes(4_000), encoding="utf-8")

    project = project_copy(tmp_path / "p", setup)
    run = clean(cli(project, "--workers", "1"))
    assert run.returncode == 0 and run.seconds < BUILD_SECONDS, (run.seconds, run.stderr[-500:])
    for slug in ("parentheses", "quotes"):
        assert (project / "content" / f"{slug}.md").is_file()


def test_thousands_of_company_attributions_and_joined_bodies_build_in_seconds(tmp_path: Path) -> None:
    """The crafted seeds of this session's rules through the CLI's build: both looked over the
    whole text once per occurrence before they were indexed."""

    def setup(project: Path) -> None:
        (project / "seeds" / "company.txt").write_text(_company_said(2_000), encoding="utf-8")
        (project / "seeds" / "bodies.txt").write_text(_bodies_and(2_000), encoding="utf-8")

    project = project_copy(tmp_path / "p", setup)
    run = clean(cli(project, "--workers", "1"))
    assert run.returncode == 0 and run.seconds < BUILD_SECONDS, (run.seconds, run.stderr[-500:])
    for slug in ("company", "bodies"):
        assert (project / "content" / f"{slug}.md").is_file()
