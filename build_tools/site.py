"""Cross-article pages: people, organisations, places, topics, the archive by date, the latest list.

Pages are built from the Documents of the whole archive, so a person quoted in three
articles has one page listing every quote with its article, date and paragraph. Every list
is sorted by values (date, name, slug), never by the order of files on disk, and the work is
linear in the size of the archive: 10,000 articles must cost ten times 1,000.
"""

from __future__ import annotations

import datetime
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape

from build_tools import routes
from build_tools.model import Document, Entity, EntityKind, Person, Quote
from build_tools.render import entity_id, meta_text
from build_tools.textutil import slugify

LATEST = 10  # articles listed on the home page
INDEX_LATEST = 30  # articles listed under the years on articles/index.md
ROLE_LINKS = 3  # articles named beside a role before "and N more"
SECTION_TITLES = {"person": "People", "organization": "Organisations", "place": "Places"}


@dataclass
class _Profile:
    """Everything the archive says about one person, organisation or place."""

    kind: str
    id: str
    name: str
    aliases: set[str] = field(default_factory=set)
    roles: dict[str, list[Document]] = field(default_factory=dict)  # role -> articles that state it
    quotes: list[tuple[int, Quote, Document]] = field(default_factory=list)
    articles: dict[str, Document] = field(default_factory=dict)  # slug -> article, newest first

    def add_article(self, doc: Document) -> None:
        self.articles.setdefault(doc.article.slug, doc)


def by_date(docs: list[Document]) -> list[Document]:
    """Newest first, a day's articles by slug; undated articles after every dated one, by slug:
    the order never depends on the disk."""
    dated = sorted((d for d in docs if d.date), key=lambda d: (-d.date.toordinal(), d.article.slug))  # type: ignore[union-attr]
    return dated + sorted((d for d in docs if not d.date), key=lambda d: d.article.slug)


def notices(docs: list[Document], seeds: str = "seeds") -> tuple[str, ...]:
    """What an editor should look at that is no error: a headline the pipeline wrote, and an
    article with no date (left out of the feeds, listed after the dated ones)."""
    found = []
    for doc in sorted(docs, key=lambda d: d.article.slug):
        sidecar = f"{seeds}/{doc.article.slug}.yml"
        if doc.headline_derived:
            found.append(
                f"{doc.article.path}: the headline was derived from the lede: “{doc.title}”. "
                f"Fix: confirm or replace it with `title:` in {sidecar}"
            )
        if doc.date is None:
            found.append(
                f"{doc.article.path}: has no date (none in its sidecar or its dateline), so it is left out "
                f"of the feeds and listed after the dated articles. Fix: add `date: YYYY-MM-DD` to {sidecar}"
            )
    return tuple(found)


# A value YAML reads back as the same string when written bare: words, spaces and light punctuation,
# not a keyword (yes, null, …), not a number or date, no ': ' or ' #'. Anything else is written as a
# JSON string, which is also a valid YAML double-quoted scalar.
_PLAIN = re.compile(r"[^\W\d_][\w .,’'()&-]*", re.UNICODE)
_KEYWORDS = {"yes", "no", "true", "false", "on", "off", "y", "n", "null", "~"}


def _scalar(value: str) -> str:
    if _PLAIN.fullmatch(value) and value.lower() not in _KEYWORDS and not value.endswith(" "):
        return value
    return json.dumps(value, ensure_ascii=False)


def _page(title: str, body: str, **meta: str) -> str:
    """A page with a small front matter of strings, written directly: 1,000s of them, and
    python-frontmatter (PyYAML's representer) costs more than the rest of the page."""
    fields = {"title": meta_text(title), "headline": title, **meta}  # the theme prints `title` as HTML
    lines = ["---", *(f"{k}: {_scalar(v)}" for k, v in fields.items()), "---", ""]
    lines.append(body.strip("\n"))
    return "\n".join(lines) + "\n"


def _date(doc: Document) -> str:
    return _date_html(doc.date)


