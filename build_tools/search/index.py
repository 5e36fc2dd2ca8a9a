"""The index's files: small static JSON files that a browser fetches a few at a time.

The layout (version 2) is described in build_tools/search/__init__.py. Everything is computed
from the entries alone, sorted, and written compactly, so the same archive gives the same bytes,
and an edit of one article changes only its own page file and the shards of the terms it
gained, lost or changed the weight of.
"""

from __future__ import annotations

import bisect
import json
from array import array
from collections import defaultdict
from collections.abc import Iterable

from build_tools import patterns, routes
from build_tools.search.analysis import Analysis, AnalysisCache
from build_tools.search.entries import KINDS, Entry
from build_tools.search.words import stopwords

VERSION = 2
FOLDER = routes.SEARCH_DATA  # content/search-data/ -> site/search-data/
CHUNK = 100  # document URLs per d/<n>.json (about 4 kB)
PREFIX = 2  # characters of a term that name its shard, at least
MAX_SHARD = 48_000  # bytes: a larger shard is split by one more character of its terms
MAX_PREFIX = 5  # ... down to this many (one term's postings are never split)
SAFE_INTEGER = 1 << 53  # a larger quote mask is written as hex text: JSON numbers are doubles in JS


def files(found: Iterable[Entry], cache: AnalysisCache | None = None) -> dict[str, str]:
    """content/-relative path -> JSON text, for every file of the index; `cache` keeps each
    entry's terms between builds."""
    found = list(found)
    analyses = (cache or AnalysisCache(None, "")).analyses(found)
    out = listing(found, analyses)
    for entry in found:
        out[page_path(entry.url)] = page_text(entry)
    return out


def listing(found: list[Entry], analyses: list[Analysis]) -> dict[str, str]:
    """Every file of the index but the pages' own (page_text): the shards, the URL chunks, meta.json."""
    return Shards.made(found, analyses).files(found)


class Shards:
    """The shards of one build, and what they were made from, so that the next build in the same
    process (the preview's) makes again only the shards of the terms whose postings changed:
    remaking every shard costs half a second at 1,000 articles and several at 10,000, for an edit
    that changes a few hundred terms. Made anew (`made`) when the pages or their order changed
    (the ids are positions); `updated` shares every unchanged part with the last build's."""

    def __init__(self, urls: tuple[str, ...], analyses: list[Analysis], postings: _Postings) -> None:
        self.urls, self.analyses, self.postings = urls, analyses, postings
        self.encoded = {term: _json_part(term, postings.encoded(term)) for term in postings.flat}
        self.groups: dict[str, set[str]] = defaultdict(set)
        for term in self.encoded:
            self.groups[term.lower()[:PREFIX]].add(term)
        self.keyed = {key: self._split(key) for key in self.groups}

    @classmethod
    def made(cls, found: list[Entry], analyses: list[Analysis]) -> Shards:
        return cls(tuple(e.url for e in found), list(analyses), _Postings(analyses))

    def updated(self, found: list[Entry], analyses: list[Analysis]) -> Shards:
        """The shards of the same pages with these analyses: only the terms of the pages whose
        analysis is not the very same object are encoded again, only their groups split again."""
        urls = tuple(e.url for e in found)
        if urls != self.urls:
            return Shards.made(found, analyses)
        changed = [i for i, (a, b) in enumerate(zip(self.analyses, analyses, strict=True)) if a is not b]
        new = object.__new__(Shards)
        new.urls, new.analyses = urls, list(analyses)
        new.postings = self.postings.replaced({i: analyses[i] for i in changed}, self.analyses)
        terms = {t for i in changed for t in (*self.analyses[i].terms, *analyses[i].terms)}
        new.encoded, new.groups = dict(self.encoded), {k: set(v) for k, v in self.groups.items()}
        for term in terms:
            group = new.groups.setdefault(term.lower()[:PREFIX], set())
            if term in new.postings.flat:
                new.encoded[term] = _json_part(term, new.postings.encoded(term))
                group.add(term)
            else:
                new.encoded.pop(term, None)
                group.discard(term)
        touched = {t.lower()[:PREFIX] for t in terms}
        new.keyed = {k: v for k, v in self.keyed.items() if k not in touched}
        for key in touched:
            if new.groups[key]:
                new.keyed[key] = new._split(key)
            else:
                del new.groups[key]
        return new

    def _split(self, key: str) -> dict[str, str]:
        """One group's shards: shard key -> its JSON."""
        group = sorted(self.groups[key])
        split = _split(key, group, {t: len(self.encoded[t]) + 1 for t in group})
        return {k: "{" + ",".join(self.encoded[t] for t in sorted(g)) + "}\n" for k, g in split.items()}

    def files(self, found: list[Entry]) -> dict[str, str]:
        out: dict[str, str] = {}
        shards = {k: text for group in self.keyed.values() for k, text in group.items()}
        for key in sorted(shards):
            out[f"{FOLDER}/t/{_file_key(key)}.json"] = shards[key]
        for n in range(0, len(found), CHUNK):
            out[f"{FOLDER}/d/{n // CHUNK}.json"] = _json([e.url for e in found[n : n + CHUNK]])
        out[f"{FOLDER}/meta.json"] = _json(_meta(found, sorted(shards)))
        return out


