"""Hostile and unusual input through a real MkDocs build of a temporary project (issue 5).

Markup in an article or a sidecar must appear literally on the page and never execute or
restructure it; unusual text must give a correct page; a bad seed is reported and skipped
(`mkdocs build --strict` fails on it); two builds give byte-identical content/ and site/.
The checks read the built HTML with html.parser: text is compared after unescaping, so a
`<script>` that shows as text passes and one that became an element fails.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import subprocess
import sys
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from projectkit import copy_project, mkdocs_build

# -- the hostile project ----------------------------------------------------------------------------
ARTICLE = [
    'Hostile Wire/ Officials met <script>alert("article")</script> in <img src=x onerror=alert(2)> '
    "Kabul <!-- hidden comment --> on Monday, {{ config.site_name }} and {% include 'x.html' %} said.",
    "# Not a heading",
    "* not a list item",
    "[click me](javascript:alert(3)) and `code` and ```fence``` and **not bold** and _not em_",
    "| a | b | |---|---| | 1 | 2 |",  # a table, joined into one paragraph as a soft-wrapped block
    "---",
    '--8<-- "mkdocs.yml"',
    '<div markdown="1">*not markdown*</div> &amp; &lt;b&gt; \\*escaped\\* {: .injected-class }',
    "“Our <b>plan</b> & <script>steal()</script> stays,” said Omar Haidari, "
    "a <i>minister</i> of {{ state }}.",
]
SIDECAR = """\
title: "<script>alert('title')</script> # Not: a \\"heading\\" {{ x }} & more"
byline: "<img src=x onerror=alert('byline')>"
source: "{% raw %}Evil{% endraw %} Wire"
url: https://example.org/story?a=1&b=2
tags: ["<b>tag</b>", "a: b"]
speakers:
  1: "<svg onload=alert('speaker')> Omar Haidari"
notes:
  - "<iframe src=javascript:alert('note')></iframe>"
  - "---"
  - "[x](javascript:alert('n')) {{ y }}"
"""
TEXT_CASES = {
    "guillemets": "PARIS — Le ministre a parlé lundi.\n\n"
    "«Nous resterons ici tant qu'il le faudra», a déclaré le ministre Jean Dupont.\n",
    "low-high-quotes": "BERLIN — The mayor spoke on Monday.\n\n"
    "„We will rebuild the bridge before winter,“ said Mayor Anna Schmidt.\n",
    "single-as-double": "LONDON — The council met on Monday.\n\n"
    "‘We cannot keep every library open next year,’ said Councillor Jane Brown.\n",
    "unbalanced": "KABUL — “The talks will resume, said an official.\n\nNo date was given » for them.\n",
    "right-to-left": "JERUSALEM — The sign read שלום עליכם and السلام عليكم in two scripts.\n\n"
    "\u202eReversed override text without its pop.\n",
    "emoji-combining": "Fans cheered 🎉👩🏽‍💻 as Zoe\u0308 and Jose\u0301 arrived; Z̵̧͝a̷l̸g̶o text too.\n",
    "no-speaker": "KABUL — Traders counted their losses.\n\n"
    "“Nobody knows what happens next in the valley.”\n",
    "nothing": "The river rose two metres overnight.\n\nRoads were closed for the morning.\n",
}
NAMES = {
    "Café Société.txt": "cafe-societe",
    "Новости дня.txt": "новости-дня",
    "UPPER Case Name.txt": "upper-case-name",
}


def mkdocs_lenient(project: Path) -> subprocess.CompletedProcess[str]:
    """`mkdocs build` without --strict: bad seeds are reported and skipped, the rest published."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--no-strict"],
        cwd=project, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    project = copy_project(tmp_path_factory.mktemp("hostile"))
    seeds = project / "seeds"
    (seeds / "hostile.txt").write_text("\n\n".join(ARTICLE) + "\n", encoding="utf-8")
    (seeds / "hostile.yml").write_text(SIDECAR, encoding="utf-8")
    for slug, text in TEXT_CASES.items():
        (seeds / f"{slug}.txt").write_text(text, encoding="utf-8")
    for name in NAMES:
        (seeds / name).write_text(TEXT_CASES["nothing"], encoding="utf-8")
    (seeds / "windows.txt").write_bytes("“Curly” café text from Windows.\r\n".encode("cp1252"))
    (seeds / "utf16.txt").write_bytes(
        codecs.BOM_UTF16_LE + "A UTF-16 article, with a BOM.".encode("utf-16-le")
    )
    (seeds / "broken.txt").write_bytes(b"binary \x00\x01\x02 junk")
    (seeds / "cafe-societe.txt").write_text("Same slug as Café Société.\n", encoding="utf-8")
    (project / "outside.txt").write_text("Outside the seeds folder.\n", encoding="utf-8")
    (seeds / "linked.txt").symlink_to(project / "outside.txt")
    result = mkdocs_lenient(project)
    assert result.returncode == 0, result.stderr
    return project, result


