"""The one entry point: seeds/ -> content/. MkDocs' plugin and the CLI both call build().

One bad seed never takes the others down: it is reported (and skipped) and every other
article is still published; `strict` turns any failure or warning into an error at the end.

A build reads every seed (cheap), takes each extraction from the cache when the seed, the
code and the model are unchanged, and extracts only the rest, in parallel when there are
many. The editor's corrections, curated notes and the archive-wide identity of people are
applied afterwards on every build, so editing them never costs any NLP.
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
    editorial,
    headline,
    ingest,
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
from build_tools.errors import MarginaliaError, SeedError
from build_tools.model import Article, Document, Extraction, Provenance

RESERVED_SLUGS = {"index"}  # articles/index.md is the list of all articles
CACHE_DIR = Path(".cache") / "marginalia"  # beside seeds/, gitignored

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


def seed_files(seeds: Path) -> tuple[list[Path], list[MarginaliaError]]:
    """The seeds to build, with the errors of those that cannot be built at all."""
    files: list[Path] = []
    errors: list[MarginaliaError] = []
    slugs: dict[str, str] = {}
    for path in sorted(seeds.glob("*.txt")):
        try:
            ingest.check_inside(path, seeds)  # a link out of seeds/, a dangling link or a loop
            slug = ingest.slug_for(path)
        except MarginaliaError as error:
            errors.append(error)
            continue
        if slug in slugs or slug in RESERVED_SLUGS:
            other = slugs.get(slug, "a page of the site")
            errors.append(
                SeedError(
                    str(path), f"gives the slug `{slug}`, the same as {other}", "rename one of the files"
                )
            )
            continue
        slugs[slug] = str(path)
        files.append(path)
    return files, errors


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
    lede = article.paragraphs[0].text
    return Document(
        article=article,
        title=c.title or headline.derive_title(lede),
        date=c.date,  # never the build day: an article without a date says so
        summary=headline.summary(lede),
        extraction=extraction,
        provenance=Provenance(
            article.sha256,
            __version__,
            nlp.model_name(),
            model_version if model_version is not None else nlp.version(model),
        ),
        tags=tuple(dict.fromkeys(c.tags)),
    )


def read_one(path: Path, model: Any) -> tuple[Document, tuple[str, ...]]:
    from build_tools.extract import extract  # imports spaCy: a warm build never needs it

    corrections = editorial.load_sidecar(path)
    article, warnings = ingest.read_seed(path, corrections)
    extraction = extract(article, model)
    doc = document(article, extraction, model)
    return doc, warnings + doc.extraction.warnings  # after apply: a stale sidecar warns too


@dataclass(frozen=True)
class _Read:
    """One seed, read: from the seed cache when its bytes, its sidecar and the code are unchanged."""

    article: Article
    warnings: tuple[str, ...]
    input_key: str
    cached: Seed | None


def _read(path: Path, seeds_cache: SeedCache) -> _Read:
    sidecar = path.with_suffix(".yml")
    raw = path.read_bytes()
    k = input_key(path, raw, sidecar.read_bytes() if sidecar.is_file() else None)
    seed = seeds_cache.get(ingest.slug_for(path), k)
    if seed is not None:
        seed = seed.at(str(path))
        return _Read(seed.article, seed.warnings, k, seed)
    article, warnings = ingest.read_seed(path, editorial.load_sidecar(path))
    return _Read(article, warnings, k, None)


def _ingest(files: list[Path], failures: list[MarginaliaError], seeds_cache: SeedCache) -> list[_Read]:
    read = []
    for path in files:
        try:
            read.append(_read(path, seeds_cache))
        except MarginaliaError as error:
            failures.append(error)
    return read


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
) -> BuildReport:
    """seeds/ -> content/; see the module's docstring. With many misses, extraction runs in worker
    processes started by `spawn`: a script that calls build() needs `if __name__ == "__main__":`."""
    files, failures = seed_files(seeds)
    curated, registry = _editors_files(seeds, failures)
    cache_root = (cache_dir or seeds.parent / CACHE_DIR) if use_cache else None
    store_ = ExtractionCache(cache_root) if cache_root else NoCache()
    seeds_cache = SeedCache(cache_root)
    read = _ingest(files, failures, seeds_cache)
    results, misses = extractions(read, store_, seeds_cache, workers_=workers, progress=progress)
    documents: list[Document] = []
    warnings: list[str] = []
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
    files_out = _pages(archive, input_keys, PageCache(cache_root))
    files_out.update(_search(archive, SearchCache(cache_root), cache_root))
    changes = store.write_all(content, files_out, discard_edits=discard_edits)
    return BuildReport(
        people.documents,
        changes,
        tuple(failures),
        tuple(warnings),
        extracted=misses,
        cached=len(read) - misses,
        notices=people.notices,
    )


def _editors_files(
    seeds: Path, failures: list[MarginaliaError]
) -> tuple[tuple[notes.Note, ...], people_registry.Registry]:
    """The curated notes and the people file; a bad one is reported and the build goes on without it."""
    curated, note_errors = notes.load(seeds)
    failures += note_errors
    try:
        registry = people_registry.load(seeds)
    except MarginaliaError as error:
        failures.append(error)
        registry = people_registry.Registry()
    return curated, registry


def _pages(archive: site.Archive, input_keys: dict[str, str], pages: PageCache) -> dict[str, str]:
    files_out = {
        routes.article_file(doc.article.slug): _render(doc, input_keys[doc.article.slug], archive, pages)
        for doc in archive.docs
    }
    files_out.update(archive.pages())
    return files_out


def _search(archive: site.Archive, cache: SearchCache, cache_root: Path | None) -> dict[str, str]:
    """The search index's files, from the cache when no searchable page changed (and otherwise
    from each unchanged page's cached terms)."""
    entries = search_index.entries(archive)
    code = search_index.fingerprint()
    k = search_key([(code,), *(e.fields() for e in entries)])
    files = cache.get(k)
    if files is None:
        files = search_index.files(entries, search_index.AnalysisCache(cache_root, code))
        cache.put(k, files)
    return files


def _render(doc: Document, input_key: str, archive: site.Archive, pages: PageCache) -> str:
    k = page_key(doc, input_key, archive.links_from(doc))
    text = pages.get(doc.article.slug, k)
    if text is None:
        text = render.render(doc, known=archive.urls)
        pages.put(doc.article.slug, k, text)
    return text
