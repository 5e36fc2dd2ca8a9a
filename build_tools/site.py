"""Cross-article pages: one per person, organisation and place, their indexes, and article lists.

Pages are built from the Documents of the whole archive, so a person quoted in three
articles has one page listing every quote with its article, date and paragraph.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from html import escape

import frontmatter

from build_tools import routes
from build_tools.model import Document, Entity, Person, Quote
from build_tools.render import YAML_WIDTH, entity_id

LATEST = 10  # articles listed on the home page


@dataclass
class _Profile:
    """Everything the archive says about one person, organisation or place."""

    kind: str
    id: str
    name: str
    aliases: set[str] = field(default_factory=set)
    roles: list[tuple[str, Document]] = field(default_factory=list)
    quotes: list[tuple[int, Quote, Document]] = field(default_factory=list)
    articles: list[Document] = field(default_factory=list)


def _sort_key(doc: Document) -> tuple[str, str]:
    # Newest first; undated articles after dated ones, then by slug, so order never depends on the disk.
    return ("0" + doc.date.isoformat() if doc.date else "", doc.article.slug)


def by_date(docs: list[Document]) -> list[Document]:
    return sorted(docs, key=_sort_key, reverse=True)


def profiles(docs: list[Document]) -> dict[tuple[str, str], _Profile]:
    found: dict[tuple[str, str], _Profile] = {}

    def profile(kind: str, ident: str, name: str) -> _Profile:
        return found.setdefault((kind, ident), _Profile(kind, ident, name))

    for doc in by_date(docs):
        for person in doc.extraction.people:
            _add_person(profile("person", person.id, person.name), person, doc)
        for entity in (*doc.extraction.organizations, *doc.extraction.places):
            _add_entity(profile(entity.kind, entity_id(entity), entity.name), entity, doc)
        for n, quote in enumerate(doc.extraction.quotes, start=1):
            if quote.speaker_id:
                speaker = profile(quote.speaker_kind or "person", quote.speaker_id, quote.speaker or "")
                speaker.quotes.append((n, quote, doc))
                if doc not in speaker.articles:
                    speaker.articles.append(doc)
    return found


def _add_person(p: _Profile, person: Person, doc: Document) -> None:
    p.aliases.update(person.aliases)
    if person.role:
        p.roles.append((person.role, doc))
    if doc not in p.articles:
        p.articles.append(doc)


def _add_entity(p: _Profile, entity: Entity, doc: Document) -> None:
    p.aliases.update(entity.variants)
    if doc not in p.articles:
        p.articles.append(doc)


def urls(docs: list[Document]) -> frozenset[str]:
    """Every generated page's URL, so renderers link only to pages that exist."""
    found = {routes.article_url(d.article.slug) for d in docs}
    found |= {routes.entity_url(kind, ident) for kind, ident in profiles(docs)}
    return frozenset(found)


def _page(title: str, body: str, **meta: object) -> str:
    post = frontmatter.Post(body, title=title, **meta)
    return frontmatter.dumps(post, sort_keys=False, width=YAML_WIDTH, allow_unicode=True) + "\n"


def _article_link(here: str, doc: Document, fragment: str = "") -> str:
    href = routes.relative(here, routes.article_url(doc.article.slug) + fragment)
    return f'<a href="{escape(href)}">{escape(doc.title)}</a>'


def _date(doc: Document) -> str:
    if doc.date is None:
        return '<span class="mg-date">undated</span>'
    return f'<time class="mg-date" datetime="{doc.date.isoformat()}">{doc.date:%-d %B %Y}</time>'


def profile_page(p: _Profile) -> str:
    here = routes.entity_url(p.kind, p.id)
    lines = ['<div class="mg-profile">']
    if p.aliases - {p.name}:
        lines.append(f'<p class="mg-aliases">Also named: {escape(", ".join(sorted(p.aliases - {p.name})))}</p>')
    if p.roles:
        lines += ['<h2 id="roles">Roles</h2>', "<ul>"]
        lines += [f"<li>{escape(role)} <span class=\"mg-source\">({_article_link(here, doc)})</span></li>"
                  for role, doc in p.roles]
        lines.append("</ul>")
    if p.quotes:
        lines += ['<h2 id="quotes">Quotes</h2>', '<ol class="mg-profile-quotes">']
        for _, quote, doc in p.quotes:
            jump = _article_link(here, doc, f"#p-{quote.paragraph}")
            lines.append(f'<li><q>{escape(quote.text)}</q> <span class="mg-source">{jump}, {_date(doc)}, '
                         f"paragraph {quote.paragraph}</span></li>")
        lines.append("</ol>")
    lines += ['<h2 id="articles">Articles</h2>', "<ul>"]
    lines += [f"<li>{_article_link(here, doc)} {_date(doc)}</li>" for doc in by_date(p.articles)]
    lines += ["</ul>", "</div>"]
    return _page(p.name, "\n".join(lines) + "\n", kind=p.kind, id=p.id)


SECTION_TITLES = {"person": "People", "organization": "Organisations", "place": "Places"}


def index_page(kind: str, found: list[_Profile]) -> str:
    here = routes.SECTIONS[kind] + "/"
    lines = ['<ul class="mg-index">']
    for p in sorted(found, key=lambda p: (p.name.casefold(), p.id)):
        href = routes.relative(here, routes.entity_url(kind, p.id))
        count = len(p.articles)
        lines.append(f'<li><a href="{escape(href)}">{escape(p.name)}</a> '
                     f'<span class="mg-count">{count} article{"s" if count != 1 else ""}</span></li>')
    lines.append("</ul>")
    return _page(SECTION_TITLES[kind], "\n".join(lines) + "\n")


def article_list(docs: list[Document], here: str) -> str:
    lines = ['<ul class="mg-article-list">']
    for doc in docs:
        lines.append(f'<li class="mg-article-item">{_article_link(here, doc)} {_date(doc)}'
                     f'<p class="mg-summary">{escape(doc.summary)}</p></li>')
    lines.append("</ul>")
    return "\n".join(lines) + "\n"


def pages(docs: list[Document]) -> dict[str, str]:
    """content/-relative path -> page text, for every cross-article page."""
    out: dict[str, str] = {}
    found = profiles(docs)
    for (kind, ident), p in found.items():
        out[f"{routes.SECTIONS[kind]}/{ident}.md"] = profile_page(p)
    for kind, section in routes.SECTIONS.items():
        out[f"{section}/index.md"] = index_page(kind, [p for (k, _), p in found.items() if k == kind])
    ordered = by_date(docs)
    out["articles/index.md"] = _page("All articles", article_list(ordered, "articles/"))
    # The home page (docs/index.md) includes this list; links are relative to the site root.
    out["lists/latest.html"] = article_list(ordered[:LATEST], "")
    return out
