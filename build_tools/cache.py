"""Each seed's Extraction, cached on disk so a rebuild with nothing changed does no NLP.

An entry's key is the sha256 of everything the extraction depends on: the seed's bytes, its
slug and file name (unnamed sources get ids with the slug), the source of the extraction
code, the rules data, the spaCy version and the model's meta.json. Warnings name the seed's
path as given, which differs between `mkdocs build` and the CLI: it is stored as a marker. None of it
needs spaCy imported, so a warm build never loads the model. Sidecar corrections are applied
after extraction and are not part of the key. Entries are JSON of the typed values, written
atomically under `.cache/marginalia/` (gitignored); delete the folder to start afresh.

A lost entry is only a miss, so the cache never fails a build: an entry that cannot be written
(a read-only or full disk) is skipped and reported once as a notice (Disk.problem), and one that
cannot be read is a miss: missing, not a regular file, truncated, changed by hand (every file
carries the sha256 of its body), or of values of the wrong types (checked as they are decoded).
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import pickle
import tempfile
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from build_tools import __version__, model, reader
from build_tools.errors import MarginaliaError
from build_tools.filenames import segment
from build_tools.model import Article, Document, Extraction, Span

FORMAT = 2  # bump when the JSON layout below changes (2: typed decoding; files carry their digest)
SEED_PATH = "<seed>"  # stands for Article.path in cached warnings
PACKAGE = Path(__file__).resolve().parent
# The code whose behaviour decides an Extraction: a change here must re-extract every seed.
CODE = ("extract", "rules", "headline.py", "ingest.py", "patterns.py", "textutil.py", "nlp.py", "model.py")
NOT_EXTRACTION = {"rules/search.yml"}  # the search index's stop words: re-indexing costs no NLP


@dataclass(frozen=True)
class Entry:
    extraction: Extraction
    model_version: str  # nlp.version() of the model that made it, for the page's provenance


# -- key --------------------------------------------------------------------------------------------
@cache
def code_fingerprint() -> str:
    digest = hashlib.sha256(f"{__version__}\0{FORMAT}".encode())
    for part in CODE:
        root = PACKAGE / part
        files = sorted(root.rglob("*")) if root.is_dir() else [root]
        for path in files:
            rel = path.relative_to(PACKAGE).as_posix()
            if path.is_file() and path.suffix in {".py", ".yml", ".yaml"} and rel not in NOT_EXTRACTION:
                digest.update(rel.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@cache
def model_fingerprint(name: str) -> str:
    """The model's identity from its meta.json and the spaCy version, without importing spaCy."""
    meta = Path(name) / "meta.json"
    if not meta.is_file():
        spec = importlib.util.find_spec(name) if name.isidentifier() else None
        locations = list(spec.submodule_search_locations or []) if spec else []
        meta = Path(locations[0]) / "meta.json" if locations else meta
    try:
        spacy = importlib.metadata.version("spacy")
    except importlib.metadata.PackageNotFoundError:
        spacy = "?"
    body = meta.read_bytes() if meta.is_file() else b"no meta.json"
    return hashlib.sha256(f"{name}\0{spacy}\0".encode() + body).hexdigest()


def extraction_fingerprint(model_name: str) -> str:
    """What every extraction depends on besides its seed: the code and rules, spaCy and the model. CI
    keys its copy of the extraction cache by it (`python -m build_tools cache-key`)."""
    return hashlib.sha256(f"{code_fingerprint()}\0{model_fingerprint(model_name)}".encode()).hexdigest()


def key(article: Article, model_name: str) -> str:
    parts = [
        article.sha256,
        article.slug,
        Path(article.path).name,
        code_fingerprint(),
        model_fingerprint(model_name),
    ]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


# -- JSON of the typed values -----------------------------------------------------------------------
# Generic over model.py's frozen dataclasses, read from their type hints: a field added to the model
# is stored with no change here (and model.py is part of the key, so old entries are not read).
# A dataclass becomes an object of its fields, a tuple a list, a Span [start, end].
def to_json(x: Extraction) -> dict[str, Any]:
    value = _encode(x)
    assert isinstance(value, dict)
    return value


