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
from typing import Any, cast

import yaml

from build_tools import patterns, reader, yamltext
from build_tools.draft import Draft, Speaker, said_by
from build_tools.errors import SidecarError, excerpt
from build_tools.model import (
    Background,
    Corrections,
    Entity,
    EntityKind,
    Extraction,
    Person,
    PersonId,
    SpeakerFix,
    SpeakerKind,
)
from build_tools.textutil import slugify

HIDE_KEYS = ("quotes", "people", "background", "organizations", "places")
NUMBERED = {"quotes", "background"}  # hidden by number; the others by name
SECTIONS = {"organization": "organizations", "place": "places"}  # as the front matter names them
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


SPEAKER_KINDS: tuple[SpeakerKind, ...] = ("person", "organization", "unnamed")
SPEAKER_FORMS = (
    "`3: Name` for a person, `3: {organization: Shafaq News}` or `3: {unnamed: a senior official}`"
)
GUIDE = "see docs/editors-guide.md"


def _speakers(path: str, key: str, node: yaml.Node) -> tuple[SpeakerFix, ...]:
    pairs = yamltext.mapping(path, key, node)
    return tuple(_speaker_fix(path, key, _number(path, key, k), v) for k, v in pairs)


def _speaker_fix(path: str, key: str, number: int, node: yaml.Node) -> SpeakerFix:
    """`3: Name`, or a mapping of one kind to the name: `3: {organization: Shafaq News}`."""
    where = f"{key}.{number}"
    if not isinstance(node, yaml.MappingNode):
        return SpeakerFix(number, yamltext.name(path, where, node))
    given = yamltext.fields(
        path, where, node, SPEAKER_KINDS, prefix=f"{where}.", fix=f"write {SPEAKER_FORMS}"
    )
    if len(given) != 1:
        raise yamltext.fail(
            path,
            node,
            f"`{where}` gives {len(given)} kinds of speaker ({', '.join(given) or 'none'})",
            f"give one: {SPEAKER_FORMS}",
        )
    kind, (_, value) = next(iter(given.items()))
    return SpeakerFix(number, yamltext.name(path, f"{where}.{kind}", value), cast(SpeakerKind, kind))


def _aliases(path: str, key: str, node: yaml.Node) -> tuple[tuple[str, str], ...]:
    return tuple(
        (yamltext.name(path, key, k), yamltext.name(path, f"{key}.{excerpt(k.value)}", v))
        for k, v in yamltext.mapping(path, key, node)
    )


def _roles(path: str, key: str, node: yaml.Node) -> tuple[tuple[str, str], ...]:
    return tuple(
        (yamltext.name(path, key, k), yamltext.text(path, f"{key}.{excerpt(k.value)}", v))
        for k, v in yamltext.mapping(path, key, node)
    )


def _hide(path: str, key: str, node: yaml.Node) -> dict[str, Any]:
    hidden: dict[str, Any] = {}
    for name, (_, v) in yamltext.fields(path, key, node, HIDE_KEYS, prefix="hide.").items():
        read = _numbers if name in NUMBERED else _texts
        hidden[f"hide_{name}"] = read(path, f"hide.{name}", v)
    return hidden


READERS: dict[str, Callable[[str, str, yaml.Node], Any]] = {
    "title": yamltext.text,
    "date": _date,
    "updated": _date,
    "byline": yamltext.text,
    "url": _url,
    "source": yamltext.text,
    "tags": _names,
    "speakers": _speakers,
    "notes": _notes,
    "aliases": _aliases,
    "roles": _roles,
}
KEYS = tuple(sorted([*READERS, "hide"]))


