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
import hashlib
import time
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
    publish,
    routes,
    search_index,
    site,
    state,
    store,
    workers,
)
from build_tools.cache import (
    Disk,
    Entry,
    ExtractionCache,
    NoCache,
    PageCache,
    Seed,
    SeedCache,
    input_key,
    key,
    model_fingerprint,
    package_fingerprint,
)
from build_tools.errors import MarginaliaError, SidecarError, excerpt
from build_tools.filestat import Signature, signature, trusted
from build_tools.model import Article, Corrections, Document, Extraction, Provenance
from build_tools.state import SeedMemo, Snapshot

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
    snapshot: Snapshot | None = None  # what the next build of the same folders may start from (state.py)


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
    sidecar = str(editorial.sidecar_path(Path(article.path)))
    extraction = editorial.apply(extraction, c, sidecar=sidecar, slug=article.slug)
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
    seen: Sigs = (None, None)  # the seed's and the sidecar's, taken before reading (None: read it again)


Sigs = tuple[Signature | None, Signature | None]


def _read(seed: inputs.SeedFile, seeds_cache: SeedCache, seen: Sigs) -> _Read:
    """Each file is read once: the bytes make the key, and on a miss the same bytes are parsed."""
    path = seed.path
    raw = ingest.read_raw(path)
    side = editorial.read_raw(seed.sidecar) if seed.sidecar else None
    k = input_key(path, raw, side)
    cached = seeds_cache.get(seed.slug, k)
    if cached is not None:
        cached = cached.at(str(path))
        return _Read(cached.article, cached.warnings, k, cached, seen)
    corrections = editorial.from_bytes(side, str(seed.sidecar)) if side is not None else Corrections()
    article, warnings = ingest.build_article(seed.slug, str(path), raw, corrections)
    return _Read(article, warnings, k, None, seen)


def _last_good(seed: inputs.SeedFile, seeds_cache: SeedCache) -> _Read | None:
    """The article as last built, for a lenient build whose sidecar has just become invalid (its
    files are read again by every build, so the error is reported until it is fixed)."""
    last = seeds_cache.last(seed.slug)
    if last is None or Path(last.article.path).name != seed.path.name:
        return None
    last = last.at(str(seed.path))
    return _Read(last.article, last.warnings, last.input_key, last)


@dataclass(frozen=True)
class _Ingested:
    kept: dict[str, SeedMemo]  # seeds whose files did not change since the last build, by slug
    read: list[_Read]  # the others, read


def _ingest(
    seeds: tuple[inputs.SeedFile, ...],
    failures: list[MarginaliaError],
    seeds_cache: SeedCache,
    last: Snapshot,
    seen_ns: int,
) -> _Ingested:
    kept: dict[str, SeedMemo] = {}
    read = []
    for seed in seeds:
        published = last.articles.get(seed.slug)
        sigs = (signature(seed.path), signature(seed.sidecar) if seed.sidecar else None)
        if published is not None and _unchanged(seed, published.seed, sigs):
            kept[seed.slug] = published.seed
            continue
        trust = (trusted(sigs[0], seen_ns), trusted(sigs[1], seen_ns))
        try:
            read.append(_read(seed, seeds_cache, trust))
        except SidecarError as error:
            good = _last_good(seed, seeds_cache)
            failures.append(_said(error, KEPT if good else NOT_KEPT))
            if good:
                read.append(good)
        except MarginaliaError as error:
            failures.append(error)
    return _Ingested(kept, read)


def _unchanged(seed: inputs.SeedFile, memo: SeedMemo, sigs: Sigs) -> bool:
    """The seed and its sidecar are the files the last build read (filestat): the same paths, the
    same signatures (a sidecar added or removed changes the path)."""
    sidecar = str(seed.sidecar) if seed.sidecar else None
    if memo.path != str(seed.path) or memo.sidecar != sidecar or memo.seed is None or sigs[0] != memo.seed:
        return False
    return sidecar is None or (memo.sidecar_sig is not None and sigs[1] == memo.sidecar_sig)


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
def without_gc() -> Iterator[None]:
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


def exiting() -> None:
    """The process is about to exit with the archive in memory: its last collection need not walk
    millions of objects that exiting frees all the same (measured: 0.6-0.9 s of every one-shot
    `mkdocs build` at 1,000 articles, after the build itself)."""
    gc.freeze()


@without_gc()
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
    previous: Snapshot | None = None,
    later: list[Callable[[], None]] | None = None,
) -> BuildReport:
    """seeds/ -> content/; see the module's docstring. With many misses, extraction runs in worker
    processes started by `spawn`: a script that calls build() needs `if __name__ == "__main__":`.
    `waiting` is told when another build of the same content/ must finish first. `previous` is the
    snapshot of the last build of the same folders in this process (report.snapshot), which spares
    reading it from the cache. With `later`, the snapshot is not saved to disk by the build: the
    save (which takes the build's lock) is added to `later`, for a caller that keeps the snapshot
    in memory and has something more urgent to do first (the preview: show the page); only such a
    snapshot keeps the search index's shards, for the next build to update."""
    with buildlock.held(content, waiting=waiting):
        return _build(
            seeds,
            content,
            strict=strict,
            discard_edits=discard_edits,
            progress=progress,
            cache_root=(cache_dir or seeds.parent / CACHE_DIR) if use_cache else None,
            workers=workers,
            previous=previous,
            later=later,
        )


def _locked(content: Path, run: Callable[[], None]) -> None:
    with buildlock.held(content):
        run()


def code_fingerprint() -> str:
    """What every memo of the snapshot depends on beyond its inputs: all of the code, and the model."""
    name = nlp.model_name()
    return hashlib.sha256(f"{package_fingerprint()}\0{name}\0{model_fingerprint(name)}".encode()).hexdigest()