@lru_cache(maxsize=1 << 14)  # a few thousand days recur across an archive's lists
def _date_html(day: datetime.date | None) -> str:
    if day is None:
        return '<span class="mg-date">undated</span>'
    return f'<time class="mg-date" datetime="{day.isoformat()}">{day:%-d %B %Y}</time>'


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


class Archive:
    """The whole archive, indexed once; `urls` are the pages that exist, `pages()` writes them."""

    def __init__(self, docs: list[Document], names: dict[str, str] | None = None) -> None:
        self.docs = by_date(docs)
        self.names = names or {}
        self.profiles = self._profiles()
        self.tags = self._tags()
        found = {routes.article_url(d.article.slug) for d in self.docs}
        found |= {routes.entity_url(kind, ident) for kind, ident in self.profiles}
        self.urls = frozenset(found)

    def links_from(self, doc: Document) -> list[str]:
        """The pages an article could link to that exist: what its rendering depends on beyond itself."""
        x = doc.extraction
        targets = {routes.entity_url("person", p.id) for p in x.people}
        targets |= {
            routes.entity_url(q.speaker_kind or "person", q.speaker_id) for q in x.quotes if q.speaker_id
        }
        targets |= {routes.entity_url(e.kind, _entity_id(e)) for e in (*x.organizations, *x.places)}
        return sorted(targets & self.urls)

    # -- indexing -----------------------------------------------------------------------------------
    def _profiles(self) -> dict[tuple[str, str], _Profile]:
        found: dict[tuple[str, str], _Profile] = {}

        def profile(kind: str, ident: str, name: str) -> _Profile:
            if not ident:  # a name without letters ('—'): no address, so no page, and nothing links to it
                return _Profile(kind, ident, name)
            if (kind, ident) not in found:
                found[(kind, ident)] = _Profile(
                    kind, ident, self.names.get(ident, name) if kind == "person" else name
                )
            return found[(kind, ident)]

        for doc in self.docs:
            for person in doc.extraction.people:
                _add_person(profile("person", person.id, person.name), person, doc)
            for entity in (*doc.extraction.organizations, *doc.extraction.places):
                _add_entity(profile(entity.kind, _entity_id(entity), entity.name), entity, doc)
            for quote in doc.extraction.quotes:
                if quote.speaker_id:
                    speaker = profile(quote.speaker_kind or "person", quote.speaker_id, quote.speaker or "")
                    speaker.quotes.append((quote.number, quote, doc))
                    speaker.add_article(doc)
        return found

    def _tags(self) -> dict[str, tuple[str, list[Document]]]:
        """tag slug -> (the tag as first written, its articles newest first)."""
        tags: dict[str, tuple[str, list[Document]]] = {}
        for doc in self.docs:
            for tag in doc.tags:
                slug = slugify(tag) or "tag"  # routes keeps `index` (tags/index.md lists the topics)
                tags.setdefault(slug, (tag, []))[1].append(doc)
        return tags

    # -- pages --------------------------------------------------------------------------------------
    def pages(self) -> dict[str, str]:
        """content/-relative path -> page text, for every cross-article page."""
        out: dict[str, str] = {}
        by_kind: dict[str, list[_Profile]] = defaultdict(list)
        for (kind, ident), p in self.profiles.items():
            out[routes.entity_file(kind, ident)] = profile_page(p)
            by_kind[kind].append(p)
        for kind, section in routes.SECTIONS.items():
            out[f"{section}/index.md"] = index_page(kind, by_kind[kind])
        out.update(archive_pages(self.docs))
        out.update(tag_pages(self.tags))
        # The home page (docs/index.md) includes this list; links are relative to the site root.
        out["lists/latest.html"] = article_list(self.docs[:LATEST], "")
        return out


def _entity_id(e: Entity) -> str:
    return _entity_id_of(e.name, e.kind)


@lru_cache(maxsize=1 << 16)
def _entity_id_of(name: str, kind: EntityKind) -> str:
    # render.entity_id, memoised by what names an entity: it recurs in thousands of articles.
    return entity_id(Entity(name, kind, 0))


