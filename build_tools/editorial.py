"""An editor's sidecar, seeds/<slug>.yml: validated into Corrections, applied on every rebuild.

The schema is documented in docs/editors-guide.md. Every error names the file, the line and
the key, and says what form the value should take. Values are plain text: render escapes
them, so a sidecar can no more inject markup than an article can.
"""

from __future__ import annotations

import dataclasses
import datetime
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from build_tools import ingest, patterns
from build_tools.errors import MarginaliaError, SidecarError
from build_tools.model import Background, Corrections, Entity, Extraction, Person, PersonId, Quote
from build_tools.textutil import slugify

HIDE_KEYS = ("quotes", "people", "background")
UNPRINTABLE = (patterns.CONTROL_CHARS, patterns.C1_CONTROL_CHARS, patterns.NONCHARACTERS)
MAX_SIDECAR_BYTES = 1_000_000  # a sidecar is a few lines; this refuses a file saved under the wrong name


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _fail(path: str, node: yaml.Node, problem: str, fix: str) -> SidecarError:
    return SidecarError(path, problem, fix, line=_line(node))


# -- readers: one per kind of value; each returns plain, checked Python values ---------------------
def _text(path: str, key: str, node: yaml.Node, *, fold: bool = False) -> str:
    """One line of text, NFC. `fold` joins the lines of a multi-line note instead of refusing them."""
    if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
        raise _fail(path, node, f"`{key}` must be a single line of text", f"write `{key}: some text`")
    value = unicodedata.normalize("NFC", str(node.value)).strip()
    bad = next((m for p in UNPRINTABLE if (m := p.search(value))), None)
    if bad:
        raise _fail(
            path,
            node,
            f"`{key}` contains the control character or noncharacter U+{ord(bad[0]):04X}",
            "delete it; YAML escapes such as `\\x02` are not text",
        )
    if fold:
        return patterns.ANY_SPACE.sub(" ", value)
    if patterns.ANY_LINE_BREAK.search(value):
        raise _fail(
            path,
            node,
            f"`{key}` runs over more than one line",
            f"put `{key}` on one line; only `notes` may span lines",
        )
    return value


def _named(path: str, key: str, node: yaml.Node) -> str:
    """A name that gets a page (a person, a tag): it needs letters or digits for its address."""
    value = _text(path, key, node)
    if not slugify(value):
        raise _fail(
            path,
            node,
            f"`{key}: {value}` has no letters or digits, so it cannot have a page",
            "write the name in words",
        )
    return value


def _date(path: str, key: str, node: yaml.Node) -> datetime.date:
    value = _text(path, key, node)
    try:
        if not patterns.ISO_DATE.match(value):
            raise ValueError(value)
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise _fail(
            path,
            node,
            f"`{key}: {value}` is not a date in the form YYYY-MM-DD",
            f"write it as `{key}: 2025-03-14`",
        ) from None


def _url(path: str, key: str, node: yaml.Node) -> str:
    value = _text(path, key, node)
    if not patterns.WEB_URL.fullmatch(value):
        raise _fail(
            path,
            node,
            f"`{key}: {value}` is not a web address",
            f"write the full address, `{key}: https://…`, with spaces, quotes and <> "
            "percent-encoded (%20, %22, %3C, %3E)",
        )
    return value


def _sequence(path: str, key: str, node: yaml.Node) -> list[yaml.Node]:
    if not isinstance(node, yaml.SequenceNode):
        raise _fail(path, node, f"`{key}` must be a list", f"write one `- item` per line under `{key}:`")
    return list(node.value)


def _texts(path: str, key: str, node: yaml.Node) -> tuple[str, ...]:
    return tuple(_text(path, key, item) for item in _sequence(path, key, node))


def _names(path: str, key: str, node: yaml.Node) -> tuple[str, ...]:
    return tuple(_named(path, key, item) for item in _sequence(path, key, node))


def _notes(path: str, key: str, node: yaml.Node) -> tuple[str, ...]:
    return tuple(_text(path, key, item, fold=True) for item in _sequence(path, key, node))


def _number(path: str, key: str, node: yaml.Node) -> int:
    text = _text(path, key, node)
    if not patterns.ITEM_NUMBER.match(text):
        raise _fail(
            path,
            node,
            f"`{key}` has `{text}`, not an item number",
            "use the numbers shown in the article's front matter (q-N, b-N), starting at 1",
        )
    return int(text)


def _numbers(path: str, key: str, node: yaml.Node) -> tuple[int, ...]:
    return tuple(_number(path, key, item) for item in _sequence(path, key, node))


