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
        sidebar.scroll_into_view_if_needed()
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


@pytest.mark.parametrize(
    "path", ["", f"articles/{SLUG}/", "people/zabihullah-mujahid/", "articles/", "places/", "no-such-page/"]
)
def test_no_page_overflows_sideways(phone: Page, base_url: str, path: str) -> None:
    phone.goto(base_url + path)
    overflow = phone.evaluate("""() => [...document.querySelectorAll('.md-content *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
        .map(e => e.tagName + '.' + e.className).slice(0, 5)""")
    assert phone.evaluate(NO_OVERFLOW), overflow
