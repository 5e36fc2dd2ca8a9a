"""The archive's search (overrides/assets/search.js and search/engine.js), typed into as a reader would.

Four sites: the session's real build (the seed article); the search's test archive (the seed and
the six fixture articles, tests/searchkit.py) for word forms, abbreviations, phrases, typos,
excerpts, quotes and filters; a copy of the real site whose search-data/ is a hand-made index, to
pin the query rules (ranking, prefixes, typos below exact matches, AND, chunks, "Show more"); and a
real build with a hostile seed, whose markup must stay text in the results. The query set itself
(tests/search/queries.yml) is run by test_search_queries.py.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from browserkit import OUTSIDE, PHONE
from playwright.sync_api import Browser, Locator, Page, Route, expect
from projectkit import copy_project, mkdocs_build
from siteserver import serve
from test_accessibility import SCHEME, assert_no_violations

BOX = "#mg-search-input"  # the header's search box, on every page
PANEL = "#mg-search-panel"
PAGE = ".mg-search-page"
PAGE_BOX = "#mg-search-page-input"  # the search page's own box
ITEMS = "ol.mg-search__results > li.mg-search__result"
RESULT_LINKS = f"{ITEMS} a.mg-search__link"
QUOTES = "ol.mg-search__results > li.mg-search__result--quote"


def count(query: str) -> re.Pattern[str]:
    """The status line above the results of query: "2 results for “Mujahid”"."""
    return re.compile(rf"^\d+ results? for “{re.escape(query)}”$")


def search(page: Page, query: str) -> Locator:
    """Type `query` into the header's box; the result links once the panel lists its results."""
    page.fill(BOX, query)
    panel = page.locator(PANEL)
    expect(panel).to_be_visible()
    expect(panel.locator(".mg-search__status")).to_have_text(count(query))
    links = panel.locator(RESULT_LINKS)
    expect(links.first).to_be_visible()
    return links


def results_page(page: Page, base_url: str, query: str, **params: str) -> Locator:
    """The search page for ?q=query (and filters); its box once the status line is in."""
    extra = "".join(f"&{name}={value}" for name, value in params.items())
    page.goto(f"{base_url}search/?q={quote(query)}{extra}")
    box = page.locator(PAGE)
    expect(box.locator(".mg-search__status")).not_to_have_text(re.compile(r"^(Searching…)?$"))
    return box


def result_paths(links: Locator, base_url: str) -> list[str]:
    hrefs = links.evaluate_all("links => links.map(a => a.href)")
    assert all(href.startswith(base_url) for href in hrefs), hrefs
    return [urlsplit(href.removeprefix(base_url)).path for href in hrefs]


def page_paths(box: Locator, base_url: str) -> list[str]:
    """The pages listed (not the quotes), in order."""
    return result_paths(box.locator(f"{ITEMS}:not(.mg-search__result--quote) > a.mg-search__link"), base_url)


def search_requests(page: Page) -> list[str]:
    """Every request the page makes from now on (its URL), to compare with what a query needs."""
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    return requests


def data_files(requests: list[str], base_url: str) -> list[str]:
    data = f"{base_url}search-data/"
    return sorted(url.removeprefix(data) for url in requests if url.startswith(data))


# -- the real site -------------------------------------------------------------------------------
def test_searching_a_name_lists_the_article_and_the_person(page: Page, base_url: str) -> None:
    page.goto(base_url)
    links = search(page, "Mujahid")
    paths = result_paths(links, base_url)
    assert "articles/taliban-israel/" in paths, paths
    assert paths[0] == "people/zabihullah-mujahid/", paths  # the name is the page's title
    person = page.locator(PANEL).locator(ITEMS).filter(has_text="Zabihullah Mujahid").first
    expect(person.locator(".mg-search__kind")).to_have_text("Person")
    links.filter(has_text="Zabihullah Mujahid").first.click()
    expect(page).to_have_url(re.compile(r"/marginalia/people/zabihullah-mujahid/$"))
    expect(page.locator("article h1")).to_have_text("Zabihullah Mujahid")


