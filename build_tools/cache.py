"""Each seed's Extraction, cached on disk so a rebuild with nothing changed does no NLP.

An entry's key is the sha256 of everything the extraction depends on: the seed's bytes, its
slug and file name (unnamed sources get ids with the slug), the source of the extraction
code, the rules data, the spaCy version and the model's meta.json. Warnings name the seed's
path as given, which differs between `mkdocs build` and the CLI: it is stored as a marker. None of it
needs spaCy imported, so a warm build never loads the model. Sidecar corrections are applied
after extraction and are not part of the key. Entries are JSON of the typed values, written
atomically under `.cache/marginalia/` (gitignored); delete the folder to start afresh.
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
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from build_tools import __version__, model
from build_tools.model import Article, Document, Extraction, Span

FORMAT = 1  # bump when the JSON layout below changes
SEED_PATH = "<seed>"  # stands for Article.path in cached warnings
PACKAGE = Path(__file__).resolve().parent
# The code whose behaviour decides an Extraction: a change here must re-extract every seed.
CODE = ("extract", "rules", "ingest.py", "patterns.py", "textutil.py", "nlp.py", "model.py")
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
    """A function from JSON to the type `hint`, made once per type: decoding 10,000 entries is hot."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is Span:
        return lambda v: None if v is None else Span(int(v[0]), int(v[1]))
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        cls, hints = hint, typing.get_type_hints(hint, vars(model))
        fields = [(f.name, _decoder(hints[f.name])) for f in dataclasses.fields(hint)]
        return lambda v: (
            None if v is None else cls(**{name: dec(v[name]) for name, dec in fields if name in v})
        )
    if origin is tuple:
        item = _decoder(args[0])
        return lambda v: None if v is None else tuple(map(item, v))
    if origin in (types.UnionType, typing.Union):  # X | None: each decoder passes None through
        return _decoder(next(a for a in args if a is not type(None)))
    return lambda v: v  # str, int, float, bool, a NewType of str, a Literal


def _decode(hint: Any, value: Any) -> Any:
    return _decoder(hint)(value)


# -- the store ---------------------------------------------------------------------------------------
class ExtractionCache:
    """Entries at <root>/extractions/<key[:2]>/<key>.json; an unreadable entry counts as a miss."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, k: str) -> Path:
        return self.root / "extractions" / k[:2] / f"{k}.json"

    def get(self, k: str, article: Article) -> Entry | None:
        try:
            data = json.loads(self._path(k).read_text(encoding="utf-8"))
            if data.get("format") != FORMAT or data.get("key") != k:
                return None
            x = from_json(data["extraction"])
        except (OSError, ValueError, KeyError, TypeError):
            return None  # missing, half-written by another tool, or an old layout: extract again
        warnings = tuple(w.replace(SEED_PATH, article.path) for w in x.warnings)
        return Entry(dataclasses.replace(x, warnings=warnings), str(data["model_version"]))

    def put(self, k: str, article: Article, entry: Entry) -> None:
        x = entry.extraction
        x = dataclasses.replace(x, warnings=tuple(w.replace(article.path, SEED_PATH) for w in x.warnings))
        data = {"format": FORMAT, "key": k, "model_version": entry.model_version, "extraction": to_json(x)}
        _write_json(self._path(k), data)


def _read_entry(path: Path, k: str, field: str) -> Any:
    """`field` of a JSON entry written under key k; None when missing, damaged or of another key."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data.get(field) if isinstance(data, dict) and data.get("key") == k else None


def _write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # No fsync: a lost entry is only a cache miss; the rename keeps a reader from seeing half a file.
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:8]}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
RENDER_CODE = ("render.py", "routes.py", "textutil.py", "model.py")


@cache  # the code cannot change under a running process; reading it once per page cost 0.1 s per 1,000
def files_fingerprint(names: tuple[str, ...]) -> str:
    digest = hashlib.sha256(f"{__version__}\0{FORMAT}".encode())
    for name in names:
        digest.update(name.encode() + b"\0" + (PACKAGE / name).read_bytes())
    return digest.hexdigest()


def render_fingerprint() -> str:
    return files_fingerprint(RENDER_CODE)


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

    def __init__(self, root: Path | None) -> None:
        self.root = root / "pages" if root else None

    def get(self, slug: str, k: str) -> str | None:
        text = _read_entry(self.root / f"{slug}.json", k, "text") if self.root else None
        return text if isinstance(text, str) else None

    def put(self, slug: str, k: str, text: str) -> None:
        if self.root is not None:
            _write_json(self.root / f"{slug}.json", {"key": k, "text": text})


# -- the search index ------------------------------------------------------------------------------
# Tokenising the whole archive costs about half a second per 1,000 articles, so the index's files
# are kept too, keyed by every searchable entry (its URL, title, summary and words) and the code.
SEARCH_CODE = ("search_index.py", "patterns.py", "rules/search.yml")


def search_key(entries: Iterable[tuple[str, ...]]) -> str:
    digest = hashlib.sha256(files_fingerprint(SEARCH_CODE).encode())
    for fields in entries:
        digest.update("\0".join(fields).encode("utf-8", "surrogatepass") + b"\1")
    return digest.hexdigest()


class SearchCache:
    """The search index's files, <root>/search.json, under the key of the entries they were made from."""

    def __init__(self, root: Path | None) -> None:
        self.path = root / "search.json" if root else None

    def get(self, k: str) -> dict[str, str] | None:
        files = _read_entry(self.path, k, "files") if self.path else None
        return {str(rel): str(text) for rel, text in files.items()} if isinstance(files, dict) else None

    def put(self, k: str, files: dict[str, str]) -> None:
        if self.path is not None:
            _write_json(self.path, {"key": k, "files": files})


# -- what a warm build keeps of each seed -----------------------------------------------------------
# Reading 10,000 seeds and sidecars again (decoding, paragraphs, YAML) and 10,000 JSON entries
# costs seconds; one pickle per seed costs a fraction of that. Pickle is safe here: it is read
# only from the project's own .cache/, which whoever can write can also change the code beside it.
INGEST_CODE = ("ingest.py", "editorial.py", "patterns.py", "textutil.py", "model.py", "errors.py")


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
    """<root>/seeds/<slug>.pickle: the Article read from a seed and its extraction, under the input key."""

    def __init__(self, root: Path | None) -> None:
        self.root = root / "seeds" if root else None

    def get(self, slug: str, k: str) -> Seed | None:
        if self.root is None:
            return None
        try:
            seed = pickle.loads((self.root / f"{slug}.pickle").read_bytes())
        except Exception:  # missing, truncated, or pickled by other code: read the seed again
            return None
        return seed if isinstance(seed, Seed) and seed.input_key == k else None

    def put(self, slug: str, seed: Seed) -> None:
        if self.root is None:
            return
        path = self.root / f"{slug}.pickle"
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{slug[:8]}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(seed, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