def page_path(url: str) -> str:
    """content/-relative path of one page's file."""
    return f"{FOLDER}/{page_file(url)}"


def page_text(entry: Entry) -> str:
    return _json(_page(entry))


def page_file(url: str) -> str:
    """The file of one page's text: 'articles/x/' -> 'p/articles/x.json' (named by URL, not by id,
    so that an article added before it does not rename it)."""
    return f"p/{url.strip('/') or 'index'}.json"


# -- postings -------------------------------------------------------------------------------------------
class _Postings:
    """term -> flat [id, weight, quote mask, ...], ids ascending. Arrays, not lists: 10,000 articles
    make millions of postings, and a list of Python ints costs several times the memory. A quote
    mask too large for an array item (more than 62 quotes in one article) is kept aside."""

    def __init__(self, analyses: list[Analysis]) -> None:
        self.flat: dict[str, array[int]] = defaultdict(lambda: array("q"))
        self.big: dict[tuple[str, int], int] = {}
        for ident, a in enumerate(analyses):
            for term, weight, mask in zip(a.terms, a.weights, a.masks, strict=True):
                if mask >= BIG_MASK:
                    self.big[(term, ident)], mask = mask, BIG_MASK
                self.flat[term].extend((ident, weight, mask))

    def replaced(self, changed: dict[int, Analysis], before: list[Analysis]) -> _Postings:
        """These postings with the pages `changed` (id -> its new analysis) analysed anew: a copy
        that shares every array the change leaves alone."""
        new = object.__new__(_Postings)
        new.flat = defaultdict(lambda: array("q"), self.flat)
        new.big = dict(self.big)
        for ident, analysis in changed.items():
            for term in before[ident].terms:
                new.flat[term] = _without(new.flat[term], ident)
                new.big.pop((term, ident), None)
                if not new.flat[term]:
                    del new.flat[term]
            for term, weight, mask in zip(analysis.terms, analysis.weights, analysis.masks, strict=True):
                if mask >= BIG_MASK:
                    new.big[(term, ident)], mask = mask, BIG_MASK
                new.flat[term] = _with(new.flat.get(term, array("q")), ident, weight, mask)
        return new

    def encoded(self, term: str) -> list[object]:
        """[(3, 1, 0), (7, 12, 5)] -> [3, 1, 4, -12, 5]: each id as the gap from the one before; a
        weight written negative is followed by the quote mask (most postings have none)."""
        out: list[object] = []
        previous = 0
        flat = self.flat[term]
        for i in range(0, len(flat), 3):
            ident, weight, mask = flat[i], flat[i + 1], flat[i + 2]
            mask = self.big[(term, ident)] if mask == BIG_MASK else mask
            if mask:
                out += (ident - previous, -weight, mask if mask < SAFE_INTEGER else f"{mask:x}")
            else:
                out += (ident - previous, weight)
            previous = ident
        return out


