"""An editor's sidecar, seeds/<slug>.yml: validated into Corrections, applied on every rebuild.

The schema is documented in docs/editors-guide.md. Every error names the file, the line and
the key, and says what form the value should take. Values are plain text: render escapes
them, so a sidecar can no more inject markup than an article can.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from build_tools import patterns, reader, yamltext
from build_tools.errors import SidecarError, excerpt
from build_tools.model import Background, Corrections, Entity, Extraction, Person, PersonId, Quote
from build_tools.textutil import slugify

HIDE_KEYS = ("quotes", "people", "background")
MAX_SIDECAR_BYTES = 1_000_000  # a sidecar is a few lines; this refuses a file saved under the wrong name


# -- readers: one per kind of value; each returns plain, checked Python values ---------------------
def _date(path: str, key: str, node: yaml.Node) -> datetime.date:
    value = yamltext.text(path, key, node)
    try:
        if not patterns.ISO_DATE.match(value):
            raise ValueError(value)
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise yamltext.fail(
            path,
            node,
            f"`{key}: {excerpt(value)}` is not a date in the form YYYY-MM-DD",
            f"write it as `{key}: 2025-03-14`",
        ) from None


def _url(path: str, key: str, node: yaml.Node) -> str:
    value = yamltext.text(path, key, node)
    if not patterns.WEB_URL.fullmatch(value):
        raise yamltext.fail(
            path,
            node,
            f"`{key}: {excerpt(value)}` is not a web address",
            f"write the full address, `{key}: https://…`, with spaces, quotes and <> "
            "percent-encoded (%20, %22, %3C, %3E)",
        )
    return value


def _texts(path: str, key: str, node: yaml.Node) -> tuple[str, ...]:
    return tuple(yamltext.text(path, key, item) for item in yamltext.sequence(path, key, node))


def _names(path: str, key: str, node: yaml.Node) -> tuple[str, ...]:
    return tuple(yamltext.name(path, key, item) for item in yamltext.sequence(path, key, node))


def _notes(path: str, key: str, node: yaml.Node) -> tuple[str, ...]:
    return tuple(yamltext.text(path, key, item, fold=True) for item in yamltext.sequence(path, key, node))


def _number(path: str, key: str, node: yaml.Node) -> int:
    text = yamltext.text(path, key, node)
    if not patterns.ITEM_NUMBER.match(text):
        raise yamltext.fail(
            path,
            node,
            f"`{key}` has `{excerpt(text)}`, not an item number",
            "use the numbers shown in the article's front matter (q-N, b-N), starting at 1",
        )
    return int(text)


def _numbers(path: str, key: str, node: yaml.Node) -> tuple[int, ...]:
    return tuple(_number(path, key, item) for item in yamltext.sequence(path, key, node))


def _speakers(path: str, key: str, node: yaml.Node) -> tuple[tuple[int, str], ...]:
    pairs = [(_number(path, key, k), v) for k, v in yamltext.mapping(path, key, node)]
    return tuple((n, yamltext.name(path, f"{key}.{n}", v)) for n, v in pairs)


def _aliases(path: str, key: str, node: yaml.Node) -> tuple[tuple[str, str], ...]:
    return tuple(
        (yamltext.name(path, key, k), yamltext.name(path, f"{key}.{excerpt(k.value)}", v))
        for k, v in yamltext.mapping(path, key, node)
    )


def _hide(path: str, key: str, node: yaml.Node) -> dict[str, Any]:
    hidden: dict[str, Any] = {}
    for k, v in yamltext.mapping(path, key, node):
        name = yamltext.text(path, key, k)
        if name not in HIDE_KEYS:
            raise yamltext.fail(
                path, k, f"unknown key `hide.{excerpt(name)}`", f"use one of {', '.join(HIDE_KEYS)}"
            )
        read = _texts if name == "people" else _numbers
        hidden[f"hide_{name}"] = read(path, f"hide.{name}", v)
    return hidden


READERS: dict[str, Callable[[str, str, yaml.Node], Any]] = {
    "title": yamltext.text,
    "date": _date,
    "byline": yamltext.text,
    "url": _url,
    "source": yamltext.text,
    "tags": _names,
    "speakers": _speakers,
    "notes": _notes,
    "aliases": _aliases,
}


def parse_sidecar(text: str, path: str) -> Corrections:
    root = yamltext.compose(text, path)
    if root is None or (isinstance(root, yaml.ScalarNode) and root.value == ""):  # empty, or only `---`
        return Corrections()
    if not isinstance(root, yaml.MappingNode):
        raise yamltext.fail(
            path,
            root,
            "a sidecar must be a list of `key: value` lines",
            "start each line with a key such as `title:`; see docs/editors-guide.md",
        )
    values: dict[str, Any] = {}
    for k, v in yamltext.mapping(path, "the file", root):
        key = yamltext.text(path, "key", k)
        if key == "hide":
            values.update(_hide(path, key, v))
        elif key in READERS:
            values[key] = READERS[key](path, key, v)
        else:
            raise yamltext.fail(
                path,
                k,
                f"unknown key `{excerpt(key)}`",
                f"use one of {', '.join(sorted([*READERS, 'hide']))}",
            )
    return Corrections(**values)


def sidecar_path(seed: Path) -> Path:
    return seed.with_suffix(".yml")


def read_raw(sidecar: Path) -> bytes:
    """A sidecar's bytes through the guarded reader: a regular file in its folder, at most 1 MB."""
    return reader.read_bytes(sidecar, limit=MAX_SIDECAR_BYTES, error=SidecarError, inside=sidecar.parent)


def from_bytes(raw: bytes, path: str) -> Corrections:
    """Corrections from a sidecar's bytes (UTF-8, a byte order mark allowed)."""
    return parse_sidecar(reader.decode_text(raw, path, error=SidecarError, what="sidecar"), path)


def load_sidecar(seed: Path) -> Corrections:
    """The corrections of `seed` from its sidecar beside it; none when there is no sidecar."""
    sidecar = sidecar_path(seed)
    if not (sidecar.exists() or sidecar.is_symlink()):
        return Corrections()
    return from_bytes(read_raw(sidecar), str(sidecar))


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