def from_json(d: dict[str, Any]) -> Extraction:
    value = _decode(Extraction, d)
    assert isinstance(value, Extraction)
    return value


def _encode(value: Any) -> Any:
    if isinstance(value, Span):
        return [value.start, value.end]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    return value


@cache
def _decoder(hint: Any) -> Callable[[Any], Any]:
    """A function from JSON to the type `hint`, made once per type: decoding 10,000 entries is hot.
    A value of another type raises TypeError, so a damaged entry is a miss, never a wrong page."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is Span:
        return lambda v: None if v is None else Span(_int(v[0]), _int(v[1]))
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        cls, hints = hint, typing.get_type_hints(hint, vars(model))
        fields = [(f.name, _decoder(hints[f.name])) for f in dataclasses.fields(hint)]
        return lambda v: (
            None if v is None else cls(**{name: dec(v[name]) for name, dec in fields if name in _dict(v)})
        )
    if origin is tuple:
        item = _decoder(args[0])
        return lambda v: None if v is None else tuple(map(item, _list(v)))
    if origin in (types.UnionType, typing.Union):  # X | None: each decoder passes None through
        return _decoder(next(a for a in args if a is not type(None)))
    if origin is typing.Literal:
        return lambda v: v if v is None or v in args else _wrong(v, hint)
    return _scalar(getattr(hint, "__supertype__", hint))  # a NewType decodes as its base type


def _scalar(hint: Any) -> Callable[[Any], Any]:
    if hint is float:
        return lambda v: float(v) if type(v) in (int, float) else v if v is None else _wrong(v, hint)
    if hint in (str, int, bool):
        return lambda v: v if v is None or type(v) is hint else _wrong(v, hint)
    return lambda v: v


def _wrong(value: Any, hint: Any) -> Any:
    raise TypeError(f"{type(value).__name__} where {hint} belongs")


def _int(v: Any) -> int:
    return v if type(v) is int else _wrong(v, int)


def _dict(v: Any) -> dict[str, Any]:
    return v if isinstance(v, dict) else _wrong(v, dict)


def _list(v: Any) -> list[Any]:
    return v if isinstance(v, list) else _wrong(v, list)


def _decode(hint: Any, value: Any) -> Any:
    return _decoder(hint)(value)


# -- the files ---------------------------------------------------------------------------------------
MAGIC = b"marginalia-cache 1\n"
MAX_ENTRY_BYTES = 1_000_000_000  # an entry of the longest article is a few MB; the search index tens


class Disk:
    """The cache's files, shared by its four kinds of entry: each file is MAGIC, the sha256 of its
    body and the body. Reads go through the guarded reader; a write that fails is recorded once
    (`problem`) and the cache writes nothing more in this build: the build itself goes on."""

    def __init__(self) -> None:
        self.problem: str | None = None

    def read(self, path: Path) -> bytes | None:
        try:
            raw = reader.read_bytes(path, limit=MAX_ENTRY_BYTES, error=MarginaliaError)
        except MarginaliaError:
            return None  # missing, a folder, a FIFO, unreadable: a miss
        head, digest, body = raw[: len(MAGIC)], raw[len(MAGIC) : len(MAGIC) + 64], raw[len(MAGIC) + 65 :]
        if head != MAGIC or digest != hashlib.sha256(body).hexdigest().encode():
            return None  # truncated, of an older layout, or changed by hand
        return body

    def write(self, path: Path, body: bytes) -> None:
        if self.problem is not None:
            return
        data = MAGIC + hashlib.sha256(body).hexdigest().encode() + b"\n" + body
        tmp: str | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # No fsync: a lost entry is only a miss; the rename keeps a reader from seeing half a file.
            prefix = f".{path.name[:8]}.{os.getpid()}."
            fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=path.parent)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
        except OSError as error:
            self.problem = f"{path.parent}: {error.strerror or error}"
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
        except BaseException:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
            raise


def _json_body(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")


def _json_entry(disk: Disk, path: Path, k: str) -> dict[str, Any] | None:
    """A JSON entry written under key k; None when missing, damaged or of another key."""
    body = disk.read(path)
    if body is None:
        return None
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) and data.get("key") == k else None


# -- the extractions -----------------------------------------------------------------------------------
class ExtractionCache:
    """Entries at <root>/extractions/<key[:2]>/<key>.json; an unreadable entry counts as a miss."""

    def __init__(self, root: Path, disk: Disk | None = None) -> None:
        self.root = root
        self.disk = disk or Disk()

    def _path(self, k: str) -> Path:
        return self.root / "extractions" / k[:2] / f"{k}.json"

    def get(self, k: str, article: Article) -> Entry | None:
        data = _json_entry(self.disk, self._path(k), k)
        if data is None or data.get("format") != FORMAT:
            return None
        try:
            x = from_json(data["extraction"])
            version = data["model_version"]
            if not isinstance(version, str):
                return None
            warnings = tuple(w.replace(SEED_PATH, article.path) for w in x.warnings)
        except Exception:  # a damaged entry of any shape: extract again (ValueError, KeyError, TypeError, …)
            return None
        return Entry(dataclasses.replace(x, warnings=warnings), version)

    def put(self, k: str, article: Article, entry: Entry) -> None:
        x = entry.extraction
        x = dataclasses.replace(x, warnings=tuple(w.replace(article.path, SEED_PATH) for w in x.warnings))
        data = {"format": FORMAT, "key": k, "model_version": entry.model_version, "extraction": to_json(x)}
        self.disk.write(self._path(k), _json_body(data))


class NoCache:
    """`--no-cache`: every seed is a miss and nothing is written."""

    def get(self, k: str, article: Article) -> Entry | None:
        return None

    def put(self, k: str, article: Article, entry: Entry) -> None:
        return None


# -- rendered article pages -------------------------------------------------------------------------
# Rendering an article costs more than everything else in a warm build (the YAML front matter
# alone is about 3 ms a page), so the page text is kept too, keyed by the Document itself (its
# repr: every field, deterministic), the links that resolve from it, and the render code.
RENDER_CODE = ("render.py", "routes.py", "filenames.py", "textutil.py", "model.py")


@cache  # the code cannot change under a running process; reading it once per page cost 0.1 s per 1,000
def files_fingerprint(names: tuple[str, ...]) -> str:
    digest = hashlib.sha256(f"{__version__}\0{FORMAT}".encode())
    for name in names:
        digest.update(name.encode() + b"\0" + (PACKAGE / name).read_bytes())
    return digest.hexdigest()


def render_fingerprint() -> str:
    return files_fingerprint(RENDER_CODE)


@cache
def package_fingerprint() -> str:
    """All of build_tools' source and data: what the snapshot of a build (state.py) depends on."""
    return tree_digest(PACKAGE)


