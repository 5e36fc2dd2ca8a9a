"""Pages that read like a newsroom's (issue 10), in a real Chromium on the site served under /marginalia/.

Two sites: the session's real build of the project (the seed article, whose five quotes carry
all three confidence cues), and the newsroom build (tests/browser/conftest.py: the six fixture
articles with no sidecar, the longest fixture article, and a dated follow-up), for the archive's
cards, "Previously", the home page's order, the 404 page and print.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from browserkit import PHONE, SLUG, WIDE
from playwright.sync_api import Page, expect

QUOTE_5 = "In the last… 50 years, Arabs and Iranians have intoxicated our peoples’ minds"
CUE_TEXT = {"confirmed": "confirmed", "context": "attributed by context", "review": "needs review"}
SEED_CUES = {1: "confirmed", 2: "review", 3: "context", 4: "context", 5: "context"}


def hidden(locator: object) -> bool:
    """Visually hidden (clipped to a pixel) but in the page, as a screen reader's label."""
    box = locator.bounding_box()  # type: ignore[attr-defined]
    return box is not None and box["width"] <= 1 and box["height"] <= 1


# -- quotes marked in the text --------------------------------------------------------------------------
def test_each_quote_is_marked_in_the_text_with_its_number_linking_to_its_card(
    page: Page, article_url: str
) -> None:
    page.goto(article_url)
    refs = page.locator(".mg-text a.mg-qref")
    expect(refs).to_have_count(5)
    assert page.locator(".mg-text .mg-said").count() >= 5
    for n in range(1, 6):
        ref = page.locator(f'.mg-text a.mg-qref[href="#q-{n}"]')
        expect(ref).to_have_count(1)
        expect(ref.locator(".mg-qref__n")).to_have_text(str(n))
        # the mark is tinted: a quote is seen as one in the running text
        said = ref.locator("xpath=ancestor::p[1]").locator(".mg-said").first
        assert said.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
    ref = page.locator('.mg-text a.mg-qref[href="#q-5"]')
    label = ref.locator(".mg-qref__who")
    assert hidden(label)  # a visually hidden label ...
    expect(ref).to_have_accessible_name(
        re.compile(r"^Quote 5: Zabihullah Mujahid$")
    )  # ... read by a screen reader
    ref.hover()
    expect(label).to_be_visible()
    box = label.bounding_box()
    assert box and box["width"] > 60, box  # the speaker, shown on hover
    page.mouse.move(0, 0)
    ref.click()
    expect(page).to_have_url(article_url + "#q-5")
    card = page.locator("li.mg-quote#q-5")
    expect(card).to_be_in_viewport()
    assert card.evaluate("e => e.matches(':target')")


def test_the_speaker_shows_on_keyboard_focus(page: Page, article_url: str) -> None:
    page.goto(article_url)
    first = page.locator('.mg-text a.mg-qref[href="#q-1"]')
    for _ in range(60):  # Tab through the page as a keyboard user does, to the first quote's number
        page.keyboard.press("Tab")
        if first.evaluate("e => e === document.activeElement"):
            break
    assert first.evaluate("e => e === document.activeElement")
    label = first.locator(".mg-qref__who")
    expect(label).to_be_visible()
    assert not hidden(label)
    expect(label).to_contain_text("Afghan source")


