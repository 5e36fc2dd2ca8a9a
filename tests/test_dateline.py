"""Datelines: the place and date that open a lede, and what is not one (build_tools/dateline.py)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from build_tools import dateline, editorial, ingest, pipeline


@pytest.mark.parametrize(
    ("lede", "place", "day", "rest"),
    [
        ("SPRINGFIELD, Ill. — Mayor Jane Roe said", "SPRINGFIELD, Ill.", None, "Mayor Jane Roe said"),
        ("SPRINGFIELD, Ill.—Jane Roe said", "SPRINGFIELD, Ill.", None, "Jane Roe said"),
        (
            "Springfield, Illinois, March 3, 2014 - The mayor",
            "Springfield, Illinois",
            datetime.date(2014, 3, 3),
            "The mayor",
        ),
        (
            "Washington, D.C., February 12, 2008 - In an interview",
            "Washington, D.C.",
            datetime.date(2008, 2, 12),
            "In an interview",
        ),
        ("LONDON (Reuters) - The Bank of England", "LONDON", None, "The Bank of England"),
        ("Taipei, Taiwan — Thousands of lanterns", "Taipei, Taiwan", None, "Thousands of lanterns"),
        ("PARIS — A man was arrested", "PARIS", None, "A man was arrested"),
    ],
)
def test_a_dateline_gives_place_date_and_where_the_story_starts(
    lede: str, place: str, day: datetime.date | None, rest: str
) -> None:
    found = dateline.parse(lede)
    assert found is not None
    assert (found.place, found.date, lede[found.end :]) == (place, day, rest)


@pytest.mark.parametrize(
    "lede",
    [
        "Barack Obama - the president - said on Monday",  # a name and an aside, no dateline marks
        "Los Angeles-based band Rival Sons played",  # a hyphen without spaces
        "The talks - which lasted all night - ended",
        "Springfield, Illinois, May 40, 2014 - no such day",
        "In Paris - a man said",
    ],
)
def test_what_is_not_a_dateline(lede: str) -> None:
    assert dateline.parse(lede) is None


def test_the_dateline_dates_the_article_and_the_sidecar_still_wins(tmp_path: Path, nlp: object) -> None:
    seed = tmp_path / "fire.txt"
    seed.write_text(
        "Springfield, Illinois, March 3, 2014 - Firefighters rescued two children.\n", encoding="utf-8"
    )
    doc, _ = pipeline.read_one(seed, nlp)
    assert doc.date == datetime.date(2014, 3, 3)
    assert doc.article.dateline is not None and doc.article.dateline.place == "Springfield, Illinois"
    (tmp_path / "fire.yml").write_text("date: 2014-03-04\n", encoding="utf-8")
    article, _ = ingest.read_seed(seed, editorial.load_sidecar(seed))
    assert pipeline.document(article, doc.extraction, nlp).date == datetime.date(2014, 3, 4)
