"""The one entry point: seeds/ -> content/. MkDocs' plugin and the CLI both call build().

One bad seed never takes the others down: it is reported (and skipped) and every other
article is still published; `strict` turns any failure or warning into an error at the end.

A build reads every seed (cheap), takes each extraction from the cache when the seed, the
code and the model are unchanged, and extracts only the rest, in parallel when there are
many. The editor's corrections, curated notes and the archive-wide identity of people are
applied afterwards on every build, so editing them never costs any NLP.

Every file is read once, through build_tools.reader. One build runs at a time for a content/
folder (build_tools.buildlock). In a lenient build, an article whose sidecar has become
invalid keeps its last good version (the seed cache's entry), with the error saying so. An
unexpected exception on one article is that article's error, and the others are published.
"""

from __future__ import annotations

import dataclasses
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from build_tools import (
    __version__,
    buildlock,
    editorial,
    headline,
    ingest,
    inputs,
    nlp,
    notes,
    people_registry,
    render,
    routes,
    search_index,
    site,
    store,
    workers,
)
from build_tools.cache import (
    Disk,
    Entry,
    ExtractionCache,
    NoCache,
    PageCache,
    SearchCache,
    Seed,
    SeedCache,
    input_key,
    key,
    page_key,
    search_key,
)
from build_tools.errors import MarginaliaError, SeedError, SidecarError, excerpt
from build_tools.model import Article, Corrections, Document, Extraction, Provenance

CACHE_DIR = Path(".cache") / "marginalia"  # beside seeds/, gitignored
KEPT = "the article stays published as last built until this is fixed"
NOT_KEPT = "the article is not published until this is fixed (no earlier build of it is in the cache)"

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class BuildReport:
    documents: tuple[Document, ...]
    changes: store.Changes
    failures: tuple[MarginaliaError, ...]
    warnings: tuple[str, ...]
    extracted: int = 0  # seeds that went through NLP (cache misses)
    cached: int = 0  # seeds whose extraction came from the cache
    notices: tuple[str, ...] = ()  # worth an editor's look, never a failure (ambiguous people)
    cache_problem: str | None = None  # the cache could not be written: this build cost more, nothing else


def seed_files(seeds: Path) -> tuple[list[Path], list[MarginaliaError]]:
    """The seeds to build, with the errors of those that cannot be built at all (see inputs)."""
    listing = inputs.list_seeds(seeds)
    return [s.path for s in listing.seeds], list(listing.errors)


def document(
    article: Article,
    extraction: Extraction,
    model: Any,
    *,
    model_version: str | None = None,
    curated: tuple[notes.Note, ...] = (),
) -> Document:
    c = article.corrections
    extraction = editorial.apply(extraction, c, sidecar=str(editorial.sidecar_path(Path(article.path))))
    if curated:
        extra = notes.for_article(curated, article)
        extraction = dataclasses.replace(extraction, background=extraction.background + extra)
    return Document(
        article=article,
        title=c.title or headline.title(article, extraction.lede),
        # The sidecar wins; else the dateline's day; never the build day: an undated article says so.
        date=c.date or (article.dateline.date if article.dateline else None),
        summary=headline.summary(article, extraction.lede),
        extraction=extraction,
        provenance=Provenance(
            article.sha256,
            __version__,
            nlp.model_name(),
            model_version if model_version is not None else nlp.version(model),
        ),
        tags=tuple(dict.fromkeys(c.tags)),
        headline_derived=not c.title,
    )


def read_one(path: Path, model: Any) -> tuple[Document, tuple[str, ...]]:
    from build_tools.extract import extract  # imports spaCy: a warm build never needs it

    corrections = editorial.load_sidecar(path)
    article, warnings = ingest.read_seed(path, corrections)
    extraction = extract(article, model)
    doc = document(article, extraction, model)
    return doc, warnings + doc.extraction.warnings  # after apply: a stale sidecar warns too


def read_many(paths: list[Path], model: Any) -> Iterator[Document]:
    """Each path's Document, in order, with one loaded model (`extract` and `eval` over many files);
    the paragraphs of all the articles are parsed in one stream. A seed that cannot be read or
    parsed raises its error when its turn comes."""
    from build_tools.extract import extract_parsed  # imports spaCy
    from build_tools.extract.parse import parse_many

    articles = [ingest.read_seed(path, editorial.load_sidecar(path))[0] for path in paths]
    for article, doc in parse_many(model, articles):
        if isinstance(doc, MarginaliaError):
            raise doc
        yield document(article, extract_parsed(article, doc), model)