# -- quote cards ------------------------------------------------------------------------------------------
def test_a_quote_card_is_short_with_its_speaker_role_cue_and_jump(page: Page, article_url: str) -> None:
    page.goto(article_url)
    card = page.locator("li.mg-quote#q-5")
    excerpt = card.locator(".mg-quote__text").inner_text()  # the marks are the <q>'s, drawn by CSS
    assert excerpt.startswith(QUOTE_5[:30]) and excerpt.endswith(" …"), excerpt
    marks = card.locator("q").evaluate("e => getComputedStyle(e).quotes")
    assert marks == '"“" "”"', marks
    assert len(excerpt.split()) <= 27, excerpt  # about 25 words
    text = page.locator(".mg-text").inner_text()
    assert text.count(QUOTE_5) == 1  # the whole quote is in the text, once
    expect(card.locator(".mg-attribution")).to_have_text("— Zabihullah Mujahid, the Taliban’s spokesperson")
    expect(card.locator("a.mg-speaker")).to_have_attribute("href", "../../people/zabihullah-mujahid/")
    jump = card.locator("a.mg-jump")
    expect(jump).to_contain_text("read in context")
    paragraph = page.locator(f"p.mg-para{jump.get_attribute('href')}")
    expect(paragraph).to_contain_text(QUOTE_5)
    jump.click()
    expect(paragraph).to_be_in_viewport()
    assert paragraph.evaluate("e => e.matches(':target')")


def test_a_visible_confidence_cue_on_every_card_explained_once(page: Page, article_url: str) -> None:
    page.goto(article_url)
    marks = {}
    for n, kind in SEED_CUES.items():
        cue = page.locator(f"li.mg-quote#q-{n} .mg-quote__meta .mg-cue")
        expect(cue).to_have_count(1)
        expect(cue).to_be_visible()
        expect(cue).to_have_text(CUE_TEXT[kind])
        expect(cue).to_have_class(re.compile(rf"\bmg-cue--{kind}\b"))
        marks[kind] = cue.evaluate("e => getComputedStyle(e, '::before').content")
    assert len(set(marks.values())) == 3, marks  # a shape for each, not colour alone
    legend = page.locator(".mg-quotes .mg-legend")
    expect(legend).to_have_count(1)
    expect(legend.locator("li")).to_have_count(3)
    for kind, words in CUE_TEXT.items():
        expect(legend.locator(f".mg-cue--{kind}")).to_have_text(words)
    assert page.locator(".mg-legend").count() == 1  # once on the page


# -- the phone ------------------------------------------------------------------------------------------
def test_a_phone_strip_under_the_headline_jumps_to_each_sidebar_and_back(
    make_page: Callable[..., Page], article_url: str
) -> None:
    phone = make_page(viewport=PHONE)
    phone.goto(article_url)
    strip = phone.locator("nav.mg-jumps")
    expect(strip).to_be_visible()
    h1 = phone.locator("h1").bounding_box()
    top = strip.bounding_box()
    text = phone.locator(".mg-text").bounding_box()
    assert h1 and top and text and h1["y"] + h1["height"] <= top["y"] < text["y"], (h1, top, text)
    assert top["y"] < PHONE["height"]  # on the first screen
    for name, anchor in (("Quotes", "quotes"), ("People", "people"), ("Background", "background")):
        link = strip.get_by_role("link", name=re.compile(rf"^{name} \d+$"))
        link.click()
        expect(phone).to_have_url(re.compile(rf"#{anchor}$"))
        heading = phone.locator(f"h2#{anchor}")
        expect(heading).to_be_in_viewport()
        expect(strip).not_to_be_in_viewport()
        back = heading.locator("a.mg-back")
        expect(back).to_be_visible()
        back.click()
        expect(strip).to_be_in_viewport()
    assert phone.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_the_strip_is_for_phones_only(page: Page, article_url: str) -> None:
    page.goto(article_url)
    expect(page.locator("nav.mg-jumps")).to_be_hidden()
    expect(page.locator("a.mg-back").first).to_be_hidden()


