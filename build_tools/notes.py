"""Curated background notes: written once by an editor, shown with every article that mentions the topic.

A note is a file seeds/_notes/<id>.md: front matter with `match`, the names that call it up,
and the note itself as the body (plain text; line breaks are joined):

    ---
    match: [Abraham Accords, Abraham Agreement]
    ---
    The Abraham Accords, signed in 2020, normalised relations between Israel and the
    United Arab Emirates and Bahrain; Morocco and Sudan joined later.

An article mentions a note's topic when one of the names occurs in its text as a whole word,
with the same capitals (names are proper nouns: `Accords` is not `accords`). The note is
added to the article's Background sidebar after the extracted sentences, as an editor's note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import frontmatter
import yaml

from build_tools.errors import MarginaliaError, SidecarError
from build_tools.model import Article, Background

FOLDER = "_notes"


@dataclass(frozen=True)
class Note:
    id: str
    match: tuple[str, ...]
    text: str
    pattern: re.Pattern[str]

    def applies_to(self, article: Article) -> bool:
        return self.pattern.search(article.text) is not None

    def background(self) -> Background:
        return Background(self.text, None, None)


def _pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    # Either apostrophe matches either: seeds mix ’ and ' freely.
    alternatives = sorted((re.sub("['’]", "['’]", re.escape(n)) for n in names), key=len, reverse=True)
    return re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})(?!\w)")


def load_note(path: Path) -> Note:
    where = str(path)
    try:
        post = frontmatter.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise SidecarError(where, "not UTF-8 text", "save the note as UTF-8") from None
    except yaml.YAMLError as error:
        raise SidecarError(
            where,
            f"its front matter is not valid YAML ({error})",
            "write `match: [Name, Other Name]` between two `---` lines",
        ) from None
    match = post.metadata.get("match")
    names = [match] if isinstance(match, str) else match
    if not isinstance(names, list) or not names or not all(isinstance(n, str) and n.strip() for n in names):
        raise SidecarError(
            where,
            "`match` must list the names that call up the note",
            "write `match: [Abraham Accords]` in the front matter",
            line=2,
        )
    unknown = set(post.metadata) - {"match", "title"}
    if unknown:
        raise SidecarError(where, f"unknown key `{sorted(unknown)[0]}` in the front matter", "use `match`")
    text = " ".join(post.content.split())
    if not text:
        raise SidecarError(where, "the note is empty", "write the note below the front matter")
    names_t = tuple(n.strip() for n in names)
    return Note(path.stem, names_t, text, _pattern(names_t))


def load(seeds: Path) -> tuple[tuple[Note, ...], list[MarginaliaError]]:
    """Every note, with the errors of those that cannot be read (reported; the others still apply)."""
    notes, errors = [], []
    for path in sorted((seeds / FOLDER).glob("*.md")):
        try:
            notes.append(load_note(path))
        except MarginaliaError as error:
            errors.append(error)
    return tuple(notes), errors


def for_article(notes: tuple[Note, ...], article: Article) -> tuple[Background, ...]:
    return tuple(note.background() for note in notes if note.applies_to(article))
