"""Writing content/: atomic, only when bytes change, and never over a hand edit.

A manifest (content/.manifest.json) records the sha256 of every file the pipeline wrote.
A file whose bytes match neither that record nor what the build is about to write was edited
by hand: the build stops and says how to keep the edit (move it into the seed's sidecar) or
discard it (`--discard-edits`).

Each file is written to a temporary file in the same folder and renamed over the old one, so
a build interrupted at any moment leaves every file either old or new. Before it touches a
file, a build records the file's old hash as `pending` in the manifest; so after an
interruption the next build accepts both the old and the new bytes and never mistakes its own
half-finished work for a hand edit.

A warm build does not read 20,000 files to find that they did not change: the digest and the
signature (filestat) of every file are kept between builds (state.Snapshot.content), and a file
whose signature is the one recorded is known by its recorded digest. Likewise a page the build
knows by its digest only (`Known`: the last build wrote it and nothing it is made from changed)
has its text made only if content/ does not hold it any more.

Temporary files carry the id of the process that made them (`.<name>.<pid>.<random>.tmp`): a
build removes those of builds that are no longer running, never another running build's. The
files a build publishes are the ones it wrote (Changes.files), never whatever lies in content/:
a file no seed gives any more (after a manifest was deleted, say) is listed as a warning and
left alone, unpublished.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import posixpath
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from build_tools import filenames, reader
from build_tools.errors import ContentError, HandEditError
from build_tools.filestat import Signature, signature, trusted

MANIFEST = ".manifest.json"
TEMP_SUFFIX = ".tmp"  # ".<name>.<pid>.<random>.tmp": left behind only when a build is killed
NEW_FILE_MODE = 0o644  # mkstemp makes 0600 files; content/ is read by other tools and people
MAX_FILE_BYTES = 500_000_000  # a page of the longest article is a few MB; the manifest of 100,000 files 20 MB

# content/-relative path -> its signature when last read (None: read it again) and its sha256
Record = dict[str, tuple[Signature | None, str]]


@dataclass(frozen=True)
class Changes:
    written: tuple[str, ...]
    deleted: tuple[str, ...]
    unchanged: int
    files: tuple[str, ...] = ()  # every file of this build's output: what the site publishes
    foreign: tuple[str, ...] = ()  # files in content/ this build did not make: left alone, not published
    digests: dict[str, str] = field(
        default_factory=dict
    )  # sha256 of each of `files` (the site record's sources)
    seen: Record = field(default_factory=dict)  # what content/ holds now, for the next build


@dataclass(frozen=True)
class Known:
    """A file known by its digest: as the last build wrote it, and made of nothing that changed since.
    Its text is made (text()) only when content/ does not hold it any more."""

    digest: str
    text: Callable[[], str]


Output = str | Known


@dataclass(frozen=True)
class Manifest:
    files: dict[str, str]  # content/-relative path -> sha256 the pipeline wrote
    pending: dict[str, str] = field(default_factory=dict)  # old sha256 of files a build is rewriting

    def accepts(self, rel: str, digest: str) -> bool:
        return digest in (self.files.get(rel), self.pending.get(rel))

    def to_bytes(self) -> bytes:
        data: dict[str, dict[str, str]] = {"files": dict(sorted(self.files.items()))}
        if self.pending:
            data["pending"] = dict(sorted(self.pending.items()))
        return (json.dumps(data, indent=1, sort_keys=True) + "\n").encode("utf-8")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def atomic_write(path: Path, data: bytes) -> None:
    """Write a sibling temporary file, flush it to disk, then rename it over `path` (atomic on POSIX)."""
    try:
        mode = path.stat().st_mode & 0o777 if path.is_file() else NEW_FILE_MODE
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=temporary_prefix(path.name), suffix=TEMP_SUFFIX, dir=path.parent)
    except OSError as error:
        raise _unwritable(path, error) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())  # the bytes must be on disk before the new name points at them
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException as error:  # also KeyboardInterrupt: never leave the temporary file behind
        Path(tmp).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise _unwritable(path, error) from None
        raise


def temporary_prefix(name: str) -> str:
    """`.<name>.<pid>.`: recognisable, short whatever the name, and owned by this process."""
    return f".{filenames.short(name)}.{os.getpid()}."


FIXES = {
    errno.ENOSPC: "free some disk space, then build again",
    errno.EDQUOT: "free some disk space (the disk quota is full), then build again",
    errno.EACCES: "let the build write the folder (check its permissions), then build again",
    errno.EPERM: "let the build write the folder (check its permissions), then build again",
    errno.EROFS: "the disk is read-only: build in a writable checkout",
    errno.EISDIR: "a folder has the name of a page: remove it, then build again",
    errno.ENOTDIR: "a file has the name of a folder the build needs: remove it, then build again",
    errno.ENOENT: "a file was removed while the build wrote it: stop the other program that cleans "
    "content/, then build again",
}


def _unwritable(path: Path, error: OSError) -> ContentError:
    return ContentError(
        str(path),
        f"cannot be written ({error.strerror or error})",
        FIXES.get(error.errno or 0, "check the disk space and the folder's permissions, then build again"),
    )


def load_manifest(content: Path) -> Manifest:
    path = content / MANIFEST
    if not (path.exists() or path.is_symlink()):
        return Manifest({})
    try:
        data = json.loads(reader.read_text(path, limit=MAX_FILE_BYTES, error=ContentError, what="manifest"))
        return Manifest(
            {str(k): str(v) for k, v in data.get("files", {}).items()},
            {str(k): str(v) for k, v in data.get("pending", {}).items()},
        )
    except (ValueError, AttributeError, RecursionError, ContentError) as error:
        problem = error.problem if isinstance(error, ContentError) else str(error)
        raise ContentError(
            str(path),
            f"the manifest of generated files cannot be read ({problem})",
            "restore it with `git checkout content/.manifest.json`, or delete it and build once with "
            "`--discard-edits` (every page is then written again; files no seed gives any more are "
            "listed, unpublished, for you to delete)",
        ) from None


def _target(content: Path, rel: str) -> Path:
    """content/ / rel, refusing a path that would leave content/ or replace the manifest."""
    parts = PurePosixPath(rel).parts
    if not parts or PurePosixPath(rel).is_absolute() or ".." in parts or rel == MANIFEST or "\\" in rel:
        raise ContentError(str(content / rel), "is not a path inside content/", "this is a bug: report it")
    return content / rel


def _digests(content: Path, rels: set[str], record: Record, seen_ns: int) -> tuple[dict[str, str], Record]:
    """sha256 of each of these files that exists, for the hand-edit check and the diff: from the
    record when the file's signature is the recorded one, else read once. And the new record."""
    found: dict[str, str] = {}
    seen: Record = {}
    for rel in sorted(rels):
        path = _target(content, rel)
        sig = signature(path)
        known = record.get(rel)
        if sig is not None and known is not None and known[0] == sig:
            found[rel], seen[rel] = known[1], known
        elif sig is not None or path.is_symlink():
            found[rel] = sha256(reader.read_bytes(path, limit=MAX_FILE_BYTES, error=ContentError))
            seen[rel] = (trusted(sig, seen_ns), found[rel])
    return found, seen