def _add_person(p: _Profile, person: Person, doc: Document) -> None:
    p.aliases.update((person.name, *person.aliases))
    if person.role:
        p.roles.setdefault(person.role, []).append(doc)
    p.add_article(doc)


def _add_entity(p: _Profile, entity: Entity, doc: Document) -> None:
    p.aliases.update((entity.name, *entity.variants))
    p.add_article(doc)


def urls(docs: list[Document]) -> frozenset[str]:
    """Every generated page's URL, so renderers link only to pages that exist."""
    return Archive(docs).urls


def pages(docs: list[Document]) -> dict[str, str]:
    return Archive(docs).pages()


# -- one page each ------------------------------------------------------------------------------------
def _link(prefix: str, doc: Document, fragment: str = "") -> str:
    return _link_html(prefix, doc.article.slug, doc.title, fragment)


@lru_cache(maxsize=1 << 16)  # an article is linked from every page of its people, places and topics
def _link_html(prefix: str, slug: str, title: str, fragment: str) -> str:
    # prefix leads from the page to the site root ('../../'): cheaper than a relpath per link at 10k articles.
    href = prefix + routes.article_url(slug) + fragment
    return f'<a href="{escape(href)}">{escape(title)}</a>'


def _roles(prefix: str, p: _Profile) -> list[str]:
    lines = ['<h2 id="roles">Roles</h2>', '<ul class="mg-profile-roles">']
    for role, docs in p.roles.items():
        shown = ", ".join(_link(prefix, doc) for doc in docs[:ROLE_LINKS])
        more = f" and {_plural(len(docs) - ROLE_LINKS, 'more article')}" if len(docs) > ROLE_LINKS else ""
        lines.append(f'<li>{escape(role)} <span class="mg-source">({shown}{more})</span></li>')
    return [*lines, "</ul>"]


def profile_page(p: _Profile) -> str:
    prefix = routes.to_root(routes.entity_url(p.kind, p.id))
    lines = ['<div class="mg-profile">']
    if others := sorted(p.aliases - {p.name}):
        lines.append(f'<p class="mg-aliases">Also named: {escape(", ".join(others))}</p>')
    if p.roles:
        lines += _roles(prefix, p)
    if p.quotes:
        lines += ['<h2 id="quotes">Quotes</h2>', '<ol class="mg-profile-quotes">']
        for _, quote, doc in p.quotes:
            jump = _link(prefix, doc, f"#p-{quote.paragraph}")
            lines.append(
                f'<li><q>{escape(quote.text)}</q> <span class="mg-source">{jump}, {_date(doc)}, '
                f"paragraph {quote.paragraph}</span></li>"
            )
        lines.append("</ol>")
    lines += ['<h2 id="articles">Articles</h2>', "<ul>"]
    lines += [f"<li>{_link(prefix, doc)} {_date(doc)}</li>" for doc in p.articles.values()]
    lines += ["</ul>", "</div>"]
    return _page(p.name, "\n".join(lines) + "\n", kind=p.kind, id=p.id)


def _initial(name: str) -> str:
    first = name.lstrip("\"'“‘(")[:1].upper()
    return first if first.isalpha() else "#"


def index_page(kind: str, found: list[_Profile]) -> str:
    """Every profile of a kind, under its initial letter, with how many articles it appears in."""
    here = routes.SECTIONS[kind] + "/"
    groups: dict[str, list[_Profile]] = defaultdict(list)
    for p in sorted(found, key=lambda p: (p.name.casefold(), p.id)):
        groups[_initial(p.name)].append(p)
    lines = []
    for letter in sorted(groups, key=lambda g: (g == "#", g)):
        anchor = "other" if letter == "#" else letter.lower()
        lines += [f'<h2 id="{escape(anchor)}">{escape(letter)}</h2>', '<ul class="mg-index">']
        for p in groups[letter]:
            href = routes.relative(here, routes.entity_url(kind, p.id))
            lines.append(
                f'<li><a href="{escape(href)}">{escape(p.name)}</a> '
                f'<span class="mg-count">{_plural(len(p.articles), "article")}</span></li>'
            )
        lines.append("</ul>")
    if not found:
        lines.append(f'<p class="mg-empty">No {SECTION_TITLES[kind].lower()} yet.</p>')
    return _page(SECTION_TITLES[kind], "\n".join(lines) + "\n")


