"""What is searchable: every article, person, organisation, place and topic page, and the quotes
of each article, from the Documents the pipeline already holds."""

from __future__ import annotations

import json
from dataclasses import dataclass

from build_tools import routes
from build_tools.model import Document, Quote
from build_tools.search.words import name_words
from build_tools.site import Archive

# The order of the kinds in the index's ids (meta.json gives each kind its range of ids).
KINDS = ("article", "person", "organization", "place", "topic")


@dataclass(frozen=True)
class QuoteRef:
    """A quote of an article: where it is in the article's text and who said it."""

    start: int
    end: int
    paragraph: int
    speaker: str  # "" when the extraction found none
    speaker_url: str  # the speaker's page, "" when the archive has none

    def row(self) -> list[object]:
        return [self.start, self.end, self.paragraph, self.speaker, self.speaker_url]


@dataclass(frozen=True)
class Entry:
    """One searchable page: what a result shows, and the words it is found by."""

    url: str
    title: str
    kind: str  # one of KINDS
    date: str  # YYYY-MM-DD or ""
    text: str  # shown around the matched words: an article's body, a profile's roles
    more: str = ""  # found, not shown: an article's people, places, topics, notes; other names
    quotes: tuple[QuoteRef, ...] = ()  # spans of `text`
    names: frozenset[str] = frozenset()  # words of people's names here: not stemmed

    @property
    def year(self) -> str:
        return self.date[:4]

    def fields(self) -> tuple[str, ...]:
        """Everything the index is made from, as strings: the search cache's key."""
        quotes = json.dumps([q.row() for q in self.quotes], ensure_ascii=False)
        return (self.url, self.title, self.kind, self.date, self.text, self.more, quotes, *sorted(self.names))

    def order(self) -> tuple[int, str, str]:
        """Ids by kind, then year, then URL: a filter is a range of ids, and an edit keeps the id."""
        return (KINDS.index(self.kind), self.year, self.url)


def entries(archive: Archive) -> list[Entry]:
    """Every page of the archive that search finds, in the order of their ids."""
    found = [article_entry(doc, archive) for doc in archive.docs]
    found += [profile_entry(key, archive) for key in archive.profiles]
    found += topic_entries(archive)
    return sorted(found, key=Entry.order)


def profile_entry(key: tuple[str, str], archive: Archive) -> Entry:
    """A person, organisation or place: found by its name, its other names and its roles."""
    kind, ident = key
    p = archive.profiles[key]
    roles = sorted(p.roles)
    summary = "; ".join(roles) if roles else _count(len(p.articles))
    others = " ".join(sorted(p.aliases - {p.name}))
    names = name_words([p.name, *p.aliases]) if kind == "person" else frozenset()
    return Entry(routes.entity_url(kind, ident), p.name, kind, "", summary, others, names=names)


def topic_entries(archive: Archive) -> list[Entry]:
    return [
        Entry(routes.tag_url(slug), tag, "topic", "", _count(len(docs)))
        for slug, (tag, docs) in archive.tags.items()
    ]


def article_entry(doc: Document, archive: Archive) -> Entry:
    x = doc.extraction
    about = [p.name + (f" {p.role}" if p.role else "") for p in x.people]
    about += [e.name for e in (*x.organizations, *x.places)]
    about += [b.text for b in x.background if b.span is None]  # the editor's notes; the rest is the text
    speakers = [q.speaker for q in x.quotes if q.speaker and (q.speaker_kind or "person") == "person"]
    names = name_words([n for p in x.people for n in (p.name, *p.aliases)] + speakers)
    return Entry(
        routes.article_url(doc.article.slug),
        doc.title,
        "article",
        doc.date.isoformat() if doc.date else "",
        doc.article.text,
        "\n".join((doc.summary, *about, *doc.tags)),
        tuple(_quote(q, archive) for q in x.quotes),
        names,
    )


def _quote(q: Quote, archive: Archive) -> QuoteRef:
    url = routes.entity_url(q.speaker_kind or "person", q.speaker_id) if q.speaker_id else ""
    page = url if url in archive.urls else ""
    return QuoteRef(q.span.start, q.span.end, q.paragraph, q.speaker or "", page)


def _count(n: int) -> str:
    return f"{n} article{'' if n == 1 else 's'}"
