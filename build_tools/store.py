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
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from build_tools.errors import ContentError, HandEditError

MANIFEST = ".manifest.json"
TEMP_SUFFIX = ".tmp"  # ".<name>.<random>.tmp": left behind only when a build is killed
NEW_FILE_MODE = 0o644  # mkstemp makes 0600 files; content/ is read by other tools and people


@dataclass(frozen=True)
class Changes:
    written: tuple[str, ...]
    deleted: tuple[str, ...]
    unchanged: int


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
    mode = path.stat().st_mode & 0o777 if path.is_file() else NEW_FILE_MODE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
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


def _unwritable(path: Path, error: OSError) -> ContentError:
    return ContentError(
        str(path),
        f"cannot be written ({error.strerror or error})",
        "check the disk space and the folder's permissions, then build again",
    )


def load_manifest(content: Path) -> Manifest:
    path = content / MANIFEST
    if not path.is_file():
        return Manifest({})
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Manifest(
            {str(k): str(v) for k, v in data.get("files", {}).items()},
            {str(k): str(v) for k, v in data.get("pending", {}).items()},
        )
    except (ValueError, AttributeError, OSError) as error:
        raise ContentError(
            str(path),
            f"the manifest of generated files cannot be read ({error})",
            "restore it with `git checkout content/.manifest.json`, or delete it and build once with "
            "`--discard-edits` (every file in content/ is then regenerated)",
        ) from None


def _target(content: Path, rel: str) -> Path:
    """content/ / rel, refusing a path that would leave content/ or replace the manifest."""
    parts = PurePosixPath(rel).parts
    if not parts or PurePosixPath(rel).is_absolute() or ".." in parts or rel == MANIFEST or "\\" in rel:
        raise ContentError(str(content / rel), "is not a path inside content/", "this is a bug: report it")
    return content / rel


def _digests(content: Path, rels: set[str]) -> dict[str, str]:
    """sha256 of each of these files that exists: read once, for the hand-edit check and the diff."""
    found = {}
    for rel in sorted(rels):
        path = _target(content, rel)
        if path.is_file():
            found[rel] = sha256(path.read_bytes())
    return found


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


def write_all(content: Path, files: dict[str, str], *, discard_edits: bool = False) -> Changes:
    # Digests, not bytes, are kept for every file: at 10,000 articles content/ is 270 MB.
    wanted = {rel: sha256(text.encode("utf-8")) for rel, text in sorted(files.items())}
    manifest = load_manifest(content)
    _remove_temporaries(content)
    on_disk = _digests(content, set(manifest.files) | set(manifest.pending) | set(wanted))
    edited = hand_edits(manifest, on_disk, wanted)
    if edited and not discard_edits:
        raise _refuse(content, edited)
    changed = [rel for rel, digest in wanted.items() if on_disk.get(rel) != digest]
    stale = [
        rel
        for rel in sorted(set(manifest.files) | set(manifest.pending))
        if rel not in wanted and rel in on_disk
    ]
    final = Manifest(wanted)
    if changed or stale:
        # Record the old bytes first: an interrupted build then leaves files the next one accepts.
        old = {rel: on_disk[rel] for rel in changed + stale if rel in on_disk}
        atomic_write(content / MANIFEST, Manifest(final.files, old).to_bytes())
    for rel in changed:
        atomic_write(content / rel, files[rel].encode("utf-8"))
    for rel in stale:
        (content / rel).unlink()
    if not _holds(content / MANIFEST, final.to_bytes()):
        atomic_write(content / MANIFEST, final.to_bytes())
    return Changes(tuple(changed), tuple(stale), len(wanted) - len(changed))


def _holds(path: Path, data: bytes) -> bool:
    return path.is_file() and path.read_bytes() == data


def _remove_temporaries(content: Path) -> None:
    """Temporary files of a build that was killed before it could remove them."""
    if content.is_dir():
        for path in content.rglob(f".*{TEMP_SUFFIX}"):
            if path.is_file() and not path.is_symlink():
                path.unlink()
