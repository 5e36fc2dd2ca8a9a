"""An editor's sidecar, seeds/<slug>.yml: validated into Corrections, applied on every rebuild.

The schema is documented in docs/editors-guide.md. Every error names the file, the line and
the key, and says what form the value should take. Values are plain text: render escapes
them, so a sidecar can no more inject markup than an article can.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime
from collections import defaultdict
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
    "updated": _date,
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
class _Draft:
    """The extraction being corrected, and what the editor asked for that matched nothing.

    A sidecar may hold thousands of corrections and an article thousands of people, so people
    are found through indexes (by name and alias, by id), kept in the article's order, and the
    quotes an alias moves to another person are rewritten once, at the end, not once per alias:
    every correction costs the same whatever the size of the article.
    """

    def __init__(self, extraction: Extraction, where: str) -> None:
        self.quotes = list(extraction.quotes)
        self.where = where
        self.warnings: list[str] = []
        self._people: dict[int, Person] = {}  # slot -> person, in the article's order
        self._slots = 0
        self._slot_of: dict[int, int] = {}  # id() of a person held in _people -> its slot
        self._by_name: dict[str, list[int]] = defaultdict(list)  # name or alias -> slots (some stale)
        self._by_id: dict[str, list[int]] = defaultdict(list)
        self._entities: dict[str, Entity] = {}
        for entity in extraction.organizations + extraction.places:
            for name in (entity.name, *entity.variants):
                self._entities.setdefault(name, entity)
        self._moves: list[tuple[Person, Person]] = []  # (old, new) in the order the aliases made them
        self._moves_by_id: dict[str, list[int]] = defaultdict(list)
        self._moves_by_name: dict[str, list[int]] = defaultdict(list)
        for person in extraction.people:
            self.add(person)

    @property
    def people(self) -> list[Person]:
        return list(self._people.values())

    def warn(self, problem: str, fix: str) -> None:
        self.warnings.append(f"{self.where}: {problem}; {fix}")

    def entity(self, name: str) -> Entity | None:
        return self._entities.get(name)

    # -- people -----------------------------------------------------------------------------------------
    def add(self, person: Person) -> None:
        self._slots += 1
        self._people[self._slots] = person
        self._index(self._slots, person, ())

    def replace(self, old: Person, new: Person) -> None:
        slot = self._slot_of.pop(id(old))
        self._people[slot] = new
        self._index(slot, new, (old.name, *old.aliases) if old.id == new.id else ())

    def remove(self, person: Person) -> None:
        del self._people[self._slot_of.pop(id(person))]

    def _index(self, slot: int, person: Person, known: tuple[str, ...]) -> None:
        """Index what is new about `person`; entries a change made stale are skipped when read."""
        self._slot_of[id(person)] = slot  # the person is held in _people, so its id() stays its own
        for name in {person.name, *person.aliases} - set(known):
            self._by_name[name].append(slot)
        if not known:
            self._by_id[person.id].append(slot)

    def person(self, name: str) -> Person | None:
        """The first person, in the article's order, with this name or alias; else with its page."""
        named = [s for s in self._by_name.get(name, ()) if self._named(s, name)]
        if named:
            return self._people[min(named)]
        ident = slugify(name)  # 'Jose Smith' is 'José Smith'
        same_page = [s for s in self._by_id.get(ident, ()) if self._has_id(s, ident)]
        return self._people[min(same_page)] if same_page else None

    def _named(self, slot: int, name: str) -> bool:
        p = self._people.get(slot)
        return p is not None and (name == p.name or name in p.aliases)

    def _has_id(self, slot: int, ident: str) -> bool:
        p = self._people.get(slot)
        return p is not None and p.id == ident

    # -- quotes that follow a person --------------------------------------------------------------------
    def repoint(self, old: Person, new: Person) -> None:
        """Quotes attributed to `old` now name `new` (applied by settle())."""
        self._moves_by_id[old.id].append(len(self._moves))
        self._moves_by_name[old.name].append(len(self._moves))
        self._moves.append((old, new))

    def settle(self) -> None:
        """Every repoint, in order, in one pass over the quotes: the same result as one pass each."""
        if self._moves:
            self.quotes = [self._moved(q) for q in self.quotes]
            self._moves.clear()

    def _moved(self, q: Quote) -> Quote:
        if q.speaker_kind not in (None, "person"):
            return q
        step = -1
        while (step := self._next_move(q, step)) >= 0:
            new = self._moves[step][1]
            q = dataclasses.replace(q, speaker=new.name, speaker_id=new.id)
        return q

    def _next_move(self, q: Quote, after: int) -> int:
        """The first repoint after step `after` that names q's speaker (by id or name), or -1."""
        found = -1
        for steps in (
            self._steps(self._moves_by_id, q.speaker_id),
            self._steps(self._moves_by_name, q.speaker),
        ):
            i = bisect.bisect_right(steps, after)
            if i < len(steps) and (found < 0 or steps[i] < found):
                found = steps[i]
        return found

    @staticmethod
    def _steps(index: dict[str, list[int]], key: str | None) -> list[int]:
        return index.get(key, []) if key is not None else []