def _build(
    seeds: Path,
    content: Path,
    *,
    strict: bool,
    discard_edits: bool,
    progress: Progress | None,
    cache_root: Path | None,
    workers: int | None,
    previous: Snapshot | None,
    later: list[Callable[[], None]] | None,
) -> BuildReport:
    seen_ns = time.time_ns()  # files modified after this are read again by the next build (filestat)
    listing = inputs.list_seeds(seeds)
    failures: list[MarginaliaError] = list(listing.errors)
    warnings: list[str] = list(listing.warnings)
    curated, registry = _editors_files(seeds, failures, warnings)
    disk = Disk()
    snapshots = state.Store(cache_root, seeds, content, disk)
    last = _last(snapshots, previous)
    seeds_cache = SeedCache(cache_root, disk)
    ingested = _ingest(listing.seeds, failures, seeds_cache, last, seen_ns)
    store_ = ExtractionCache(cache_root, disk) if cache_root else NoCache()
    results, misses = extractions(ingested.read, store_, seeds_cache, workers_=workers, progress=progress)
    memos = _memos(listing.seeds, ingested, results, last, _notes_key(curated), curated, failures)
    documents = [m.document for m in memos.values()]
    for memo in memos.values():
        warnings.extend(memo.warnings + memo.document.extraction.warnings)
    if strict and failures:
        raise failures[0]
    people = people_registry.resolve(documents, registry)
    warnings += people.warnings + notes.unmatched(curated, documents)  # editors' files matching nothing
    archive = site.Archive(list(people.documents), people.names)
    caches = publish.Caches(
        PageCache(cache_root, disk), search_index.AnalysisCache(cache_root, search_index.fingerprint(), disk)
    )
    made = publish.content(archive, memos, last, caches)
    if later is None:  # no next build in this process updates the search shards: freed before the writes
        made.snapshot.shards = None  # (at 10,000 articles their postings are hundreds of MB)
    failures += made.failures
    changes = store.write_all(
        content, made.files, discard_edits=discard_edits, record=last.content, seen_ns=seen_ns
    )
    snapshot = dataclasses.replace(made.snapshot, code=last.code, where=snapshots.where, content=changes.seen)
    if later is None:
        snapshots.save(snapshot, last)
    else:
        later.append(lambda: _locked(content, lambda: snapshots.save(snapshot, last)))
    warnings += [_foreign(content, rel) for rel in changes.foreign]
    published = {d.article.slug for d in archive.docs if routes.article_file(d.article.slug) in made.files}
    return BuildReport(
        tuple(d for d in people.documents if d.article.slug in published),
        changes,
        tuple(failures),
        tuple(warnings),
        extracted=misses,
        cached=len(memos) - misses,
        notices=people.notices + site.notices(list(archive.docs), seeds.name),
        cache_problem=_cache_notice(disk.problem) if disk.problem else None,
        snapshot=snapshot,
    )


def _last(snapshots: state.Store, previous: Snapshot | None) -> Snapshot:
    """The last build's snapshot: this process's when it has one of the same code and folders."""
    code = code_fingerprint()
    if previous is not None and previous.code == code and previous.where == snapshots.where:
        return previous
    return snapshots.load(code)


def _notes_key(curated: tuple[notes.Note, ...]) -> str:
    """The curated notes as document() applies them (they are few: a repr of all is cheap)."""
    return hashlib.sha256(repr(curated).encode("utf-8", "surrogatepass")).hexdigest()


def _memos(
    seeds: tuple[inputs.SeedFile, ...],
    ingested: _Ingested,
    results: list[Entry | MarginaliaError],
    last: Snapshot,
    notes_key: str,
    curated: tuple[notes.Note, ...],
    failures: list[MarginaliaError],
) -> dict[str, SeedMemo]:
    """Every seed that is published, by slug, in the order of seeds/: the last build's memo when its
    files did not change, else a new one (its Document made again, unless the bytes and the notes
    are the last build's: a file saved again unchanged, or one read again because it was new)."""
    by_slug = {seed.slug: seed for seed in seeds}
    made: dict[str, SeedMemo] = {}
    for r, result in zip(ingested.read, results, strict=True):
        if isinstance(result, MarginaliaError):
            failures.append(result)
            continue
        slug = r.article.slug
        before = last.articles[slug].seed if slug in last.articles else None
        if before is not None and (before.input_key, before.notes, before.path) == (
            r.input_key,
            notes_key,
            r.article.path,
        ):
            made[slug] = dataclasses.replace(before, seed=r.seen[0], sidecar_sig=r.seen[1])
            continue
        sidecar = by_slug[slug].sidecar
        doc = document(
            r.article, result.extraction, None, model_version=result.model_version, curated=curated
        )
        made[slug] = SeedMemo(
            r.article.path,
            r.seen[0],
            str(sidecar) if sidecar else None,
            r.seen[1],
            r.input_key,
            r.warnings,
            result,
            notes_key,
            doc,
        )
    for slug, memo in ingested.kept.items():
        made[slug] = memo if memo.notes == notes_key else _renoted(memo, notes_key, curated)
    order = {seed.slug: n for n, seed in enumerate(seeds)}
    return dict(sorted(made.items(), key=lambda item: order[item[0]]))


def _renoted(memo: SeedMemo, notes_key: str, curated: tuple[notes.Note, ...]) -> SeedMemo:
    """The curated notes changed: every article's Document made again (no NLP: from its extraction)."""
    entry = memo.entry
    doc = document(
        memo.document.article, entry.extraction, None, model_version=entry.model_version, curated=curated
    )
    return dataclasses.replace(memo, notes=notes_key, document=doc)


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
