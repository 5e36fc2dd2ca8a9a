"""Cross-article pages: people, organisations, places, topics, the archive by date, the latest list.

Pages are built from the Documents of the whole archive, so a person quoted in three
articles has one page listing every quote with its article, date and paragraph. Every list
is sorted by values (date, name, slug), never by the order of files on disk, and the work is
linear in the size of the archive: 10,000 articles must cost ten times 1,000.
"""

from __future__ import annotations

import bisect
import datetime
import json
import re
from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape

from build_tools import routes
from build_tools.model import Document, Entity, EntityKind, Person, Quote
from build_tools.render import Previously, entity_id, meta_text, short_role
from build_tools.textutil import slugify

LATEST = 10  # articles listed on the home page
INDEX_LATEST = 30  # articles listed under the years on articles/index.md
ROLE_LINKS = 3  # articles named beside a role before "and N more"
SECTION_TITLES = {"person": "People", "organization": "Organisations", "place": "Places"}
KIND_NAMES = {"person": "Person", "organization": "Organisation", "place": "Place"}
COMPANY = 8  # people and organisations listed as appearing with a profile
COMPANY_NAMES = 50  # people, and organisations and places, of one article that count company


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
    named: bool = True  # False for a source the articles describe but do not name
    latest_role: str | None = None  # the role the newest article that states one gives
    company: Counter[tuple[str, str]] = field(default_factory=Counter)  # (kind, id) -> articles shared

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
        # slug -> the profiles an article is part of: a page to write again when the article changes
        self.contributions: dict[str, set[tuple[str, str]]] = defaultdict(set)
        self.profiles = self._profiles()
        self.tags = self._tags()
        found = {routes.article_url(d.article.slug) for d in self.docs}
        found |= {routes.entity_url(kind, ident) for kind, ident in self.profiles}
        self.urls = frozenset(found)
        self._timelines: dict[tuple[str, str], tuple[list[tuple[int, str]], list[Document]]] = {}

    def faces(self) -> dict[tuple[str, str], tuple[str, str | None]]:
        """What the page of a profile shows of each other profile it lists as company: its name and
        latest role (its address is its key). A profile whose face changes renders the pages that
        list it again (publish._touched)."""
        return {key: (p.name, p.latest_role) for key, p in self.profiles.items()}

    def links_from(self, doc: Document) -> list[str]:
        """What an article's page depends on beyond itself: the pages it could link to that exist,
        and the archive's earlier articles of its people and organisations."""
        x = doc.extraction
        targets = {routes.entity_url("person", p.id) for p in x.people}
        targets |= {
            routes.entity_url(q.speaker_kind or "person", q.speaker_id) for q in x.quotes if q.speaker_id
        }
        targets |= {routes.entity_url(e.kind, _entity_id(e)) for e in (*x.organizations, *x.places)}
        earlier = [f"previously\0{p.url}\0{p.day}\0{p.title}\0{p.names}" for p in self.previously(doc)]
        return sorted(targets & self.urls) + earlier

    def previously(self, doc: Document) -> tuple[Previously, ...]:
        """For each named person and organisation in the article, their latest earlier article in the
        archive ("Previously: <title>, <date>"), newest first; one line per article, naming them all."""
        if doc.date is None:
            return ()
        x = doc.extraction
        who: list[tuple[str, str, str]] = [
            ("person", p.id, self.names.get(p.id, p.name)) for p in x.people if p.named
        ]
        who += [("organization", _entity_id(e), e.name) for e in x.organizations]
        found: dict[str, tuple[Document, list[str]]] = {}
        for kind, ident, name in who:
            earlier = self._latest_before(kind, ident, doc.date)
            if earlier is not None and name not in found.get(earlier.article.slug, (None, []))[1]:
                found.setdefault(earlier.article.slug, (earlier, []))[1].append(name)
        items = sorted(found.values(), key=lambda t: (-t[0].date.toordinal(), t[0].article.slug))  # type: ignore[union-attr]
        return tuple(
            Previously(tuple(names), routes.article_url(d.article.slug), d.title, d.date)  # type: ignore[arg-type]
            for d, names in items
        )

    def _latest_before(self, kind: str, ident: str, day: datetime.date) -> Document | None:
        """The newest article of a profile dated before `day`, by binary search on its timeline."""
        timeline = self._timelines.get((kind, ident))
        if timeline is None:
            profile = self.profiles.get((kind, ident))
            dated = [d for d in profile.articles.values() if d.date] if profile else []
            timeline = ([(-d.date.toordinal(), d.article.slug) for d in dated], dated)  # type: ignore[union-attr]
            self._timelines[(kind, ident)] = timeline
        keys, docs = timeline
        i = bisect.bisect_right(keys, (-day.toordinal(), "\uffff"))
        return docs[i] if i < len(docs) else None

    # -- indexing -----------------------------------------------------------------------------------
    def _profiles(self) -> dict[tuple[str, str], _Profile]:
        found: dict[tuple[str, str], _Profile] = {}

        def profile(kind: str, ident: str, name: str, doc: Document) -> _Profile:
            if not ident:  # a name without letters ('—'): no address, so no page, and nothing links to it
                return _Profile(kind, ident, name)
            if (kind, ident) not in found:
                found[(kind, ident)] = _Profile(
                    kind, ident, self.names.get(ident, name) if kind == "person" else name
                )
            self.contributions[doc.article.slug].add((kind, ident))
            return found[(kind, ident)]

        for doc in self.docs:
            for person in doc.extraction.people:
                _add_person(profile("person", person.id, person.name, doc), person, doc)
            for entity in (*doc.extraction.organizations, *doc.extraction.places):
                _add_entity(profile(entity.kind, _entity_id(entity), entity.name, doc), entity, doc)
            for quote in doc.extraction.quotes:
                if quote.speaker_id:
                    speaker = profile(
                        quote.speaker_kind or "person", quote.speaker_id, quote.speaker or "", doc
                    )
                    speaker.quotes.append((quote.number, quote, doc))
                    speaker.add_article(doc)
            _count_company(found, doc)
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
    def pages(self, profiles: Collection[tuple[str, str]] | None = None) -> dict[str, str]:
        """content/-relative path -> page text, for every cross-article page; with `profiles`, the pages
        of only those people, organisations and places (the others are as the last build wrote them)."""
        out: dict[str, str] = {}
        by_kind: dict[str, list[_Profile]] = defaultdict(list)
        for (kind, ident), p in self.profiles.items():
            if profiles is None or (kind, ident) in profiles:
                out[routes.entity_file(kind, ident)] = profile_page(p, self.profiles)
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
    p.named = p.named and person.named
    if person.role:
        p.roles.setdefault(person.role, []).append(doc)
        p.latest_role = p.latest_role or person.role  # the archive is read newest first
    p.add_article(doc)


