"""Properties over random articles and random sidecars (issue 5), with the real spaCy model.

- the pipeline raises nothing but MarginaliaError subclasses;
- every extracted quote is a substring of the article, at its span;
- the front matter parses back (python-frontmatter and MkDocs' own reader) to the same values;
- the body holds only the elements the renderer writes: article and sidecar text never make one.
"""

from __future__ import annotations

import dataclasses
import datetime
import html
from html.parser import HTMLParser
from typing import Any

import frontmatter
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from mkdocs.utils import meta as mkdocs_meta

from build_tools import editorial, ingest, patterns, pipeline, render
from build_tools.errors import MarginaliaError
from build_tools.extract import extract
from build_tools.model import Corrections, Document
from build_tools.textutil import slugify

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
KNOWN = frozenset({"people/omar-haidari/", "people/john-smith/"})

# The elements render.body writes, with the attributes each may carry.
ALLOWED = {
    "p": {"id", "class", "dir"},
    "div": {"class"},
    "nav": {"class", "id", "aria-label"},
    "aside": {"class", "aria-labelledby"},
    "h2": {"id"},
    "ol": set(),
    "ul": {"class", "aria-label"},
    "li": {"class", "id"},
    "a": {"class", "href", "title", "dir"},
    "q": {"dir"},
    "span": {"class", "title", "dir", "aria-hidden"},
    "time": {"datetime"},
    "bdi": set(),
}

# Pieces that news text, wire copy and hostile input are made of: random mixes of them reach
# quote pairing, attribution, markup and YAML edge cases far more often than random characters.
PIECES = [
    "said", "John Smith", "the minister", "he added", "told reporters", "Kabul", "the Taliban", "Dr.", "U.S.",
    "“", "”", "„", "«", "»", '"', "‘", "’", "'", ". ", ", ", "—", " ", " ", " ", "\n", "\n\n", "\r\n", "\r",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<!--", "-->", "{{ x }}", "{% y %}", "# ",
    "* ", "[x](javascript:alert(1))", "`", "```", "| a | b |", "---", "...", "--8<-- ", "&amp;", "&", ": ",
    "\\", "\u2028", "\u2029", "\x85", "\u202e", "שלום", "السلام", "🎉", "e\u0301", "\u00a0", "\ufeff",
]  # fmt: skip
# Control characters are left out: they are refused (see test_ingest.py) and would end most examples early.
chars = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=8)
pieces = st.lists(st.one_of(st.sampled_from(PIECES), chars), max_size=40).map("".join)
line = pieces.map(lambda s: patterns.ANY_LINE_BREAK.sub(" ", s)).filter(lambda s: bool(slugify(s)))


def check_page(doc: Document) -> None:
    text = render.render(doc, known=KNOWN)
    assert text.endswith("\n") and not text.endswith("\n\n\n")
    expected = render.front_matter(doc)
    post = frontmatter.loads(text)
    assert post.metadata == expected
    body, meta = mkdocs_meta.get_data(text)  # what MkDocs itself reads
    assert meta == expected
    assert body.strip() == post.content.strip() == render.body(doc, known=KNOWN).strip()
    assert all(line.startswith("<") for line in body.strip().split("\n")), "no line starts with text"
    check_html(body, doc)


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.paragraphs: list[str] = []
        self.in_paragraph = False

        self.in_ref = 0  # inside a quote's number and label (a.mg-qref): not the article's text

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))
        css = dict(attrs).get("class") or ""
        if tag == "p":
            self.in_paragraph = "mg-para" in css
            if self.in_paragraph:
                self.paragraphs.append("")
        elif self.in_paragraph and (self.in_ref or (tag == "a" and "mg-qref" in css)):
            self.in_ref += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "p":
            self.in_paragraph = False
        elif self.in_ref:
            self.in_ref -= 1

    def handle_data(self, data: str) -> None:
        if self.in_paragraph and not self.in_ref:
            self.paragraphs[-1] += data

    def handle_comment(self, data: str) -> None:
        raise AssertionError(f"a comment reached the HTML: {data!r}")


def check_html(body: str, doc: Document) -> None:
    parser = Elements()
    parser.feed(body)
    parser.close()
    for tag, attrs in parser.found:
        assert tag in ALLOWED, tag
        assert set(attrs) <= ALLOWED[tag], (tag, attrs)
        assert not (attrs.get("href") or "").lower().startswith("javascript"), attrs
    assert parser.paragraphs == [p.text for p in doc.article.paragraphs]


def article_or_error(text: str, corrections: Corrections = Corrections()) -> ingest.Article | None:  # noqa: B008
    try:
        article, _ = ingest.build_article("story", "seeds/story.txt", text.encode("utf-8"), corrections)
    except MarginaliaError:
        return None
    return article


@SETTINGS
@given(text=pieces)
@example(text="“We will stay,” said John Smith.\n\n<script>alert(1)</script> — «non» he added")
@example(text="\u2028---\u2029...\x85# x")
def test_random_articles_give_quotes_from_the_text_and_a_page_that_round_trips(nlp: Any, text: str) -> None:
    article = article_or_error(text)
    if article is None:
        return
    try:
        extraction = extract(article, nlp)
    except MarginaliaError:
        return
    for quote in extraction.quotes:
        assert quote.text and quote.text in article.text
        assert article.text[quote.span.start : quote.span.end] == quote.text
        assert article.paragraph_at(quote.span.start).index == quote.paragraph
    check_page(pipeline.document(article, extraction, nlp))