@dataclass(frozen=True)
class _Read:
    """One seed, read: from the seed cache when its bytes, its sidecar and the code are unchanged."""

    article: Article
    warnings: tuple[str, ...]
    input_key: str
    cached: Seed | None


def _read(seed: inputs.SeedFile, seeds_cache: SeedCache) -> _Read:
    """Each file is read once: the bytes make the key, and on a miss the same bytes are parsed."""
    path = seed.path
    raw = ingest.read_raw(path)
    side = editorial.read_raw(seed.sidecar) if seed.sidecar else None
    k = input_key(path, raw, side)
    cached = seeds_cache.get(seed.slug, k)
    if cached is not None:
        cached = cached.at(str(path))
        return _Read(cached.article, cached.warnings, k, cached)
    corrections = editorial.from_bytes(side, str(seed.sidecar)) if side is not None else Corrections()
    article, warnings = ingest.build_article(seed.slug, str(path), raw, corrections)
    return _Read(article, warnings, k, None)


def _last_good(seed: inputs.SeedFile, seeds_cache: SeedCache) -> _Read | None:
    """The article as last built, for a lenient build whose sidecar has just become invalid."""
    last = seeds_cache.last(seed.slug)
    if last is None or Path(last.article.path).name != seed.path.name:
        return None
    last = last.at(str(seed.path))
    return _Read(last.article, last.warnings, last.input_key, last)


def _ingest(
    seeds: tuple[inputs.SeedFile, ...], failures: list[MarginaliaError], seeds_cache: SeedCache
) -> list[_Read]:
    read = []
    for seed in seeds:
        try:
            read.append(_read(seed, seeds_cache))
        except SidecarError as error:
            kept = _last_good(seed, seeds_cache)
            failures.append(_said(error, KEPT if kept else NOT_KEPT))
            if kept:
                read.append(kept)
        except MarginaliaError as error:
            failures.append(error)
    return read


def _said(error: SidecarError, what: str) -> SidecarError:
    return SidecarError(error.path, f"{error.problem}; {what}", error.fix, line=error.line)


def extractions(
    read: list[_Read],
    store_: ExtractionCache | NoCache,
    seeds_cache: SeedCache,
    *,
    workers_: int | None,
    progress: Progress | None,
) -> tuple[list[Entry | MarginaliaError], int]:
    """One cache entry (or the error) per seed, in order, extracting the misses; and how many missed."""
    name = nlp.model_name()
    keys = [key(r.article, name) for r in read]
    found: list[Entry | MarginaliaError | None] = [
        r.cached.entry if r.cached and r.cached.extraction_key == k else store_.get(k, r.article)
        for k, r in zip(keys, read, strict=True)
    ]
    missing = [i for i, entry in enumerate(found) if entry is None]

    def keep(n: int, result: workers.Result) -> None:  # as each arrives: an interrupted build keeps it
        i = missing[n]
        if isinstance(result, MarginaliaError):
            found[i] = result
            return
        entry = Entry(*result)
        store_.put(keys[i], read[i].article, entry)
        found[i] = entry

    workers.extract_all(
        [read[i].article for i in missing], model_name=name, workers=workers_, progress=progress, done=keep
    )
    for r, k, done in zip(read, keys, found, strict=True):
        if isinstance(done, Entry) and (r.cached is None or r.cached.extraction_key != k):
            seeds_cache.put(r.article.slug, Seed(r.input_key, r.article, r.warnings, k, done))
    return [f for f in found if f is not None], len(missing)


