"""The extraction floors of issue 3, measured on the dev fixtures plus the seed, as `eval` does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from build_tools import contract, evaluate, pipeline

FIXTURES = Path(__file__).parent / "fixtures"
SEED = Path(__file__).parent.parent / "seeds" / "taliban-israel.txt"


@pytest.fixture(scope="module")
def scores(nlp: Any) -> list[evaluate.ArticleScore]:
    entries = evaluate.load_gold_dir(FIXTURES / "articles")
    entries.append(evaluate.load_gold_file(FIXTURES / "seed-gold.json", SEED))
    results = []
    for article_id, txt, gold in entries:
        doc, _ = pipeline.read_one(txt, nlp)
        results.append(evaluate.score_article(article_id, gold, contract.to_json(doc)))
    return results


def test_quote_f1(scores: list[evaluate.ArticleScore]) -> None:
    assert evaluate.micro_average(scores).quotes.f1 >= 0.95


def test_speaker_accuracy(scores: list[evaluate.ArticleScore]) -> None:
    accuracy = evaluate.micro_average(scores).speaker_accuracy
    assert accuracy is not None and accuracy >= 0.92


def test_people_f1(scores: list[evaluate.ArticleScore]) -> None:
    assert evaluate.micro_average(scores).people.f1 >= 0.92


def test_role_accuracy(scores: list[evaluate.ArticleScore]) -> None:
    accuracy = evaluate.micro_average(scores).role_accuracy
    assert accuracy is not None and accuracy >= 0.85


def test_seed_background_f1(scores: list[evaluate.ArticleScore]) -> None:
    seed = next(s for s in scores if s.article_id == "taliban-israel")
    assert seed.background is not None and seed.background.f1 >= 0.80


def test_seed_quotes_exact(nlp: Any) -> None:
    """Issue 2: all five seed quotes, each with the right speaker."""
    doc, _ = pipeline.read_one(SEED, nlp)
    speakers = [(q.paragraph, q.speaker) for q in doc.extraction.quotes]
    source = next(p for p in doc.extraction.people if not p.named)
    assert speakers == [
        (3, source.name),
        (7, source.name),
        (10, source.name),
        (14, "Muhammad Naeem"),
        (17, "Zabihullah Mujahid"),
    ]
    assert "the source" in source.aliases and "former Afghan official" in (source.role or "")
    roles = {p.name: p.role for p in doc.extraction.people if p.named}
    assert roles == {
        "Muhammad Naeem": "the spokesperson for the Political Office of the Islamic Emirate of Afghanistan",
        "Zabihullah Mujahid": "the Taliban’s spokesperson",
    }
