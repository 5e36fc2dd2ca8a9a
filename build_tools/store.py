"""Writing content/: atomic, only when bytes change, and never over a hand edit.

A manifest (content/.manifest.json) records the sha256 of every file the pipeline wrote.
A file whose bytes no longer match was edited by hand: the build stops and says how to keep
the edit (move it into the seed's sidecar) or discard it (`--discard-edits`). Each file is
written to a temporary file in the same folder and renamed over the old one, so a build
interrupted at any moment leaves every file either old or new.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from build_tools.errors import HandEditError

MANIFEST = ".manifest.json"


@dataclass(frozen=True)
class Changes:
    written: tuple[str, ...]
    deleted: tuple[str, ...]
    unchanged: int


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_manifest(content: Path) -> dict[str, str]:
    path = content / MANIFEST
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {str(k): str(v) for k, v in data.get("files", {}).items()}


def _edited(content: Path, manifest: dict[str, str], files: dict[str, str]) -> list[str]:
    """Files whose bytes differ from what we last wrote, or that we would overwrite unrecorded."""
    edited = []
    for rel in sorted(set(manifest) | set(files)):
        path = content / rel
        if not path.is_file():
            continue
        on_disk = sha256(path.read_bytes())
        recorded = manifest.get(rel)
        if recorded is None and on_disk != sha256(files[rel].encode("utf-8")):
            edited.append(rel)
        elif recorded is not None and on_disk != recorded:
            edited.append(rel)
    return edited


def write_all(content: Path, files: dict[str, str], *, discard_edits: bool = False) -> Changes:
    manifest = load_manifest(content)
    edited = _edited(content, manifest, files)
    if edited and not discard_edits:
        first = content / edited[0]
        raise HandEditError(
            str(first),
            f"edited by hand since the pipeline wrote it ({len(edited)} file(s): {', '.join(edited[:5])})",
            "keep the change by moving it into the seed's sidecar seeds/<slug>.yml (see docs/editors-guide.md) "
            "and run again, or discard it with `python -m build_tools build --discard-edits`",
        )
    written, unchanged = [], 0
    for rel, text in sorted(files.items()):
        data = text.encode("utf-8")
        path = content / rel
        if path.is_file() and path.read_bytes() == data:
            unchanged += 1
        else:
            atomic_write(path, data)
            written.append(rel)
    deleted = [rel for rel in sorted(manifest) if rel not in files and (content / rel).is_file()]
    for rel in deleted:
        (content / rel).unlink()
    new_manifest = {"files": {rel: sha256(files[rel].encode("utf-8")) for rel in sorted(files)}}
    data = (json.dumps(new_manifest, indent=1, sort_keys=True) + "\n").encode("utf-8")
    if not (content / MANIFEST).is_file() or (content / MANIFEST).read_bytes() != data:
        atomic_write(content / MANIFEST, data)
    return Changes(tuple(written), tuple(deleted), unchanged)
