"""content/ from the archive: article pages, cross-article pages and the search index, each made
again only when what it is made from changed since the last build (state.Snapshot).

Every page is a function of its inputs alone: an article's page, of its Document and of the pages
it can link to (site.Archive.urls); a person's, organisation's or place's page, of the articles it
is made from, in the archive's order, and of the name the people registry gives it; a search entry,
of its page's Document or profile. So a build compares each article's Document with the last
build's (the very same object when its seed did not change) and makes again only the pages of the
articles that changed, the profiles those articles are part of before and after the change, and
the lists of the whole archive (section indexes, years, topics, the home page's list), which cost
little. The search index's shards are made again from every page's terms, but the terms of a
page are found again only when its entry changed. Everything else is `store.Known`: its digest.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from build_tools import render, routes, search_index, site
from build_tools.cache import PageCache, page_key
from build_tools.errors import MarginaliaError, SeedError, excerpt
from build_tools.model import Document
from build_tools.render import Previously
from build_tools.search_index import Entry
from build_tools.state import Face, Found, ProfileKey, Published, SeedMemo, Snapshot
from build_tools.store import Known, Output, sha256


@dataclass(frozen=True)
class Made:
    files: dict[str, Output]
    snapshot: Snapshot  # without `content` and `code`, which the pipeline adds
    failures: tuple[MarginaliaError, ...]
    changed: frozenset[str]  # the articles whose Document changed, were added or removed


@dataclass(frozen=True)
class Caches:
    pages: PageCache
    analyses: (
        search_index.AnalysisCache
    )  # used when the snapshot has no terms (a new version of the search code)


def content(archive: site.Archive, seeds: dict[str, SeedMemo], last: Snapshot, caches: Caches) -> Made:
    changed = _changed(archive, last)
    files: dict[str, Output] = {}
    failures: list[MarginaliaError] = []
    articles = _articles(archive, seeds, last, changed, caches.pages, files, failures)
    faces = archive.faces()
    touched = _touched(archive, last, changed, faces)
    profiles, pages = _cross(archive, last, changed, touched, files)
    index = _search(archive, articles, last, touched, caches.analyses, files)
    snapshot = Snapshot(
        articles=index.articles,
        profiles=profiles,
        faces=faces,
        found=index.others,
        names=archive.names,
        pages=pages,
        search=index.code,
        search_files=index.listing,
        shards=index.shards,
    )
    return Made(files, snapshot, tuple(failures), frozenset(changed))


def _same(doc: Document, old: Published | None) -> bool:
    return old is not None and (old.resolved is doc or old.resolved == doc)


def _changed(archive: site.Archive, last: Snapshot) -> set[str]:
    """Slugs of the articles added, removed or whose Document is not the last build's."""
    now = {doc.article.slug: doc for doc in archive.docs}
    removed = set(last.articles) - set(now)
    return removed | {slug for slug, doc in now.items() if not _same(doc, last.articles.get(slug))}


# -- article pages --------------------------------------------------------------------------------------
def _articles(
    archive: site.Archive,
    seeds: dict[str, SeedMemo],
    last: Snapshot,
    changed: set[str],
    pages: PageCache,
    files: dict[str, Output],
    failures: list[MarginaliaError],
) -> dict[str, Published]:
    """Each article's page: Known when its Document is the last build's. An article links only to
    pages its own Document makes (its people, organisations, places and speakers: site.Archive's
    contributions), so other articles coming and going never change its links
    (tests/test_publish.py holds site.Archive to that)."""
    published: dict[str, Published] = {}
    for doc in archive.docs:
        slug, seed = doc.article.slug, seeds[doc.article.slug]
        old = last.articles.get(slug)
        contributes = frozenset(archive.contributions.get(slug, ()))
        # "Previously" is the one part of a page that other articles make: an earlier article
        # added or removed renders this one again.
        previously = archive.previously(doc)
        if old is not None and slug not in changed and old.previously == previously:
            files[routes.article_file(slug)] = Known(
                old.page, _page(archive, doc, seed.input_key, old.links, previously, pages)
            )
            keep = old.seed is seed and old.contributes == contributes
            published[slug] = old if keep else dataclasses.replace(old, seed=seed, contributes=contributes)
            continue
        links = tuple(archive.links_from(doc))
        try:
            text = _page(archive, doc, seed.input_key, links, previously, pages)()
        except Exception as error:  # a bug on this one article: report it, publish the others
            failures.append(_not_rendered(doc, error))
            continue
        files[routes.article_file(slug)] = text
        digest = sha256(text.encode("utf-8"))
        published[slug] = Published(seed, doc, contributes, links, digest, previously=previously)
    return published