BIG_MASK = 1 << 62


def _without(flat: array[int], ident: int) -> array[int]:
    """A copy of one term's postings without the page `ident`."""
    k = bisect.bisect_left(flat[0::3], ident)
    if 3 * k < len(flat) and flat[3 * k] == ident:
        return flat[: 3 * k] + flat[3 * k + 3 :]
    return flat


def _with(flat: array[int], ident: int, weight: int, mask: int) -> array[int]:
    """A copy of one term's postings with the page `ident` in its place (ids ascending)."""
    k = bisect.bisect_left(flat[0::3], ident)
    return flat[: 3 * k] + array("q", (ident, weight, mask)) + flat[3 * k :]


# -- shards -----------------------------------------------------------------------------------------
def _shards(postings: _Postings) -> dict[str, str]:
    """shard key -> its JSON: the terms whose first PREFIX characters (in lower case) are the key."""
    encoded = {term: _json_part(term, postings.encoded(term)) for term in postings.flat}
    groups: dict[str, list[str]] = defaultdict(list)
    for term in encoded:
        groups[term.lower()[:PREFIX]].append(term)
    keyed: dict[str, list[str]] = {}
    for key, group in groups.items():
        keyed.update(_split(key, group, {t: len(encoded[t]) + 1 for t in group}))
    return {key: "{" + ",".join(encoded[t] for t in sorted(group)) + "}\n" for key, group in keyed.items()}


def _split(key: str, group: list[str], sizes: dict[str, int]) -> dict[str, list[str]]:
    """A group larger than MAX_SHARD split by one more character of its terms; the terms no longer
    than the key stay under it. One term's postings are never split."""
    if sum(sizes[t] for t in group) <= MAX_SHARD or len(key) >= MAX_PREFIX:
        return {key: group}
    short = [t for t in group if len(t) <= len(key)]
    longer: dict[str, list[str]] = defaultdict(list)
    for term in group:
        if len(term) > len(key):
            longer[term.lower()[: len(key) + 1]].append(term)
    out = {key: short} if short else {}
    for sub, terms_ in longer.items():
        out.update(_split(sub, terms_, sizes))
    return out


def _file_key(key: str) -> str:
    return key if patterns.SEARCH_PLAIN_KEY.fullmatch(key) else "_" + key.encode("utf-8").hex()


# -- pages and meta -------------------------------------------------------------------------------------
def _page(entry: Entry) -> dict[str, object]:
    """What a result shows: its title, kind, date, text (for the excerpt and phrase checks) and quotes."""
    page: dict[str, object] = {
        "url": entry.url,
        "title": entry.title,
        "kind": entry.kind,
        "date": entry.date,
        "text": entry.text,
        "more": entry.more,
    }
    if entry.quotes:
        page["quotes"] = [q.row() for q in entry.quotes]
    return page


def _meta(found: list[Entry], shards: list[str]) -> dict[str, object]:
    kinds: dict[str, list[int]] = {}
    years: dict[str, list[int]] = {}
    for ident, entry in enumerate(found):
        kinds.setdefault(entry.kind, [ident, ident])[1] = ident + 1
        if entry.kind == "article" and entry.year:
            years.setdefault(entry.year, [ident, ident])[1] = ident + 1
    return {
        "version": VERSION,
        "docs": len(found),
        "chunk": CHUNK,
        "shards": shards,
        "kinds": {k: kinds[k] for k in KINDS if k in kinds},
        "years": years,
        "stopwords": sorted(stopwords()),
    }


def _json_part(term: str, value: list[object]) -> str:
    return _json(term).rstrip("\n") + ":" + _json(value).rstrip("\n")


def _json(value: object) -> str:
    # Compact, one line: the files are read by code only (a reviewer reads the pages in content/).
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"