def tree_digest(folder: Path) -> str:
    """sha256 of every file under folder, by path and bytes (compiled Python left out)."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(folder).as_posix().encode("utf-8", "surrogatepass") + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def page_key(doc: Document, input_key: str, links: list[str]) -> str:
    """The article is known by its input key; everything derived from it after reading is in the repr.

    The input key names the seed as 'seeds/x.txt', as render's provenance does, so a page made by
    `mkdocs build` (absolute paths) is reused by the CLI (relative ones), and the other way round.
    """
    rest = dataclasses.replace(doc, article=None)  # type: ignore[arg-type]  # only its repr is used
    text = "\0".join([render_fingerprint(), input_key, repr(rest), *links])
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class PageCache:
    """One entry per article, <root>/pages/<slug>.json: the key it was rendered under and the text."""

    def __init__(self, root: Path | None, disk: Disk | None = None) -> None:
        self.root = root / "pages" if root else None
        self.disk = disk or Disk()

    def _path(self, root: Path, slug: str) -> Path:
        return root / f"{segment(slug)}.json"

    def get(self, slug: str, k: str) -> str | None:
        data = _json_entry(self.disk, self._path(self.root, slug), k) if self.root else None
        text = data.get("text") if data else None
        return text if isinstance(text, str) else None

    def put(self, slug: str, k: str, text: str) -> None:
        if self.root is not None:
            self.disk.write(self._path(self.root, slug), _json_body({"key": k, "text": text}))


# -- what a warm build keeps of each seed -----------------------------------------------------------
# Reading 10,000 seeds and sidecars again (decoding, paragraphs, YAML) and 10,000 JSON entries
# costs seconds; one pickle per seed costs a fraction of that. Pickle is safe here: it is read
# only from the project's own .cache/, which whoever can write can also change the code beside it;
# and a file damaged by accident or by hand fails its digest and is never unpickled.
INGEST_CODE = (
    "ingest.py",
    "dateline.py",
    "editorial.py",
    "patterns.py",
    "textutil.py",
    "model.py",
    "errors.py",
)


def ingest_fingerprint() -> str:
    return files_fingerprint(INGEST_CODE)


def _where(path: str | Path) -> str:
    # 'seeds/x.txt' whether the seed was given as that (the CLI) or as /abs/project/seeds/x.txt (MkDocs).
    return "/".join(Path(path).parts[-2:])


def input_key(path: Path, raw: bytes, sidecar: bytes | None) -> str:
    """The seed as read: its folder and name, its bytes, its sidecar's bytes, and the code that reads them."""
    where = _where(path).encode("utf-8", "surrogatepass")
    digest = hashlib.sha256(ingest_fingerprint().encode() + b"\0" + where)
    digest.update(b"\0" + hashlib.sha256(raw).digest())
    digest.update(b"\0" + (hashlib.sha256(sidecar).digest() if sidecar is not None else b"none"))
    return digest.hexdigest()