def _page(
    archive: site.Archive,
    doc: Document,
    input_key: str,
    links: tuple[str, ...],
    previously: tuple[Previously, ...],
    pages: PageCache,
) -> Callable[[], str]:
    """The page's text, made when asked: from the page cache (keyed by the Document, its links, its
    "Previously" lines and the render code), else rendered."""

    def made() -> str:
        k = page_key(doc, input_key, [*links, *(repr(p) for p in previously)])
        text = pages.get(doc.article.slug, k)
        if text is None:
            text = render.render(doc, known=archive.urls, previously=previously)
            pages.put(doc.article.slug, k, text)
        return text

    return made


def _not_rendered(doc: Document, error: Exception) -> SeedError:
    return SeedError(
        doc.article.path,
        f"could not be rendered ({type(error).__name__}: {excerpt(str(error))})",
        "this is a bug in Marginalia: report it with this seed; the other articles are published",
    )


# -- cross-article pages --------------------------------------------------------------------------------
def _touched(
    archive: site.Archive, last: Snapshot, changed: set[str], faces: dict[ProfileKey, Face]
) -> set[ProfileKey]:
    """The profiles a changed article is part of, before or after the change, the people whose
    name (from the people registry) changed, and the profiles that list one of those as company
    when what they show of it (site.Archive.faces: its name and latest role) changed. Only those:
    a profile named in a thousand articles is in the company of thousands, and an edit to one
    article that leaves its name and latest role as they were changes none of their pages."""
    touched: set[ProfileKey] = set()
    for slug in changed:
        if slug in last.articles:
            touched |= last.articles[slug].contributes
        touched |= archive.contributions.get(slug, set())
    names = set(archive.names) | set(last.names)
    touched |= {("person", i) for i in names if archive.names.get(i) != last.names.get(i)}
    # A profile page lists those it appears with, by their name and latest role: it changes with
    # them. The rest of what it shows of them (how many articles they share) changes only with
    # an article they share, which touches both already.
    refaced = {key for key in touched if faces.get(key) != last.faces.get(key)}
    if refaced:
        touched |= {key for key, p in archive.profiles.items() if not refaced.isdisjoint(p.company)}
    return touched


def _cross(
    archive: site.Archive,
    last: Snapshot,
    changed: set[str],
    touched: set[ProfileKey],
    files: dict[str, Output],
) -> tuple[dict[ProfileKey, str], dict[str, str]]:
    """The profiles' pages (Known when untouched) and the lists of the whole archive (made again when
    anything changed: they are the archive's size but cheap), with the digest of each."""
    profiles: dict[ProfileKey, str] = {}
    for key in archive.profiles:
        old = last.profiles.get(key)
        if key not in touched and old is not None:
            files[routes.entity_file(*key)] = Known(old, _profile_page(archive, key))
            profiles[key] = old
    fresh = archive.profiles.keys() - profiles.keys()
    if last.pages and not changed and not fresh:
        for rel, digest in last.pages.items():
            files[rel] = Known(digest, _list_page(archive, rel))
        return profiles, last.pages
    named = {routes.entity_file(*key): key for key in fresh}
    lists: dict[str, str] = {}
    for rel, text in archive.pages(profiles=fresh).items():
        files[rel] = text
        digest = sha256(text.encode("utf-8"))
        if rel in named:
            profiles[named[rel]] = digest
        else:
            lists[rel] = digest
    return profiles, lists


def _profile_page(archive: site.Archive, key: ProfileKey) -> Callable[[], str]:
    return lambda: site.profile_page(archive.profiles[key])


def _list_page(archive: site.Archive, rel: str) -> Callable[[], str]:
    return lambda: archive.pages(profiles=())[rel]


# -- the search index -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Index:
    code: str
    articles: dict[str, Published]  # with their search entries
    others: dict[str, Found]  # the pages that are not articles, by URL
    listing: dict[str, str]  # the shards, URL chunks and meta.json -> digest
    shards: search_index.Shards | None  # what the shards were made from (Snapshot.shards)