def test_a_phrase_from_a_quote_shows_the_quote_its_speaker_and_article(page: Page, base_url: str) -> None:
    page.goto(base_url)
    search(page, "dialogue with Mars")
    panel = page.locator(PANEL)
    said = panel.locator(QUOTES).first
    expect(said.locator(".mg-search__kind")).to_have_text("Quote")
    expect(said.locator("blockquote")).to_contain_text("willing to have a dialogue with Mars")
    expect(said.locator("blockquote mark")).to_have_text(["dialogue", "Mars"])
    speaker = said.locator("a.mg-search__speaker")
    expect(speaker).to_have_text("Muhammad Naeem")
    expect(speaker).to_have_attribute("href", f"{base_url}people/muhammad-naeem/")
    article = said.locator("a.mg-search__link")
    expect(article).to_have_text("Taliban faction open to ties with Israel, Afghan source says")
    expect(said.locator(".mg-search__date")).to_be_visible()  # the article's date (or "undated")
    article.click()
    expect(page).to_have_url(re.compile(r"/marginalia/articles/taliban-israel/#p-\d+$"))
    expect(page.locator(".mg-para:target")).to_contain_text("dialogue with Mars")
    # The article itself is listed after its quote.
    page.go_back()
    search(page, "dialogue with Mars")
    kinds = panel.locator(f"{ITEMS} .mg-search__kind").all_text_contents()
    assert kinds[:2] == ["Quote", "Article"], kinds


def test_search_from_an_article_page_links_under_the_sub_path(
    page: Page, base_url: str, article_url: str
) -> None:
    """Searching from a page two levels deep still fetches and links under the sub-path."""
    page.goto(article_url)
    links = search(page, "intoxicated minds")
    assert "articles/taliban-israel/" in result_paths(links, base_url)


def test_search_from_the_404_page_links_under_the_sub_path(page: Page, base_url: str) -> None:
    """The 404 page is served at any depth: its links, and the search's, are absolute."""
    response = page.goto(f"{base_url}no/such/page/")
    assert response is not None and response.status == 404
    links = search(page, "Mujahid")
    assert "people/zabihullah-mujahid/" in result_paths(links, base_url)
    page.press(BOX, "Enter")
    expect(page).to_have_url(f"{base_url}search/?q=Mujahid")


def test_query_words_are_highlighted_in_the_excerpt(page: Page, base_url: str) -> None:
    page.goto(base_url)
    search(page, "austere islamist")
    excerpt = page.locator(PANEL).locator(".mg-search__excerpt").first
    expect(excerpt).to_contain_text("most austere Islamist regimes")
    expect(excerpt.locator("mark")).to_have_text(["austere", "Islamist"])


def test_the_search_page_shows_the_results_of_q(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}search/?q=Mujahid")
    expect(page.locator("article h1")).to_have_text(re.compile(r"^Search\W*$"))
    expect(page.locator(PAGE_BOX)).to_have_value("Mujahid")
    results = page.locator(PAGE)
    expect(results.locator(".mg-search__status")).to_have_text(count("Mujahid"))
    paths = result_paths(results.locator(RESULT_LINKS), base_url)
    assert {"articles/taliban-israel/", "people/zabihullah-mujahid/"} <= set(paths), paths
    expect(page.locator(PANEL)).to_be_hidden()  # the header's panel stays closed
    # A new query on the page searches in place and keeps the address shareable.
    page.fill(PAGE_BOX, "Naeem")
    expect(results.locator(RESULT_LINKS).filter(has_text="Muhammad Naeem").first).to_be_visible()
    expect(page).to_have_url(f"{base_url}search/?q=Naeem")


@pytest.mark.parametrize("query", ["zzyzx", "mujahidqq", "Mujahid zzyzx"])
def test_a_query_without_a_match_says_so(page: Page, base_url: str, query: str) -> None:
    """No shard for the word, a shard without the term (two edits away), one word of two unmatched."""
    page.goto(base_url)
    page.fill(BOX, query)
    panel = page.locator(PANEL)
    expect(panel.locator(".mg-search__status")).to_have_text(f"No results for “{query}”.")
    expect(panel.locator("li")).to_have_count(0)
    box = results_page(page, base_url, query)
    expect(box.locator(".mg-search__status")).to_have_text(f"No results for “{query}”.")


