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

A note is an editor's text, and it is shown as text: Markdown or HTML in it appears literally,
as in an article (render escapes it). It is read as YAML nodes (build_tools.yamltext) and
checked like a sidecar: a control character, a key given twice or a name without letters is
an error naming the note and its line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from build_tools import patterns, reader, yamltext
from build_tools.errors import MarginaliaError, SidecarError, excerpt
from build_tools.model import Article, Background, Document

FOLDER = "_notes"
SUFFIX = ".md"
MAX_NOTE_BYTES = 100_000  # a note is a paragraph or two
MAX_NAMES = 50  # names that call up one note; each is searched for in every article
FENCES = ("---", "...")
GUIDE = "see “Curated background notes” in docs/editors-guide.md"
EXAMPLE = f"start the file with `---`, `match: [Abraham Accords]`, `---`, then the note; {GUIDE}"
BODY_UNPRINTABLE = (patterns.CONTROL_CHARS, patterns.C1_CONTROL_CHARS, patterns.NONCHARACTERS)


@dataclass(frozen=True)
class Note:
    id: str
    match: tuple[str, ...]
    text: str
    pattern: re.Pattern[str]
    where: str = ""  # the file, for the warning when no article names the topic
    line: int = 0  # of `match`

    def applies_to(self, article: Article) -> bool:
        return self.pattern.search(article.text) is not None

    def background(self) -> Background:
        return Background(self.text, None, None)


@dataclass(frozen=True)
class Loaded:
    notes: tuple[Note, ...]
    errors: tuple[MarginaliaError, ...]  # notes that cannot be read: reported, the others still apply
    warnings: tuple[str, ...]  # files in _notes/ that are not read


def _pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    # Either apostrophe matches either: seeds mix ’ and ' freely.
    alternatives = sorted((re.sub("['’]", "['’]", re.escape(n)) for n in names), key=len, reverse=True)
    return re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})(?!\w)")


def _split(text: str, where: str) -> tuple[str, str, int]:
    """(front matter, body, the body's first line) of a note; the front matter sits between `---` lines."""
    lines = text.split("\n")
    if lines[0].strip() != "---":
        raise SidecarError(where, "a note must start with front matter", EXAMPLE, line=1)
    end = next((i for i, line in enumerate(lines[1:], start=1) if line.rstrip() in FENCES), None)
    if end is None:
        raise SidecarError(where, "the front matter is not closed by a `---` line", EXAMPLE, line=1)
    return "\n".join(lines[1:end]), "\n".join(lines[end + 1 :]), end + 2


def _front_matter(front: str, where: str) -> tuple[tuple[str, ...], int]:
    """The `match` names (a name or a list of them) and the line of `match`; `title` is allowed and
    not used."""
    root = yamltext.compose("\n" + front, where)  # the leading newline keeps YAML's lines the file's
    if not isinstance(root, yaml.MappingNode):
        raise SidecarError(where, "`match` must list the names that call up the note", EXAMPLE, line=2)
    fields = yamltext.fields(where, "front matter", root, ("match", "title"), fix=GUIDE)
    if "match" not in fields:
        raise SidecarError(where, "`match` must list the names that call up the note", EXAMPLE, line=2)
    if "title" in fields:
        yamltext.text(where, "title", fields["title"][1])
    key, value = fields["match"]
    names = yamltext.names(where, "match", value)
    if not names or len(names) > MAX_NAMES:
        raise yamltext.fail(
            where,
            key,
            f"`match` lists {len(names)} names",
            f"list between 1 and {MAX_NAMES} names for a note",
        )
    return names, yamltext.line(key)


def _body(body: str, where: str, first_line: int) -> str:
    """The note as one line of text, refusing control characters (they would reach the page)."""
    for pattern in BODY_UNPRINTABLE:
        found = pattern.search(body)
        if found:
            raise SidecarError(
                where,
                f"the note contains the control character or noncharacter U+{ord(found[0]):04X}",
                "delete it: a note is plain text",
                line=first_line + body.count("\n", 0, found.start()),
            )
    text = " ".join(body.split())
    if not text:
        raise SidecarError(
            where, "the note is empty", "write the note below the front matter", line=first_line
        )
    return text


def parse_note(text: str, where: str, ident: str) -> Note:
    front, body, first_line = _split(text.replace("\r\n", "\n").replace("\r", "\n"), where)
    names, line = _front_matter(front, where)
    return Note(ident, names, _body(body, where, first_line), _pattern(names), where, line)


def load_note(path: Path) -> Note:
    text = reader.read_text(path, limit=MAX_NOTE_BYTES, error=SidecarError, inside=path.parent, what="note")
    return parse_note(text, str(path), path.stem)


def load(seeds: Path) -> Loaded:
    """Every note of seeds/_notes/, with the errors of those that cannot be read."""
    folder = seeds / FOLDER
    if not (folder.exists() or folder.is_symlink()):
        return Loaded((), (), ())
    try:
        entries = sorted(folder.iterdir())
    except OSError as error:  # a file, a link loop, a folder the build may not read
        problem = SidecarError(
            str(folder), f"cannot be read as a folder ({error.strerror})", "make it a folder of `.md` notes"
        )
        return Loaded((), (problem,), ())
    found, errors, warnings = [], [], []
    for path in entries:
        if path.name.startswith("."):
            continue
        if path.suffix.lower() != SUFFIX:
            warnings.append(
                f"{path}: is not read: a note is a `{SUFFIX}` file. "
                f"Fix: rename it `{path.stem}{SUFFIX}`, or move it out of {folder}"
            )
            continue
        try:
            found.append(load_note(path))
        except MarginaliaError as error:
            errors.append(error)
    return Loaded(tuple(found), tuple(errors), tuple(warnings))


def for_article(notes: tuple[Note, ...], article: Article) -> tuple[Background, ...]:
    return tuple(note.background() for note in notes if note.applies_to(article))


def unmatched(notes: tuple[Note, ...], documents: Iterable[Document]) -> tuple[str, ...]:
    """Warnings for the notes no article shows: a misspelt `match` name silently shows nothing."""
    shown = {b.text for doc in documents for b in doc.extraction.background if b.span is None}
    return tuple(_unmatched(note) for note in notes if note.text not in shown)


def _unmatched(note: Note) -> str:
    names = " or ".join(f"`{excerpt(n)}`" for n in note.match[:3])
    more = f" (or {len(note.match) - 3} other names)" if len(note.match) > 3 else ""
    problem = f"`match`: no article names {names}{more}, so the note is shown nowhere"
    fix = "check the spelling (whole words, the same capitals as in the article), or remove the note"
    return str(SidecarError(note.where, problem, fix, line=note.line))