@dataclass(frozen=True)
class Seed:
    input_key: str
    article: Article
    warnings: tuple[str, ...]
    extraction_key: str
    entry: Entry

    def at(self, path: str) -> Seed:
        """The same seed given by another path (the CLI says seeds/x.txt, MkDocs /abs/seeds/x.txt)."""
        old = self.article.path
        if path == old:
            return self
        x = self.entry.extraction
        x = dataclasses.replace(x, warnings=tuple(w.replace(old, path) for w in x.warnings))
        return dataclasses.replace(
            self,
            article=dataclasses.replace(self.article, path=path),
            warnings=tuple(w.replace(old, path) for w in self.warnings),
            entry=dataclasses.replace(self.entry, extraction=x),
        )


class SeedCache:
    """<root>/seeds/<slug>.pickle: the Article read from a seed and its extraction, under the input key.

    The entry is also the article's last good version: a build whose sidecar has become invalid
    publishes it (last()) instead of dropping the article.
    """

    def __init__(self, root: Path | None, disk: Disk | None = None) -> None:
        self.root = root / "seeds" if root else None
        self.disk = disk or Disk()

    def last(self, slug: str) -> Seed | None:
        """The seed as the last build that read it successfully left it, whatever its key."""
        body = self.disk.read(self.root / f"{segment(slug)}.pickle") if self.root else None
        if body is None:
            return None
        try:
            code, seed = pickle.loads(body)
        except Exception:  # pickled by other code: read the seed again
            return None
        # Pickled by other code (an older Corrections, say) is no last good version for this code.
        fits = code == ingest_fingerprint() and isinstance(seed, Seed) and seed.article.slug == slug
        return seed if fits else None

    def get(self, slug: str, k: str) -> Seed | None:
        seed = self.last(slug)
        return seed if seed is not None and seed.input_key == k else None

    def put(self, slug: str, seed: Seed) -> None:
        if self.root is not None:
            body = pickle.dumps((ingest_fingerprint(), seed), protocol=pickle.HIGHEST_PROTOCOL)
            self.disk.write(self.root / f"{segment(slug)}.pickle", body)
