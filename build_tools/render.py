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

from dataclasses import dataclass
from datetime import date
from functools import cache
from html import escape
from importlib import resources
from typing import Any

import frontmatter
import yaml

from build_tools import patterns, routes
from build_tools.model import Background, Document, Entity, Paragraph, Person, Quote
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
# How sure the attribution is, for the reader: a verb of saying that names the speaker in the
# quote's sentence (attribution.CONFIDENCE: named 0.95, organisation 0.9, unnamed 0.85) is
# confirmed; a pronoun, a description, a colon or an earlier sentence is context; below the
# review threshold (model.py) an editor has yet to confirm it.
CONFIRMED = 0.85
CUES = {
    "confirmed": ("confirmed", "a verb of saying names the speaker in the quote’s sentence"),
    "context": (
        "attributed by context",
        "the speaker is found from a pronoun, a description or a nearby sentence",
    ),
    "review": ("needs review", "the speaker is a guess an editor has not yet confirmed"),
}
SHORT_ROLE_CHARS = 60  # a longer role is cut to its first part on a quote card (the People list has it all)
MIN_ROLE_WORDS = 3
EXCERPT_WORDS = 25  # a quote card shows the quote's first words; the whole quote is in the text
CLOSING_MARKS = "”’\"'»›"


@dataclass(frozen=True)
class Previously:
    """The latest earlier article of someone (or some organisation) in this one, from the archive."""

    names: tuple[str, ...]
    url: str  # the article's page, from the site root
    title: str
    day: date


def body(doc: Document, *, known: frozenset[str], previously: tuple[Previously, ...] = ()) -> str:
    """HTML blocks: dateline, the phone's jump strip, paragraphs with their quotes marked, then the
    quote, people and background sidebars.

    `known` holds the URLs of pages that exist, so a link is only written where it resolves;
    `previously` is what the archive says came before (site.Archive.previously).
    """
    here = routes.article_url(doc.article.slug)
    lines = [_dateline(doc), *_jumps(doc), '<div class="mg-article">', '<div class="mg-text">']
    lines += [_paragraph(doc, p) for p in doc.article.paragraphs]
    lines += ["</div>", '<div class="mg-sidebars">']
    lines += _quotes_sidebar(doc, here, known)
    lines += _people_sidebar(doc, here, known)
    lines += _background_sidebar(doc, here, previously)
    lines += ["</div>", "</div>"]
    return "\n".join(lines) + "\n"


def _dateline(doc: Document) -> str:
    parts = [f"<bdi>{_html(doc.article.source)}</bdi>"] if doc.article.source else []
    if doc.article.corrections.byline:
        parts.append(f"<bdi>{_html(doc.article.corrections.byline)}</bdi>")
    if doc.article.dateline:
        parts.append(f'<span class="mg-place" dir="auto">{_html(doc.article.dateline.place)}</span>')
    parts.append(
        f'<time datetime="{doc.date.isoformat()}">{doc.date:%-d %B %Y}</time>'
        if doc.date
        else "Date not given"
    )
    return f'<p class="mg-dateline">{" · ".join(parts)}</p>'


def _jumps(doc: Document) -> list[str]:
    """On a phone the sidebars come after a long text: a strip under the headline jumps to each."""
    x = doc.extraction
    counts = {"quotes": len(x.quotes), "people": len(x.people), "background": len(x.background)}
    links = [
        f'<a class="mg-jumps__link" href="#{anchor}">{anchor.capitalize()} '
        f'<span class="mg-count">{n}</span></a>'
        for anchor, n in counts.items()
    ]
    return [f'<nav class="mg-jumps" id="mg-jumps" aria-label="In this article">{"".join(links)}</nav>']


