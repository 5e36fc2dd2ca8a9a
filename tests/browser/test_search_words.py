"""The browser finds the index's words as Python wrote them: overrides/assets/search/words.js (with
the vendored stemr) against build_tools/search/words.py, run in Chromium on the built site."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from build_tools.search.words import stem, stopwords, terms

TESTS = Path(__file__).resolve().parents[1]
TEXTS = [
    *sorted((TESTS / "fixtures" / "articles").glob("*.txt")),
    *sorted((TESTS.parent / "seeds").glob("*.txt")),
]

WORDS_JS = """async ([url, texts, stop]) => {
  const words = await import(url);
  const stops = new Set(stop);
  return texts.map((text) => words.terms(text, stops));
}"""

STEMS_JS = """async ([url, list]) => {
  const words = await import(url);
  return list.map((w) => words.stem(w));
}"""


def words_module(page: Page, base_url: str) -> str:
    page.goto(base_url)
    return f"{base_url}assets/search/words.js"


def test_every_fixture_text_has_the_same_terms_in_the_browser(page: Page, base_url: str) -> None:
    texts = [path.read_text(encoding="utf-8") for path in TEXTS]
    url = words_module(page, base_url)
    browser = page.evaluate(WORDS_JS, [url, texts, sorted(stopwords())])
    for path, text, theirs in zip(TEXTS, texts, browser, strict=True):
        ours = terms(text)
        assert theirs == ours, (path.name, [(a, b) for a, b in zip(ours, theirs, strict=False) if a != b][:5])
        assert len(ours) > 50


@pytest.mark.parametrize(
    "text",
    [
        "مُحَمَّد السلام عليكم",  # Arabic with its marks
        "שָׁלוֹם עולם",  # Hebrew with points
        "नमस्ते दुनिया",  # Devanagari: vowel signs are marks
        "ΑΘΗΝΑ Ἀθῆναι",  # Greek capitals and polytonic accents
        "Café Zürich İstanbul Łódź Ærø",  # accents, dotted I, letters without a decomposition
        "ﬁnal ½ ² ①",  # compatibility forms that become letters and digits
        "the U.S.-led U. S. U.S.A. e.g. D.C., N.Y. US us Us NASA's G20",  # abbreviations
        "don't DON’T rock’n’roll students’ Taliban’s 'quoted'",  # apostrophes
        "𠀀 𠀀𠀁 x",  # characters outside the first plane, one and two letters
        "STS-135 i24NEWS www.VOANews.com/Persian #IStandWithAhmed @POTUS",
    ],
)
def test_the_browser_folds_and_splits_as_python(page: Page, base_url: str, text: str) -> None:
    url = words_module(page, base_url)
    (theirs,) = page.evaluate(WORDS_JS, [url, [text], sorted(stopwords())])
    assert theirs == terms(text)


def fixture_words() -> list[str]:
    found: set[str] = set()
    for path in TEXTS:
        found.update(re.findall(r"[a-z]+", path.read_text(encoding="utf-8").lower()))
    return sorted(found)


def test_the_stemmers_agree_on_every_word_of_the_fixtures(page: Page, base_url: str) -> None:
    words = fixture_words()
    assert len(words) > 1000
    url = words_module(page, base_url)
    theirs = page.evaluate(STEMS_JS, [url, words])
    assert [w for w, s in zip(words, theirs, strict=True) if s != stem(w)] == []
    assert stem("negotiations") == stem("negotiate") and stem("rescued") == stem("rescues")


def test_the_stemmers_agree_on_the_english_vocabulary(page: Page, base_url: str, nlp: Any) -> None:
    """Every lower-case form of spaCy's English vocabulary (about 49,000 words): a wider check than
    the fixtures, and the one that ruled out other ports (overrides/assets/vendor/stemr/README.md)."""
    words = sorted({s.lower() for s in nlp.vocab.strings if re.fullmatch(r"[A-Za-z]+", s)})
    assert len(words) > 40_000
    url = words_module(page, base_url)
    theirs = page.evaluate(STEMS_JS, [url, words])
    assert [w for w, s in zip(words, theirs, strict=True) if s != stem(w)] == []
