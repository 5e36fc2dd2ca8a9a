"""The extraction floors of issue 15, measured on the 31 dev fixtures plus the seed, as `eval` does.

The floors are those of the issue; the figures `eval` prints today are in the README.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from build_tools import contract, evaluate, explain, pipeline
from build_tools.model import REVIEW_THRESHOLD

FIXTURES = Path(__file__).parent / "fixtures"
SEED = Path(__file__).parent.parent / "seeds" / "taliban-israel.txt"


@pytest.fixture(scope="module")
def judged(nlp: Any) -> tuple[list[evaluate.ArticleScore], list[explain.Judged]]:
    entries = evaluate.load_gold_dir(FIXTURES / "articles")
    entries.append(evaluate.load_gold_file(FIXTURES / "seed-gold.json", SEED))
    results, quotes = [], []
    for (article_id, _, gold), doc in zip(
        entries, pipeline.read_many([t for _, t, _ in entries], nlp), strict=True
    ):
        predicted = contract.to_json(doc)
        results.append(evaluate.score_article(article_id, gold, predicted))
        quotes += explain.judged(gold, predicted)
    return results, quotes


@pytest.fixture(scope="module")
def scores(judged: tuple[list[evaluate.ArticleScore], list[explain.Judged]]) -> list[evaluate.ArticleScore]:
    return judged[0]


def test_the_dev_set_is_the_31_articles(scores: list[evaluate.ArticleScore]) -> None:
    assert len(scores) == 32  # 31 fixtures and the seed


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


def test_organisations_f1(scores: list[evaluate.ArticleScore]) -> None:
    assert evaluate.micro_average(scores).organizations.f1 >= 0.85


def test_places_f1(scores: list[evaluate.ArticleScore]) -> None:
    assert evaluate.micro_average(scores).places.f1 >= 0.90


def test_review_flags_most_wrong_speakers_and_few_right_ones(
    judged: tuple[list[evaluate.ArticleScore], list[explain.Judged]],
) -> None:
    """Confidence means something: needs_review catches >= 60 % of wrong speakers, <= 10 % of right."""
    quotes = judged[1]
    wrong = [q for q in quotes if not q.right]
    right = [q for q in quotes if q.right]
    assert wrong, "a calibration needs some wrong speakers to judge"
    assert sum(q.confidence < REVIEW_THRESHOLD for q in wrong) >= 0.6 * len(wrong)
    assert sum(q.confidence < REVIEW_THRESHOLD for q in right) <= 0.1 * len(right)


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
