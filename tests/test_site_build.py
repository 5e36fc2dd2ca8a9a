"""A real strict MkDocs build of a temporary copy of the project, checked on the built pages."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

from projectkit import mkdocs_build


class Collector(HTMLParser):
    """Text of the elements whose class list contains a wanted class."""

    def __init__(self, wanted: str) -> None:
        super().__init__()
        self.wanted, self.depth, self.found, self.stack = wanted, 0, [], []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if self.depth or self.wanted in classes:
            self.depth += 1
            if self.depth == 1:
                self.stack.append("")

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1
            if self.depth == 0:
                self.found.append(self.stack.pop().strip())

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.stack[-1] += data


def texts(html: str, css_class: str) -> list[str]:
    parser = Collector(css_class)
    parser.feed(html)
    return parser.found


def article_html(project: Path) -> str:
    return (project / "site" / "articles" / "taliban-israel" / "index.html").read_text(encoding="utf-8")


def test_article_page_has_three_sidebars(built_project: Path) -> None:
    html = article_html(built_project)
    for sidebar in ("mg-quotes", "mg-people", "mg-background"):
        assert f'class="mg-sidebar {sidebar}"' in html
    quotes = texts(html, "mg-quote")
    assert len(quotes) == 5
    assert "Muhammad Naeem" in quotes[3] and "Zabihullah Mujahid" in quotes[4]
    assert all("Afghan source" in q for q in quotes[:3])
    people = texts(html, "mg-person")
    assert any("Zabihullah Mujahid" in p and "the Taliban’s spokesperson" in p for p in people)
    assert any("Muhammad Naeem" in p and "Political Office" in p for p in people)
    assert len(texts(html, "mg-para")) == 17
    assert 'href="#p-17"' in html and 'id="p-17"' in html


def test_search_index_has_article_quotes_and_people(built_project: Path) -> None:
    """The site's search-data/ (build_tools/search/) finds the article by the words of a quote and
    of its people, and lists the person's page."""
    data = built_project / "site" / "search-data"
    meta = json.loads((data / "meta.json").read_text(encoding="utf-8"))
    urls = []
    for n in range(-(-meta["docs"] // meta["chunk"])):
        urls += json.loads((data / "d" / f"{n}.json").read_text(encoding="utf-8"))
    assert "articles/taliban-israel/" in urls, "the article is not in the search index"
    assert "people/zabihullah-mujahid/" in urls

    def docs_with(term: str) -> set[str]:
        key = max((k for k in meta["shards"] if term.startswith(k)), key=len)
        flat = json.loads((data / "t" / f"{key}.json").read_text(encoding="utf-8")).get(term, [])
        ids, ident, i = set(), 0, 0
        while i < len(flat):  # [id gap, weight, ...]; a negative weight is followed by a quote mask
            ident += flat[i]
            ids.add(urls[ident])
            i += 3 if flat[i + 1] < 0 else 2
        return ids

    # words of a quote (stemmed: "problem", "israel"), a name (as written), a role
    for term in ["problem", "israel", "zabihullah", "mujahid", "spokesperson"]:
        assert "articles/taliban-israel/" in docs_with(term), term


def test_home_lists_the_article(built_project: Path) -> None:
    home = (built_project / "site" / "index.html").read_text(encoding="utf-8")
    assert 'href="articles/taliban-israel/"' in home


def test_second_build_is_byte_identical(built_project: Path) -> None:
    page = article_html(built_project)
    content = {p: p.read_bytes() for p in sorted((built_project / "content").rglob("*")) if p.is_file()}
    result = mkdocs_build(built_project)
    assert result.returncode == 0, result.stderr
    assert article_html(built_project) == page
    assert content == {
        p: p.read_bytes() for p in sorted((built_project / "content").rglob("*")) if p.is_file()
    }


def test_strict_build_prints_no_warning(built_project: Path) -> None:
    result = mkdocs_build(built_project)
    assert result.returncode == 0
    assert "WARNING" not in result.stderr, result.stderr