def _paragraph(doc: Document, p: Paragraph) -> str:
    """A paragraph with each quote in it marked, its number linking to its card in the sidebar."""
    pieces, at = [], p.span.start
    for q in doc.extraction.quotes:
        start, end = max(q.span.start, p.span.start), min(q.span.end, p.span.end)
        if start >= end or start < at:
            continue  # not in this paragraph (or overlapping one already marked: never nested)
        ends_here = q.span.end <= p.span.end
        stop = _after_closing_mark(doc.article.text, end, p.span.end) if ends_here else end
        said = doc.article.text[start:end]
        pieces += [_html(doc.article.text[at:start]), f'<span class="mg-said">{_html(said)}</span>']
        if ends_here:  # the closing mark and the number stay together on one line
            closing = _html(doc.article.text[end:stop])
            pieces.append(f'<span class="mg-said-end">{closing}{_quote_ref(q)}</span>')
        at = stop
    pieces.append(_html(doc.article.text[at : p.span.end]))
    return f'<p id="{p.anchor}" class="mg-para" dir="auto">{"".join(pieces)}</p>'


def _after_closing_mark(text: str, end: int, limit: int) -> int:
    """`…a decade,”` : the reference goes after the closing mark, not inside the quote."""
    while end < limit and text[end] in CLOSING_MARKS:
        end += 1
    return end


def _quote_ref(q: Quote) -> str:
    who = q.speaker or "speaker not identified"
    return (
        f'<a class="mg-qref" href="#q-{q.number}">'
        f'<span class="mg-qref__n" aria-hidden="true">{q.number}</span>'
        f'<span class="mg-qref__who">Quote {q.number}: <bdi>{_html(who)}</bdi></span></a>'
    )


def _link(here: str, target: str, text: str, css: str, known: frozenset[str]) -> str:
    if target.partition("#")[0] not in known:
        return f'<span class="{css}" dir="auto">{_html(text)}</span>'
    href = escape(routes.relative(here, target))
    return f'<a class="{css}" href="{href}" dir="auto">{_html(text)}</a>'


def cue(q: Quote) -> str:
    """How sure the attribution is: `confirmed`, `context` or `review` (the keys of CUES)."""
    if q.speaker is None or q.needs_review:
        return "review"
    return "confirmed" if q.confidence >= CONFIRMED else "context"


def _quotes_sidebar(doc: Document, here: str, known: frozenset[str]) -> list[str]:
    lines = ['<aside class="mg-sidebar mg-quotes" aria-labelledby="quotes">', _heading("quotes", "Quotes")]
    if not doc.extraction.quotes:
        return [*lines, '<p class="mg-empty">No direct quotes in this article.</p>', "</aside>"]
    roles: dict[str, str] = {p.id: p.role for p in doc.extraction.people if p.role}
    lines.append("<ol>")
    for q in doc.extraction.quotes:
        kind = cue(q)
        lines.append(
            f'<li class="mg-quote mg-quote--{kind}" id="q-{q.number}">'
            f'<p class="mg-quote__text" dir="auto"><q>{_html(_excerpt(q.text))}</q></p>'
            f"{_attribution(q, here, known, roles)}"
            f'<p class="mg-quote__meta"><span class="mg-cue mg-cue--{kind}">{CUES[kind][0]}</span>'
            f'<a class="mg-jump" href="#p-{q.paragraph}">read in context'
            f'<span class="mg-visually-hidden"> (paragraph {q.paragraph})</span></a></p></li>'
        )
    lines.append("</ol>")
    lines += _legend(doc)
    return [*lines, "</aside>"]


def _legend(doc: Document) -> list[str]:
    """What each confidence cue means, said once on the page: only the cues the page uses."""
    used = [k for k in CUES if any(cue(q) == k for q in doc.extraction.quotes)]
    items = [
        f'<li><span class="mg-cue mg-cue--{k}">{CUES[k][0]}</span> {escape(CUES[k][1])}</li>' for k in used
    ]
    return ['<ul class="mg-legend" aria-label="What the marks mean">', *items, "</ul>"]


def _excerpt(text: str) -> str:
    words = text.split()
    if len(words) <= EXCERPT_WORDS:
        return text
    return " ".join(words[:EXCERPT_WORDS]).rstrip(",;:") + " …"


def _attribution(q: Quote, here: str, known: frozenset[str], roles: dict[str, str]) -> str:
    if q.speaker is None:
        return '<p class="mg-attribution">Speaker not identified</p>'
    target = routes.entity_url(q.speaker_kind or "person", q.speaker_id or "")
    speaker = _link(here, target, q.speaker, "mg-speaker", known)
    role = short_role(roles.get(q.speaker_id or ""))
    said_as = f'<span class="mg-role" dir="auto">, {_html(role)}</span>' if role else ""
    return f'<p class="mg-attribution">— {speaker}{said_as}</p>'