@pytest.mark.parametrize("query", ["the a", "us", "Us and them"])
def test_a_query_of_common_words_says_so(page: Page, base_url: str, query: str) -> None:
    page.goto(base_url)
    page.fill(BOX, query)
    status = page.locator(PANEL).locator(".mg-search__status")
    expect(status).to_have_text(f"“{query}” is too short or too common to search for.")


def test_the_first_query_fetches_only_what_it_needs(page: Page, base_url: str) -> None:
    """meta.json, the word's shard, the results' URL chunk and the page file of each result shown:
    never a file of the whole archive."""
    page.goto(base_url)
    requests = search_requests(page)
    links = search(page, "Mujahid")
    shown = {f"p/{path.strip('/')}.json" for path in result_paths(links, base_url)}
    fetched = data_files(requests, base_url)
    assert [f for f in fetched if not f.startswith("p/")] == ["d/0.json", "meta.json", "t/mu.json"], fetched
    assert {f for f in fetched if f.startswith("p/")} == shown
    code = sorted(url.rsplit("/", 1)[1] for url in requests if "/assets/" in url and url.endswith(".js"))
    assert code == ["engine.js", "stemr.js", "words.js"], code  # search.js itself came with the page
    whole = [url for url in requests if re.search(r"/search/search_index\.json|lunr|worker|pagefind", url)]
    assert not whole, whole
    # A second query fetches only its new shards and pages: the rest is cached.
    requests.clear()
    search(page, "dialogue Mars")
    fetched = data_files(requests, base_url)
    assert [f for f in fetched if not f.startswith("p/")] == ["t/di.json", "t/ma.json"], fetched
    assert "p/articles/taliban-israel.json" not in fetched


def test_keyboard_slash_focuses_escape_closes_enter_submits(
    page: Page, base_url: str, article_url: str
) -> None:
    page.goto(article_url)
    page.locator("article h1").click()
    page.keyboard.press("/")
    expect(page.locator(BOX)).to_be_focused()
    expect(page.locator(BOX)).to_have_value("")  # the slash is not typed into the box
    search(page, "Mujahid")
    page.keyboard.press("ArrowDown")
    links = page.locator(PANEL).locator(RESULT_LINKS)
    expect(links.first).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(links.nth(1)).to_be_focused()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    expect(page.locator(BOX)).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Escape")
    expect(page.locator(PANEL)).to_be_hidden()
    expect(page.locator(BOX)).to_be_focused()
    expect(page.locator(BOX)).to_have_value("Mujahid")  # Escape closes, it does not clear
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{base_url}search/?q=Mujahid")
    expect(page.locator(PAGE).locator(RESULT_LINKS).first).to_be_visible()
    # On the search page "/" goes to its own box; typed in a box, it is a character.
    page.locator("article h1").click()
    page.keyboard.press("/")
    expect(page.locator(PAGE_BOX)).to_be_focused()
    page.keyboard.type("a/b")
    expect(page.locator(PAGE_BOX)).to_have_value("a/b")


def test_a_click_outside_closes_the_panel(page: Page, base_url: str) -> None:
    page.goto(base_url)
    search(page, "Mujahid")
    page.mouse.click(5, 400)  # beside the panel
    expect(page.locator(PANEL)).to_be_hidden()
    page.locator(BOX).focus()  # back in the box: the results come back
    expect(page.locator(PANEL)).to_be_visible()


