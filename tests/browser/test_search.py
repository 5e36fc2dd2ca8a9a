"""Material's search, typed into as a reader would (GUIDE §3: fill the input, no `/` first)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from playwright.sync_api import Locator, Page, expect

RESULT_LINKS = "ol.md-search-result__list > li.md-search-result__item > a.md-search-result__link"


def search(page: Page, query: str) -> Locator:
    """Type `query` into the search box; the result links once the list has any.

    Material reads the box on `keyup`, on focus and when its worker is ready (bundle.js: `ws`),
    not on `input`: `page.fill` alone sets the value after the focus read, so the query only runs
    if the worker happens to finish later. A key that types nothing (End) makes the keyup.
    """
    expect(page.locator(".md-search-result__meta")).not_to_have_text("Initializing search")
    page.fill("input.md-search__input", query)
    page.press("input.md-search__input", "End")
    links = page.locator(RESULT_LINKS)
    expect(links.first).to_be_visible()
    return links


def result_paths(links: Locator, base_url: str) -> list[str]:
    hrefs = links.evaluate_all("links => links.map(a => a.href)")
    # search.highlight appends ?h=TERMS; the fragment names the section.
    return [urlsplit(href.removeprefix(base_url)).path for href in hrefs]


def test_searching_a_name_lists_the_article_and_the_person(page: Page, base_url: str) -> None:
    page.goto(base_url)
    links = search(page, "Mujahid")
    expect(page.locator(".md-search-result__meta")).to_contain_text(re.compile(r"\d+ matching documents?"))
    paths = result_paths(links, base_url)
    assert "articles/taliban-israel/" in paths, paths
    assert "people/zabihullah-mujahid/" in paths, paths
    # The person's result leads to their page.
    links.filter(has=page.locator("h1", has_text="Zabihullah Mujahid")).first.click()
    expect(page).to_have_url(re.compile(r"/marginalia/people/zabihullah-mujahid/([?#].*)?$"))
    expect(page.locator("article h1")).to_have_text("Zabihullah Mujahid")


def test_searching_a_phrase_from_a_quote_finds_the_article(page: Page, base_url: str) -> None:
    page.goto(base_url)
    links = search(page, "dialogue with Mars")
    paths = result_paths(links, base_url)
    assert "articles/taliban-israel/" in paths, paths
    article = links.filter(has=page.locator("h1", has_text="Taliban faction open to ties")).first
    expect(article).to_be_visible()
    article.click()
    expect(page).to_have_url(re.compile(r"/marginalia/articles/taliban-israel/([?#].*)?$"))


def test_search_from_an_article_page_links_under_the_sub_path(
    page: Page, base_url: str, article_url: str
) -> None:
    """Searching from a page two levels deep still links under the sub-path."""
    page.goto(article_url)
    links = search(page, "intoxicated minds")
    hrefs = links.evaluate_all("links => links.map(a => a.href)")
    assert hrefs and all(href.startswith(base_url) for href in hrefs), hrefs
    assert "articles/taliban-israel/" in result_paths(links, base_url)