def _mapping(path: str, key: str, node: yaml.Node) -> list[tuple[yaml.Node, yaml.Node]]:
    if not isinstance(node, yaml.MappingNode):
        raise _fail(path, node, f"`{key}` must be a mapping", f"write `name: value` lines under `{key}:`")
    seen: dict[str, int] = {}
    for k, _ in node.value:
        name = str(k.value) if isinstance(k, yaml.ScalarNode) else ""
        if name in seen:  # YAML keeps the last silently; an editor means one of them
            raise _fail(
                path,
                k,
                f"`{name}` is given twice under `{key}` (lines {seen[name]} and {_line(k)})",
                "keep one of them",
            )
        seen[name] = _line(k)
    return list(node.value)


def _speakers(path: str, key: str, node: yaml.Node) -> tuple[tuple[int, str], ...]:
    pairs = [(_number(path, key, k), v) for k, v in _mapping(path, key, node)]
    return tuple((n, _named(path, f"{key}.{n}", v)) for n, v in pairs)


def _aliases(path: str, key: str, node: yaml.Node) -> tuple[tuple[str, str], ...]:
    return tuple(
        (_named(path, key, k), _named(path, f"{key}.{k.value}", v)) for k, v in _mapping(path, key, node)
    )


def _hide(path: str, key: str, node: yaml.Node) -> dict[str, Any]:
    hidden: dict[str, Any] = {}
    for k, v in _mapping(path, key, node):
        name = _text(path, key, k)
        if name not in HIDE_KEYS:
            raise _fail(path, k, f"unknown key `hide.{name}`", f"use one of {', '.join(HIDE_KEYS)}")
        reader = _texts if name == "people" else _numbers
        hidden[f"hide_{name}"] = reader(path, f"hide.{name}", v)
    return hidden


READERS: dict[str, Callable[[str, str, yaml.Node], Any]] = {
    "title": _text,
    "date": _date,
    "byline": _text,
    "url": _url,
    "source": _text,
    "tags": _names,
    "speakers": _speakers,
    "notes": _notes,
    "aliases": _aliases,
}


def _compose(text: str, path: str) -> yaml.Node | None:
    """The YAML node tree (nothing constructed: `yes` stays the text "yes"), or an error with its line."""
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.reader.ReaderError as error:  # a character YAML refuses (NUL, other controls)
        raise SidecarError(
            path,
            f"contains the character U+{error.character:04X}, which is not text",
            "delete it, and save the sidecar as UTF-8 text",
            line=text.count("\n", 0, error.position) + 1,
        ) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise SidecarError(
            path,
            f"not valid YAML ({getattr(error, 'problem', None) or error})",
            "check the indentation, and put values that contain `: ` or start with a quote in quotes",
            line=mark.line + 1 if mark else None,
        ) from None


def parse_sidecar(text: str, path: str) -> Corrections:
    root = _compose(text, path)
    if root is None or (isinstance(root, yaml.ScalarNode) and root.value == ""):  # empty, or only `---`
        return Corrections()
    if not isinstance(root, yaml.MappingNode):
        raise _fail(
            path,
            root,
            "a sidecar must be a list of `key: value` lines",
            "start each line with a key such as `title:`; see docs/editors-guide.md",
        )
    values: dict[str, Any] = {}
    for k, v in _mapping(path, "the file", root):
        key = _text(path, "key", k)
        if key == "hide":
            values.update(_hide(path, key, v))
        elif key in READERS:
            values[key] = READERS[key](path, key, v)
        else:
            raise _fail(
                path, k, f"unknown key `{key}`", f"use one of {', '.join(sorted([*READERS, 'hide']))}"
            )
    return Corrections(**values)


def sidecar_path(seed: Path) -> Path:
    return seed.with_suffix(".yml")


def load_sidecar(seed: Path) -> Corrections:
    sidecar = sidecar_path(seed)
    if not (sidecar.is_file() or sidecar.is_symlink()):
        return Corrections()
    try:
        raw = ingest.read_bytes(sidecar, limit=MAX_SIDECAR_BYTES)
    except MarginaliaError as error:  # same checks as a seed (links out of seeds/, unreadable), its own kind
        raise SidecarError(error.path, error.problem, error.fix) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SidecarError(
            str(sidecar), f"not UTF-8 text (byte {error.start})", "save the sidecar as UTF-8"
        ) from None
    return parse_sidecar(text, str(sidecar))


# -- apply: the editor's word wins over the extractor's -------------------------------------------
@dataclasses.dataclass
class _Draft:
    """The extraction being corrected, and what the editor asked for that matched nothing."""

    quotes: list[Quote]
    people: list[Person]
    entities: tuple[Entity, ...]
    where: str
    warnings: list[str] = dataclasses.field(default_factory=list)

    def warn(self, problem: str, fix: str) -> None:
        self.warnings.append(f"{self.where}: {problem}; {fix}")

    def person(self, name: str) -> Person | None:
        found = (p for p in self.people if name == p.name or name in p.aliases)
        same_page = (p for p in self.people if p.id == slugify(name))  # 'Jose Smith' is 'José Smith'
        return next(found, None) or next(same_page, None)

    def repoint(self, old: Person, new: Person) -> None:
        """Quotes attributed to `old` now name `new`."""
        self.quotes = [
            dataclasses.replace(q, speaker=new.name, speaker_id=new.id)
            if q.speaker_kind in (None, "person") and (q.speaker_id == old.id or q.speaker == old.name)
            else q
            for q in self.quotes
        ]