def page(project: Path, slug: str) -> str:
    return (project / "site" / "articles" / slug / "index.html").read_text(encoding="utf-8")


# -- a small element tree of the built page ------------------------------------------------------------
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node] = field(default_factory=list)
    text: str = ""  # all text inside, unescaped

    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.walk()

    def find(self, tag: str | None = None, cls: str | None = None) -> list[Node]:
        return [
            n for n in self.walk() if (tag is None or n.tag == tag) and (cls is None or cls in n.classes())
        ]


class TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        for node in self.stack:
            node.text += data


def tree(text: str) -> Node:
    builder = TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


def one(nodes: list[Node]) -> Node:
    assert len(nodes) == 1, [n.tag for n in nodes]
    return nodes[0]


def assert_nothing_injected(doc: Node, raw: str) -> None:
    """No element or attribute of ours can run script: handlers, javascript: links, foreign tags."""
    for node in doc.walk():
        assert not [k for k in node.attrs if k.startswith("on")], (node.tag, node.attrs)
        assert not any(v.strip().lower().startswith("javascript:") for v in node.attrs.values()), node.attrs
        assert node.tag not in {"iframe", "img", "object", "embed"}, node.tag
        assert "injected-class" not in node.classes()
        if node.tag == "script" and node.attrs.get("type") != "application/ld+json":
            assert "alert" not in node.text and "steal" not in node.text, node.text[:200]
        if node.tag == "script" and node.attrs.get("type") == "application/ld+json":
            json.loads(node.text)  # still one JSON value: nothing closed the <script> early
    assert "site_name: Marginalia" not in raw  # the snippet line was not included
    for svg in doc.find("svg"):
        assert "onload" not in svg.attrs


# -- markup stays text ----------------------------------------------------------------------------------
def reading(paragraph: Node) -> str:
    """A paragraph's text as the article has it: without the numbers and labels of its quote marks."""
    text = paragraph.text
    for ref in paragraph.find("a", "mg-qref"):
        text = text.replace(ref.text, "", 1)
    return text


def test_markup_in_an_article_and_its_sidecar_appears_literally(hostile: tuple[Path, object]) -> None:
    project, _ = hostile
    raw = page(project, "hostile")
    doc = tree(raw)
    assert_nothing_injected(doc, raw)
    paragraphs = doc.find("p", "mg-para")
    expected = [ARTICLE[0].removeprefix("Hostile Wire/ "), *ARTICLE[1:]]
    assert [reading(p) for p in paragraphs] == expected
    ours = {("span", "mg-said"), ("span", "mg-said-end"), ("a", "mg-qref"), ("span", "mg-qref__n")}
    ours |= {("span", "mg-qref__who"), ("bdi", "")}
    inside = {(n.tag, " ".join(n.classes())) for p in paragraphs for n in p.walk() if n is not p}
    assert inside <= ours, "article text never creates an element: only the quote marks we write"
    refs = [one(p.find("span", "mg-qref__who")).text for p in paragraphs if p.find("a", "mg-qref")]
    assert refs and all(r.startswith("Quote ") for r in refs), refs
    text = one(doc.find(cls="mg-text"))
    assert [c.tag for c in text.children] == ["p"] * len(ARTICLE)
    for tag in ("table", "hr", "code", "strong", "em", "ul"):
        assert not text.find(tag), tag


