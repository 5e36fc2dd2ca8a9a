"""The search's test archive: the project's seed and the six fixture articles, each fixture with a
date (tests/search/sidecars/), and the query set written from their texts (tests/search/queries.yml).

A module of its own (not conftest) so that the browser tests and bench/search_compare.py share it.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml

TESTS = Path(__file__).resolve().parent
ARTICLES = TESTS / "fixtures" / "articles"
SIDECARS = TESTS / "search" / "sidecars"
QUERIES = TESTS / "search" / "queries.yml"


def add_fixture_articles(project: Path) -> None:
    """The six fixture articles the query set was written from (those with a dated sidecar in
    tests/search/sidecars/) as seeds of a copy of the project."""
    for sidecar in sorted(SIDECARS.glob("*.yml")):
        shutil.copy(ARTICLES / f"{sidecar.stem}.txt", project / "seeds" / f"{sidecar.stem}.txt")
        shutil.copy(sidecar, project / "seeds" / sidecar.name)


@dataclass(frozen=True)
class Query:
    """One query of the set and what a reader must get: the pages among the first `within`
    results, pages that must not be there at all, and the quotes (their speakers) shown."""

    query: str
    kind: str  # the class of query: name, inflection, abbreviation, phrase, typo, quote, place, stop
    expect: tuple[str, ...]  # page URLs, relative to the site root
    within: int
    absent: tuple[str, ...]
    speakers: tuple[str, ...]  # a quote of each must be among the results (ours only: Pagefind has none)
    note: str


def queries() -> list[Query]:
    data = yaml.safe_load(QUERIES.read_text(encoding="utf-8"))
    return [
        Query(
            str(q["query"]),
            str(q["kind"]),
            tuple(q.get("expect", ())),
            int(q.get("within", 5)),
            tuple(q.get("absent", ())),
            tuple(q.get("speakers", ())),
            str(q.get("note", "")),
        )
        for q in data["queries"]
    ]


@dataclass(frozen=True)
class Found:
    """What a search showed: its status line, the pages in order, and the quotes' speakers."""

    status: str
    pages: tuple[str, ...]
    speakers: tuple[str, ...]


def verdict(q: Query, found: Found, *, quotes: bool = True) -> list[str]:
    """What is wrong with what a query found (nothing: it passes)."""
    wrong = [f"{url} not in the first {q.within}" for url in q.expect if url not in found.pages[: q.within]]
    wrong += [f"{url} should not be found" for url in q.absent if url in found.pages]
    if quotes:
        wrong += [f"no quote of {name}" for name in q.speakers if name not in found.speakers]
    return wrong


SHOWN = """() => {
  const box = document.querySelector('.mg-search-page');
  const status = box.querySelector('.mg-search__status').textContent;
  const items = [...box.querySelectorAll('li.mg-search__result')];
  const path = (a) => a && a.href ? new URL(a.href).pathname : '';
  return {
    status,
    pages: items.filter((li) => !li.matches('.mg-search__result--quote'))
      .map((li) => path(li.querySelector('a.mg-search__link'))),
    speakers: items.filter((li) => li.matches('.mg-search__result--quote'))
      .map((li) => li.querySelector('.mg-search__speaker')?.textContent || ''),
  };
}"""


def search_page(page: Any, base_url: str, query: str, *, pages: int = 3) -> Found:
    """Our search page's results for query (up to `pages` pages of them), as a reader sees them."""
    page.goto(f"{base_url}search/?q={quote(query)}")
    status = page.locator(".mg-search-page .mg-search__status")
    status.filter(has_not_text="Searching").wait_for()
    page.wait_for_function(
        "() => { const s = document.querySelector('.mg-search-page .mg-search__status').textContent;"
        " return s && !s.startsWith('Searching'); }"
    )
    more = page.locator(".mg-search-page .mg-search__more")
    for _ in range(pages - 1):
        if not more.is_visible():
            break
        count = page.locator(".mg-search-page li.mg-search__result").count()
        more.click()
        page.wait_for_function(
            f"() => document.querySelectorAll('.mg-search-page li.mg-search__result').length > {count}"
        )
    shown = page.evaluate(SHOWN)
    prefix = "/" + base_url.split("/", 3)[3]
    return Found(
        shown["status"],
        tuple(p.removeprefix(prefix) for p in shown["pages"]),
        tuple(shown["speakers"]),
    )
