"""The last build of a content/ folder, kept so that the next one redoes only what changed.

A warm build with one seed changed must cost what that seed costs, not what the archive costs
(at 10,000 articles, reading every seed, rendering every page and re-indexing every page took
tens of seconds). The snapshot holds, for each article, the seed as read (its files' signatures,
its key, its Document) and what was published of it (its page's digest, its search entry and
terms); for each person, organisation, place and topic, its page's digest and search entry; and
the digest and signature of every file of content/. Each memo is used only when what it was made
from is unchanged: the seed's files (filestat), the Document (compared with the new one), the
code (a new version of any of build_tools discards the whole snapshot).

In memory, a build returns the snapshot for the next (`mkdocs serve` keeps it between rebuilds);
on disk it lives in .cache/marginalia/state/<folder>/, in SHARDS files by the name of the article or
page, so a build rewrites the shards it changed and a small head. Each shard carries the generation
that wrote it; a shard newer than the head (a build stopped between the two writes) discards the
snapshot. Pickle is safe here for the reason cache.py gives (read only from the project's own
.cache/, each file carries a digest and a damaged one is never unpickled).
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from build_tools.cache import Disk, Entry
from build_tools.filestat import Signature
from build_tools.model import Document
from build_tools.render import Previously
from build_tools.search.analysis import Analysis
from build_tools.search.entries import Entry as SearchEntry

SHARDS = 512  # an edit touches the shards of its article and of its profiles (a few dozen): the fewer
# each holds, the less a build writes (at 64, one edit rewrote 40 % of the snapshot)
FORMAT = 2
ProfileKey = tuple[str, str]  # (kind, id), as site.Archive names its profiles
Face = tuple[str, str | None]  # what other profiles' pages show of one: its name and latest role


@dataclass(frozen=True)
class SeedMemo:
    """One seed as the last build read it: enough to publish it again without reading it."""

    path: str  # the seed as given (Article.path)
    seed: Signature | None  # None: read it again (filestat.trusted)
    sidecar: str | None  # its sidecar as given, None without one
    sidecar_sig: Signature | None
    input_key: str
    warnings: tuple[str, ...]  # ingest's
    entry: Entry  # the extraction, before the editor's corrections
    notes: str  # digest of the curated notes `document` was made with
    document: Document  # before the people registry


@dataclass(frozen=True)
class Found:
    """One searchable page as the last build indexed it."""

    entry: SearchEntry
    analysis: Analysis
    page: str  # digest of its file under search-data/p/


@dataclass(frozen=True)
class Published:
    """One article as the last build published it (its search entry kept with it, in the same shard,
    so the article's text is stored once)."""

    seed: SeedMemo
    resolved: Document  # after the people registry
    contributes: frozenset[ProfileKey]  # the profiles it is part of
    links: tuple[str, ...]  # the pages its page links to (site.Archive.links_from)
    page: str  # digest of content/<slug>.md
    found: Found | None = None
    previously: tuple[Previously, ...] = ()  # its "Previously" lines (site.Archive.previously)


@dataclass
class Snapshot:
    code: str = ""
    articles: dict[str, Published] = field(default_factory=dict)  # by slug
    profiles: dict[ProfileKey, str] = field(default_factory=dict)  # digest of each profile's page
    faces: dict[ProfileKey, Face] = field(default_factory=dict)  # site.Archive.face of each profile
    found: dict[str, Found] = field(default_factory=dict)  # the other searchable pages, by URL
    names: dict[str, str] = field(default_factory=dict)  # the people registry's names (site.Archive)
    pages: dict[str, str] = field(default_factory=dict)  # content/ rel -> digest of every other page
    search: str = ""  # search_index.fingerprint() of the memos in `found`
    search_files: dict[str, str] = field(default_factory=dict)  # the index's other files -> digest
    content: dict[str, tuple[Signature | None, str]] = field(default_factory=dict)  # what content/ holds
    where: str = ""  # the folders it was built from (Store.where)
    generation: int = 0
    loaded: bool = False  # read from disk whole: save() may then write only the shards that changed
    # In memory only (never saved): the search index's shards as made, for the next build of the
    # same process to update (search.index.Shards); None: made again from every page's terms.
    shards: Any = None


# -- on disk ------------------------------------------------------------------------------------------
HEAD = "head.pickle"
Shard = dict[str, dict[Any, Any]]  # "articles" / "profiles" / "found" -> the entries of the shard


def _shard(name: object) -> int:
    digest = hashlib.sha256(repr(name).encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(digest[:4], "big") % SHARDS


def _split(snapshot: Snapshot) -> list[Shard]:
    shards: list[Shard] = [{"articles": {}, "profiles": {}, "found": {}} for _ in range(SHARDS)]
    for part in ("articles", "profiles", "found"):
        for name, value in getattr(snapshot, part).items():
            shards[_shard(name)][part][name] = value
    return shards


class Store:
    """The snapshots of the builds of one project, one folder per content/ folder and seeds path."""

    def __init__(self, root: Path | None, seeds: Path, content: Path, disk: Disk | None = None) -> None:
        where = f"{seeds}\0{content.resolve()}".encode("utf-8", "surrogatepass")
        self.where = hashlib.sha256(where).hexdigest()[:24]
        self.folder = root / "state" / self.where if root else None
        self.disk = disk or Disk()

    def load(self, code: str) -> Snapshot:
        """The last snapshot made by this code, or an empty one (which the next save writes whole)."""
        head = self._read(HEAD)
        if not isinstance(head, Snapshot):
            return Snapshot(code)
        newest = head.generation
        shards = [self._read(f"{n:03d}.pickle") for n in range(SHARDS)] if head.code == code else []
        for shard in shards:
            if shard is not None:
                newest = max(newest, shard[0])
        if head.code != code or newest > head.generation:  # other code, or a build stopped before its head
            return Snapshot(code, generation=newest)
        for shard in shards:
            for part, entries in shard[1].items() if shard else ():  # None: damaged, its articles read again
                getattr(head, part).update(entries)
        head.loaded = True
        return head

    def save(self, snapshot: Snapshot, last: Snapshot) -> None:
        """Write the shards that differ from `last` (entries are compared by identity), then the head."""
        if self.folder is None:
            return
        generation = last.generation + 1
        old = _split(last) if last.loaded and last.code == snapshot.code else None
        for n, shard in enumerate(_split(snapshot)):
            if old is None or _differs(shard, old[n]):
                self._write(f"{n:03d}.pickle", (generation, shard))
        head = Snapshot(
            snapshot.code,
            where=snapshot.where,
            names=snapshot.names,
            faces=snapshot.faces,
            pages=snapshot.pages,
            search=snapshot.search,
            search_files=snapshot.search_files,
            content=snapshot.content,
            generation=generation,
        )
        self._write(HEAD, head)
        # A write that failed leaves the folder unlike `snapshot`: the next save writes every shard.
        snapshot.generation, snapshot.loaded = generation, self.disk.problem is None

    def _read(self, name: str) -> Any:
        body = self.disk.read(self.folder / name) if self.folder else None
        if body is None:
            return None
        try:
            return pickle.loads(body)
        except Exception:  # pickled by other code: a miss
            return None

    def _write(self, name: str, value: object) -> None:
        assert self.folder is not None
        self.disk.write(self.folder / name, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def _differs(new: Shard, old: Shard) -> bool:
    for part, entries in new.items():
        before = old[part]
        if entries.keys() != before.keys() or any(v is not before[k] for k, v in entries.items()):
            return True
    return False