# -- people ---------------------------------------------------------------------------------------------
SAME_LINE = """(li) => {
  const ref = li.querySelector('a.mg-pref');
  const range = document.createRange();
  range.setStart(li, 0);
  range.setEndBefore(ref);
  const rects = [...range.getClientRects()].filter(r => r.width > 0);
  const last = rects[rects.length - 1], box = ref.getBoundingClientRect();
  return {overlap: last.top < box.bottom && box.top < last.bottom, gap: box.left - last.right,
          width: box.width, height: box.height};
}"""


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["wide", "phone"])
def test_a_paragraph_reference_is_an_unobtrusive_link_on_the_line_of_the_name(
    make_page: Callable[..., Page], newsroom_url: str, viewport: dict[str, int]
) -> None:
    page = make_page(viewport=viewport)
    page.goto(newsroom_url + "articles/wn-warhol-polaroids/")
    people = page.locator("aside.mg-people li.mg-person")
    assert people.count() >= 20
    for n in range(people.count()):
        person = people.nth(n)
        person.scroll_into_view_if_needed()
        found = person.evaluate(SAME_LINE)
        assert found["overlap"], (person.inner_text(), found)  # never a line of its own
        assert found["gap"] >= 3, (person.inner_text(), found)  # never glued to the name
        assert found["width"] >= 24 and found["height"] >= 24, found
        ref = person.locator("a.mg-pref")
        expect(ref).to_have_accessible_name(re.compile(r"^First mentioned in paragraph \d+$"))
    roleless = people.filter(has_not=page.locator(".mg-role"))
    assert roleless.count() >= 1  # a person with no role is among them (the gap case)


# -- Lighthouse-style checks ------------------------------------------------------------------------------
PAGES = [
    "",
    f"articles/{SLUG}/",
    "people/",
    "people/zabihullah-mujahid/",
    "organizations/taliban/",
    "places/kabul/",
    "articles/",
    "tags/",
    "search/?q=Taliban",
    "no-such-page/",
]


@pytest.mark.parametrize("path", PAGES)
def test_no_page_asks_a_third_party_for_anything(page: Page, base_url: str, path: str) -> None:
    """Fonts, scripts and images all come from the site: no request leaves it (the context would
    block one, so every attempt is recorded)."""
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(base_url + path, wait_until="networkidle")
    site = urlsplit(base_url)
    foreign = [u for u in requests if urlsplit(u).netloc != site.netloc and not u.startswith("data:")]
    assert foreign == [], foreign
    assert all(urlsplit(u).path.startswith("/marginalia/") for u in requests if not u.startswith("data:")), (
        requests
    )
    assert page.evaluate("() => document.fonts.check('16px Newsreader')")


def test_the_text_face_is_the_sites_own_newsreader(page: Page, article_url: str) -> None:
    fonts: list[str] = []
    page.on("response", lambda r: fonts.append(r.url) if r.url.endswith(".woff2") and r.ok else None)
    page.goto(article_url, wait_until="networkidle")
    assert any(
        "/marginalia/assets/fonts/newsreader/newsreader-latin-wght-normal.woff2" in f for f in fonts
    ), fonts
    family = page.locator("p.mg-para").first.evaluate("e => getComputedStyle(e).fontFamily")
    assert family.startswith('"Newsreader"') or family.startswith("Newsreader"), family
    loaded = page.evaluate(
        "async () => (await document.fonts.ready, [...document.fonts].filter(f => "
        "f.family.replace(/\"/g, '') === 'Newsreader' && f.status === 'loaded').length)"
    )
    assert loaded >= 1


def test_no_documentation_chrome(page: Page, base_url: str) -> None:
    page.goto(base_url + f"articles/{SLUG}/")
    expect(page.locator(".md-header__source")).to_have_count(0)  # no GitHub link unless REPO_URL is set
    expect(page.locator("footer")).not_to_contain_text("Made with")
    expect(page.locator(".md-header__topic").first).to_contain_text("Marginalia")
    expect(page.locator(".mg-tagline")).to_have_text(
        "Annotated news — every article with its quotes, people and background."
    )


