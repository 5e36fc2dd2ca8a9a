"""Each page's terms, weights and quote masks, kept between builds so that one changed article
re-reads one article's words, not the archive's.

Finding the terms of 10,000 articles costs about 15 s of the 2 cores here (stemming is cached;
the tokens are most of it); one changed seed must cost little more than a warm build (bench/).
The analyses of the last build live in one pickle, <cache>/search-entries.pickle, keyed by each
entry's fields and the search package's source, read and written through cache.Disk (the
guarded reader, a digest of the body, and a failed write costs speed, never the build). Pickle
is safe here for the reason cache.py gives: it is read only from the project's own .cache/, and
a damaged or foreign file fails its digest and is a miss.
"""

from __future__ import annotations

import hashlib
import pickle
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from build_tools.cache import Disk
from build_tools.search.entries import Entry
from build_tools.search.words import term_counts

TITLE_WEIGHT = 10  # a word of the title or the name counts as this many words of the text
MAX_WEIGHT = 99  # long articles do not drown short ones that match as well
FILE = "search-entries.pickle"


@dataclass(frozen=True)
class Analysis:
    """An entry's terms with, for each, its weight and its quote mask (bit i: quote i holds it)."""

    terms: tuple[str, ...]
    weights: array[int]
    masks: tuple[int, ...]


def analyse(entry: Entry) -> Analysis:
    weights = _weights(entry)
    masks = _quote_masks(entry)
    found = sorted(weights)
    return Analysis(
        tuple(found),
        array("q", (min(weights[t], MAX_WEIGHT) for t in found)),
        tuple(masks.get(t, 0) for t in found),
    )


def _weights(entry: Entry) -> Counter[str]:
    found = term_counts(entry.text, entry.names)
    found.update(term_counts(entry.more, entry.names))
    for term in term_counts(entry.title, entry.names):
        found[term] += TITLE_WEIGHT
    return found


def _quote_masks(entry: Entry) -> dict[str, int]:
    """term -> bit i set when quote i of the entry holds the term, in its words or its speaker's name."""
    masks: dict[str, int] = defaultdict(int)
    for i, quote in enumerate(entry.quotes):
        said = f"{entry.text[quote.start : quote.end]}\n{quote.speaker}"
        for term in term_counts(said, entry.names):
            masks[term] |= 1 << i
    return masks


def key(entry: Entry, code: str) -> str:
    digest = hashlib.sha256(code.encode())
    digest.update("\0".join(entry.fields()).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


class AnalysisCache:
    """The analyses of the last build's entries; `None` root: no cache (every entry analysed)."""

    def __init__(self, root: Path | None, code: str, disk: Disk | None = None) -> None:
        self.path = root / FILE if root else None
        self.code = code
        self.disk = disk or Disk()  # the cache's guarded reads and writes (cache.py)

    def analyses(self, entries: list[Entry]) -> list[Analysis]:
        known = self._load()
        keys = [key(e, self.code) for e in entries]
        found = [known.get(k) or analyse(e) for k, e in zip(keys, entries, strict=True)]
        if self.path is not None and set(keys) != set(known):
            self._save(dict(zip(keys, found, strict=True)))
        return found

    def _load(self) -> dict[str, Analysis]:
        body = self.disk.read(self.path) if self.path is not None else None
        if body is None:
            return {}
        try:
            data = pickle.loads(body)
        except Exception:  # pickled by other code: analyse again
            return {}
        return data if isinstance(data, dict) else {}

    def _save(self, data: dict[str, Analysis]) -> None:
        assert self.path is not None
        # A cache that cannot be written costs speed, never the build (Disk records the problem).
        self.disk.write(self.path, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