def test_sidecar_values_appear_literally_in_title_heading_dateline_and_sidebars(
    hostile: tuple[Path, object],
) -> None:
    project, _ = hostile
    doc = tree(page(project, "hostile"))
    title = "<script>alert('title')</script> # Not: a \"heading\" {{ x }} & more"
    assert one(doc.find("h1")).text.strip() == title
    dateline = one(doc.find("p", "mg-dateline")).text
    assert "{% raw %}Evil{% endraw %} Wire" in dateline and "<img src=x onerror=alert('byline')>" in dateline
    notes = [n.text.removesuffix("Editor’s note") for n in doc.find("li", "mg-note")]
    assert notes == [
        "<iframe src=javascript:alert('note')></iframe>",
        "---",
        "[x](javascript:alert('n')) {{ y }}",
    ]
    speaker = one(doc.find(cls="mg-speaker"))
    assert speaker.text == "<svg onload=alert('speaker')> Omar Haidari" and speaker.children == []
    assert one(doc.find("q")).text == "Our <b>plan</b> & <script>steal()</script> stays,"


def test_the_browser_tab_shows_the_title_as_text(hostile: tuple[Path, object]) -> None:
    project, _ = hostile
    title = "<script>alert('title')</script> # Not: a \"heading\" {{ x }} & more"
    assert one(tree(page(project, "hostile")).find("title")).text == f"{title} - Marginalia"


def test_the_description_meta_holds_the_lede_as_text(hostile: tuple[Path, object]) -> None:
    project, _ = hostile
    doc = tree(page(project, "hostile"))
    meta = [n for n in doc.find("meta") if n.attrs.get("name") == "description"]
    assert one(meta).attrs["content"].startswith('Officials met <script>alert("article")</script>')


def test_the_search_index_keeps_markup_as_plain_text(hostile: tuple[Path, object]) -> None:
    """The search shows the index's titles and texts as text (overrides/assets/search.js, and
    tests/browser/test_search.py): the index holds them as written, not escaped, and its words
    are words, never a piece of markup."""
    project, _ = hostile
    data = project / "site" / "search-data"
    page = json.loads((data / "p" / "articles" / "hostile.json").read_text("utf-8"))
    assert page["title"].startswith("<script>alert('title')</script>"), page["title"]
    assert "&lt;" not in page["title"], page["title"]
    assert "“Our <b>plan</b> & <script>steal()</script> stays,”" in page["text"]  # as written, unescaped
    for path in (data / "t").glob("*.json"):
        terms = json.loads(path.read_text("utf-8"))
        assert not [term for term in terms if re.search(r"[<>&\"'=/]", term)], path.name


@pytest.mark.parametrize("section", ["people", "tags"])
def test_pages_made_from_sidecar_names_show_them_as_text(hostile: tuple[Path, object], section: str) -> None:
    project, _ = hostile
    pages = [p for p in (project / "site" / section).rglob("index.html") if p.parent.name != section]
    assert pages
    for path in pages:
        raw = path.read_text(encoding="utf-8")
        assert_nothing_injected(tree(raw), raw)
        assert "<svg onload" not in raw and "<b>tag</b>" not in raw, path


# -- unusual text gives a correct page ----------------------------------------------------------------
def quotes_of(doc: Node) -> list[str]:
    return [one(li.find("q")).text for li in doc.find("li", "mg-quote")]


@pytest.mark.parametrize("slug", list(TEXT_CASES))
def test_unusual_text_gives_a_page_with_the_text_exactly(hostile: tuple[Path, object], slug: str) -> None:
    project, _ = hostile
    doc = tree(page(project, slug))
    body = unicodedata.normalize("NFC", TEXT_CASES[slug])
    paragraphs = [reading(p) for p in doc.find("p", "mg-para")]
    assert paragraphs == [p.strip() for p in body.split("\n\n") if p.strip()]
    assert all(p.attrs.get("dir") == "auto" for p in doc.find("p", "mg-para"))
    for quote in quotes_of(doc):
        assert quote in body


def test_guillemets_and_low_high_quotes_are_found_with_their_speakers(hostile: tuple[Path, object]) -> None:
    project, _ = hostile
    assert quotes_of(tree(page(project, "guillemets"))) == ["Nous resterons ici tant qu'il le faudra"]
    doc = tree(page(project, "low-high-quotes"))
    assert quotes_of(doc) == ["We will rebuild the bridge before winter,"]
    assert "Anna Schmidt" in one(doc.find(cls="mg-speaker")).text


def test_a_quote_with_no_speaker_is_flagged_for_review(hostile: tuple[Path, object]) -> None:
    project, _ = hostile
    doc = tree(page(project, "no-speaker"))
    item = one(doc.find("li", "mg-quote"))
    assert one(item.find("q")).text == "Nobody knows what happens next in the valley."
    assert one(item.find(cls="mg-attribution")).text == "Speaker not identified"
    assert one(item.find(cls="mg-cue--review")).text == "needs review"


