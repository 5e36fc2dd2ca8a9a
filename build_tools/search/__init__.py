"""The archive's search index: small static files a browser fetches a few at a time.

Material's search downloads the text of the whole archive before its first result (7 MB gzipped at
10,000 articles, bench/README.md). This index is split so that a query fetches `meta.json`, the
shard of each word, the URL chunks of the results shown and one small file per result
(overrides/assets/search.js). Pagefind does the same but needs 4 GB of memory to index 10,000
articles and re-indexes everything when one article changes (bench/README.md compares the two on
the same site and the same queries); this index is plain Python over the Documents the pipeline
already holds, written through the same store as the pages.

Modules: words (text -> terms, the same rules as the browser's words.js), entries (what is
searchable), analysis (each entry's terms and weights, cached between builds), index (the files).

Format (version 2), under content/search-data/ and so site/search-data/:

- `meta.json`: {"version", "docs": N, "chunk": URLs per chunk, "shards": the shard keys that exist,
  "kinds": kind -> [first id, end id), "years": year -> [first id, end id) of the articles of that
  year, "stopwords"}. Ids are ordered by kind, then year, then URL, so a filter is a range of ids.
- `t/<key>.json`: the terms whose lower-case form starts with <key> (hex when not [a-z0-9]); a key
  has 2 characters, or more where a shard was split for size (a term belongs to the longest key
  that starts it). Each term -> [id gap, weight, ...]: ids ascending, each the gap from the one
  before (the first from 0); a negative weight is followed by a quote mask, bit i set when the
  article's quote i holds the term (an integer, or hex text above 2^53).
- `d/<n>.json`: the URLs of documents n*CHUNK .. n*CHUNK+CHUNK-1.
- `p/<url>.json`: one page's {url, title, kind, date, text, more, quotes}: what its result shows,
  with `text` for the excerpt and phrase checks, `more` the rest of what it is found by, and
  `quotes` [start, end, paragraph, speaker, speaker's page or ""] as spans of `text`.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from build_tools.search.analysis import Analysis, AnalysisCache, analyse
from build_tools.search.entries import Entry, QuoteRef, article_entry, entries, profile_entry, topic_entries
from build_tools.search.index import FOLDER, VERSION, Shards, files, listing, page_file, page_path, page_text

__all__ = [
    "FOLDER",
    "VERSION",
    "Analysis",
    "AnalysisCache",
    "Entry",
    "QuoteRef",
    "Shards",
    "analyse",
    "article_entry",
    "entries",
    "files",
    "fingerprint",
    "listing",
    "page_file",
    "page_path",
    "page_text",
    "profile_entry",
    "topic_entries",
]


@cache
def fingerprint() -> str:
    """The source of this package and its stop words: part of the search cache's key."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in [*sorted(package.glob("*.py")), package.parent / "rules" / "search.yml"]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
