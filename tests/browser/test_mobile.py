"""A 390-pixel-wide phone: the sidebars follow the text, readable, and nothing scrolls sideways."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from browserkit import PHONE, SLUG
from playwright.sync_api import Page, expect

SIDEBARS = ["aside.mg-quotes", "aside.mg-people", "aside.mg-background"]
NO_OVERFLOW = "() => document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def phone(make_page: Callable[..., Page]) -> Page:
    return make_page(viewport=PHONE)


def test_sidebars_follow_the_text_and_are_readable(phone: Page, article_url: str) -> None:
    phone.goto(article_url)
    assert phone.evaluate(NO_OVERFLOW), phone.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    text = phone.locator(".mg-text").bounding_box()
    assert text is not None
    previous_bottom = text["y"] + text["height"]
    for selector in SIDEBARS:  # after the text, in this order
        sidebar = phone.locator(selector)
        sidebar.locator("h2").scroll_into_view_if_needed()  # a sidebar may be taller than the screen
        expect(sidebar).to_be_visible()
        expect(sidebar.locator("h2")).to_be_in_viewport()
        box = sidebar.bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (selector, box)
        assert box["width"] >= 0.8 * PHONE["width"], (selector, box)  # full width, not a squeezed column
        box = phone.locator(selector).evaluate("e => e.getBoundingClientRect().top + scrollY")
        assert box >= previous_bottom, selector
        previous_bottom = box
    sizes = phone.locator("aside.mg-sidebar li").evaluate_all(
        "items => items.map(li => parseFloat(getComputedStyle(li).fontSize))"
    )
    assert sizes and min(sizes) >= 14, sizes  # readable without zooming


def test_quote_on_a_phone_jumps_up_to_its_paragraph(phone: Page, article_url: str) -> None:
    phone.goto(article_url)
    jump = phone.locator("li.mg-quote#q-2 a.mg-jump")
    jump.scroll_into_view_if_needed()
    paragraph = phone.locator(f"p.mg-para{jump.get_attribute('href')}")
    expect(paragraph).not_to_be_in_viewport()
    jump.click()
    expect(paragraph).to_be_in_viewport()
    assert paragraph.evaluate("e => e.matches(':target')")


PHONE_PATHS = ["", f"articles/{SLUG}/", "people/zabihullah-mujahid/", "articles/", "places/", "no-such-page/"]


@pytest.mark.parametrize("path", [*PHONE_PATHS, "search/?q=Taliban"])
def test_no_page_overflows_sideways(phone: Page, base_url: str, path: str) -> None:
    phone.goto(base_url + path)
    overflow = phone.evaluate("""() => [...document.querySelectorAll('.md-content *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
        .map(e => e.tagName + '.' + e.className).slice(0, 5)""")
    assert phone.evaluate(NO_OVERFLOW), overflow


def test_live_search_results_fit_a_phone(phone: Page, article_url: str) -> None:
    """The header's box and its results panel stay on the screen, and nothing scrolls sideways."""
    phone.goto(article_url)
    box = phone.locator("#mg-search-input")
    expect(box).to_be_visible()
    box.fill("Mujahid")
    panel = phone.locator("#mg-search-panel")
    expect(panel.locator("a.mg-search__link").first).to_be_visible()
    for element in (box, panel):
        rect = element.bounding_box()
        assert rect is not None
        assert rect["x"] >= 0 and rect["x"] + rect["width"] <= PHONE["width"], rect
    assert phone.evaluate(NO_OVERFLOW), phone.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    sizes = panel.locator("a.mg-search__link, .mg-search__excerpt").evaluate_all(
        "items => items.map(e => parseFloat(getComputedStyle(e).fontSize))"
    )
    assert sizes and min(sizes) >= 14, sizes  # readable without zooming
