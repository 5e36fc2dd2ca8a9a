"""The query set (tests/search/queries.yml): at least 40 queries a reader types, written from the
fixture articles, each with what it must find, run on the search page of the test archive.
bench/search_compare.py runs the same set against Pagefind on the same site."""

from __future__ import annotations

from collections import Counter

import pytest
from playwright.sync_api import Page
from searchkit import Query, queries, search_page, verdict

QUERIES = queries()


def test_the_set_covers_every_class_of_query() -> None:
    assert len(QUERIES) >= 40
    kinds = Counter(q.kind for q in QUERIES)
    assert set(kinds) == {"name", "inflection", "abbreviation", "phrase", "typo", "quote", "place", "stop"}
    assert min(kinds.values()) >= 3, kinds
    assert len({q.query for q in QUERIES}) == len(QUERIES)


@pytest.mark.parametrize("q", QUERIES, ids=[q.query for q in QUERIES])
def test_query(page: Page, archive_url: str, q: Query) -> None:
    found = search_page(page, archive_url, q.query)
    assert verdict(q, found) == [], (found.status, found.pages[:10], found.speakers)