def _count_company(found: dict[tuple[str, str], _Profile], doc: Document) -> None:
    """Who appears with whom: each named person counts the people and organisations of the same
    article, and each organisation and place the named people. Linear in the archive: at most
    COMPANY_NAMES of each an article, in the order the article names them."""
    x = doc.extraction
    named: list[tuple[str, str]] = [
        ("person", p.id) for p in x.people if p.named and ("person", p.id) in found
    ]
    entities: list[tuple[str, str]] = [(e.kind, _entity_id(e)) for e in (*x.organizations, *x.places)]
    # The first names of the article only: company is counted in pairs, and an article that names
    # thousands (a list, a crafted input) would cost their square.
    people = list(dict.fromkeys(named))[:COMPANY_NAMES]
    others = [k for k in dict.fromkeys(entities) if k in found][:COMPANY_NAMES]
    for key in people:
        found[key].company.update(k for k in people if k != key)
        found[key].company.update(k for k in others if k[0] == "organization")
    for key in others:
        found[key].company.update(people)


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
    """Each role with the articles that state it, the newest first, and its date."""
    lines = ['<ul class="mg-profile-roles">']
    for role, docs in p.roles.items():
        shown = "; ".join(f"{_link(prefix, doc)}, {_date(doc)}" for doc in docs[:ROLE_LINKS])
        more = f" and {_plural(len(docs) - ROLE_LINKS, 'more article')}" if len(docs) > ROLE_LINKS else ""
        lines.append(f'<li>{escape(role)} <span class="mg-source">({shown}{more})</span></li>')
    return [*lines, "</ul>"]


def _fact(term: str, value: str) -> str:
    return f"<div><dt>{escape(term)}</dt><dd>{value}</dd></div>"


def _card(prefix: str, p: _Profile) -> list[str]:
    """What the archive knows, at a glance: kind, roles or variants, counts, first and last date."""
    facts = []
    if p.kind == "person":
        if p.roles:
            facts.append(_fact("Roles", "\n".join(_roles(prefix, p))))
    elif others := sorted(p.aliases - {p.name}):
        facts.append(_fact("Also written", escape(", ".join(others))))
    counts = _plural(len(p.articles), "article")
    if p.quotes:
        counts += f" · {_plural(len(p.quotes), 'quote')}"
    facts.append(_fact("In the archive", counts))
    days = sorted(d.date for d in p.articles.values() if d.date)
    if days:
        facts.append(_fact("First seen", _date_html(days[0])))
        facts.append(_fact("Last seen", _date_html(days[-1])))
    if p.kind == "person" and (others := sorted(p.aliases - {p.name})):
        facts.append(_fact("Also named", escape(", ".join(others))))
    kind = KIND_NAMES[p.kind] if p.named else "Unnamed source"
    return [
        f'<section class="mg-card mg-card--{p.kind}" aria-labelledby="card">',
        f'<h2 class="mg-card__kind" id="card">{kind}</h2>',
        f'<dl class="mg-card__facts">{"".join(facts)}</dl>',
        "</section>",
    ]