def test_without_javascript_the_box_submits_to_the_search_page(browser: Browser, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        context.route(OUTSIDE, lambda route: route.abort())
        page = context.new_page()
        page.goto(base_url)
        page.fill(BOX, "Mujahid")
        page.press(BOX, "Enter")
        expect(page).to_have_url(f"{base_url}search/?q=Mujahid")
        notice = page.locator("noscript p")  # Playwright's text selectors skip <noscript>
        expect(notice).to_be_visible()
        expect(notice).to_contain_text("Search runs in your browser and needs JavaScript")
        expect(page.get_by_role("link", name="people", exact=True)).to_have_attribute("href", "../people/")
    finally:
        context.close()


# -- the test archive: word forms, abbreviations, phrases, typos, excerpts, quotes, filters ---------
def test_word_forms_find_each_other_and_are_highlighted(page: Page, archive_url: str) -> None:
    box = results_page(page, archive_url, "negotiate")
    assert {"articles/voa-burns-iran/", "articles/taliban-israel/"} <= set(page_paths(box, archive_url))
    marks = box.locator(".mg-search__excerpt mark, blockquote mark").all_text_contents()
    assert marks and {m.lower() for m in marks} <= {"negotiations", "negotiating"}, marks
    box = results_page(page, archive_url, "rescues")
    expect(box.locator(".mg-search__excerpt mark").first).to_have_text("rescued")


def test_abbreviations_match_their_dotted_and_plain_forms(page: Page, archive_url: str) -> None:
    dotted = page_paths(
        results_page(
            page,
            archive_url,
            "U.S.",
        ),
        archive_url,
    )
    box = results_page(page, archive_url, "US")
    assert page_paths(box, archive_url) == dotted
    marks = set(box.locator(f"{ITEMS} mark").all_text_contents())
    assert marks <= {"U.S.", "US", "U. S."} and "U.S." in marks and "US" in marks, marks
    assert "articles/wn-greek-deities-court/" not in dotted  # its "use" is not US
    assert set(page_paths(results_page(page, archive_url, "UN"), archive_url)) == set(
        page_paths(results_page(page, archive_url, "U.N."), archive_url)
    )


def test_a_phrase_in_quotation_marks_matches_the_words_in_order(page: Page, archive_url: str) -> None:
    loose = set(page_paths(results_page(page, archive_url, "science fair"), archive_url))
    assert "articles/wn-shuttle-homes/" in loose  # "science" and "fairness", apart
    for query in ['"science fair"', "“science fair”"]:
        box = results_page(page, archive_url, query)
        assert "articles/wn-shuttle-homes/" not in page_paths(box, archive_url)
        expect(box.locator(".mg-search__excerpt").first).to_contain_text("Science Fair")
    box = results_page(page, archive_url, '"space shuttle"')
    items = box.locator(ITEMS).all()
    assert len(items) >= 3
    for item in items:  # in the title (a page named so), the excerpt or the quote
        text = item.inner_text()
        assert re.search(r"(?i)space\s+shuttle", text), text


def test_a_typo_finds_the_word_and_says_so(page: Page, archive_url: str) -> None:
    box = results_page(page, archive_url, "Boldan")
    expect(box.locator(".mg-search__status")).to_have_text(
        re.compile(r"^No results for “Boldan”\. Showing \d+ results for “Bolden”$")
    )
    assert page_paths(box, archive_url)[:1] == ["people/charles-bolden/"]
    expect(box.locator(f"{ITEMS} .mg-search__note").first).to_have_text("similar spelling: Bolden")
    expect(box.locator(".mg-search__excerpt mark").first).to_have_text("Bolden")
    box = results_page(page, archive_url, "Mohammed")
    expect(box.locator(".mg-search__status")).to_have_text(re.compile(r"Showing \d+ results? for “Mohamed”$"))
    # Four letters is too short to guess: "Bolx" finds nothing.
    box = results_page(page, archive_url, "Bolx ")
    expect(box.locator(".mg-search__status")).to_have_text("No results for “Bolx”.")


def test_the_excerpt_is_where_the_words_matched_not_the_lede(page: Page, archive_url: str) -> None:
    box = results_page(page, archive_url, "Heagle")
    excerpt = box.locator(".mg-search__excerpt").first
    expect(excerpt).to_contain_text("AS Heagle in 1989")
    expect(excerpt).not_to_contain_text("A research team")  # the article's first words
    assert excerpt.inner_text().startswith("… ")
    expect(excerpt.locator("mark")).to_have_text(["Heagle"])


def test_a_quote_result_links_its_speaker_and_its_article(page: Page, archive_url: str) -> None:
    box = results_page(page, archive_url, "national treasures")
    said = box.locator(QUOTES).first
    expect(said.locator("blockquote")).to_contain_text("these national treasures")
    expect(said.locator("blockquote mark")).to_have_text(["national", "treasures"])
    expect(said.locator(".mg-search__speaker")).to_have_text("Charles Bolden")
    expect(said.locator("time")).to_have_text("13 April 2011")
    href = said.locator("a.mg-search__link").get_attribute("href") or ""
    assert re.fullmatch(rf"{re.escape(archive_url)}articles/wn-shuttle-homes/#p-\d+", href), href
    said.locator("a.mg-search__speaker").click()
    expect(page).to_have_url(f"{archive_url}people/charles-bolden/")


def test_filters_narrow_the_results_and_stay_in_the_address(page: Page, archive_url: str) -> None:
    box = results_page(page, archive_url, "Bolden")
    filters = box.locator(".mg-search__filters")
    expect(filters).to_be_visible()
    quotes = filters.get_by_role("radio", name=re.compile(r"^Quotes \(\d+\)$"))
    label = filters.locator("label").filter(has=page.locator("input[value='quote']")).inner_text()
    quoted = int(re.search(r"\((\d+)\)", label).group(1))  # type: ignore[union-attr]
    assert quoted >= 2, label
    quotes.check()
    expect(page).to_have_url(f"{archive_url}search/?q=Bolden&kind=quote")
    expect(box.locator(ITEMS)).to_have_count(quoted)
    expect(box.locator(f"{ITEMS}:not(.mg-search__result--quote)")).to_have_count(0)
    # The address is the search: opened again, it shows the same.
    page.reload()
    expect(box.locator(ITEMS)).to_have_count(quoted)
    expect(filters.locator("input[value='quote']")).to_be_checked()
    filters.get_by_role("radio", name=re.compile(r"^People")).check()
    expect(box.locator(f"{ITEMS} .mg-search__kind")).to_have_text(["Person"])
    # A year: the articles and quotes of that year only.
    filters.get_by_role("radio", name=re.compile(r"^All")).check()
    filters.get_by_label("Year").select_option("2011")
    expect(page).to_have_url(f"{archive_url}search/?q=Bolden&year=2011")
    dates = box.locator(f"{ITEMS} time").all_text_contents()
    assert dates and all(d.endswith("2011") for d in dates), dates
    filters.get_by_label("Year").select_option("2008")
    expect(box.locator(".mg-search__status")).to_have_text("No results for “Bolden” with these filters.")
    results_page(page, archive_url, "Bolden", kind="article", year="2011")
    expect(box.locator(f"{ITEMS} .mg-search__kind")).to_have_text(["Article"])
    expect(filters.get_by_label("Year")).to_have_value("2011")


def test_filters_work_from_the_keyboard(page: Page, archive_url: str) -> None:
    results_page(page, archive_url, "Bolden")
    page.locator(PAGE_BOX).focus()
    page.keyboard.press("Tab")  # the Search button
    page.keyboard.press("Tab")  # the kinds: the checked one
    expect(page.locator("input[name='kind'][value='']")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.locator("input[name='kind'][value='article']")).to_be_checked()
    expect(page).to_have_url(re.compile(r"kind=article"))
    expect(page.locator(PAGE).locator(f"{ITEMS} .mg-search__kind").first).to_have_text("Article")


@pytest.mark.parametrize("scheme", SCHEME)
def test_results_with_excerpts_quotes_and_filters_have_no_violations(
    make_page: Callable[..., Page], archive_url: str, scheme: str
) -> None:
    page = make_page(scheme=scheme)
    box = results_page(page, archive_url, "Bolden")
    expect(box.locator(".mg-search__filters")).to_be_visible()
    expect(box.locator(QUOTES).first).to_be_visible()
    expect(box.locator(".mg-search__excerpt mark").first).to_be_visible()
    assert_no_violations(page)
    box = results_page(page, archive_url, "Boldan", kind="quote")  # typo notes, one filter chosen
    expect(box.locator(".mg-search__note").first).to_be_visible()
    assert_no_violations(page)
    page.goto(archive_url)
    search(page, "national treasures")  # the live panel with a quote
    expect(page.locator(PANEL).locator(QUOTES).first).to_be_visible()
    assert_no_violations(page)


# -- a hand-made index: the query rules ------------------------------------------------------------
def postings(weights: dict[int, Any]) -> list[Any]:
    """{doc id: weight or (weight, quote mask)} -> the index's [gap, weight, (mask), ...]."""
    out: list[Any] = []
    last = 0
    for ident in sorted(weights):
        value = weights[ident]
        weight, mask = value if isinstance(value, tuple) else (value, 0)
        out += [ident - last, -weight, mask] if mask else [ident - last, weight]
        last = ident
    return out


SHARDS: dict[str, dict[str, dict[int, Any]]] = {
    "qu": {
        "quark": {3: 5, 120: 5, 201: 1},
        "quarks": {7: 8},
        "quartz": {120: 9},
    },
    "ma": {"many": {n: 50 for n in range(0, 250, 10)}},  # 25 documents, equal: ranked by id
    "ge": {"gerald": {11: 3}, "gerold": {12: 9}},  # one edit apart
    "us": {"US": {21: 2}, "use": {22: 5}, "used": {23: 5}},
    "xi": {"xi": {31: 1}},
    "eu": {"EU": {32: 1}},
    "ال": {"السلام": {42: 3}},  # key "ال", not [a-z0-9]: its UTF-8 bytes in hex
}
DOCS = 250
KIND_RANGES = {
    "article": [0, 50],
    "person": [50, 100],
    "organization": [100, 150],
    "place": [150, 200],
    "topic": [200, 250],
}
TEXTS = {11: "Gerald spoke.", 12: "Gerold spoke.", 21: "The US said.", 22: "They use it."}


def kind_of(n: int) -> str:
    return next(kind for kind, (a, b) in KIND_RANGES.items() if a <= n < b)


@pytest.fixture(scope="module")
def synthetic(site_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real site with search-data/ replaced by SHARDS over DOCS documents; its base URL."""
    site = tmp_path_factory.mktemp("synthetic") / "site"
    shutil.copytree(site_dir, site)
    data = site / "search-data"
    shutil.rmtree(data)
    for folder in ("t", "d", "p/synthetic"):
        (data / folder).mkdir(parents=True)
    for key, terms in SHARDS.items():
        shard = {term: postings(weights) for term, weights in terms.items()}
        name = key if re.fullmatch(r"[a-z0-9]+", key) else "_" + key.encode().hex()
        (data / "t" / f"{name}.json").write_text(json.dumps(shard, ensure_ascii=False), encoding="utf-8")
    urls = [f"synthetic/{n}/" for n in range(DOCS)]
    for n in range(0, DOCS, 100):
        (data / "d" / f"{n // 100}.json").write_text(json.dumps(urls[n : n + 100]), encoding="utf-8")
    for n in range(DOCS):
        page = {
            "url": {201: "javascript:window.__mgPwned=1", 7: "https://example.org/"}.get(n, urls[n]),
            "title": f"Document {n}",
            "kind": kind_of(n),
            "date": "2024-03-05" if kind_of(n) == "article" else "",
            "text": TEXTS.get(n, f"Summary {n}: quarks, many quartz"),
            "more": "",
        }
        (data / "p" / "synthetic" / f"{n}.json").write_text(json.dumps(page), encoding="utf-8")
    meta = {
        "version": 2,
        "docs": DOCS,
        "chunk": 100,
        "shards": sorted(SHARDS),
        "kinds": KIND_RANGES,
        "years": {"2024": [0, 50]},
        "stopwords": ["a", "the", "with", "us"],
    }
    (data / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    with serve(site) as url:
        yield url


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # Exact "quark" doubles (3 and 120: 10), the prefix match "quarks" does not (7: 8); a tie by id.
        ("quark", [3, 120, 7, 201]),
        # A doc's score is its best term: 120 has quartz 9 (and quark 5), 7 quarks 8, 3 quark 5.
        ("quar", [120, 7, 3, 201]),
        # Normalised as the index: accents, a possessive, stop words and 1-letter words go; a word
        # in capitals of four letters or more is also the word; not the last word: no prefix.
        ("The QUÁRK's a", [3, 120, 201]),
        # Every word must match (AND); a word followed by a space is complete: no prefix.
        ("quark many", [120]),
        ("quar ", []),
        # A typo ranks below every exact match, whatever its weight: 12 (Gerold, 9) after 11 (3).
        ("gerald", [11, 12]),
        # Capitals are the abbreviation only; lower case finds it and the word; "us" is a stop word.
        ("US", [21]),
        ("U.S.", [21]),
        ("use", [22, 23]),
        ("Xi", [31]),
        ("E.U.", [32]),
        ("eu", [32]),
        ("السلام", [42]),
    ],
)
def test_hand_made_index_ranks_as_specified(
    page: Page, synthetic: str, query: str, expected: list[int]
) -> None:
    box = results_page(page, synthetic, query)
    if not expected:
        expect(box.locator(".mg-search__status")).to_have_text(f"No results for “{query.strip()}”.")
        return
    expect(box.locator(RESULT_LINKS)).to_have_text([f"Document {n}" for n in expected])
    typos = " some for similar spellings" if query == "gerald" else ""
    status = f"{len(expected)} result{'s' if len(expected) > 1 else ''} for “{query}”{typos and ','}{typos}"
    expect(box.locator(".mg-search__status")).to_have_text(status)


def test_only_typos_say_what_they_found(page: Page, synthetic: str) -> None:
    box = results_page(page, synthetic, "geruld")
    expect(box.locator(".mg-search__status")).to_have_text(
        "No results for “geruld”. Showing 2 results for “Gerold”"  # the first result's spelling
    )
    expect(box.locator(RESULT_LINKS)).to_have_text(["Document 12", "Document 11"])
    notes = ["similar spelling: Gerold", "similar spelling: Gerald"]
    expect(box.locator(".mg-search__note")).to_have_text(notes)


def test_an_index_url_outside_the_site_is_not_a_link(page: Page, synthetic: str) -> None:
    box = results_page(page, synthetic, "quark")
    links = box.locator(RESULT_LINKS)
    expect(links).to_have_text(["Document 3", "Document 120", "Document 7", "Document 201"])
    hrefs = links.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert all(href.startswith(synthetic) for href in hrefs[:2]), hrefs
    assert hrefs[2:] == [None, None], hrefs  # another site's address, a javascript: URL


def test_show_more_fetches_the_next_chunk_only_when_needed(page: Page, synthetic: str) -> None:
    requests = search_requests(page)
    page.goto(synthetic)
    page.fill(BOX, "many")
    panel = page.locator(PANEL)
    expect(panel.locator(".mg-search__status")).to_have_text("25 results for “many”")
    expect(panel.locator(RESULT_LINKS)).to_have_text([f"Document {n}" for n in range(0, 100, 10)])

    def fetched() -> list[str]:
        return [f for f in data_files(requests, synthetic) if not f.startswith("p/")]

    assert fetched() == ["d/0.json", "meta.json", "t/ma.json"]
    assert len([f for f in data_files(requests, synthetic) if f.startswith("p/")]) == 10  # one per result
    more = panel.get_by_role("button", name="Show more results")
    more.click()
    expect(panel.locator(RESULT_LINKS)).to_have_count(20)
    assert fetched() == ["d/0.json", "d/1.json", "meta.json", "t/ma.json"]
    expect(panel).to_be_visible()  # the click inside the panel keeps it open
    more.click()
    expect(panel.locator(RESULT_LINKS)).to_have_text([f"Document {n}" for n in range(0, 250, 10)])
    expect(more).to_be_hidden()
    expect(panel.locator(RESULT_LINKS).nth(20)).to_be_focused()  # the button went: focus stays in the list
    # Kind labels, and the date of articles in words.
    first = panel.locator(ITEMS).first
    expect(first.locator(".mg-search__kind")).to_have_text("Article")
    expect(first.locator("time")).to_have_text("5 March 2024")
    expect(first.locator("time")).to_have_attribute("datetime", "2024-03-05")
    kinds = panel.locator(f"{ITEMS} .mg-search__kind").all_text_contents()
    assert kinds[::5] == ["Article", "Person", "Organisation", "Place", "Topic"], kinds
    expect(panel.locator(ITEMS).nth(5).locator("time, .mg-search__date")).to_have_count(0)


def test_a_word_without_a_shard_fetches_no_shard(page: Page, synthetic: str) -> None:
    requests = search_requests(page)
    page.goto(synthetic)
    page.fill(BOX, "xylophone")
    expect(page.locator(PANEL).locator(".mg-search__status")).to_have_text("No results for “xylophone”.")
    assert data_files(requests, synthetic) == ["meta.json"]


def test_typing_is_debounced(page: Page, synthetic: str) -> None:
    requests = search_requests(page)
    page.goto(synthetic)
    page.locator(BOX).press_sequentially("quartz", delay=20)
    expect(page.locator(PANEL).locator(RESULT_LINKS)).to_have_text(["Document 120"])
    assert data_files(requests, synthetic) == ["d/1.json", "meta.json", "p/synthetic/120.json", "t/qu.json"]


def test_an_older_answer_never_replaces_a_newer_one(page: Page, synthetic: str) -> None:
    """The shard of "quark" arrives after the answer to "many": the results stay those of "many"."""
    held: list[Route] = []
    page.route("**/search-data/t/qu.json", lambda route: held.append(route))
    page.goto(synthetic)
    panel = page.locator(PANEL)
    page.fill(BOX, "quark")
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(20)
    assert held, "the query for 'quark' did not start"
    page.fill(BOX, "many")
    expect(panel.locator(".mg-search__status")).to_have_text("25 results for “many”")
    held[0].continue_()
    page.wait_for_timeout(500)  # the late shard has arrived and been ignored
    expect(panel.locator(".mg-search__status")).to_have_text("25 results for “many”")
    expect(panel.locator(RESULT_LINKS).first).to_have_text("Document 0")


# -- a hostile seed: markup in the index is text ----------------------------------------------------
HOSTILE = (
    "Zorblax Wire/ Officials met <img src=x onerror=window.__mgPwned=1> in Zorblax on Monday, "
    "<b>bold</b> and <script>window.__mgPwned=2</script> &amp; said so.\n\n"
    "The Zorblax council met again on Tuesday.\n"
)
HOSTILE_SIDECAR = 'title: "Zorblax <img src=x onerror=window.__mgPwned=3> summit"\ndate: 2023-04-05\n'


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    project = copy_project(tmp_path_factory.mktemp("hostile-search"))
    (project / "seeds" / "zorblax.txt").write_text(HOSTILE, encoding="utf-8")
    (project / "seeds" / "zorblax.yml").write_text(HOSTILE_SIDECAR, encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    with serve(project / "site") as url:
        yield url


def test_markup_in_the_index_is_shown_as_text(make_page: Callable[..., Page], hostile_site: str) -> None:
    page = make_page()
    page.goto(hostile_site)
    search(page, "zorblax")
    panel = page.locator(PANEL)
    article = panel.locator(ITEMS).filter(has_text="summit")
    expect(article.locator("a")).to_have_text("Zorblax <img src=x onerror=window.__mgPwned=3> summit")
    expect(article.locator(".mg-search__excerpt")).to_contain_text("<img src=x onerror=")
    expect(article.locator(".mg-search__excerpt mark").first).to_have_text("Zorblax")
    expect(article.locator("time")).to_have_text("5 April 2023")
    # Only the elements the script builds: no img, script or b from the text.
    tags = panel.evaluate("p => [...new Set([...p.querySelectorAll('*')].map(e => e.tagName))].sort()")
    assert set(tags) <= {"A", "BLOCKQUOTE", "BUTTON", "LI", "MARK", "OL", "P", "SPAN", "TIME"}, tags
    page.wait_for_timeout(200)  # an image error handler would have run by now
    assert page.evaluate("window.__mgPwned") is None
    box = results_page(page, hostile_site, "zorblax")
    expect(box.locator(RESULT_LINKS).first).to_contain_text("<img")
    assert page.locator(f"{PAGE} img").count() == 0
    assert page.evaluate("window.__mgPwned") is None


def test_the_results_page_with_filters_fits_a_phone(make_page: Callable[..., Page], archive_url: str) -> None:
    page = make_page(viewport=PHONE)
    box = results_page(page, archive_url, "Bolden")
    expect(box.locator(".mg-search__filters")).to_be_visible()
    expect(box.locator(QUOTES).first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
