"""The archive's search (overrides/assets/search.js), typed into as a reader would.

Three sites: the session's real build (the seed article); a copy of it whose search-data/ is a
hand-made index, to pin the query rules (prefixes, exact matches, AND, ranking, chunks, "Show
more"); and a real build with a hostile seed, whose markup must stay text in the results.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browserkit import OUTSIDE
from playwright.sync_api import Browser, Locator, Page, Route, expect
from projectkit import copy_project, mkdocs_build
from siteserver import serve

BOX = "#mg-search-input"  # the header's search box, on every page
PANEL = "#mg-search-panel"
PAGE_BOX = "#mg-search-page-input"  # the search page's own box
RESULT_LINKS = "ol.mg-search__results > li.mg-search__result > a.mg-search__link"


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


def result_paths(links: Locator, base_url: str) -> list[str]:
    hrefs = links.evaluate_all("links => links.map(a => a.href)")
    assert all(href.startswith(base_url) for href in hrefs), hrefs
    return [urlsplit(href.removeprefix(base_url)).path for href in hrefs]


def search_requests(page: Page) -> list[str]:
    """Every request the page makes from now on (its URL), to compare with what a query needs."""
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    return requests


# -- the real site -------------------------------------------------------------------------------
def test_searching_a_name_lists_the_article_and_the_person(page: Page, base_url: str) -> None:
    page.goto(base_url)
    links = search(page, "Mujahid")
    paths = result_paths(links, base_url)
    assert "articles/taliban-israel/" in paths, paths
    assert "people/zabihullah-mujahid/" in paths, paths
    expect(page.locator(PANEL).locator(".mg-search__status")).to_have_text(
        f"{len(paths)} results for “Mujahid”"
    )
    person = page.locator(PANEL).locator("li.mg-search__result").filter(has_text="Zabihullah Mujahid")
    expect(person.locator(".mg-search__kind")).to_have_text("Person")
    # The person's result leads to their page.
    links.filter(has_text="Zabihullah Mujahid").first.click()
    expect(page).to_have_url(re.compile(r"/marginalia/people/zabihullah-mujahid/$"))
    expect(page.locator("article h1")).to_have_text("Zabihullah Mujahid")


def test_searching_a_phrase_from_a_quote_finds_the_article(page: Page, base_url: str) -> None:
    page.goto(base_url)
    links = search(page, "dialogue with Mars")
    assert "articles/taliban-israel/" in result_paths(links, base_url)
    article = links.filter(has_text="Taliban faction open to ties").first
    expect(article).to_be_visible()
    item = page.locator(PANEL).locator("li.mg-search__result").filter(has_text="Taliban faction open to ties")
    expect(item.locator(".mg-search__kind")).to_have_text("Article")
    expect(item.locator(".mg-search__date")).to_be_visible()  # articles show their date (or "undated")
    article.click()
    expect(page).to_have_url(re.compile(r"/marginalia/articles/taliban-israel/$"))


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


def test_query_words_are_highlighted_in_the_summary(page: Page, base_url: str) -> None:
    page.goto(base_url)
    search(page, "austere islamist")
    summary = page.locator(PANEL).locator(".mg-search__summary").first
    expect(summary).to_contain_text("most austere Islamist regimes")
    expect(summary.locator("mark")).to_have_text(["austere", "Islamist"])


def test_the_search_page_shows_the_results_of_q(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}search/?q=Mujahid")
    expect(page.locator("article h1")).to_have_text(re.compile(r"^Search\W*$"))
    expect(page.locator(PAGE_BOX)).to_have_value("Mujahid")
    results = page.locator(".mg-search-page")
    expect(results.locator(".mg-search__status")).to_have_text(count("Mujahid"))
    paths = result_paths(results.locator(RESULT_LINKS), base_url)
    assert {"articles/taliban-israel/", "people/zabihullah-mujahid/"} <= set(paths), paths
    expect(page.locator(PANEL)).to_be_hidden()  # the header's panel stays closed
    # A new query on the page searches in place and keeps the address shareable.
    page.fill(PAGE_BOX, "Naeem")
    expect(results.locator(RESULT_LINKS).filter(has_text="Muhammad Naeem").first).to_be_visible()
    expect(page).to_have_url(f"{base_url}search/?q=Naeem")


@pytest.mark.parametrize("query", ["zzyzx", "mujahidx", "Mujahid zzyzx"])
def test_a_query_without_a_match_says_so(page: Page, base_url: str, query: str) -> None:
    """No shard for the word, a shard without the term, one word of two unmatched: no results."""
    page.goto(base_url)
    page.fill(BOX, query)
    panel = page.locator(PANEL)
    expect(panel.locator(".mg-search__status")).to_have_text(f"No results for “{query}”.")
    expect(panel.locator("li")).to_have_count(0)
    page.goto(f"{base_url}search/?q={query}")
    expect(page.locator(".mg-search-page .mg-search__status")).to_have_text(f"No results for “{query}”.")


def test_a_query_of_common_words_says_so(page: Page, base_url: str) -> None:
    page.goto(base_url)
    page.fill(BOX, "the a")
    status = page.locator(PANEL).locator(".mg-search__status")
    expect(status).to_have_text("“the a” is too short or too common to search for.")


def test_the_first_query_fetches_only_what_it_needs(page: Page, base_url: str) -> None:
    """meta.json, the word's shard and the results' chunk: never a file of the whole archive."""
    page.goto(base_url)
    requests = search_requests(page)
    search(page, "Mujahid")
    data = f"{base_url}search-data/"
    fetched = sorted(url.removeprefix(data) for url in requests if url.startswith(data))
    assert fetched == ["d/0.json", "meta.json", "t/mu.json"], requests
    whole = [url for url in requests if re.search(r"/search/search_index\.json|lunr|worker|pagefind", url)]
    assert not whole, whole
    # A second query fetches only its new shards: the rest is cached.
    requests.clear()
    search(page, "dialogue Mars")
    fetched = sorted(url.removeprefix(data) for url in requests if url.startswith(data))
    assert fetched == ["t/di.json", "t/ma.json"], requests


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
    expect(page.locator(PANEL).locator(RESULT_LINKS).first).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator(PANEL)).to_be_hidden()
    expect(page.locator(BOX)).to_be_focused()
    expect(page.locator(BOX)).to_have_value("Mujahid")  # Escape closes, it does not clear
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{base_url}search/?q=Mujahid")
    expect(page.locator(".mg-search-page").locator(RESULT_LINKS).first).to_be_visible()
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


# -- a hand-made index: the query rules ------------------------------------------------------------
def postings(weights: dict[int, int]) -> list[int]:
    """{doc id: weight} -> the index's [gap, weight, ...], ids ascending."""
    out, last = [], 0
    for ident in sorted(weights):
        out += [ident - last, weights[ident]]
        last = ident
    return out