def hand_edits(manifest: Manifest, on_disk: dict[str, str], wanted: dict[str, str]) -> list[str]:
    """Files whose bytes are neither what the pipeline recorded nor what it is about to write."""
    return [
        rel
        for rel, digest in sorted(on_disk.items())
        # ours, or already what we want: nothing of the editor's would be lost
        if not manifest.accepts(rel, digest) and digest != wanted.get(rel)
    ]


def _refuse(content: Path, edited: list[str]) -> HandEditError:
    first = edited[0]
    listed = ", ".join(edited[:5]) + (", …" if len(edited) > 5 else "")
    slug = PurePosixPath(first).stem
    keep = (
        f"keep the change by moving it into the sidecar seeds/{slug}.yml (see docs/editors-guide.md)"
        if "/" not in first
        else "keep the change by moving it into the seed or its sidecar (this page is made from them)"
    )
    return HandEditError(
        str(content / first),
        f"was edited by hand since the pipeline wrote it ({len(edited)} file(s) edited: {listed})",
        f"{keep} and build again, or discard the edits with `python -m build_tools build --discard-edits` "
        "(for `mkdocs build`, set `discard_edits: true` under the marginalia plugin for one build)",
    )


def write_all(
    content: Path,
    files: Mapping[str, Output],
    *,
    discard_edits: bool = False,
    record: Record | None = None,
    seen_ns: int = 0,
) -> Changes:
    """Write what differs from content/; `record` is the last build's Changes.seen, and `seen_ns`
    when this build started (time.time_ns()): files modified after it are read again next time."""
    # Digests, not bytes, are kept for every file: at 10,000 articles content/ is 270 MB.
    wanted = {rel: _digest(out) for rel, out in sorted(files.items())}
    manifest = load_manifest(content)
    present = _files(content)  # one walk: temporaries of killed builds, and files this build does not make
    _remove_temporaries(content, present)
    on_disk, seen = _digests(
        content, set(manifest.files) | set(manifest.pending) | set(wanted), record or {}, seen_ns
    )
    edited = hand_edits(manifest, on_disk, wanted)
    if edited and not discard_edits:
        raise _refuse(content, edited)
    changed = [rel for rel, digest in wanted.items() if on_disk.get(rel) != digest]
    known = set(manifest.files) | set(manifest.pending)
    stale = [rel for rel in sorted(known) if rel not in wanted and rel in on_disk]
    final = Manifest(wanted)
    if changed or stale:
        # Record the old bytes first: an interrupted build then leaves files the next one accepts.
        old = {rel: on_disk[rel] for rel in changed + stale if rel in on_disk}
        atomic_write(content / MANIFEST, Manifest(final.files, old).to_bytes())
    for rel in changed:
        out = files[rel]
        atomic_write(content / rel, (out.text() if isinstance(out, Known) else out).encode("utf-8"))
        seen[rel] = (None, wanted[rel])  # just written: read again by the next build (filestat.trusted)
    for rel in stale:
        (content / rel).unlink()
        seen.pop(rel, None)
    if not _holds(content / MANIFEST, final.to_bytes()):
        atomic_write(content / MANIFEST, final.to_bytes())
    foreign = sorted(set(_visible(present)) - set(wanted) - known)
    return Changes(
        tuple(changed), tuple(stale), len(wanted) - len(changed), tuple(wanted), tuple(foreign), wanted, seen
    )