@contextmanager
def _without_gc() -> Iterator[None]:
    """The build makes millions of small objects and almost no cycles: Python's cyclic collector
    would walk them again and again (a third of a warm build at 10,000 articles). Reference
    counting frees them all the same; the collector is back on when the build ends."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@_without_gc()
def build(
    seeds: Path,
    content: Path,
    *,
    strict: bool = False,
    discard_edits: bool = False,
    progress: Progress | None = None,
    cache_dir: Path | None = None,
    use_cache: bool = True,
    workers: int | None = None,
    waiting: Callable[[str], None] | None = None,
) -> BuildReport:
    """seeds/ -> content/; see the module's docstring. With many misses, extraction runs in worker
    processes started by `spawn`: a script that calls build() needs `if __name__ == "__main__":`.
    `waiting` is told when another build of the same content/ must finish first."""
    with buildlock.held(content, waiting=waiting):
        return _build(
            seeds,
            content,
            strict=strict,
            discard_edits=discard_edits,
            progress=progress,
            cache_root=(cache_dir or seeds.parent / CACHE_DIR) if use_cache else None,
            workers=workers,
        )


def _build(
    seeds: Path,
    content: Path,
    *,
    strict: bool,
    discard_edits: bool,
    progress: Progress | None,
    cache_root: Path | None,
    workers: int | None,
) -> BuildReport:
    listing = inputs.list_seeds(seeds)
    failures: list[MarginaliaError] = list(listing.errors)
    warnings: list[str] = list(listing.warnings)
    curated, registry = _editors_files(seeds, failures, warnings)
    disk = Disk()
    store_ = ExtractionCache(cache_root, disk) if cache_root else NoCache()
    seeds_cache = SeedCache(cache_root, disk)
    read = _ingest(listing.seeds, failures, seeds_cache)
    results, misses = extractions(read, store_, seeds_cache, workers_=workers, progress=progress)
    documents: list[Document] = []
    input_keys: dict[str, str] = {}
    for r, result in zip(read, results, strict=True):
        if isinstance(result, MarginaliaError):
            failures.append(result)
            continue
        doc = document(
            r.article, result.extraction, None, model_version=result.model_version, curated=curated
        )
        documents.append(doc)
        warnings.extend(r.warnings + doc.extraction.warnings)
        input_keys[r.article.slug] = r.input_key
    if strict and failures:
        raise failures[0]
    people = people_registry.resolve(documents, registry)
    archive = site.Archive(list(people.documents), people.names)
    files_out = _pages(archive, input_keys, PageCache(cache_root, disk), failures)
    files_out.update(_search(archive, SearchCache(cache_root, disk), cache_root, disk))
    changes = store.write_all(content, files_out, discard_edits=discard_edits)
    warnings += [_foreign(content, rel) for rel in changes.foreign]
    published = {d.article.slug for d in archive.docs if routes.article_file(d.article.slug) in files_out}
    return BuildReport(
        tuple(d for d in people.documents if d.article.slug in published),
        changes,
        tuple(failures),
        tuple(warnings),
        extracted=misses,
        cached=len(read) - misses,
        notices=people.notices + site.notices(list(archive.docs), seeds.name),
        cache_problem=_cache_notice(disk.problem) if disk.problem else None,
    )


def _foreign(content: Path, rel: str) -> str:
    return (
        f"{content / rel}: is not made by this build (no seed gives it), so it is not published. "
        "Fix: delete it if it is the page of a removed article, or move it out of content/"
    )


def _cache_notice(problem: str) -> str:
    return (
        f"the cache cannot be written ({excerpt(problem, 200)}): this build is complete, but the next one "
        "extracts again what it could not store. Fix: check the disk space and the permissions of "
        f"{CACHE_DIR}"
    )


def _editors_files(
    seeds: Path, failures: list[MarginaliaError], warnings: list[str]
) -> tuple[tuple[notes.Note, ...], people_registry.Registry]:
    """The curated notes and the people file; a bad one is reported and the build goes on without it."""
    loaded = notes.load(seeds)
    failures += loaded.errors
    warnings += loaded.warnings
    try:
        registry = people_registry.load(seeds)
    except MarginaliaError as error:
        failures.append(error)
        registry = people_registry.Registry()
    return loaded.notes, registry


def _pages(
    archive: site.Archive, input_keys: dict[str, str], pages: PageCache, failures: list[MarginaliaError]
) -> dict[str, str]:
    files_out = {}
    for doc in archive.docs:
        try:
            files_out[routes.article_file(doc.article.slug)] = _render(
                doc, input_keys[doc.article.slug], archive, pages
            )
        except Exception as error:  # a bug on this one article: report it, publish the others
            failures.append(
                SeedError(
                    doc.article.path,
                    f"could not be rendered ({type(error).__name__}: {excerpt(str(error))})",
                    "this is a bug in Marginalia: report it with this seed; the other articles are published",
                )
            )
    files_out.update(archive.pages())
    return files_out


def _search(archive: site.Archive, cache: SearchCache, cache_root: Path | None, disk: Disk) -> dict[str, str]:
    """The search index's files, from the cache when no searchable page changed (and otherwise
    from each unchanged page's cached terms)."""
    entries = search_index.entries(archive)
    code = search_index.fingerprint()
    k = search_key([(code,), *(e.fields() for e in entries)])
    files = cache.get(k)
    if files is None:
        files = search_index.files(entries, search_index.AnalysisCache(cache_root, code, disk))
        cache.put(k, files)
    return files


def _render(doc: Document, input_key: str, archive: site.Archive, pages: PageCache) -> str:
    k = page_key(doc, input_key, archive.links_from(doc))
    text = pages.get(doc.article.slug, k)
    if text is None:
        text = render.render(doc, known=archive.urls, previously=archive.previously(doc))
        pages.put(doc.article.slug, k, text)
    return text