def apply(extraction: Extraction, corrections: Corrections, *, sidecar: str = "the sidecar") -> Extraction:
    """Aliases, speakers, hidden items and notes, in that order; numbers are those of the extraction.

    A correction that matches nothing (a quote number the article no longer has) is a warning
    naming the sidecar, so `--strict` stops on a stale sidecar instead of silently ignoring it.
    """
    c = corrections
    draft = _Draft(
        list(extraction.quotes),
        list(extraction.people),
        extraction.organizations + extraction.places,
        sidecar,
    )
    for alias, canonical in c.aliases:
        _alias(draft, alias, canonical)
    for number, name in c.speakers:
        _speaker(draft, number, name, hidden=c.hide_people)
    quotes = _without(draft, draft.quotes, c.hide_quotes, "hide.quotes", "quote")
    background = _without(
        draft, list(extraction.background), c.hide_background, "hide.background", "background item"
    )
    for name in c.hide_people:
        if draft.person(name) is None:
            draft.warn(
                f"`hide.people` names `{name}`, who is not among the article's people",
                "check the spelling against `people` in the front matter",
            )
    people = tuple(p for p in draft.people if not ({p.name, *p.aliases} & set(c.hide_people)))
    notes = tuple(Background(note, None, None) for note in c.notes)
    return dataclasses.replace(
        extraction,
        quotes=tuple(quotes),
        people=people,
        background=tuple(background) + notes,
        warnings=extraction.warnings + tuple(draft.warnings),
    )


def _without(draft: _Draft, items: list[Any], hidden: tuple[int, ...], key: str, what: str) -> list[Any]:
    for n in sorted(set(hidden)):
        if n > len(items):
            draft.warn(
                f"`{key}` lists {n}, but the article has {len(items)} {what}(s)",
                "remove the number, or check it against the front matter",
            )
    return [item for n, item in enumerate(items, start=1) if n not in hidden]


def _alias(draft: _Draft, alias: str, canonical: str) -> None:
    """`alias` is another form of `canonical`: merge the two people, or rename, or record the form."""
    main, other = draft.person(canonical), draft.person(alias)
    if main is not None and other is not None and other is not main:
        merged = dataclasses.replace(
            main,
            aliases=tuple(dict.fromkeys((*main.aliases, other.name, *other.aliases))),
            role=main.role or other.role,
            paragraph=min(main.paragraph, other.paragraph),
        )
        draft.people = [merged if p is main else p for p in draft.people if p is not other]
        draft.repoint(other, merged)
    elif main is not None:
        extra = (alias,) if alias != main.name and alias not in main.aliases else ()
        draft.people = [
            dataclasses.replace(p, aliases=p.aliases + extra) if p is main else p for p in draft.people
        ]
    elif other is not None:
        renamed = dataclasses.replace(
            other,
            id=PersonId(slugify(canonical)),
            name=canonical,
            named=True,
            aliases=tuple(dict.fromkeys((*other.aliases, other.name))),
        )
        draft.people = [renamed if p is other else p for p in draft.people]
        draft.repoint(other, renamed)
    else:
        draft.warn(
            f"`aliases` joins `{alias}` and `{canonical}`, but neither is among the article's people",
            "check the spelling against `people` in the front matter",
        )


def _speaker(draft: _Draft, number: int, name: str, *, hidden: tuple[str, ...]) -> None:
    """Quote `number` was said by `name`: a person of the article, an organisation, or a new person."""
    if not 1 <= number <= len(draft.quotes):
        draft.warn(
            f"`speakers` sets quote {number}, but the article has {len(draft.quotes)} quote(s)",
            "remove it, or check the number against `quotes` in the front matter",
        )
        return
    quote = draft.quotes[number - 1]
    fixed = dataclasses.replace(quote, cue="set by the editor", confidence=1.0)
    entity = next((e for e in draft.entities if name == e.name or name in e.variants), None)
    person = draft.person(name)
    if person is None and entity is not None:
        fixed = dataclasses.replace(
            fixed, speaker=entity.name, speaker_id=PersonId(slugify(entity.name)), speaker_kind=entity.kind
        )
    else:
        if person is None:  # a speaker the extractor missed still gets a sidebar entry and a page
            person = Person(PersonId(slugify(name)), name, None, (), quote.paragraph, named=True)
            if name not in hidden:
                draft.people.append(person)
        fixed = dataclasses.replace(fixed, speaker=person.name, speaker_id=person.id, speaker_kind="person")
    draft.quotes[number - 1] = fixed
