"""Document -> content/<slug>.md: YAML front matter, the article text and its three sidebars.

The body is written as HTML blocks inside the Markdown file: every piece of article or
sidecar text passes through _html (html.escape, line breaks made spaces), so nothing in an
article (tags, Markdown, template syntax) can become markup, and every line of the body
starts with a tag we wrote, which Markdown and its preprocessors (snippets) leave alone.
Elements that hold such text carry dir="auto", so right-to-left text and stray bidi controls
stay inside their element. The sidebars are part of the page, so Material's search indexes
them and print shows them.

Front matter is written by python-frontmatter (yaml.safe_dump), which quotes whatever would
break naive YAML. `title` and `description` are the two keys MkDocs and the theme print into
the page unescaped (<title>, <h1>, <meta>, the search index), so they hold HTML text: see
meta_text. Every other key is plain text; `headline` and `summary` are their plain twins.
"""

from __future__ import annotations

from functools import cache
from html import escape
from importlib import resources
from typing import Any

import frontmatter
import yaml

from build_tools import patterns, routes
from build_tools.model import Background, Document, Entity, Person, Quote
from build_tools.textutil import slugify

YAML_WIDTH = 10_000  # never fold lines: one value, one line, readable diffs
SCHEMA_VERSION = 3  # 2: `title` and `description` are HTML text; `headline` added. 3: `headline_derived`


def front_matter(doc: Document) -> dict[str, Any]:
    x, article = doc.extraction, doc.article
    return {
        "title": meta_text(doc.title),
        "headline": doc.title,  # the same title as plain text, for feeds and JSON-LD
        "headline_derived": doc.headline_derived,  # the pipeline wrote it from the lede: to confirm
        "description": meta_text(doc.summary),
        "slug": article.slug,
        "date": doc.date.isoformat() if doc.date else None,
        "updated": article.corrections.updated.isoformat() if article.corrections.updated else None,
        "place": article.dateline.place if article.dateline else None,
        "source": article.source,
        "byline": article.corrections.byline,
        "byline_kind": byline_kind(article.corrections.byline),
        "url": article.corrections.url,
        "summary": doc.summary,
        "tags": list(doc.tags),
        "quotes": [_quote(q) for q in x.quotes],
        "people": [_person(p) for p in x.people],
        "organizations": [_entity(e) for e in x.organizations],
        "places": [_entity(e) for e in x.places],
        "background": [_background(n, b) for n, b in enumerate(x.background, start=1)],
        "review": list(review_items(doc)),
        "provenance": {
            "schema": SCHEMA_VERSION,
            "seed": _seed_name(article.path),
            "seed_sha256": doc.provenance.seed_sha256,
            "pipeline": doc.provenance.pipeline_version,
            "model": doc.provenance.model,
            "model_version": doc.provenance.model_version,
        },
    }


def _quote(q: Quote) -> dict[str, Any]:
    return {
        "id": f"q-{q.number}",  # the extraction's number: stable when an editor hides another quote
        "text": q.text,
        "speaker": q.speaker,
        "speaker_id": q.speaker_id,
        "speaker_kind": q.speaker_kind,
        "cue": q.cue,
        "confidence": q.confidence,
        "needs_review": q.needs_review,
        "paragraph": q.paragraph,
        "span": [q.span.start, q.span.end],
    }


def _person(p: Person) -> dict[str, Any]:
    return {
        "id": p.id,
        "name": p.name,
        "role": p.role,
        "aliases": list(p.aliases),
        "named": p.named,
        "paragraph": p.paragraph,
    }


def _entity(e: Entity) -> dict[str, Any]:
    return {"id": entity_id(e), "name": e.name, "variants": list(e.variants), "paragraph": e.paragraph}


def _background(n: int, b: Background) -> dict[str, Any]:
    return {
        "id": f"b-{b.number}" if b.number else f"note-{n}",
        "text": b.text,
        "paragraph": b.paragraph,
        "kind": "extracted" if b.span else "editor note",
    }