def apply(extraction: Extraction, corrections: Corrections, *, sidecar: str = "the sidecar") -> Extraction:
    """Aliases, speakers, hidden items and notes, in that order; numbers are those of the extraction.

    A correction that matches nothing (a quote number the article no longer has) is a warning
    naming the sidecar, so `--strict` stops on a stale sidecar instead of silently ignoring it.
    """
    c = corrections
    draft = _Draft(extraction, sidecar)
    for alias, canonical in c.aliases:
        _alias(draft, alias, canonical)
    draft.settle()
    hidden_people = set(c.hide_people)
    for number, name in c.speakers:
        _speaker(draft, number, name, hidden=hidden_people)
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
        background=tuple(background) + notes,
        warnings=extraction.warnings + tuple(draft.warnings),
    )


def _without(draft: _Draft, items: list[Any], hidden: tuple[int, ...], key: str, what: str) -> list[Any]:
    numbers = set(hidden)
    for n in sorted(numbers):
        if n > len(items):
            draft.warn(
                f"`{key}` lists {n}, but the article has {len(items)} {what}(s)",
                "remove the number, or check it against the front matter",
            )
    return [item for n, item in enumerate(items, start=1) if n not in numbers]


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
        draft.replace(main, merged)
        draft.remove(other)
        draft.repoint(other, merged)
    elif main is not None:
        if alias != main.name and alias not in main.aliases:
            draft.replace(main, dataclasses.replace(main, aliases=(*main.aliases, alias)))
    elif other is not None:
        renamed = dataclasses.replace(
            other,
            id=PersonId(slugify(canonical)),
            name=canonical,
            named=True,
            aliases=tuple(dict.fromkeys((*other.aliases, other.name))),
        )
        draft.replace(other, renamed)
        draft.repoint(other, renamed)
    else:
        draft.warn(
            f"`aliases` joins `{alias}` and `{canonical}`, but neither is among the article's people",
            "check the spelling against `people` in the front matter",
        )


def _speaker(draft: _Draft, number: int, name: str, *, hidden: set[str]) -> None:
    """Quote `number` was said by `name`: a person of the article, an organisation, or a new person."""
    if not 1 <= number <= len(draft.quotes):
        draft.warn(
            f"`speakers` sets quote {number}, but the article has {len(draft.quotes)} quote(s)",
            "remove it, or check the number against `quotes` in the front matter",
        )
        return
    quote = draft.quotes[number - 1]
    fixed = dataclasses.replace(quote, cue="set by the editor", confidence=1.0)
    entity = draft.entity(name)
    person = draft.person(name)
    if person is None and entity is not None:
        fixed = dataclasses.replace(
            fixed, speaker=entity.name, speaker_id=PersonId(slugify(entity.name)), speaker_kind=entity.kind
        )
    else:
        if person is None:  # a speaker the extractor missed still gets a sidebar entry and a page
            person = Person(PersonId(slugify(name)), name, None, (), quote.paragraph, named=True)
            if name not in hidden:
                draft.add(person)
        fixed = dataclasses.replace(fixed, speaker=person.name, speaker_id=person.id, speaker_kind="person")
    draft.quotes[number - 1] = fixed