TARGETS = """(root) => [...root.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, label.md-header__button')]
  .filter(e => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
                 return r.width > 0 && r.height > 0 && s.visibility !== 'hidden'; })
  .map(e => { const r = e.getBoundingClientRect();
              return {what: e.tagName + '.' + e.className + ' ' + (e.textContent || '').trim().slice(0, 30),
                      width: r.width, height: r.height}; })"""


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["wide", "phone"])
def test_the_article_pages_tap_targets_are_at_least_24_pixels(
    make_page: Callable[..., Page], newsroom_url: str, viewport: dict[str, int]
) -> None:
    """Every control of the header and the article (quote numbers, paragraph references, jumps, the
    strip, the search box): 24 × 24 CSS pixels at least (WCAG 2.2 target size, Lighthouse's tap
    targets). Links inside other pages' running text are inline targets, left to axe's rule."""
    page = make_page(viewport=viewport)
    for slug in ("wn-warhol-polaroids", "burns-follow-up"):
        page.goto(newsroom_url + f"articles/{slug}/")
        for root in ("header.md-header", ".mg-dateline ~ *", "article .mg-article"):
            for target in page.locator(root).first.evaluate(TARGETS):
                assert target["width"] >= 24 and target["height"] >= 24, (slug, root, target)


# -- the archive --------------------------------------------------------------------------------------------
def test_a_person_page_has_a_card_quotes_newest_first_and_company(page: Page, newsroom_url: str) -> None:
    page.goto(newsroom_url + "people/nicholas-burns/")
    card = page.locator("section.mg-card")
    expect(card.locator("h2")).to_have_text("Person")
    facts = card.locator("dl.mg-card__facts")
    expect(facts.locator("dt")).to_contain_text(["Roles", "In the archive"])
    roles = facts.locator("ul.mg-profile-roles > li")
    assert roles.count() >= 1
    expect(roles.first.locator("a")).to_have_attribute("href", re.compile(r"^\.\./\.\./articles/[^/]+/$"))
    expect(roles.first.locator("time, .mg-date").first).to_be_visible()
    expect(facts).to_contain_text(re.compile(r"2 articles · \d+ quotes?"))
    quoted = page.locator("ol.mg-profile-quotes > li time").evaluate_all("ts => ts.map(t => t.dateTime)")
    assert len(quoted) >= 2 and quoted == sorted(quoted, reverse=True), quoted  # newest first
    expect(page.locator("h2#with-organizations")).to_be_visible()
    expect(page.locator("h2#with-organizations + ul.mg-company > li").first).to_contain_text("article")


def test_an_organisation_page_has_a_card_with_first_and_last_dates(page: Page, newsroom_url: str) -> None:
    page.goto(newsroom_url + "organizations/")
    link = page.locator("ul.mg-index a", has_text="Voice of America").first
    link.click()
    card = page.locator("section.mg-card")
    expect(card.locator("h2")).to_have_text("Organisation")
    for term in ("In the archive", "First seen", "Last seen"):
        expect(card.locator("dt", has_text=term)).to_have_count(1)
    first, last = card.locator("dd time").evaluate_all("ts => ts.map(t => t.dateTime)")
    assert first <= last, (first, last)
    expect(page.locator("h2#with-people")).to_have_text("People linked to it")
    expect(page.locator("h2#with-people + ul.mg-company")).to_contain_text("Nicholas Burns")
    dates = page.locator("ul.mg-profile-articles time").evaluate_all("ts => ts.map(t => t.dateTime)")
    assert dates == sorted(dates, reverse=True), dates


def test_the_people_index_is_by_surname_with_each_latest_role(page: Page, newsroom_url: str) -> None:
    page.goto(newsroom_url + "people/")
    names = page.locator("article ul.mg-index > li > a").all_inner_texts()
    headings = page.locator("article h2").all_inner_texts()
    named = names[: len(names) - page.locator("h2#unnamed + ul > li").count()]
    surnames = [n.split()[-1].removeprefix("al-").casefold() for n in named]
    assert surnames == sorted(surnames), list(zip(named, surnames, strict=True))
    assert headings[-1] == "Unnamed sources" or "unnamed" not in page.content()
    burns = page.locator("ul.mg-index > li", has=page.locator("a", has_text="Nicholas Burns"))
    expect(burns.locator(".mg-role")).to_have_text("Ambassador")  # the follow-up, a month later, calls him so


