"""What each file of a built site/ was made from, so that a dirty MkDocs build renders exactly the
pages a change touched and leaves site/ byte-identical to a full build.

MkDocs' own dirty build decides by modification times and reads no page it does not render again,
which goes wrong three ways (GUIDE §3): a page it does not read has no title, so the navigation of
the pages it does render says `None`; a page that includes a generated snippet (the home page's
latest list) is not rendered when only the snippet changed; and nothing it no longer makes (the
page of a removed article) is ever removed. This record, one per site folder under
.cache/marginalia/sites/, holds:

- `fingerprint`: everything outside content/ a built page depends on (the MkDocs configuration,
  docs/, the theme's files, the versions of MkDocs, the theme and the code). When it changed,
  the build is a full one: site/ emptied, every page rendered;
- `sources`: the sha256 of each content/ file as the site was last built from it. A page is
  rendered again when its source's digest differs, or when the record does not know it;
- `outputs`: the files that build made, so that those a later build no longer makes are removed.

The hand-written pages of docs/ are few and are rendered on every build (their titles name the
navigation; one includes a generated snippet). The record is written in two steps, as store.py
writes content/: before a build renders anything, without the pages it is about to render (a build
that fails half-way leaves them unknown, so the next one renders them again); after it, whole.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from build_tools.cache import Disk
from build_tools.filenames import segment
from build_tools.store import sha256

FORMAT = 1
FOLDER = "sites"  # under .cache/marginalia/


@dataclass(frozen=True)
class Record:
    fingerprint: str
    sources: dict[str, str]  # site source URI (articles/x.md, search-data/...) -> sha256 it was built from
    outputs: tuple[str, ...]  # site_dir-relative files that build made


@dataclass(frozen=True)
class Plan:
    """What a dirty build must do: everything (no usable record), or these pages and files."""

    everything: bool
    render: frozenset[str]  # source URIs whose output is out of date
    stale: tuple[str, ...]  # outputs of the last build (files of site/) that this build no longer makes


EVERYTHING = Plan(True, frozenset(), ())


class Records:
    """The records of every site folder built from this project, one JSON file each."""

    def __init__(self, root: Path | None, disk: Disk | None = None) -> None:
        self.root = root / FOLDER if root else None
        self.disk = disk or Disk()

    def _path(self, site_dir: Path) -> Path | None:
        name = segment(sha256(str(site_dir.resolve()).encode("utf-8", "surrogatepass"))[:24])
        return self.root / f"{name}.json" if self.root else None

    def load(self, site_dir: Path) -> Record | None:
        path = self._path(site_dir)
        body = self.disk.read(path) if path else None
        try:
            data = json.loads(body) if body is not None else None
            if not isinstance(data, dict) or data.get("format") != FORMAT:
                return None
            if data.get("site_dir") != str(site_dir.resolve()):
                return None  # two folders whose names share a digest prefix: never mistake one for the other
            sources = {str(k): str(v) for k, v in data["sources"].items()}
            return Record(str(data["fingerprint"]), sources, tuple(str(o) for o in data["outputs"]))
        except (ValueError, KeyError, TypeError, AttributeError):
            return None  # damaged: a full build

    def save(self, site_dir: Path, record: Record) -> None:
        path = self._path(site_dir)
        if path is None:
            return
        data = {
            "format": FORMAT,
            "site_dir": str(site_dir.resolve()),
            "fingerprint": record.fingerprint,
            "sources": dict(sorted(record.sources.items())),
            "outputs": sorted(record.outputs),
        }
        self.disk.write(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))

    def forget(self, site_dir: Path) -> None:
        path = self._path(site_dir)
        if path is not None:
            path.unlink(missing_ok=True)


def plan(last: Record | None, fingerprint: str, sources: dict[str, str], site_dir: Path) -> Plan:
    """The pages whose source changed since `last` was built into site_dir (or whose output is gone)."""
    if last is None or last.fingerprint != fingerprint or not site_dir.is_dir():
        return EVERYTHING
    render = frozenset(uri for uri, digest in sources.items() if last.sources.get(uri) != digest)
    return Plan(False, render, ())


def pending(last: Record | None, fingerprint: str, the_plan: Plan) -> Record:
    """The record to keep while the build runs: what it is about to render is no longer known."""
    if last is None or the_plan.everything:
        return Record(fingerprint, {}, last.outputs if last else ())
    sources = {uri: d for uri, d in last.sources.items() if uri not in the_plan.render}
    return Record(fingerprint, sources, last.outputs)


def stale(last: Record | None, outputs: set[str]) -> tuple[str, ...]:
    """Files the last build made that this one does not: the pages of removed articles, say."""
    return tuple(sorted(set(last.outputs) - outputs)) if last else ()


def remove(site_dir: Path, files: tuple[str, ...]) -> None:
    """Remove these files of site_dir, and the folders they leave empty (a full build has none)."""
    folders: set[Path] = set()
    for rel in files:
        parts = PurePosixPath(rel).parts
        if not parts or PurePosixPath(rel).is_absolute() or ".." in parts:
            continue  # not a file of site_dir: a damaged record never removes anything else
        path = site_dir.joinpath(*parts)
        if path.is_file() or path.is_symlink():
            path.unlink()
        folders.update(p for p in path.parents if site_dir in p.parents)
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
