"""The archive's search index: small static files a browser fetches a few at a time.

Material's search downloads the text of the whole archive before its first result (7 MB
gzipped at 10,000 articles, bench/README.md). This index is split so that a first query
fetches only `meta.json`, one shard per word typed and the document chunks of the results
shown (overrides/assets/search.js). Pagefind does the same, but needed 4 GB of memory to index
10,000 articles and re-indexes everything when one article changes; this one is plain Python
over the Documents the pipeline already holds, written through the same store as the pages.

Format (version 1), under content/search-data/ and so site/search-data/:

- `meta.json`: {"version", "docs": N, "chunk": documents per chunk, "prefix": shard key length,
  "shards": the shard keys that exist, "stopwords"}
- `t/<key>.json`: the terms whose first PREFIX characters are <key> (hex when not [a-z0-9]),
  each term -> [id gap, weight, id gap, weight, ...]: ids ascending, each given as the gap from
  the previous one (the first from 0), so common words cost a few bytes per document.
- `d/<n>.json`: documents n*CHUNK .. n*CHUNK+CHUNK-1, each [url, title, kind, date, summary],
  url relative to the site root.

Document ids are the order of the documents' URLs, so editing an article changes only the
shards of the words it gained or lost and its own chunk (the store writes only those).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

import yaml

from build_tools import patterns, routes
from build_tools.model import Document
from build_tools.site import Archive

VERSION = 1
FOLDER = routes.SEARCH_DATA  # content/search-data/ -> site/search-data/
CHUNK = 100  # documents per d/<n>.json: a result costs its chunk (about 10 kB gzipped)
PREFIX = 2  # characters of a term that name its shard: a few hundred shards, none large
TITLE_WEIGHT = 10  # a word of the title or the name counts as this many words of the text
MAX_WEIGHT = 99  # long articles do not drown short ones that match as well
MAX_TERM = 40  # longer "words" are URLs and noise


@dataclass(frozen=True)
class Entry:
    """One searchable page: what a result shows, and the words it is found by."""

    url: str
    title: str
    kind: str  # article, person, organization, place, topic
    date: str  # YYYY-MM-DD or ""
    summary: str
    text: str  # the words found with weight 1 (the title's words are added with TITLE_WEIGHT)

    def fields(self) -> tuple[str, ...]:
        return (self.url, self.title, self.kind, self.date, self.summary, self.text)

    def row(self) -> list[str]:
        return [self.url, self.title, self.kind, self.date, self.summary]


@cache
def stopwords() -> frozenset[str]:
    text = resources.files("build_tools.rules").joinpath("search.yml").read_text(encoding="utf-8")
    return frozenset(str(yaml.safe_load(text)["stopwords"]).split())


def words(text: str) -> list[str]:
    """The index's words of text, in order: 'Taliban’s Café' -> ['taliban', 'cafe']."""
    text = patterns.SEARCH_APOSTROPHE.sub("", patterns.SEARCH_POSSESSIVE.sub("", text))
    if not text.isascii():  # fold only what is not ASCII: most of an English article is
        text = patterns.NON_ASCII_RUN.sub(_fold, text)
    stop = stopwords()
    return [w for w in patterns.SEARCH_WORD.findall(text.lower()) if 1 < len(w) <= MAX_TERM and w not in stop]


def _fold(run: re.Match[str]) -> str:
    return _folded(run.group())


@lru_cache(maxsize=1 << 16)
def _folded(text: str) -> str:
    """'Zürich' -> 'Zurich', 'مُحَمَّد' -> 'محمد': compatibility forms, every mark dropped (as search.js
    does with NFKD and \\p{M}); a mark is not a word character, so it would split the word."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))


def weights(entry: Entry) -> Counter[str]:
    found = Counter(words(entry.text))
    for word in set(words(entry.title)):
        found[word] += TITLE_WEIGHT
    return found


def shard_key(term: str) -> str:
    key = term[:PREFIX]
    return key if patterns.SEARCH_PLAIN_KEY.fullmatch(key) else "_" + key.encode("utf-8").hex()


# -- what is searchable ---------------------------------------------------------------------------------
def entries(archive: Archive) -> list[Entry]:
    """Every article, person, organisation, place and topic page, by URL (the ids' order)."""
    found = [_article(doc) for doc in archive.docs]
    for (kind, ident), p in archive.profiles.items():
        roles = sorted(p.roles)
        summary = "; ".join(roles[:3]) if roles else _count(len(p.articles))
        names = " ".join(sorted(p.aliases - {p.name}))
        found.append(
            Entry(routes.entity_url(kind, ident), p.name, kind, "", summary, f"{names} {' '.join(roles)}")
        )
    for slug, (tag, docs) in archive.tags.items():
        found.append(Entry(routes.tag_url(slug), tag, "topic", "", _count(len(docs)), ""))
    return sorted(found, key=lambda e: e.url)


def _article(doc: Document) -> Entry:
    x = doc.extraction
    about = [p.name + (f" {p.role}" if p.role else "") for p in x.people]
    about += [e.name for e in (*x.organizations, *x.places)]
    about += [b.text for b in x.background if b.span is None]  # the editor's notes; the rest is the text
    text = "\n".join((doc.summary, doc.article.text, *about, *doc.tags))
    day = doc.date.isoformat() if doc.date else ""
    return Entry(routes.article_url(doc.article.slug), doc.title, "article", day, doc.summary, text)


def _count(n: int) -> str:
    return f"{n} article{'' if n == 1 else 's'}"


# -- the files ------------------------------------------------------------------------------------------
def files(found: Iterable[Entry]) -> dict[str, str]:
    """content/-relative path -> JSON text, for every file of the index."""
    found = list(found)
    matches: dict[str, list[tuple[int, int]]] = defaultdict(list)  # term -> [(id, weight)], ids ascending
    for ident, entry in enumerate(found):
        for term, weight in weights(entry).items():
            matches[term].append((ident, weight))
    shards: dict[str, dict[str, list[int]]] = defaultdict(dict)
    for term in sorted(matches):
        shards[shard_key(term)][term] = _postings(matches[term])
    out = {f"{FOLDER}/t/{key}.json": _json(terms) for key, terms in shards.items()}
    for n, rows in enumerate(_chunks([e.row() for e in found], CHUNK)):
        out[f"{FOLDER}/d/{n}.json"] = _json(rows)
    meta = {
        "version": VERSION,
        "docs": len(found),
        "chunk": CHUNK,
        "prefix": PREFIX,
        "shards": sorted(shards),
        "stopwords": sorted(stopwords()),
    }
    out[f"{FOLDER}/meta.json"] = _json(meta)
    return out


def _postings(matches: list[tuple[int, int]]) -> list[int]:
    """[(3, 1), (7, 12)] -> [3, 1, 4, 12]: each id as the gap from the one before."""
    flat: list[int] = []
    previous = 0
    for ident, weight in matches:
        flat += (ident - previous, min(weight, MAX_WEIGHT))
        previous = ident
    return flat


def _chunks(rows: list[list[str]], size: int) -> Iterator[list[list[str]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _json(value: object) -> str:
    # Compact, and one line per top-level item would not help: the files are read by code only.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"
