"""The typed values that travel through the pipeline; no I/O lives here.

ingest -> Article, extract -> Extraction, render -> front matter + Markdown.
Offsets (Span) always index into Article.text, so every quote and background
sentence can be checked against the article it came from.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Literal, NewType

PersonId = NewType("PersonId", str)
EntityKind = Literal["person", "organization", "place"]
# What a sidecar's `speakers` may name: a person, an organisation, or a source the article leaves unnamed.
SpeakerKind = Literal["person", "organization", "unnamed"]


@dataclass(frozen=True, order=True)
class Span:
    """Half-open character range [start, end) in Article.text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span {self.start}..{self.end}")


@dataclass(frozen=True)
class Paragraph:
    index: int  # 1-based, as shown to readers and used in anchors (#p-1)
    text: str
    span: Span

    @property
    def anchor(self) -> str:
        return f"p-{self.index}"


@dataclass(frozen=True)
class SpeakerFix:
    """One line of a sidecar's `speakers`: `2: Name`, or `2: {organization: Name}`."""

    number: int  # the quote's number, 1-based, as in the front matter's q-N
    name: str  # a name, or for an unnamed source the description (`a senior official`)
    kind: SpeakerKind | None = None  # None: the article's person or organisation of that name, else a person


@dataclass(frozen=True)
class Corrections:
    """An editor's sidecar (seeds/<slug>.yml), validated; see docs/editors-guide.md."""

    title: str | None = None
    updated: date | None = None  # when the article was last changed (JSON-LD dateModified); before
    date: date | None = None  # `date`, whose name hides the type in the lines after it
    byline: str | None = None
    url: str | None = None
    source: str | None = None
    tags: tuple[str, ...] = ()
    speakers: tuple[SpeakerFix, ...] = ()
    hide_quotes: tuple[int, ...] = ()
    hide_people: tuple[str, ...] = ()
    hide_background: tuple[int, ...] = ()
    notes: tuple[str, ...] = ()  # extra background written by the editor
    aliases: tuple[tuple[str, str], ...] = ()  # (alias, canonical name): people, organisations, places
    roles: tuple[tuple[str, str], ...] = ()  # (person's name, role)
    hide_organizations: tuple[str, ...] = ()
    hide_places: tuple[str, ...] = ()


@dataclass(frozen=True)
class Dateline:
    """Where (and when, if it says) the story was filed: `SPRINGFIELD, Ill. — …` (dateline.py)."""

    place: str  # as written: `SPRINGFIELD, Ill.`, `Evansville, Indiana, United States`
    date: date | None
    end: int  # offset in the lede (and in Article.text) where the story itself begins


@dataclass(frozen=True)
class Article:
    slug: str
    path: str  # the seed file, as given, for messages
    text: str  # normalised body: paragraphs joined by a blank line
    paragraphs: tuple[Paragraph, ...]
    sha256: str  # of the seed's raw bytes
    source: str | None = None  # wire/publisher prefix such as "Shafaq News/"
    corrections: Corrections = field(default_factory=Corrections)
    dateline: Dateline | None = None

    @cached_property
    def _starts(self) -> list[int]:
        return [p.span.start for p in self.paragraphs]

    def paragraph_at(self, offset: int) -> Paragraph:
        """The paragraph holding offset (binary search: long articles have many paragraphs)."""
        i = bisect.bisect_right(self._starts, offset) - 1
        if i < 0 or offset > self.paragraphs[i].span.end:
            raise ValueError(f"offset {offset} is outside every paragraph of {self.path}")
        return self.paragraphs[i]


@dataclass(frozen=True)
class Quote:
    text: str
    span: Span
    paragraph: int
    speaker: str | None  # canonical name of a person or organisation
    speaker_id: PersonId | None
    speaker_kind: EntityKind | None  # a person, or an organisation or place that speaks
    cue: str | None  # the words that attribute it: "said", "he noted", "was his response"
    confidence: float  # 0..1; below REVIEW_THRESHOLD the editor is asked to check it
    number: int = 0  # 1-based, in extraction order: what a sidecar's `speakers`/`hide` refer to

    @property
    def needs_review(self) -> bool:
        return self.confidence < REVIEW_THRESHOLD


REVIEW_THRESHOLD = 0.6


@dataclass(frozen=True)
class Person:
    id: PersonId
    name: str
    role: str | None
    aliases: tuple[str, ...]
    paragraph: int  # where the article introduces them
    named: bool = True
    kind: EntityKind = "person"


@dataclass(frozen=True)
class Entity:
    """An organisation or place; variants are other forms of the same name in the text."""

    name: str
    kind: EntityKind
    paragraph: int
    variants: tuple[str, ...] = ()


@dataclass(frozen=True)
class Background:
    text: str
    span: Span | None  # None for a note written by the editor
    paragraph: int | None
    number: int = 0  # 1-based among extracted sentences (what `hide.background` refers to); 0 for notes


@dataclass(frozen=True)
class Lede:
    """The first paragraph as the parser read it (build_tools/headline.py)."""

    sentences: tuple[Span, ...]  # spaCy's sentence boundaries, the dateline left out: summaries end on them
    headline: str  # from the first sentence's main clause; "" when it has none


@dataclass(frozen=True)
class Extraction:
    quotes: tuple[Quote, ...]
    people: tuple[Person, ...]
    organizations: tuple[Entity, ...]
    places: tuple[Entity, ...]
    background: tuple[Background, ...]
    warnings: tuple[str, ...] = ()
    lede: Lede | None = None  # None only for hand-made extractions (tests)


@dataclass(frozen=True)
class Provenance:
    seed_sha256: str
    pipeline_version: str
    model: str
    model_version: str


@dataclass(frozen=True)
class Document:
    """Everything render needs for one article page."""

    article: Article
    title: str
    date: date | None
    summary: str
    extraction: Extraction
    provenance: Provenance
    tags: tuple[str, ...] = ()
    headline_derived: bool = False  # the title was derived from the lede, not given by the editor