SHARDS = {
    "qu": {
        "quark": {3: 5, 120: 5, 201: 1},
        "quarks": {7: 8},
        "quartz": {120: 9},
    },
    "ma": {"many": {n: 50 for n in range(0, 250, 10)}},  # 25 documents, equal: ranked by id
    "_d8a7d984": {"السلام": {42: 3}},  # key "ال", not [a-z0-9]: its UTF-8 bytes in hex
}
DOCS = 250
KINDS = ["article", "person", "organization", "place", "topic"]


@pytest.fixture(scope="module")
def synthetic(site_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real site with search-data/ replaced by SHARDS over DOCS documents; its base URL."""
    site = tmp_path_factory.mktemp("synthetic") / "site"
    shutil.copytree(site_dir, site)
    data = site / "search-data"
    real = json.loads((data / "d" / "0.json").read_text(encoding="utf-8"))
    shutil.rmtree(data)
    (data / "t").mkdir(parents=True)
    (data / "d").mkdir()
    for key, terms in SHARDS.items():
        shard = {term: postings(weights) for term, weights in terms.items()}
        (data / "t" / f"{key}.json").write_text(json.dumps(shard, ensure_ascii=False), encoding="utf-8")
    kinds = [KINDS[(n // 10) % len(KINDS)] for n in range(DOCS)]  # 0: article, 10: person, ...
    rows = [
        [
            real[n % len(real)][0],
            f"Document {n}",
            kinds[n],
            "2024-03-05" if kinds[n] == "article" else "",
            f"Summary {n}: quarks, many quartz",
        ]
        for n in range(DOCS)
    ]
    rows[201][0] = "javascript:window.__mgPwned=1"  # an index is untrusted: only links into the site
    rows[7][0] = "https://example.org/"
    for n in range(0, DOCS, 100):
        (data / "d" / f"{n // 100}.json").write_text(json.dumps(rows[n : n + 100]), encoding="utf-8")
    meta = {
        "version": 1,
        "docs": DOCS,
        "chunk": 100,
        "prefix": 2,
        "shards": sorted(SHARDS),
        "stopwords": ["a", "the", "with"],
    }
    (data / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    with serve(site) as url:
        yield url


def titles(scope: Locator) -> list[str]:
    return scope.locator(RESULT_LINKS).all_inner_texts()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # Exact "quark" doubles (3 and 120: 10), the prefix match "quarks" does not (7: 8); a tie by id.
        ("quark", [3, 120, 7, 201]),
        # A doc's score is its best term: 120 has quartz 9 (and quark 5), 7 quarks 8, 3 quark 5.
        ("quar", [120, 7, 3, 201]),
        # Normalised as the index: accents, a possessive, capitals, stopwords and 1-letter words go.
        ("The QUÁRK's a", [3, 120, 7, 201]),
        # Every word must match (AND).
        ("quark many", [120]),
        ("السلام", [42]),
    ],
)
def test_hand_made_index_ranks_as_specified(
    page: Page, synthetic: str, query: str, expected: list[int]
) -> None:
    page.goto(f"{synthetic}search/?q={query}")
    results = page.locator(".mg-search-page")
    status = f"{len(expected)} result{'s' if len(expected) > 1 else ''} for “{query}”"
    expect(results.locator(".mg-search__status")).to_have_text(status)
    expect(results.locator(RESULT_LINKS)).to_have_text([f"Document {n}" for n in expected])


def test_an_index_url_outside_the_site_is_not_a_link(page: Page, synthetic: str) -> None:
    page.goto(f"{synthetic}search/?q=quark")
    links = page.locator(".mg-search-page").locator(RESULT_LINKS)
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
    data = f"{synthetic}search-data/"

    def fetched() -> list[str]:
        return sorted(u.removeprefix(data) for u in requests if u.startswith(data))

    assert fetched() == ["d/0.json", "meta.json", "t/ma.json"]
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
    first = panel.locator("li.mg-search__result").first
    expect(first.locator(".mg-search__kind")).to_have_text("Article")
    expect(first.locator("time")).to_have_text("5 March 2024")
    expect(first.locator("time")).to_have_attribute("datetime", "2024-03-05")
    kinds = panel.locator("li.mg-search__result .mg-search__kind").all_text_contents()
    assert kinds[:5] == ["Article", "Person", "Organisation", "Place", "Topic"], kinds
    expect(panel.locator("li.mg-search__result").nth(1).locator("time, .mg-search__date")).to_have_count(0)


def test_a_word_without_a_shard_fetches_no_shard(page: Page, synthetic: str) -> None:
    requests = search_requests(page)
    page.goto(synthetic)
    page.fill(BOX, "xylophone")
    expect(page.locator(PANEL).locator(".mg-search__status")).to_have_text("No results for “xylophone”.")
    data = f"{synthetic}search-data/"
    assert [u.removeprefix(data) for u in requests if u.startswith(data)] == ["meta.json"]


def test_typing_is_debounced(page: Page, synthetic: str) -> None:
    requests = search_requests(page)
    page.goto(synthetic)
    page.locator(BOX).press_sequentially("quartz", delay=20)
    expect(page.locator(PANEL).locator(RESULT_LINKS)).to_have_text(["Document 120"])
    data = f"{synthetic}search-data/"
    assert sorted(u.removeprefix(data) for u in requests if u.startswith(data)) == [
        "d/1.json",
        "meta.json",
        "t/qu.json",
    ]


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
    article = panel.locator("li.mg-search__result").filter(has_text="summit")
    expect(article.locator("a")).to_have_text("Zorblax <img src=x onerror=window.__mgPwned=3> summit")
    expect(article.locator(".mg-search__summary")).to_contain_text("<img src=x onerror=")
    expect(article.locator(".mg-search__summary mark").first).to_have_text("Zorblax")
    expect(article.locator("time")).to_have_text("5 April 2023")
    # Only the elements the script builds: no img, script or b from the text.
    tags = panel.evaluate("p => [...new Set([...p.querySelectorAll('*')].map(e => e.tagName))].sort()")
    assert tags == ["A", "BUTTON", "LI", "MARK", "OL", "P", "SPAN", "TIME"], tags
    page.wait_for_timeout(200)  # an image error handler would have run by now
    assert page.evaluate("window.__mgPwned") is None
    page.goto(f"{hostile_site}search/?q=zorblax")
    expect(page.locator(".mg-search-page").locator(RESULT_LINKS).first).to_contain_text("<img")
    assert page.locator(".mg-search-page img").count() == 0
    assert page.evaluate("window.__mgPwned") is None