def _company(prefix: str, p: _Profile, profiles: dict[tuple[str, str], _Profile]) -> list[str]:
    """Those this profile appears with most: people, and for a person the organisations too."""
    lines: list[str] = []
    kinds = ("person", "organization") if p.kind == "person" else ("person",)
    for kind in kinds:
        ranked = sorted(
            ((n, profiles[k]) for k, n in p.company.items() if k[0] == kind and k in profiles),
            key=lambda t: (-t[0], t[1].name.casefold(), t[1].id),
        )[:COMPANY]
        if not ranked:
            continue
        title = {"person": "People", "organization": "Organisations"}[kind]
        anchor = f"with-{routes.SECTIONS[kind]}"
        heading = f"{title} in the same articles" if p.kind == "person" else "People linked to it"
        lines += [f'<h2 id="{anchor}">{heading}</h2>', '<ul class="mg-company">']
        for n, other in ranked:
            href = prefix + routes.entity_url(other.kind, other.id)
            role = _role_html(other.latest_role)
            lines.append(
                f'<li><a href="{escape(href)}">{escape(other.name)}</a>{role} '
                f'<span class="mg-count">{_plural(n, "article")}</span></li>'
            )
        lines.append("</ul>")
    return lines


def profile_page(p: _Profile, profiles: dict[tuple[str, str], _Profile] | None = None) -> str:
    prefix = routes.to_root(routes.entity_url(p.kind, p.id))
    lines = ['<div class="mg-profile">', *_card(prefix, p)]
    if p.quotes:  # the archive is read newest first
        heading = "Quotes" if p.kind == "person" else f"Quotes by {escape(p.name)}"
        lines += [f'<h2 id="quotes">{heading}</h2>', '<ol class="mg-profile-quotes">']
        for _, quote, doc in p.quotes:
            jump = _link(prefix, doc, f"#p-{quote.paragraph}")
            lines.append(
                f'<li><q>{escape(quote.text)}</q> <span class="mg-source">{jump}, {_date(doc)}, '
                f"paragraph {quote.paragraph}</span></li>"
            )
        lines.append("</ol>")
    lines += _company(prefix, p, profiles or {})
    lines += ['<h2 id="articles">Articles</h2>', '<ul class="mg-profile-articles">']
    lines += [f"<li>{_link(prefix, doc)} {_date(doc)}</li>" for doc in p.articles.values()]
    lines += ["</ul>", "</div>"]
    return _page(p.name, "\n".join(lines) + "\n", kind=p.kind, id=p.id)


SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
SURNAME_PARTICLES = ("al-", "el-", "ad-", "as-")


def surname(name: str) -> str:
    """The word a person is filed under: `Zabihullah Mujahid` -> `Mujahid`, `Martin Luther King Jr.`
    -> `King`, `Abdelbaset al-Megrahi` -> `Megrahi`."""
    words = [w for w in name.split() if w.casefold() not in SUFFIXES] or name.split() or [name]
    last = words[-1]
    for particle in SURNAME_PARTICLES:
        if last.casefold().startswith(particle) and len(last) > len(particle):
            return last[len(particle) :]
    return last


def _initial(name: str) -> str:
    first = name.lstrip("\"'“‘(")[:1].upper()
    return first if first.isalpha() else "#"


def _role_html(role: str | None) -> str:
    short = short_role(role)
    return f' <span class="mg-role">{escape(short)}</span>' if short else ""


def _filed_under(p: _Profile) -> str:
    """People by surname (unnamed sources last, by what describes them); the rest by name."""
    return surname(p.name) if p.kind == "person" and p.named else p.name


def index_page(kind: str, found: list[_Profile]) -> str:
    """Every profile of a kind under its letter (people by surname, with their latest role; unnamed
    sources last), each with how many articles it appears in."""
    here = routes.SECTIONS[kind] + "/"
    groups: dict[str, list[_Profile]] = defaultdict(list)
    for p in sorted(found, key=lambda p: (_filed_under(p).casefold(), p.name.casefold(), p.id)):
        groups["Unnamed sources" if not p.named else _initial(_filed_under(p))].append(p)
    lines = []
    for letter in sorted(groups, key=lambda g: (g == "Unnamed sources", g == "#", g)):
        anchor = {"#": "other", "Unnamed sources": "unnamed"}.get(letter, letter.lower())
        lines += [f'<h2 id="{escape(anchor)}">{escape(letter)}</h2>', '<ul class="mg-index">']
        for p in groups[letter]:
            href = routes.relative(here, routes.entity_url(kind, p.id))
            role = _role_html(p.latest_role)
            lines.append(
                f'<li><a href="{escape(href)}">{escape(p.name)}</a>{role} '
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