@cache
def _publishers() -> tuple[frozenset[str], frozenset[str]]:
    """The outlets of rules/outlets.yml and the words of rules/bylines.yml, in lower case."""

    def load(name: str) -> dict[str, Any]:
        data = yaml.safe_load(resources.files("build_tools.rules").joinpath(name).read_text(encoding="utf-8"))
        assert isinstance(data, dict), f"build_tools/rules/{name} must be a mapping"
        return data

    outlets = frozenset(str(o).casefold() for o in load("outlets.yml")["organizations"])
    return outlets, frozenset(str(w).casefold() for w in load("bylines.yml")["publisher_words"])


def byline_kind(byline: str | None) -> str | None:
    """`organization` when a byline names a publisher (`Voice of America`, `Reuters staff`), else
    `person`: the JSON-LD's author is typed by it."""
    if not byline:
        return None
    outlets, words = _publishers()
    folded = byline.casefold().strip()
    tokens = patterns.SEARCH_APOSTROPHE.sub("", folded).replace("-", " ").split()
    return "organization" if folded in outlets or any(t in words for t in tokens) else "person"


def entity_id(e: Entity) -> str:
    return slugify(e.name)


def review_items(doc: Document) -> list[str]:
    """What an editor should check: a headline the pipeline wrote, quotes with no speaker or a guessed one."""
    items = []
    if doc.headline_derived:
        items.append(f"the headline “{doc.title}” was derived from the lede: confirm it with `title: …`")
    for q in doc.extraction.quotes:
        n = q.number
        if q.speaker is None:
            items.append(f"quote {n} (paragraph {q.paragraph}) has no speaker: set `speakers: {{{n}: Name}}`")
        elif q.needs_review:
            items.append(
                f"quote {n} (paragraph {q.paragraph}) is attributed to {q.speaker} by context only "
                f"(confidence {q.confidence}): confirm with `speakers: {{{n}: Name}}`"
            )
    return items


# -- body -----------------------------------------------------------------------------------
def body(doc: Document, *, known: frozenset[str]) -> str:
    """HTML blocks: dateline, paragraphs, then the quote, people and background sidebars.

    `known` holds the URLs of pages that exist, so a link is only written where it resolves.
    """
    here = routes.article_url(doc.article.slug)
    lines = [_dateline(doc), '<div class="mg-article">', '<div class="mg-text">']
    lines += [
        f'<p id="{p.anchor}" class="mg-para" dir="auto">{_html(p.text)}</p>' for p in doc.article.paragraphs
    ]
    lines += ["</div>", '<div class="mg-sidebars">']
    lines += _quotes_sidebar(doc, here, known)
    lines += _people_sidebar(doc, here, known)
    lines += _background_sidebar(doc)
    lines += ["</div>", "</div>"]
    return "\n".join(lines) + "\n"


def _dateline(doc: Document) -> str:
    parts = [f"<bdi>{_html(doc.article.source)}</bdi>"] if doc.article.source else []
    if doc.article.corrections.byline:
        parts.append(f"<bdi>{_html(doc.article.corrections.byline)}</bdi>")
    parts.append(
        f'<time datetime="{doc.date.isoformat()}">{doc.date:%-d %B %Y}</time>'
        if doc.date
        else "Date not given"
    )
    return f'<p class="mg-dateline">{" · ".join(parts)}</p>'


def _link(here: str, target: str, text: str, css: str, known: frozenset[str]) -> str:
    if target.partition("#")[0] not in known:
        return f'<span class="{css}" dir="auto">{_html(text)}</span>'
    href = escape(routes.relative(here, target))
    return f'<a class="{css}" href="{href}" dir="auto">{_html(text)}</a>'


def _quotes_sidebar(doc: Document, here: str, known: frozenset[str]) -> list[str]:
    lines = ['<aside class="mg-sidebar mg-quotes" aria-labelledby="quotes">', '<h2 id="quotes">Quotes</h2>']
    if not doc.extraction.quotes:
        return [*lines, '<p class="mg-empty">No direct quotes in this article.</p>', "</aside>"]
    lines.append("<ol>")
    for q in doc.extraction.quotes:
        lines.append(
            f'<li class="mg-quote" id="q-{q.number}">'
            f'<a class="mg-jump" href="#p-{q.paragraph}" title="Go to paragraph {q.paragraph}">'
            f'<q dir="auto">{_html(q.text)}</q></a>{_attribution(q, here, known)}</li>'
        )
    return [*lines, "</ol>", "</aside>"]