def test_background_has_curated_notes_first_then_context_then_the_archive(
    page: Page, newsroom_url: str
) -> None:
    page.goto(newsroom_url + "articles/burns-follow-up/")
    items = page.locator("aside.mg-background li")
    expect(items.first).to_have_class("mg-note")
    previously = page.locator("aside.mg-background li.mg-previously")
    expect(previously).to_have_count(1)
    expect(previously).to_contain_text(re.compile(r"Previously: .+, 12 February 2008"))
    expect(previously.locator(".mg-previously__who")).to_contain_text("Nicholas Burns")
    previously.locator("a").click()
    expect(page).to_have_url(newsroom_url + "articles/voa-burns-iran/")
    # The earlier article has no "Previously" (nothing came before it).
    expect(page.locator("aside.mg-background li.mg-previously")).to_have_count(0)


def test_background_never_repeats_the_news_of_the_lede(page: Page, newsroom_url: str) -> None:
    for slug in ("wn-shuttle-homes", "wn-warhol-polaroids", "voa-burns-iran"):
        page.goto(newsroom_url + f"articles/{slug}/")
        lede = page.locator("p.mg-para#p-1").inner_text()
        for item in page.locator("aside.mg-background li.mg-background-item").all_inner_texts():
            assert item.strip() not in lede, (slug, item)


def test_the_home_page_lists_dated_articles_newest_first_then_undated(page: Page, newsroom_url: str) -> None:
    page.goto(newsroom_url)
    items = page.locator("ul.mg-article-list > li")
    dates = items.evaluate_all("lis => lis.map(li => (li.querySelector('time') || {}).dateTime || '')")
    dated = [d for d in dates if d]
    assert dated == sorted(dated, reverse=True) and len(dated) >= 2, dates
    assert dates == dated + [""] * (len(dates) - len(dated)), dates  # undated after every dated one
    titles = items.locator("a").all_inner_texts()
    assert "Ambassador Nicholas Burns, U.S." not in titles and all(len(t) <= 110 for t in titles), titles


def test_the_404_page_has_the_search_box_and_the_latest_articles(page: Page, newsroom_url: str) -> None:
    response = page.goto(newsroom_url + "no/such/page/")
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_contain_text("Page not found")
    latest = page.locator("article ul.mg-article-list > li")
    assert latest.count() >= 2
    dates = latest.locator("time").evaluate_all("ts => ts.map(t => t.dateTime)")
    assert dates == sorted(dates, reverse=True), dates
    box = page.locator("#mg-notfound-input")
    box.fill("Burns")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/marginalia/search/\?q=Burns$"))
    expect(page.locator(".mg-search-page a.mg-search__link").first).to_be_visible()
    page.go_back()
    latest.first.locator("a").click()
    expect(page.locator("article .mg-article")).to_be_visible()


# -- print ------------------------------------------------------------------------------------------------
def pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", data))


@pytest.mark.parametrize("slug", ["wn-warhol-polaroids", "wn-shuttle-homes"])
def test_print_is_the_article_then_the_sidebars_in_four_pages_or_fewer(
    page: Page, newsroom_url: str, slug: str
) -> None:
    page.goto(newsroom_url + f"articles/{slug}/")
    page.emulate_media(media="print")
    quotes = page.locator("li.mg-quote")
    assert quotes.count() >= 5
    expect(quotes.first.locator(".mg-quote__text")).to_be_hidden()  # the words are in the text, once
    expect(quotes.first.locator(".mg-attribution")).to_be_visible()
    expect(page.locator("nav.mg-jumps")).to_be_hidden()
    text = page.locator(".mg-text").bounding_box()
    sidebars = page.locator(".mg-sidebars").bounding_box()
    assert text and sidebars and sidebars["y"] >= text["y"] + text["height"]
    pages = pdf_pages(page.pdf(format="A4", print_background=False))
    assert 1 <= pages <= 4, pages
