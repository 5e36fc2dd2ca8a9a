"""The home page, the article page and the 404 page, as a reader's browser shows them."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

QUOTES = 5
SPEAKERS = {"Zabihullah Mujahid", "Muhammad Naeem"}
PEOPLE_ROLES = {"Muhammad Naeem": "spokesperson", "Zabihullah Mujahid": "spokesperson"}


def test_home_lists_the_seed_article_and_its_link_works(page: Page, base_url: str, article_url: str) -> None:
    response = page.goto(base_url)
    assert response is not None and response.status == 200
    item = page.locator("ul.mg-article-list > li").filter(has_text="Taliban")
    expect(item).to_have_count(1)
    expect(item.locator(".mg-summary")).to_contain_text("austere Islamist regimes")
    expect(item.locator(".mg-date")).to_be_visible()
    item.get_by_role("link", name=re.compile("Taliban faction open to ties")).click()
    expect(page).to_have_url(article_url)
    expect(page.locator("h1")).to_have_text(re.compile("Taliban faction open to ties with Israel"))


def test_people_organisations_and_places_are_in_the_navigation(page: Page, base_url: str) -> None:
    page.goto(base_url)
    tabs = page.locator("nav.md-tabs")
    for name, path, sample in [
        ("People", "people/", "Zabihullah Mujahid"),
        ("Organisations", "organizations/", "Taliban"),
        ("Places", "places/", "Kabul"),
    ]:
        tabs.get_by_role("link", name=name, exact=True).click()
        expect(page).to_have_url(base_url + path)
        expect(page.locator("article").get_by_role("link", name=sample, exact=True)).to_be_visible()
        page.go_back()


def test_article_shows_three_sidebars_with_their_items(page: Page, article_url: str) -> None:
    page.goto(article_url)
    assert page.locator("p.mg-para").count() >= 15
    expect(page.locator(".mg-dateline")).to_contain_text("Shafaq News")

    quotes = page.locator("aside.mg-sidebar.mg-quotes li.mg-quote")
    expect(quotes).to_have_count(QUOTES)
    for n in range(1, QUOTES + 1):
        quote = page.locator(f"li.mg-quote#q-{n}")
        expect(quote.locator(".mg-quote__text > q")).to_be_visible()
        expect(quote.locator("a.mg-jump")).to_have_attribute("href", re.compile(r"^#p-\d+$"))
        expect(quote.locator("a.mg-jump")).to_contain_text("read in context")
    speakers = set(page.locator("li.mg-quote a.mg-speaker").all_inner_texts())
    assert speakers >= SPEAKERS, speakers
    mujahid = page.locator("li.mg-quote a.mg-speaker", has_text="Zabihullah Mujahid")
    expect(mujahid).to_have_attribute("href", "../../people/zabihullah-mujahid/")

    # The low-confidence attribution is marked for the reader, visibly and in words.
    flag = page.locator("li.mg-quote .mg-cue--review")
    expect(flag).to_have_count(1)
    expect(flag).to_be_visible()
    expect(flag).to_have_text("needs review")
    assert flag.evaluate("e => getComputedStyle(e).borderStyle") == "solid"

    people = page.locator("aside.mg-people li.mg-person")
    assert people.count() >= len(PEOPLE_ROLES)
    for name, role in PEOPLE_ROLES.items():
        person = people.filter(has=page.locator("a.mg-name", has_text=name))
        expect(person.locator(".mg-role")).to_contain_text(role)
        expect(person.locator("a.mg-pref")).to_have_attribute("href", re.compile(r"^#p-\d+$"))

    background = page.locator("aside.mg-background li.mg-background-item")
    assert background.count() >= 3
    expect(background.filter(has_text="Abraham Accords").first).to_be_visible()
    expect(background.locator("a.mg-jump").first).to_have_attribute("href", re.compile(r"^#p-\d+$"))


def test_wide_screen_puts_the_sidebars_beside_the_text(page: Page, article_url: str) -> None:
    page.goto(article_url)
    text = page.locator(".mg-text").bounding_box()
    quotes = page.locator("aside.mg-quotes").bounding_box()
    assert text and quotes
    assert quotes["x"] >= text["x"] + text["width"], (text, quotes)
    assert quotes["y"] < text["y"] + text["height"] / 2


def test_clicking_a_quote_scrolls_to_and_highlights_its_paragraph(page: Page, article_url: str) -> None:
    page.goto(article_url)
    # The last quote (Mujahid's, in the last paragraph): the page must scroll a long way down.
    jump = page.locator("li.mg-quote").filter(has_text="Zabihullah Mujahid").locator("a.mg-jump")
    href = jump.get_attribute("href")
    assert href and re.fullmatch(r"#p-\d+", href), href
    paragraph = page.locator(f"p.mg-para{href}")
    expect(paragraph).to_contain_text("intoxicated our peoples")
    expect(paragraph).not_to_be_in_viewport()
    plain = paragraph.evaluate("e => getComputedStyle(e).backgroundColor")
    jump.click()
    expect(page).to_have_url(article_url + href)
    expect(paragraph).to_be_in_viewport()
    assert paragraph.evaluate("e => e.matches(':target')")
    assert paragraph.evaluate("e => getComputedStyle(e).backgroundColor") != plain
    # Not hidden under Material's sticky header.
    header = page.locator("header.md-header").bounding_box()
    box = paragraph.bounding_box()
    assert header and box and box["y"] >= header["y"] + header["height"], (header, box)


def test_a_person_in_the_sidebar_jumps_to_their_paragraph(page: Page, article_url: str) -> None:
    page.goto(article_url)
    person = page.locator("li.mg-person").filter(has_text="Zabihullah Mujahid")
    href = person.locator("a.mg-pref").get_attribute("href")
    person.locator("a.mg-pref").click()
    paragraph = page.locator(f"p.mg-para{href}")
    expect(paragraph).to_contain_text("Zabihullah Mujahid")
    expect(paragraph).to_be_in_viewport()
    assert paragraph.evaluate("e => e.matches(':target')")
    person.locator("a.mg-name").click()
    expect(page).to_have_url(re.compile(r"/marginalia/people/zabihullah-mujahid/$"))
    expect(page.locator("h1")).to_have_text("Zabihullah Mujahid")


def test_print_keeps_the_sidebars_after_the_text(page: Page, article_url: str) -> None:
    page.goto(article_url)
    page.emulate_media(media="print")
    expect(page.locator("header.md-header")).to_be_hidden()  # Material drops the site chrome
    text = page.locator(".mg-text").bounding_box()
    assert text is not None
    for selector in ("aside.mg-quotes", "aside.mg-people", "aside.mg-background"):
        sidebar = page.locator(selector)
        expect(sidebar).to_be_visible()
        box = sidebar.bounding_box()
        assert box and box["y"] >= text["y"] + text["height"], selector
    expect(page.locator(".mg-quote .mg-cue--review")).to_be_visible()


def test_missing_page_is_a_styled_404_under_the_sub_path(page: Page, base_url: str) -> None:
    for missing in ("no-such-page/", "articles/no-such-article/deeper/"):
        response = page.goto(base_url + missing)
        assert response is not None and response.status == 404
        expect(page.locator("h1")).to_contain_text("404")
        # Material's and Marginalia's stylesheets loaded and applied, from /marginalia/.
        sheets = page.evaluate("""() => [...document.styleSheets]
            .filter(s => s.href && s.href.startsWith(location.origin + '/marginalia/'))
            .map(s => [new URL(s.href).pathname, s.cssRules.length])""")
        names = {path.rsplit("/", 1)[-1].split(".")[0]: rules for path, rules in sheets}
        assert names.get("main", 0) > 100 and names.get("marginalia", 0) > 10, sheets
        assert page.locator("header.md-header").evaluate("e => getComputedStyle(e).position") == "sticky"
        logo = page.locator("header a.md-logo")
        logo.click()
        expect(page).to_have_url(base_url)