def _digest(out: Output) -> str:
    return out.digest if isinstance(out, Known) else sha256(out.encode("utf-8"))


def _holds(path: Path, data: bytes) -> bool:
    try:
        return reader.read_bytes(path, limit=MAX_FILE_BYTES, error=ContentError) == data
    except ContentError:
        return False  # missing or not a file: written again


def _files(content: Path) -> list[str]:
    """Every file under content/ (relative, POSIX), in folders that are not hidden; hidden files
    (the manifest, temporaries) are listed too, for _remove_temporaries. os.walk follows no
    symbolic link, so a link loop in content/ costs nothing."""
    found = []
    for folder, dirs, names in os.walk(content):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        rel = os.path.relpath(folder, content)
        found += [n if rel == "." else f"{rel}/{n}".replace(os.sep, "/") for n in names]
    return found


def _visible(present: list[str]) -> list[str]:
    return [rel for rel in present if not posixpath.basename(rel).startswith(".")]


def _remove_temporaries(content: Path, present: list[str]) -> None:
    """Temporary files of builds that were killed before they could remove them: those of a
    process that is no longer running (or of a version that did not name its process)."""
    for rel in present:
        name = posixpath.basename(rel)
        if name.startswith(".") and name.endswith(TEMP_SUFFIX):
            path = content / rel
            if path.is_file() and not path.is_symlink() and not _running(_owner(name)):
                path.unlink(missing_ok=True)


def _owner(name: str) -> int | None:
    """The process id in `.<name>.<pid>.<random>.tmp`, or None."""
    parts = name.split(".")
    return int(parts[-3]) if len(parts) >= 4 and parts[-3].isdigit() else None


def _running(pid: int | None) -> bool:
    if pid is None or pid <= 0:
        return False
    if pid == os.getpid():
        return True  # ours: atomic_write removes it itself
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's running process
    return True
