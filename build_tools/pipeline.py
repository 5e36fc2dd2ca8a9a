"""The one entry point: seeds/ -> content/. MkDocs' plugin and the CLI both call build().

One bad seed never takes the others down: it is reported (and skipped) and every other
article is still published; `strict` turns any failure or warning into an error at the end.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from build_tools import __version__, editorial, headline, ingest, nlp, render, site, store
from build_tools.errors import MarginaliaError, SeedError
from build_tools.extract import extract
from build_tools.model import Article, Document, Extraction, Provenance

RESERVED_SLUGS = {"index"}  # articles/index.md is the list of all articles

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class BuildReport:
    documents: tuple[Document, ...]
    changes: store.Changes
    failures: tuple[MarginaliaError, ...]
    warnings: tuple[str, ...]


def seed_files(seeds: Path) -> tuple[list[Path], list[MarginaliaError]]:
    """The seeds to build, with the errors of those that cannot be built at all."""
    root = seeds.resolve()
    files, errors, slugs = [], [], {}
    for path in sorted(seeds.glob("*.txt")):
        if path.is_symlink() and root not in path.resolve().parents:
            errors.append(SeedError(str(path), "is a symbolic link to a file outside seeds/",
                                    "copy the article into seeds/ instead of linking to it"))
            continue
        try:
            slug = ingest.slug_for(path)
        except MarginaliaError as error:
            errors.append(error)
            continue
        if slug in slugs or slug in RESERVED_SLUGS:
            other = slugs.get(slug, "a page of the site")
            errors.append(SeedError(str(path), f"gives the slug `{slug}`, the same as {other}",
                                    "rename one of the files"))
            continue
        slugs[slug] = str(path)
        files.append(path)
    return files, errors


def document(article: Article, extraction: Extraction, model: Any) -> Document:
    c = article.corrections
    extraction = editorial.apply(extraction, c)
    lede = article.paragraphs[0].text
    return Document(
        article=article,
        title=c.title or headline.derive_title(lede),
        date=c.date,  # never the build day: an article without a date says so
        summary=headline.summary(lede),
        extraction=extraction,
        provenance=Provenance(article.sha256, __version__, nlp.model_name(), nlp.version(model)),
        tags=tuple(dict.fromkeys(c.tags)),
    )


def read_one(path: Path, model: Any) -> tuple[Document, tuple[str, ...]]:
    corrections = editorial.load_sidecar(path)
    article, warnings = ingest.read_seed(path, corrections)
    extraction = extract(article, model)
    return document(article, extraction, model), warnings + extraction.warnings


def build(seeds: Path, content: Path, *, strict: bool = False, discard_edits: bool = False,
          progress: Progress | None = None) -> BuildReport:
    files, failures = seed_files(seeds)
    model = nlp.load() if files else None
    documents, warnings = [], []
    for n, path in enumerate(files, start=1):
        if progress:
            progress(n, len(files), path.name)
        try:
            doc, seed_warnings = read_one(path, model)
        except MarginaliaError as error:
            failures.append(error)
            continue
        documents.append(doc)
        warnings.extend(seed_warnings)
    if strict and failures:
        raise failures[0]
    known = site.urls(documents)
    files_out = {f"{doc.article.slug}.md": render.render(doc, known=known) for doc in documents}
    files_out.update(site.pages(documents))
    changes = store.write_all(content, files_out, discard_edits=discard_edits)
    return BuildReport(tuple(documents), changes, tuple(failures), tuple(warnings))