def test_an_article_with_no_quotes_and_no_people_says_so(hostile: tuple[Path, object]) -> None:
    project, _ = hostile
    doc = tree(page(project, "nothing"))
    empty = [n.text for n in doc.find("p", "mg-empty")]
    assert "No direct quotes in this article." in empty and "No people named in this article." in empty


def test_right_to_left_text_is_isolated_in_its_element(hostile: tuple[Path, object]) -> None:
    project, _ = hostile
    raw = page(project, "right-to-left")
    assert 'dir="auto">JERUSALEM — The sign read שלום עליכם and السلام عليكم in two scripts.</p>' in raw
    assert 'dir="auto">\u202eReversed override text without its pop.</p>' in raw


# -- names, encodings and bad seeds in the same build ---------------------------------------------------
def test_file_names_with_spaces_accents_and_other_scripts_are_published(hostile: tuple[Path, object]) -> None:
    project, _ = hostile
    for slug in NAMES.values():
        assert (project / "site" / "articles" / slug / "index.html").is_file(), slug


def test_utf16_and_windows_1252_seeds_are_published_with_a_warning_for_1252(
    hostile: tuple[Path, object],
) -> None:
    project, result = hostile
    assert one(tree(page(project, "utf16")).find("p", "mg-para")).text == "A UTF-16 article, with a BOM."
    assert one(tree(page(project, "windows")).find("p", "mg-para")).text == "“Curly” café text from Windows."
    assert re.search(r"WARNING .*windows\.txt: not UTF-8; decoded as Windows-1252", result.stderr)


def test_bad_seeds_are_reported_by_name_and_skipped(hostile: tuple[Path, object]) -> None:
    project, result = hostile
    errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
    assert any("broken.txt" in e and "NUL" in e for e in errors), result.stderr
    assert any("Café Société.txt" in e and "cafe-societe.txt" in e for e in errors), result.stderr
    assert any("linked.txt" in e and "symbolic link" in e for e in errors), result.stderr
    assert not (project / "site" / "articles" / "broken").exists()
    assert not (project / "site" / "articles" / "linked").exists()
    assert (project / "site" / "articles" / "taliban-israel" / "index.html").is_file()


def test_strict_mkdocs_build_fails_on_a_bad_seed(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    (project / "seeds" / "broken.txt").write_bytes(b"\xff\xfe\x00binary")
    result = mkdocs_build(project)
    assert result.returncode != 0
    assert "broken.txt" in result.stderr


# -- determinism ------------------------------------------------------------------------------------
def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_two_builds_give_byte_identical_content_and_site(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # MkDocs stamps the build date into sitemap.xml (<lastmod>) and sitemap.xml.gz (gzip mtime);
    # SOURCE_DATE_EPOCH fixes it, so a build on another day is byte-identical too.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = copy_project(tmp_path_factory.mktemp("first"))
    assert mkdocs_build(first).returncode == 0
    content, site = snapshot(first / "content"), snapshot(first / "site")
    assert mkdocs_build(first).returncode == 0
    assert snapshot(first / "content") == content
    assert snapshot(first / "site") == site
    second = copy_project(tmp_path_factory.mktemp("second-checkout"))
    assert mkdocs_build(second).returncode == 0
    assert snapshot(second / "content") == content
    assert snapshot(second / "site") == site
    assert b"<lastmod>2023-11-14</lastmod>" in site["sitemap.xml"]


# -- size ---------------------------------------------------------------------------------------------
def test_a_fifty_thousand_character_line_is_extracted_and_rendered(tmp_path: Path, nlp: object) -> None:
    from build_tools import pipeline, render, site

    lede = " ".join((Path(__file__).parent.parent / "seeds" / "taliban-israel.txt").read_text().split())
    seed = tmp_path / "one-line.txt"
    seed.write_text(((lede + " ") * 20)[:50_000], encoding="utf-8")
    started = time.monotonic()
    doc, _ = pipeline.read_one(seed, nlp)
    page = render.render(doc, known=site.urls([doc]))
    assert time.monotonic() - started < 60
    assert len(doc.article.paragraphs) == 1 and len(doc.article.text) > 49_000
    assert doc.extraction.quotes and all(q.text in doc.article.text for q in doc.extraction.quotes)
    assert page.count('class="mg-para"') == 1