def short_role(role: str | None) -> str | None:
    """A role short enough for a card: its first part when the article's is a long description
    (`former Afghan official living in Kabul, and involved in discussions with …`)."""
    if role is None or len(role) <= SHORT_ROLE_CHARS:
        return role
    first = role.split(", ")[0]
    return first if len(first.split()) >= MIN_ROLE_WORDS else role


def _heading(anchor: str, text: str) -> str:
    """A sidebar's heading, with the way back to the phone's jump strip (shown on phones only)."""
    back = (
        '<a class="mg-back" href="#mg-jumps">Back to the top'
        '<span class="mg-visually-hidden"> of the article</span></a>'
    )
    return f'<h2 id="{anchor}">{text}{back}</h2>'


def _people_sidebar(doc: Document, here: str, known: frozenset[str]) -> list[str]:
    lines = ['<aside class="mg-sidebar mg-people" aria-labelledby="people">', _heading("people", "People")]
    if not doc.extraction.people:
        return [*lines, '<p class="mg-empty">No people named in this article.</p>', "</aside>"]
    lines.append("<ul>")
    for p in doc.extraction.people:
        name = _link(here, routes.entity_url("person", p.id), p.name, "mg-name", known)
        jump = (
            f'<a class="mg-pref" href="#p-{p.paragraph}"><span aria-hidden="true">¶{p.paragraph}</span>'
            f'<span class="mg-visually-hidden">First mentioned in paragraph {p.paragraph}</span></a>'
        )
        # The reference is kept on the line of the last word before it: never a line of its own.
        if p.role:
            head, _, last = p.role.rpartition(" ")
            lead = f"{_html(head)} " if head else ""
            keep = f'<span class="mg-keep">{_html(last)} {jump}</span>'
            lines.append(
                f'<li class="mg-person">{name}<span class="mg-role" dir="auto">, {lead}{keep}</span></li>'
            )
        else:
            lines.append(f'<li class="mg-person"><span class="mg-keep">{name} {jump}</span></li>')
    return [*lines, "</ul>", "</aside>"]


def _background_sidebar(doc: Document, here: str, previously: tuple[Previously, ...]) -> list[str]:
    """Curated notes first, then the article's own context sentences, then the archive's context."""
    lines = [
        '<aside class="mg-sidebar mg-background" aria-labelledby="background">',
        _heading("background", "Background"),
    ]
    notes = [b for b in doc.extraction.background if b.paragraph is None]
    extracted = [b for b in doc.extraction.background if b.paragraph is not None]
    if not (notes or extracted or previously):
        return [*lines, '<p class="mg-empty">No background notes for this article.</p>', "</aside>"]
    lines.append("<ul>")
    for b in notes:
        lines.append(
            f'<li class="mg-note"><bdi>{_html(b.text)}</bdi>'
            '<span class="mg-note-label">Editor’s note</span></li>'
        )
    for b in extracted:
        lines.append(
            f'<li class="mg-background-item"><a class="mg-jump" href="#p-{b.paragraph}" dir="auto">'
            f"{_html(b.text)}</a></li>"
        )
    prefix = routes.to_root(here)
    for item in previously:
        lines.append(
            f'<li class="mg-previously">'
            f'<span class="mg-previously__who">{_html(", ".join(item.names))}</span> '
            f'Previously: <a href="{escape(prefix + item.url)}" dir="auto">{_html(item.title)}</a>, '
            f'<time datetime="{item.day.isoformat()}">{item.day:%-d %B %Y}</time></li>'
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


def render(doc: Document, *, known: frozenset[str], previously: tuple[Previously, ...] = ()) -> str:
    post = frontmatter.Post(body(doc, known=known, previously=previously), **front_matter(doc))
    text = frontmatter.dumps(post, sort_keys=False, width=YAML_WIDTH, allow_unicode=True)
    return text + "\n"


def _seed_name(path: str) -> str:
    """'/any/checkout/seeds/x.txt' -> 'seeds/x.txt': the same bytes wherever the project lives."""
    parts = path.replace("\\", "/").split("/")
    return "/".join(parts[-2:])
