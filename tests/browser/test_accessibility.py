"""axe-core finds no WCAG 2.2 AA violation on the home, article, person and search pages, light and dark.

Rule set: every axe-core rule tagged wcag2a, wcag2aa, wcag21a, wcag21aa, wcag22a or wcag22aa
(WCAG 2.0, 2.1 and 2.2 at levels A and AA), no rule disabled. The 'best-practice' rules run too.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from browserkit import PHONE, SLUG, WIDE
from playwright.sync_api import Page, expect

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
RULES = [*WCAG_22_AA, "best-practice"]
AXE = Axe()
SCHEME = {"light": "default", "dark": "slate"}  # Material's data-md-color-scheme

PAGES = {
    "home": "",
    "article": f"articles/{SLUG}/",
    "article-highlight": f"articles/{SLUG}/#p-7",  # a paragraph marked by :target
    "person": "people/zabihullah-mujahid/",
}


def assert_no_violations(page: Page) -> None:
    results = AXE.run(
        page, options={"runOnly": {"type": "tag", "values": RULES}, "resultTypes": ["violations"]}
    )
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("scheme", SCHEME)
@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_violations(
    make_page: Callable[..., Page], base_url: str, name: str, scheme: str
) -> None:
    page = make_page(scheme=scheme)
    page.goto(base_url + PAGES[name])
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", SCHEME[scheme])
    assert_no_violations(page)


@pytest.mark.parametrize("scheme", SCHEME)
def test_search_with_results_has_no_violations(
    make_page: Callable[..., Page], base_url: str, scheme: str
) -> None:
    """The header's live panel open over a page, then the search page, both with results."""
    page = make_page(scheme=scheme)
    page.goto(base_url)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", SCHEME[scheme])
    page.fill("#mg-search-input", "Taliban")
    panel = page.locator("#mg-search-panel")
    expect(panel.locator(".mg-search__excerpt mark").first).to_be_visible()
    expect(panel.locator("a.mg-search__link").first).to_be_visible()
    assert_no_violations(page)
    page.goto(base_url + "search/?q=Taliban")
    results = page.locator(".mg-search-page")
    expect(results.locator(".mg-search__excerpt mark").first).to_be_visible()
    assert_no_violations(page)
    page.fill("#mg-search-page-input", "zzyzx")  # the "no results" state
    expect(results.locator(".mg-search__status")).to_have_text("No results for “zzyzx”.")
    assert_no_violations(page)


# The newsroom build (conftest.py): the archive's cards, the longest article, "Previously", the 404
# page; on a phone as well, where the strip under the headline and the "back" links show.
NEWSROOM_PAGES = {
    "person-card": "people/nicholas-burns/",
    "organisation-card": "organizations/voice-of-america/",
    "place-card": "places/evansville/",
    "people-index": "people/",
    "longest-article": "articles/wn-warhol-polaroids/",
    "previously": "articles/burns-follow-up/",
    "not-found": "no/such/page/",
}


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["wide", "phone"])
@pytest.mark.parametrize("scheme", SCHEME)
@pytest.mark.parametrize("name", NEWSROOM_PAGES)
def test_newsroom_page_has_no_violations(
    make_page: Callable[..., Page], newsroom_url: str, name: str, scheme: str, viewport: dict[str, int]
) -> None:
    page = make_page(scheme=scheme, viewport=viewport)
    page.goto(newsroom_url + NEWSROOM_PAGES[name])
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", SCHEME[scheme])
    assert_no_violations(page)
