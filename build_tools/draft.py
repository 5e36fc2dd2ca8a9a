"""An extraction being corrected by an editor's sidecar: its people, organisations and places, indexed.

editorial.apply reads the sidecar's corrections one by one; each looks a name up, replaces or
removes a person or an entity, and moves quotes from one speaker to another. A sidecar may hold
thousands of corrections and an article thousands of people, so everything is found through
indexes (by name and alias, by id), kept in the article's order, and the quotes that follow a
merged speaker are rewritten once, at the end (settle()), not once per correction: every
correction costs the same whatever the size of the article.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable

from build_tools.model import Entity, EntityKind, Extraction, Person, PersonId, Quote
from build_tools.textutil import slugify

Speaker = Person | Entity


def said_by(quote: Quote, speaker: Speaker) -> Quote:
    """The quote attributed to `speaker`: a person's page, or an organisation's or a place's."""
    if isinstance(speaker, Person):
        return dataclasses.replace(quote, speaker=speaker.name, speaker_id=speaker.id, speaker_kind="person")
    return dataclasses.replace(
        quote, speaker=speaker.name, speaker_id=PersonId(slugify(speaker.name)), speaker_kind=speaker.kind
    )


class Entities:
    """The article's organisations and places, found by name or variant, in the article's order."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        self._items: dict[int, Entity] = {}  # slot -> entity
        self._slots = itertools.count()
        self._slot_of: dict[int, int] = {}  # id() of an entity held in _items -> its slot
        self._by_name: dict[str, list[int]] = defaultdict(list)  # name or variant -> slots (some stale)
        self._by_page: dict[str, list[int]] = defaultdict(list)  # the same, slugified (the page's id)
        for entity in entities:
            self.add(entity)

    def add(self, entity: Entity) -> Entity:
        self._place(next(self._slots), entity)
        return entity

    def find(self, name: str, kind: EntityKind | None = None) -> Entity | None:
        """The first entity, in the article's order, with this name or variant (and of this kind);
        else with a form that has the same page, as people are found: `Kabul` is the dateline's `KABUL`."""
        exact = self._first(self._by_name.get(name, ()), kind, lambda forms: name in forms)
        page = slugify(name)
        return exact or self._first(
            self._by_page.get(page, ()), kind, lambda forms: page in map(slugify, forms)
        )

    def _first(
        self, slots: Iterable[int], kind: EntityKind | None, has: Callable[[tuple[str, ...]], bool]
    ) -> Entity | None:
        for slot in slots:
            entity = self._items.get(slot)
            if entity is not None and kind in (None, entity.kind) and has((entity.name, *entity.variants)):
                return entity
        return None

    def replace(self, old: Entity, new: Entity) -> None:
        self._place(self._slot_of.pop(id(old)), new)

    def remove(self, entity: Entity) -> None:
        del self._items[self._slot_of.pop(id(entity))]

    def of_kind(self, kind: EntityKind) -> tuple[Entity, ...]:
        return tuple(e for e in self._items.values() if e.kind == kind)

    def _place(self, slot: int, entity: Entity) -> None:
        self._items[slot] = entity
        self._slot_of[id(entity)] = slot  # the entity is held in _items, so its id() stays its own
        for name in (entity.name, *entity.variants):
            for index, key in ((self._by_name, name), (self._by_page, slugify(name))):
                if slot not in index[key]:
                    bisect.insort(index[key], slot)


class Draft:
    """The extraction being corrected, and what the editor asked for that matched nothing."""

    def __init__(self, extraction: Extraction, where: str, slug: str) -> None:
        self.quotes = list(extraction.quotes)
        self.where = where  # the sidecar, for warnings
        self.slug = slug  # the article's, for the ids of unnamed sources
        self.warnings: list[str] = []
        self.entities = Entities((*extraction.organizations, *extraction.places))
        self._people: dict[int, Person] = {}  # slot -> person, in the article's order
        self._slots = 0
        self._slot_of: dict[int, int] = {}  # id() of a person held in _people -> its slot
        self._by_name: dict[str, list[int]] = defaultdict(list)  # name or alias -> slots (some stale)
        self._by_id: dict[str, list[int]] = defaultdict(list)
        self._unnamed: dict[str, list[int]] = defaultdict(list)  # an unnamed source's forms, casefolded
        self._moves: list[tuple[Person, Person]] = []  # (old, new) in the order the aliases made them
        self._moves_by_id: dict[str, list[int]] = defaultdict(list)
        self._moves_by_name: dict[str, list[int]] = defaultdict(list)
        self._crossings: dict[tuple[str, str], Speaker] = {}  # a person's quotes to an entity, or back
        for person in extraction.people:
            self.add(person)

    @property
    def people(self) -> list[Person]:
        return list(self._people.values())

    def warn(self, problem: str, fix: str) -> None:
        self.warnings.append(f"{self.where}: {problem}; {fix}")

    # -- people -----------------------------------------------------------------------------------------
    def add(self, person: Person) -> Person:
        self._slots += 1
        self._people[self._slots] = person
        self._index(self._slots, person, ())
        return person

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
            if not person.named:
                self._unnamed[name.casefold()].append(slot)
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

    def unnamed(self, description: str) -> Person | None:
        """The article's unnamed source described so (`the source`, `Afghan source`), whatever the case."""
        key = description.casefold()
        for slot in self._unnamed.get(key, ()):
            p = self._people.get(slot)
            if p is not None and not p.named and key in {f.casefold() for f in (p.name, *p.aliases)}:
                return p
        return None

    def _named(self, slot: int, name: str) -> bool:
        p = self._people.get(slot)
        return p is not None and (name == p.name or name in p.aliases)

    def _has_id(self, slot: int, ident: str) -> bool:
        p = self._people.get(slot)
        return p is not None and p.id == ident

    # -- quotes that follow a speaker -------------------------------------------------------------------
    def repoint(self, old: Person, new: Person) -> None:
        """Quotes attributed to `old` now name `new` (applied by settle())."""
        self._moves_by_id[old.id].append(len(self._moves))
        self._moves_by_name[old.name].append(len(self._moves))
        self._moves.append((old, new))

    def cross(self, old: Speaker, new: Speaker) -> None:
        """Quotes of `old` now name `new`, an entity for a person or the other way round, or another
        entity (applied by settle(), after the people's own moves)."""
        self._crossings[_key(old)] = new

    def settle(self) -> None:
        """Every move, in order, in one pass over the quotes: the same result as one pass each."""
        if self._moves:
            self.quotes = [self._moved(q) for q in self.quotes]
            self._moves.clear()
        if self._crossings:
            self.quotes = [self._crossed(q) for q in self.quotes]
            self._crossings.clear()

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

    def _crossed(self, q: Quote) -> Quote:
        if q.speaker is None:
            return q
        key = ("person", str(q.speaker_id)) if q.speaker_kind in (None, "person") else ("entity", q.speaker)
        target, seen = None, set()
        while key in self._crossings and key not in seen:  # A -> B, then B -> C: A's quotes go to C
            seen.add(key)
            target = self._crossings[key]
            key = _key(target)
        return said_by(q, target) if target is not None else q


def _key(speaker: Speaker) -> tuple[str, str]:
    return ("person", speaker.id) if isinstance(speaker, Person) else ("entity", speaker.name)