# -- sidecars --------------------------------------------------------------------------------------
NAMES = st.one_of(st.sampled_from(["Omar Haidari", "John Smith", "the Taliban", "Kabul", "Gul Ahmad"]), line)
NUMBERS = st.lists(st.integers(1, 4), max_size=3)
shaped = st.fixed_dictionaries(
    {},
    optional={
        "title": line,
        "date": st.dates(datetime.date(1900, 1, 1)).map(str),
        "byline": line,
        "url": st.sampled_from(["https://example.org/a?b=1&c=2#d", "http://x.org/‘q’"]),
        "source": line,
        "tags": st.lists(line, max_size=3),
        "speakers": st.dictionaries(st.integers(1, 4), NAMES, max_size=3),
        "hide": st.fixed_dictionaries(
            {}, optional={"quotes": NUMBERS, "people": st.lists(NAMES, max_size=2), "background": NUMBERS}
        ),
        "notes": st.lists(pieces.filter(str.strip), max_size=3),
        "aliases": st.dictionaries(NAMES, NAMES, max_size=2),
    },
)
anything = st.recursive(
    st.one_of(pieces, st.integers(-2, 5), st.booleans(), st.none()),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.one_of(pieces, st.integers()), inner)
    ),
    max_leaves=6,
)
shaped_yaml = shaped.map(lambda d: yaml.safe_dump(d, allow_unicode=True, sort_keys=False))
sidecars = st.one_of(
    shaped_yaml,
    shaped_yaml,  # twice: most examples should be sidecars an editor could write, and get applied
    st.dictionaries(st.sampled_from([*editorial.READERS, "hide", "other"]), anything, max_size=4).map(
        yaml.safe_dump
    ),
    pieces,  # not YAML at all, or YAML of the wrong shape
)

ARTICLE = (
    "KABUL — Officials met on Monday.\n\n"
    "“We will stay,” said Omar Haidari, a minister.\n\n"
    "“Nothing changes,” John Smith told reporters."
)


@SETTINGS
@given(sidecar=sidecars)
@example(sidecar="title: \"a\\n---\\nb\"\nnotes: ['<script>x</script>', '---']\nspeakers: {1: '<b>X</b>'}\n")
@example(
    sidecar="hide:\n  people: [Omar Haidari]\nspeakers:\n  2: Omar Haidari\naliases:\n  John Smith: J. S.\n"
)
def test_random_sidecars_are_read_or_refused_and_always_render_safely(nlp: Any, sidecar: str) -> None:
    try:
        corrections = editorial.parse_sidecar(sidecar, "seeds/story.yml")
    except MarginaliaError as error:
        assert error.path == "seeds/story.yml"
        return
    article = article_or_error(ARTICLE, corrections)
    assert article is not None
    check_page(pipeline.document(article, _extraction(nlp), nlp))


_CACHE: dict[str, Any] = {}


def _extraction(nlp: Any) -> Any:
    """The fixed article's extraction, made once: the sidecar, not the NLP, is under test here."""
    if "x" not in _CACHE:
        article = article_or_error(ARTICLE)
        assert article is not None
        _CACHE["x"] = extract(article, nlp)
    return _CACHE["x"]


# -- front matter that would break naive YAML ------------------------------------------------------
TRICKY = [
    "key: value", "# not a comment", "it's \"quoted\" and 'single'", "two\nlines", "---", "a\n---\nb", "...",
    "a\n...\nb", "- not a list", "[not, a, list]", "{not: a map}", "&anchor *alias !tag %dir @at `tick`",
    "yes", "null", "~", "0x1F", "1e3", "2025-03-14", "  padded  ", "tab\there", "\u2028separators\u2029",
    "<script>alert(1)</script>", "{{ x }} {% y %}", "\\ backslash \\n", "emoji 🎉 and עברית",
]  # fmt: skip


def test_front_matter_values_that_break_naive_yaml_round_trip_exactly(nlp: Any) -> None:
    article = article_or_error(ARTICLE)
    assert article is not None
    doc = pipeline.document(article, _extraction(nlp), nlp)
    for value in TRICKY:
        corrections = Corrections(
            byline=value, url=value, source=value, tags=(value, value + "!"), notes=(value,)
        )
        tricky = dataclasses.replace(
            doc,
            title=value,
            summary=value,
            article=dataclasses.replace(doc.article, corrections=corrections, source=value),
            extraction=editorial.apply(doc.extraction, corrections),
            tags=corrections.tags,
        )
        check_page(tricky)
        meta = frontmatter.loads(render.render(tricky, known=KNOWN)).metadata
        assert (meta["headline"], meta["byline"], meta["url"], meta["source"], meta["summary"]) == (
            value,
        ) * 5
        assert meta["tags"] == [value, value + "!"] and meta["background"][-1]["text"] == value
        assert html.unescape(meta["title"]) == patterns.ANY_LINE_BREAK.sub(" ", value)