def _search(
    archive: site.Archive,
    articles: dict[str, Published],
    last: Snapshot,
    touched: set[ProfileKey],
    analyses: search_index.AnalysisCache,
    files: dict[str, Output],
) -> _Index:
    """Every searchable page's entry (the last build's when its Document or profile did not change),
    its terms (the last build's when its entry is the same) and its page file; then the shards."""
    code = search_index.fingerprint()
    memo = last.search == code
    wanted: list[tuple[Entry, Found | None]] = []
    for slug, published in articles.items():
        before = last.articles.get(slug)
        kept = before.found if memo and before is not None and before.resolved is published.resolved else None
        entry = kept.entry if kept else search_index.article_entry(published.resolved, archive)
        wanted.append((entry, before.found if memo and before is not None else None))
    for key in archive.profiles:
        kept = last.found.get(routes.entity_url(*key)) if memo else None
        entry = kept.entry if kept and key not in touched else search_index.profile_entry(key, archive)
        wanted.append((entry, kept))
    wanted += [(e, last.found.get(e.url) if memo else None) for e in search_index.topic_entries(archive)]
    found = _found(wanted, None if memo else analyses, files)
    return _Index(
        code,
        _with_entries(articles, found),
        {url: f for url, f in found.items() if not url.startswith(f"{routes.ARTICLES}/")},
        *_listing(sorted(found.values(), key=lambda f: f.entry.order()), found, wanted, last, files),
    )


def _found(
    wanted: list[tuple[Entry, Found | None]],
    cache: search_index.AnalysisCache | None,
    files: dict[str, Output],
) -> dict[str, Found]:
    """Each entry's terms and page file: the last build's when the entry is the same. With `cache`
    (no terms kept by the snapshot), the terms of every entry come through the analysis cache."""
    new = [entry for entry, before in wanted if not _kept(entry, before)]
    analysed = dict(zip((e.url for e in new), cache.analyses(new), strict=True)) if cache else {}
    found: dict[str, Found] = {}
    for entry, before in wanted:
        path = search_index.page_path(entry.url)
        if before is not None and _kept(entry, before):
            found[entry.url] = before
            files[path] = Known(before.page, _page_file(before.entry))
            continue
        text = search_index.page_text(entry)
        analysis = analysed.get(entry.url) or search_index.analyse(entry)
        found[entry.url] = Found(entry, analysis, sha256(text.encode("utf-8")))
        files[path] = text
    return found


def _kept(entry: Entry, before: Found | None) -> bool:
    return before is not None and (before.entry is entry or before.entry == entry)


def _page_file(entry: Entry) -> Callable[[], str]:
    return lambda: search_index.page_text(entry)


def _with_entries(articles: dict[str, Published], found: dict[str, Found]) -> dict[str, Published]:
    out = {}
    for slug, published in articles.items():
        entry = found[routes.article_url(slug)]
        out[slug] = published if published.found is entry else dataclasses.replace(published, found=entry)
    return out


def _listing(
    ordered: list[Found],
    found: dict[str, Found],
    wanted: list[tuple[Entry, Found | None]],
    last: Snapshot,
    files: dict[str, Output],
) -> tuple[dict[str, str], search_index.Shards | None]:
    """The shards, URL chunks and meta.json (and, made or kept, what they were made from): made from
    every page's terms, unless no page's entry changed and no page came or went since the last
    build (then they are the last build's); updated from the last build's shards when this
    process made them (a preview), so only the shards of changed terms are made again."""
    before = {f.entry.url for f in last.found.values()} | {
        a.found.entry.url for a in last.articles.values() if a.found is not None
    }
    same = last.search_files and before == set(found) and all(found[e.url] is b for e, b in wanted)
    entries, analyses = [f.entry for f in ordered], [f.analysis for f in ordered]

    def made() -> dict[str, str]:
        return search_index.listing(entries, analyses)

    def one(rel: str) -> Callable[[], str]:
        return lambda: made()[rel]

    if same:
        for rel, digest in last.search_files.items():
            files[rel] = Known(digest, one(rel))
        return last.search_files, last.shards
    memo = last.shards if isinstance(last.shards, search_index.Shards) else None
    shards = memo.updated(entries, analyses) if memo else search_index.Shards.made(entries, analyses)
    texts = shards.files(entries)
    files.update(texts)
    return {rel: sha256(text.encode("utf-8")) for rel, text in texts.items()}, shards
