"""What the review reads: each article's front matter in content/ and its sidecar in seeds/, as typed views.

The front matter is the pipeline's own output (docs/front-matter.md); an article page without
the keys the review needs (a page written by another version) is skipped, never a traceback.
The sidecar is read with the build's own reader, so a sidecar the build refuses is reported
here with the same message.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from build_tools import editorial, reader
from build_tools.errors import MarginaliaError

MAX_PAGE_BYTES = 50_000_000  # an article page of the longest seed is a few MB
FENCE = "---\n"


@dataclass(frozen=True)
class QuoteView:
    number: int
    paragraph: int
    speaker: str | None
    speaker_kind: str | None
    unnamed: bool  # attributed to a source the article does not name
    confidence: float
    needs_review: bool


@dataclass(frozen=True)
class Named:
    """A person, organisation or place of one article."""

    name: str
    kind: str  # person, organization, place
    role: str | None = None
    named: bool = True  # False for an unnamed source (`Afghan source`)
    id: str = ""


@dataclass(frozen=True)
class ArticleView:
    slug: str
    sidecar: str  # where its fixes go, as the editor finds it: seeds/<name>.yml
    headline: str
    dated: bool
    quotes: tuple[QuoteView, ...]
    names: tuple[Named, ...]  # people, then organisations, then places
    title_set: bool | None  # whether the sidecar gives the title; None when it cannot be read
    sidecar_error: str | None = None


def articles(content: Path, seeds: Path, seeds_name: str) -> list[ArticleView]:
    """The articles of content/ (its top-level pages), by slug."""
    found = []
    for path in sorted(content.glob("*.md")):
        meta = _front_matter(path)
        view = _view(meta, seeds, seeds_name) if meta is not None else None
        if view is not None:
            found.append(view)
    return sorted(found, key=lambda a: a.slug)


def _front_matter(path: Path) -> dict[str, Any] | None:
    try:
        text = reader.read_text(path, limit=MAX_PAGE_BYTES, error=MarginaliaError, what="page")
    except MarginaliaError:
        return None
    if not text.startswith(FENCE) or (end := text.find("\n---\n", len(FENCE) - 1)) < 0:
        return None
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: thousands of pages
    meta = yaml.load(text[len(FENCE) : end + 1], Loader=loader)  # a safe loader
    return meta if isinstance(meta, dict) else None


def _view(meta: dict[str, Any], seeds: Path, seeds_name: str) -> ArticleView | None:
    provenance = meta.get("provenance")
    if not isinstance(provenance, dict) or not isinstance(provenance.get("seed"), str):
        return None
    seed = seeds / Path(provenance["seed"]).name
    sidecar_name = editorial.sidecar_path(seed).name
    title_set, error = _sidecar(seed)
    try:
        return ArticleView(
            slug=str(meta["slug"]),
            sidecar=f"{seeds_name}/{sidecar_name}",
            headline=str(meta["headline"]),
            dated=meta.get("date") is not None,
            quotes=tuple(_quote(q) for q in meta.get("quotes") or ()),
            names=_names(meta),
            title_set=title_set,
            sidecar_error=error,
        )
    except (KeyError, TypeError, ValueError):  # a page of another version: nothing to review in it
        return None


def _sidecar(seed: Path) -> tuple[bool | None, str | None]:
    """Whether the sidecar gives a title, or the build's error for it."""
    path = editorial.sidecar_path(seed)
    if not (path.exists() or path.is_symlink()):
        return False, None
    try:
        return editorial.from_bytes(editorial.read_raw(path), str(path)).title is not None, None
    except MarginaliaError as error:
        return None, str(error)


def _quote(q: dict[str, Any]) -> QuoteView:
    return QuoteView(
        number=int(str(q["id"]).removeprefix("q-")),
        paragraph=int(q["paragraph"]),
        speaker=q.get("speaker"),
        speaker_kind=q.get("speaker_kind"),
        unnamed="--" in str(q.get("speaker_id") or ""),
        confidence=float(q["confidence"]),
        needs_review=bool(q["needs_review"]),
    )


def _names(meta: dict[str, Any]) -> tuple[Named, ...]:
    people = [
        Named(str(p["name"]), "person", p.get("role"), bool(p.get("named", True)), str(p.get("id", "")))
        for p in meta.get("people") or ()
    ]
    entities = [
        Named(str(e["name"]), kind, id=str(e.get("id", "")))
        for key, kind in (("organizations", "organization"), ("places", "place"))
        for e in meta.get(key) or ()
    ]
    return tuple(people + entities)
