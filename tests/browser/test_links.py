"""Every internal link of the served site resolves: no 404, and every #fragment exists on its page.

A crawler over HTTP (no browser needed): it starts at the home page and the sitemap, follows every
href and src under /marginalia/, records each HTML page's ids, then checks every link's target
and fragment. Links that leave the sub-path on the same server are errors (GitHub Pages would
serve another site there); links to other hosts are not fetched.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

SITE_URL = "https://marginalia-news.github.io/marginalia/"  # mkdocs.yml's default site_url
LINK_ATTRS = {
    ("a", "href"),
    ("link", "href"),
    ("script", "src"),
    ("img", "src"),
    ("source", "src"),
    ("iframe", "src"),
    ("form", "action"),
}


class PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value)
            elif (tag, name) in LINK_ATTRS:
                self.links.append(value)


@dataclass
class Crawl:
    base: str
    status: dict[str, int] = field(default_factory=dict)  # URL without fragment -> HTTP status
    ids: dict[str, set[str]] = field(default_factory=dict)  # HTML page -> its ids
    links: list[tuple[str, str]] = field(default_factory=list)  # (page, absolute target with fragment)

    def fetch(self, url: str) -> tuple[int, str, bytes]:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.status, response.headers.get_content_type(), response.read()
        except urllib.error.HTTPError as error:
            return error.code, "", b""

    def run(self, seeds: list[str]) -> None:
        queue = list(seeds)
        while queue:
            url = queue.pop()
            if url in self.status:
                continue
            status, kind, body = self.fetch(url)
            self.status[url] = status
            if status != 200 or kind != "text/html":
                continue
            parser = PageParser()
            parser.feed(body.decode("utf-8"))
            self.ids[url] = parser.ids
            for link in parser.links:
                target = urljoin(url, link)
                if urlsplit(target).scheme not in ("http", "https"):
                    continue  # mailto:, javascript:, data:
                self.links.append((url, target))
                page = urldefrag(target).url
                if page.startswith(self.base):
                    queue.append(page)

    def internal_links(self) -> Iterator[tuple[str, str]]:
        origin = self.base[: self.base.index("/", len("http://"))]
        for page, target in self.links:
            if target.startswith(origin):
                yield page, target


def sitemap_pages(base: str, site: Path) -> list[str]:
    """The sitemap's page URLs (written with site_url), mapped onto the local server."""
    locs = re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8"))
    assert locs, "sitemap.xml lists no pages: is site_url set?"
    assert all(loc.startswith(SITE_URL) for loc in locs), locs[:3]
    return [base + loc.removeprefix(SITE_URL) for loc in locs]


@pytest.fixture(scope="module")
def crawl(base_url: str, site_dir: Path) -> Crawl:
    crawl = Crawl(base_url)
    crawl.run([base_url, *sitemap_pages(base_url, site_dir)])
    return crawl


def test_every_internal_link_resolves(crawl: Crawl) -> None:
    broken = sorted(
        {
            (target, page)
            for page, target in crawl.internal_links()
            if crawl.status.get(urldefrag(target).url, 404) != 200
        }
    )
    assert not broken, "broken links (target, found on):\n" + "\n".join(f"{t}  <- {p}" for t, p in broken)


def test_every_fragment_exists_on_its_page(crawl: Crawl) -> None:
    checked, missing = 0, []
    for page, target in crawl.internal_links():
        url, fragment = urldefrag(target)
        if not fragment or url not in crawl.ids:
            continue
        checked += 1
        if fragment not in crawl.ids[url]:
            missing.append(f"{target}  <- {page}")
    assert not missing, "links to missing fragments:\n" + "\n".join(sorted(set(missing)))
    paragraph_links = [t for _, t in crawl.internal_links() if re.search(r"#p-\d+$", t)]
    assert checked and paragraph_links, "no fragment links were checked: has the article page changed?"


def test_every_built_page_is_reached(crawl: Crawl, site_dir: Path) -> None:
    built = {
        crawl.base + p.relative_to(site_dir).as_posix().removesuffix("index.html")
        for p in site_dir.rglob("*.html")
        if p.name != "404.html"
    }
    unreached = sorted(built - {url for url, status in crawl.status.items() if status == 200})
    assert not unreached, unreached
    assert crawl.base + "articles/taliban-israel/" in crawl.ids


def test_search_index_locations_resolve(crawl: Crawl, site_dir: Path) -> None:
    """Search results link to the URLs of the index's chunks: each must be a built page, with its
    page file. meta.json lists the shards the script may fetch: each must exist (no 404 from a query)."""
    data = site_dir / "search-data"
    meta = json.loads((data / "meta.json").read_text(encoding="utf-8"))
    urls = []
    for n in range(-(-meta["docs"] // meta["chunk"])):
        urls += json.loads((data / "d" / f"{n}.json").read_text(encoding="utf-8"))
    assert len(urls) == meta["docs"] > 0, (len(urls), meta["docs"])
    missing = []
    for url in urls:
        page = crawl.base + url
        if urlsplit(page).query or urldefrag(page).fragment or page not in crawl.ids:
            status, _, _ = crawl.fetch(page)
            missing.append(f"{url} (HTTP {status})")
        if not (data / "p" / f"{url.strip('/')}.json").is_file():
            missing.append(f"{url} (no page file)")
    assert not missing, missing
    absent = [key for key in meta["shards"] if not (data / "t" / f"{key}.json").is_file()]
    assert not absent, absent
    assert crawl.status.get(crawl.base + "search/") == 200  # the search page, reached by the form
