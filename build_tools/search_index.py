"""The pipeline's door to the search index (build_tools/search/): the entries of an archive and
the index's files. It stays a module of its own because the search cache's key names this file
(cache.SEARCH_CODE); the package's own source is keyed by search.fingerprint()."""

from __future__ import annotations

from build_tools.search import (
    FOLDER,
    Analysis,
    AnalysisCache,
    Entry,
    Shards,
    analyse,
    article_entry,
    entries,
    files,
    fingerprint,
    listing,
    page_path,
    page_text,
    profile_entry,
    topic_entries,
)

__all__ = [
    "FOLDER",
    "Analysis",
    "AnalysisCache",
    "Entry",
    "Shards",
    "analyse",
    "article_entry",
    "entries",
    "files",
    "fingerprint",
    "listing",
    "page_path",
    "page_text",
    "profile_entry",
    "topic_entries",
]