def _attribution(q: Quote, here: str, known: frozenset[str]) -> str:
    if q.speaker is None:
        return '<span class="mg-attribution mg-review">Speaker not identified</span>'
    target = routes.entity_url(q.speaker_kind or "person", q.speaker_id or "")
    speaker = _link(here, target, q.speaker, "mg-speaker", known)
    flag = (
        (
            '<span class="mg-review" title="Attributed from context; an editor should confirm">'
            "unconfirmed</span>"
        )
        if q.needs_review
        else ""
    )
    return f'<span class="mg-attribution">— {speaker}{flag}</span>'


def _people_sidebar(doc: Document, here: str, known: frozenset[str]) -> list[str]:
    lines = ['<aside class="mg-sidebar mg-people" aria-labelledby="people">', '<h2 id="people">People</h2>']
    if not doc.extraction.people:
        return [*lines, '<p class="mg-empty">No people named in this article.</p>', "</aside>"]
    lines.append("<ul>")
    for p in doc.extraction.people:
        name = _link(here, routes.entity_url("person", p.id), p.name, "mg-name", known)
        role = f'<span class="mg-role" dir="auto">{_html(p.role)}</span>' if p.role else ""
        jump = f'<a class="mg-jump" href="#p-{p.paragraph}">¶{p.paragraph}</a>'
        lines.append(f'<li class="mg-person">{name}{role}{jump}</li>')
    return [*lines, "</ul>", "</aside>"]


def _background_sidebar(doc: Document) -> list[str]:
    lines = [
        '<aside class="mg-sidebar mg-background" aria-labelledby="background">',
        '<h2 id="background">Background</h2>',
    ]
    if not doc.extraction.background:
        return [*lines, '<p class="mg-empty">No background notes for this article.</p>', "</aside>"]
    lines.append("<ul>")
    for b in doc.extraction.background:
        if b.paragraph is None:
            lines.append(
                f'<li class="mg-note"><bdi>{_html(b.text)}</bdi>'
                '<span class="mg-note-label">Editor’s note</span></li>'
            )
        else:
            lines.append(
                f'<li class="mg-background-item"><a class="mg-jump" href="#p-{b.paragraph}" dir="auto">'
                f"{_html(b.text)}</a></li>"
            )
    return [*lines, "</ul>", "</aside>"]


def _html(text: str) -> str:
    """Text as element content: <, > and & escaped, on one line, so no body line starts with text.

    Quotation marks need no escaping outside attributes, and left as they are they keep
    content/ readable: the text is only ever placed between tags, never in an attribute.
    """
    return escape(patterns.ANY_LINE_BREAK.sub(" ", text), quote=False)


def meta_text(text: str) -> str:
    """A front-matter value the theme prints as HTML (title, description): escaped, on one line.

    MkDocs treats a page title as HTML (one taken from a Markdown heading keeps its entities)
    and Material prints `title` and `description` without escaping, in <title>, the header,
    <h1>, <meta name="description"> and the search index. Escaping here is what makes a title
    like `<script>` appear as text; the reader sees the same characters.
    """
    return _html(text).replace('"', "&quot;")  # safe in a double-quoted attribute (content="…")


def render(doc: Document, *, known: frozenset[str]) -> str:
    post = frontmatter.Post(body(doc, known=known), **front_matter(doc))
    text = frontmatter.dumps(post, sort_keys=False, width=YAML_WIDTH, allow_unicode=True)
    return text + "\n"


def _seed_name(path: str) -> str:
    """'/any/checkout/seeds/x.txt' -> 'seeds/x.txt': the same bytes wherever the project lives."""
    parts = path.replace("\\", "/").split("/")
    return "/".join(parts[-2:])