def parse_sidecar(text: str, path: str) -> Corrections:
    root = yamltext.compose(text, path)
    if root is None or (isinstance(root, yaml.ScalarNode) and root.value == ""):  # empty, or only `---`
        return Corrections()
    if not isinstance(root, yaml.MappingNode):
        raise yamltext.fail(
            path,
            root,
            "a sidecar must be a list of `key: value` lines",
            f"start each line with a key such as `title:`; {GUIDE}",
        )
    values: dict[str, Any] = {}
    for key, (_, v) in yamltext.fields(path, "the file", root, KEYS, fix=GUIDE).items():
        if key == "hide":
            values.update(_hide(path, key, v))
        else:
            values[key] = READERS[key](path, key, v)
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
def apply(
    extraction: Extraction, corrections: Corrections, *, sidecar: str = "the sidecar", slug: str = ""
) -> Extraction:
    """Aliases, speakers, roles, hidden items and notes, in that order; numbers are those of the extraction.

    A correction that matches nothing (a quote number the article no longer has) is a warning
    naming the sidecar, so `--strict` stops on a stale sidecar instead of silently ignoring it.
    `slug` is the article's (the ids of unnamed sources carry it); by default, the sidecar's name.
    """
    c = corrections
    draft = Draft(extraction, sidecar, slug or slugify(Path(sidecar).stem))
    for alias, canonical in c.aliases:
        _alias(draft, alias, canonical)
    draft.settle()
    hidden_people = set(c.hide_people)
    for fix in c.speakers:
        _speaker(draft, fix, hidden=hidden_people)
    for name, role in c.roles:
        _role(draft, name, role)
    quotes = _without(draft, draft.quotes, c.hide_quotes, "hide.quotes", "quote")
    background = _without(
        draft, list(extraction.background), c.hide_background, "hide.background", "background item"
    )
    for name in c.hide_people:
        if draft.person(name) is None:
            draft.warn(
                f"`hide.people` names `{excerpt(name)}`, who is not among the article's people",
                "check the spelling against `people` in the front matter",
            )
    people = tuple(p for p in draft.people if not ({p.name, *p.aliases} & hidden_people))
    notes = tuple(Background(note, None, None) for note in c.notes)
    return dataclasses.replace(
        extraction,
        quotes=tuple(quotes),
        people=people,
        organizations=_shown(draft, "organization", c.hide_organizations),
        places=_shown(draft, "place", c.hide_places),
        background=tuple(background) + notes,
        warnings=extraction.warnings + tuple(draft.warnings),
    )


def _without(draft: Draft, items: list[Any], hidden: tuple[int, ...], key: str, what: str) -> list[Any]:
    numbers = set(hidden)
    for n in sorted(numbers):
        if n > len(items):
            draft.warn(
                f"`{key}` lists {n}, but the article has {len(items)} {what}(s)",
                "remove the number, or check it against the front matter",
            )
    return [item for n, item in enumerate(items, start=1) if n not in numbers]


def _shown(draft: Draft, kind: EntityKind, hidden: tuple[str, ...]) -> tuple[Entity, ...]:
    """The article's organisations (or places) but those `hide` names, by name or variant."""
    section = SECTIONS[kind]
    for name in hidden:
        if draft.entities.find(name, kind) is None:
            draft.warn(
                f"`hide.{section}` names `{excerpt(name)}`, which is not among the article's {section}",
                f"check the spelling against `{section}` in the front matter",
            )
    pages = {slugify(name) for name in hidden}  # by page, as find() matches: `Kabul` hides `KABUL`
    if not pages:
        return draft.entities.of_kind(kind)
    return tuple(
        e for e in draft.entities.of_kind(kind) if not {slugify(f) for f in (e.name, *e.variants)} & pages
    )


def _alias(draft: Draft, alias: str, canonical: str) -> None:
    """`alias` is another form of `canonical`: two people, two entities or one of each become one."""
    main, other = draft.person(canonical), draft.person(alias)
    if main is not None and other is not None and other is not main:
        merged = dataclasses.replace(
            main,
            aliases=tuple(dict.fromkeys((*main.aliases, other.name, *other.aliases))),
            role=main.role or other.role,
            paragraph=min(main.paragraph, other.paragraph),
        )
        draft.replace(main, merged)
        draft.remove(other)
        draft.repoint(other, merged)
    elif main is not None:
        if alias != main.name and alias not in main.aliases:
            draft.replace(main, dataclasses.replace(main, aliases=(*main.aliases, alias)))
        if (misread := draft.entities.find(alias)) is not None:  # `Khadr` read as a place: the person's
            draft.entities.remove(misread)
            draft.cross(misread, draft.person(canonical) or main)
    elif other is not None:
        _rename_person(draft, other, canonical)
    elif not _entity_alias(draft, alias, canonical):
        draft.warn(
            f"`aliases` joins `{alias}` and `{canonical}`, but neither is among the article's people, "
            "organizations or places",
            "check the spelling against `people`, `organizations` and `places` in the front matter",
        )


