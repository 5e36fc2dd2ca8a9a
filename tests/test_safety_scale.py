"""Work outside extraction stays linear on crafted input (issue 12, class 3).

An article with thousands of people (a 1 MB seed of names gives 16,000) and a sidecar of
thousands of corrections must cost twice as much as half of them, not four times: doubling the input may
at most multiply the time by 2.5 (the best of several runs, so a busy machine does not decide).
The extraction itself is measured by the extraction's own tests.
"""

from __future__ import annotations

import datetime
import gc
import multiprocessing
import time
from collections.abc import Callable
from typing import Any

from build_tools import editorial, people_registry, render, search_index, site
from build_tools.model import (
    Article,
    Corrections,
    Document,
    Extraction,
    Paragraph,
    Person,
    PersonId,
    Provenance,
    Quote,
    Span,
    SpeakerFix,
)
from build_tools.textutil import slugify

RATIO = 8.0  # for four times the input


def _name(i: int) -> str:
    letters = "".join(chr(97 + (i // 26**k) % 26) for k in range(4))
    return f"Ab{letters} Cd{letters[::-1]}"


def _doc(n: int) -> Document:
    people = tuple(Person(PersonId(slugify(_name(i))), _name(i), "a role", (), 1) for i in range(n))
    text = " ".join(_name(i) for i in range(n))
    article = Article("big", "seeds/big.txt", text, (Paragraph(1, text, Span(0, len(text))),), "0" * 64)
    quotes = tuple(
        Quote("x y z", Span(0, 5), 1, p.name, p.id, "person", "said", 0.9, i + 1)
        for i, p in enumerate(people)
    )
    extraction = Extraction(quotes, people, (), (), ())
    return Document(
        article, "T", datetime.date(2024, 1, 1), "S", extraction, Provenance("0" * 64, "v", "m", "1")
    )


def _best(prepare: Callable[[int], Any], work: Callable[[Any], object], n: int, runs: int = 3) -> float:
    """The shortest of `runs` timings, with the cyclic collector off as the build runs it (pipeline.py).

    Measured in a fresh process: in the test session's own, the heap that earlier tests left
    behind makes the larger input's allocations slower and the ratio says nothing."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(_timed, (prepare, work, n, runs))


def _timed(prepare: Callable[[int], Any], work: Callable[[Any], object], n: int, runs: int) -> float:
    data = prepare(n)
    times = []
    gc.disable()
    try:
        for _ in range(runs):
            started = time.perf_counter()
            work(data)
            times.append(time.perf_counter() - started)
    finally:
        gc.enable()
    return min(times)


def _corrections(n: int) -> Corrections:
    return Corrections(
        speakers=tuple(SpeakerFix(i + 1, _name(i + 3)) for i in range(n)),
        aliases=tuple((_name(i), _name(i + 1)) for i in range(0, n // 4, 2)),
        hide_people=tuple(_name(i) for i in range(0, n, 3)),
        hide_quotes=tuple(range(1, n, 5)),
        roles=tuple((_name(i), "a new role") for i in range(1, n, 2)),
    )


def _article_and_fixes(n: int) -> tuple[Document, Corrections]:
    return _doc(n), _corrections(n)


def _apply(data: tuple[Document, Corrections]) -> None:
    doc, fixes = data  # what _article_and_fixes made, in the measuring process
    editorial.apply(doc.extraction, fixes)


def test_a_sidecar_of_thousands_of_corrections_costs_linear_time() -> None:
    ratio = _best(_article_and_fixes, _apply, 16_000) / _best(_article_and_fixes, _apply, 4_000)
    assert ratio <= RATIO, f"four times the corrections multiplied the time by {ratio:.1f}"


def _publish(doc: Document) -> None:
    people = people_registry.resolve([doc])
    archive = site.Archive(list(people.documents), people.names)
    archive.pages()
    render.render(people.documents[0], known=archive.urls)
    search_index.files(search_index.entries(archive))


def test_ten_thousand_people_are_published_in_linear_time() -> None:
    ratio = _best(_doc, _publish, 10_000) / _best(_doc, _publish, 2_500)
    assert ratio <= RATIO, f"four times the people multiplied the time by {ratio:.1f}"
