"""Headlines, summaries, dates and places derived from the lede, with the real spaCy model.

Each tests/golden/headline/<case>.txt is a short article of one construction (abbreviations,
an attribution at the end, a dateline first, …); <case>.json beside it holds what the pipeline
derives: the headline, the summary, the date and the place. Rewrite them with
`pytest --update-goldens` and review the diff.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from build_tools import headline, pipeline, render
from build_tools.model import Article, Paragraph, Span

GOLDEN = Path(__file__).parent / "golden" / "headline"
CASES = sorted(p.stem for p in GOLDEN.glob("*.txt"))


def derived(path: Path, nlp: Any) -> dict[str, Any]:
    doc, _ = pipeline.read_one(path, nlp)
    return {
        "headline": doc.title,
        "headline_derived": doc.headline_derived,
        "summary": doc.summary,
        "date": doc.date.isoformat() if doc.date else None,
        "place": doc.article.dateline.place if doc.article.dateline else None,
    }


@pytest.mark.parametrize("case", CASES)
def test_golden_headline(case: str, nlp: Any, update_goldens: bool) -> None:
    got = derived(GOLDEN / f"{case}.txt", nlp)
    expected_path = GOLDEN / f"{case}.json"
    if update_goldens:
        expected_path.write_text(json.dumps(got, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert got == json.loads(expected_path.read_text(encoding="utf-8"))


def test_every_case_has_a_golden_file() -> None:
    assert len(CASES) >= 10
    assert all((GOLDEN / f"{case}.json").is_file() for case in CASES)


@pytest.mark.parametrize("case", CASES)
def test_a_headline_is_a_clause_of_the_lede_and_a_summary_whole_sentences(case: str, nlp: Any) -> None:
    """Never cut inside a sentence; no trailing attribution; at most about 90 characters."""
    doc, _ = pipeline.read_one(GOLDEN / f"{case}.txt", nlp)
    lede = doc.article.paragraphs[0].text
    assert doc.summary in lede and doc.summary.endswith((".", "!", "?", "”", '"')), doc.summary
    assert len(doc.title) <= headline.MAX_CHARS, doc.title
    assert not doc.title.endswith((".", ",", " said", " says", " reported")), doc.title
    words = doc.title.split()
    assert all(w.strip("“”\"'(),;:") in lede or w.lower().strip(",;:") in lede for w in words), (
        doc.title,
        lede,
    )


def test_the_headline_of_the_seed_without_its_sidecar(nlp: Any, tmp_path: Path) -> None:
    seed = tmp_path / "taliban-israel.txt"
    seed.write_bytes((Path(__file__).parent.parent / "seeds" / "taliban-israel.txt").read_bytes())
    doc, _ = pipeline.read_one(seed, nlp)
    assert doc.title == "Afghanistan's Taliban may be reconsidering its stance toward the State of Israel"
    assert doc.headline_derived
    assert doc.summary.startswith("Afghanistan's Taliban –one of") and doc.summary.endswith(
        "an Afghan source."
    )


def test_a_derived_headline_is_marked_and_queued_for_review(nlp: Any) -> None:
    doc, _ = pipeline.read_one(GOLDEN / "abbreviations.txt", nlp)
    meta = render.front_matter(doc)
    assert meta["headline_derived"] is True
    assert any("was derived from the lede" in item and doc.title in item for item in meta["review"])


def _article(text: str) -> Article:
    return Article("x", "seeds/x.txt", text, (Paragraph(1, text, Span(0, len(text))),), "0" * 64)


@pytest.mark.parametrize(
    ("text", "first"),
    [
        (
            "Dr. Jane Roe met U.S. officials at 9 a.m. today. Then she left.",
            "Dr. Jane Roe met U.S. officials at 9 a.m. today.",
        ),
        ("Gen. Mark Smith and Sen. Jo Bo spoke. They agreed.", "Gen. Mark Smith and Sen. Jo Bo spoke."),
        ("John F. Kennedy Airport closed. Flights stopped.", "John F. Kennedy Airport closed."),
        ("One thing happened. Then another.", "One thing happened."),
    ],
)
def test_sentences_without_a_parse_know_abbreviations(text: str, first: str) -> None:
    """A hand-made extraction has no parse: the fallback splitter still ends no sentence at `U.S.`."""
    assert headline.split_sentences(text)[0] == first
    assert headline.summary(_article(text), None) == first


def test_a_lede_with_no_parse_gives_its_first_words_within_the_limit() -> None:
    text = " ".join(["word"] * 40) + "."
    title = headline.title(_article(text), None)
    assert len(title) <= headline.MAX_CHARS + 2 and title.endswith("…")