def _rename_person(draft: Draft, person: Person, canonical: str) -> None:
    """A person known only by the alias: an organisation or place of the article takes them in (a
    newspaper read as a person), or they take the canonical name."""
    entity = draft.entities.find(canonical)
    if entity is not None:
        draft.remove(person)
        draft.entities.replace(entity, grown := _with_variants(entity, person.name, *person.aliases))
        draft.cross(person, grown)
        return
    renamed = dataclasses.replace(
        person,
        id=PersonId(slugify(canonical)),
        name=canonical,
        named=True,
        aliases=tuple(dict.fromkeys((*person.aliases, person.name))),
    )
    draft.replace(person, renamed)
    draft.repoint(person, renamed)


def _entity_alias(draft: Draft, alias: str, canonical: str) -> bool:
    """`KSC` is `Kennedy Space Center`: merge the two, rename the one present, or record the form."""
    main, other = draft.entities.find(canonical), draft.entities.find(alias)
    if main is not None and other is not None and other is not main:
        merged = dataclasses.replace(
            _with_variants(main, other.name, *other.variants), paragraph=min(main.paragraph, other.paragraph)
        )
        draft.entities.replace(main, merged)
        draft.entities.remove(other)
        draft.cross(other, merged)
    elif main is not None:
        if alias != main.name and alias not in main.variants:
            draft.entities.replace(main, _with_variants(main, alias))
    elif other is not None:
        renamed = _with_variants(dataclasses.replace(other, name=canonical), other.name)
        draft.entities.replace(other, renamed)
        draft.cross(other, renamed)
    return main is not None or other is not None


def _with_variants(entity: Entity, *forms: str) -> Entity:
    variants = tuple(f for f in dict.fromkeys((*entity.variants, *forms)) if f != entity.name)
    return dataclasses.replace(entity, variants=variants)


def _speaker(draft: Draft, fix: SpeakerFix, *, hidden: set[str]) -> None:
    """Quote `fix.number` was said by a person, an organisation or an unnamed source."""
    if not 1 <= fix.number <= len(draft.quotes):
        draft.warn(
            f"`speakers` sets quote {fix.number}, but the article has {len(draft.quotes)} quote(s)",
            "remove it, or check the number against `quotes` in the front matter",
        )
        return
    quote = draft.quotes[fix.number - 1]
    fixed = dataclasses.replace(quote, cue="set by the editor", confidence=1.0)
    draft.quotes[fix.number - 1] = said_by(fixed, _who(draft, fix, quote.paragraph, hidden))


def _who(draft: Draft, fix: SpeakerFix, paragraph: int, hidden: set[str]) -> Speaker:
    """The speaker a fix names; one the article does not have is added (a sidebar entry, a page)."""
    name = fix.name
    if fix.kind == "organization":
        found = draft.entities.find(name, "organization")
        return found or draft.entities.add(Entity(name, "organization", paragraph))
    if fix.kind == "unnamed":
        source = draft.unnamed(name)
        ident = PersonId(f"{slugify(name)}--{draft.slug}")
        return source or _new_person(draft, Person(ident, name, None, (), paragraph, named=False), hidden)
    person = draft.person(name)
    if person is None and fix.kind is None:
        person_or_entity: Speaker | None = draft.entities.find(name)
        if person_or_entity is not None:
            return person_or_entity
    new = Person(PersonId(slugify(name)), name, None, (), paragraph, named=True)
    return person or _new_person(draft, new, hidden)


def _new_person(draft: Draft, person: Person, hidden: set[str]) -> Person:
    return person if person.name in hidden else draft.add(person)


def _role(draft: Draft, name: str, role: str) -> None:
    person = draft.person(name)
    if person is None:
        draft.warn(
            f"`roles` names `{excerpt(name)}`, who is not among the article's people",
            "check the spelling against `people` in the front matter",
        )
        return
    draft.replace(person, dataclasses.replace(person, role=role))