def article_list(docs: list[Document], here: str) -> str:
    prefix = routes.to_root(here)
    lines = ['<ul class="mg-article-list">']
    for doc in docs:
        lines.append(
            f'<li class="mg-article-item">{_link(prefix, doc)} {_date(doc)}'
            f'<p class="mg-summary">{escape(doc.summary)}</p></li>'
        )
    lines.append("</ul>")
    return "\n".join(lines) + "\n"


# -- the archive by date ------------------------------------------------------------------------------
def _year(doc: Document) -> str:
    return str(doc.date.year) if doc.date else routes.UNDATED


def archive_pages(docs: list[Document]) -> dict[str, str]:
    """articles/index.md (the years, then the latest articles) and one page per year, by month.

    One page per year keeps every page small at 10,000 articles; `docs` is newest first.
    """
    years: dict[str, list[Document]] = defaultdict(list)
    for doc in docs:
        years[_year(doc)].append(doc)
    here = routes.ARTICLES + "/"
    lines = ['<h2 id="by-year">By year</h2>', '<ul class="mg-years">']
    for year, items in years.items():
        label = "Undated" if year == routes.UNDATED else year
        href = routes.relative(here, routes.archive_url(year))
        lines.append(
            f'<li><a href="{escape(href)}">{label}</a> '
            f'<span class="mg-count">{_plural(len(items), "article")}</span></li>'
        )
    lines += ["</ul>", '<h2 id="latest">Latest</h2>', article_list(docs[:INDEX_LATEST], here)]
    out = {f"{routes.ARTICLES}/index.md": _page("All articles", "\n".join(lines) + "\n")}
    for year, items in years.items():
        out[routes.archive_file(year)] = year_page(year, items)
    return out


def year_page(year: str, docs: list[Document]) -> str:
    here = routes.archive_url(year)
    if year == routes.UNDATED:
        return _page("Undated articles", article_list(docs, here))
    months: dict[str, list[Document]] = defaultdict(list)
    for doc in docs:
        months[f"{doc.date:%B}" if doc.date else ""].append(doc)
    lines = []
    for month, items in months.items():
        lines += [f'<h2 id="{slugify(month)}">{escape(month)} {year}</h2>', article_list(items, here)]
    return _page(f"Articles of {year}", "\n".join(lines))


# -- topics -------------------------------------------------------------------------------------------
def tag_pages(tags: dict[str, tuple[str, list[Document]]]) -> dict[str, str]:
    """tags/index.md (every topic with its count) and tags/<slug>.md (its articles, newest first)."""
    here = routes.TAGS + "/"
    lines = ['<ul class="mg-index mg-tags">']
    for slug, (name, docs) in sorted(tags.items(), key=lambda t: (t[1][0].casefold(), t[0])):
        href = routes.relative(here, routes.tag_url(slug))
        lines.append(
            f'<li><a href="{escape(href)}">{escape(name)}</a> '
            f'<span class="mg-count">{_plural(len(docs), "article")}</span></li>'
        )
    lines.append("</ul>")
    if not tags:
        lines = [
            '<p class="mg-empty">No topics yet: an editor adds them with <code>tags:</code> in a '
            "seed's sidecar.</p>"
        ]
    out = {f"{routes.TAGS}/index.md": _page("Topics", "\n".join(lines) + "\n")}
    for slug, (name, docs) in tags.items():
        out[routes.tag_file(slug)] = _page(name, article_list(docs, routes.tag_url(slug)), kind="topic")
    return out
