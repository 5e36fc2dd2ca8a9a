"""Names that look like one another: near-duplicates an editor may want to join (for the review).

Four rules, each a reason the review prints:

- written alike: the same words but for capitals and punctuation (`Indonesian Navy`,
  `Indonesian navy`; `U.S.`, `US`; `the Taliban`, `Taliban`);
- initials: an abbreviation is the initials of a longer name, skipping `of`, `and`, `the`…
  (`KSC`, `Kennedy Space Center`; `U.S.`, `United States`);
- one letter apart: one letter added, dropped, changed or two swapped, in names of six letters
  or more (`Untied Nations`, `United Nations`; `Colombia`, `Columbia`);
- begins or ends: one name is the first or last words of another (`Intel`, `Intel Corporation`;
  `Texas`, `State of Texas`).

The rules find candidates; the caller decides which count (`allow`: by default, names of the
same kind only), since a place that begins an organisation's name (`Irving`, `Irving Police
Department`) is no duplicate, while an abbreviation read as an organisation may well stand for
a place (`KSC`, `Kennedy Space Center`).

Every rule goes through an index (a dict by folded name, by initials, by name with one letter
deleted, by leading and trailing words), so a list of thousands of names costs in proportion.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from build_tools import patterns

SKIPPED = frozenset({"of", "the", "and", "for", "at", "de", "del", "du", "la", "le", "in", "on", "&"})
MIN_LETTERS_APART = 8  # shorter names one letter apart are mostly different (`Iran`, `Iraq`; `ABC News`)
Rule = Literal["alike", "initials", "apart", "begins", "ends"]


@dataclass(frozen=True)
class Name:
    text: str
    kind: str  # person, organization, place


def same_kind(rule: Rule, a: Name, b: Name) -> bool:
    return a.kind == b.kind


@dataclass(frozen=True)
class Cluster:
    """Names the rules join (directly or through each other), with a reason for each link."""

    members: tuple[int, ...]  # indexes into the names given, in their order
    reasons: tuple[str, ...]


def words(name: str) -> list[str]:
    return [w for w in patterns.NAME_SEPARATORS.split(name.casefold()) if w]


def folded(name: str) -> str:
    """`U.S.` -> `us`, `the Taliban` -> `taliban`, `Indonesian Navy` -> `indonesian navy`."""
    if patterns.ABBREVIATION.fullmatch(name):
        return "".join(words(name))
    found = words(name)
    return " ".join(found[1:] if len(found) > 1 and found[0] == "the" else found)


def initials(name: str) -> str | None:
    """`Kennedy Space Center` -> `ksc`, `National Aeronautics and Space Administration` -> `nasa`."""
    found = [w for w in words(name) if w not in SKIPPED]
    return "".join(w[0] for w in found) if len(found) > 1 else None


def apart_by_one(a: str, b: str) -> bool:
    """One letter added, dropped or changed, or two neighbours swapped (Damerau distance 1)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    start = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    a, b = a[start:], b[start:]
    if len(a) == len(b):
        return a[1:] == b[1:] or (len(a) > 1 and a[0] == b[1] and a[1] == b[0] and a[2:] == b[2:])
    return a[1:] == b if len(a) > len(b) else b[1:] == a


Allow = Callable[[Rule, Name, Name], bool]
Link = Callable[[Rule, int, int, str], None]


def clusters(names: Sequence[Name], *, allow: Allow = same_kind) -> list[Cluster]:
    """The groups of two or more names written alike, one the initials of another or one letter
    apart, in the order of their first name. `allow(rule, a, b)` says whether a link the rule
    found counts (for initials, `a` is the abbreviation)."""
    links = _links(names, allow=allow)
    parent = list(range(len(names)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in links:
        parent[max(root(i), root(j))] = min(root(i), root(j))
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(names)):
        groups[root(i)].append(i)
    reasons: dict[int, list[str]] = defaultdict(list)
    for (i, _), why in links.items():
        reasons[root(i)].append(why)
    return [Cluster(tuple(g), tuple(reasons[r])) for r, g in sorted(groups.items()) if len(g) > 1]


def contained(names: Sequence[Name], *, allow: Allow = same_kind) -> list[tuple[int, int, str]]:
    """(shorter, longer, reason) for each name that begins or ends another. Listed pair by pair,
    never grouped: `Senate` is in `U.S. Senate` and in `Senate Democrats`, two other bodies."""
    found: dict[tuple[int, int], str] = {}
    _begins_or_ends(names, _linker(names, allow, found))
    return [(i, j, why) for (i, j), why in found.items()]


def _linker(names: Sequence[Name], allow: Allow, found: dict[tuple[int, int], str]) -> Link:
    def link(rule: Rule, i: int, j: int, why: str) -> None:
        alike = folded(names[i].text) == folded(names[j].text)
        if i != j and (rule == "alike" or not alike) and allow(rule, names[i], names[j]):
            found.setdefault((i, j) if rule in ("begins", "ends") else (min(i, j), max(i, j)), why)

    return link


def _links(names: Sequence[Name], *, allow: Allow) -> dict[tuple[int, int], str]:
    found: dict[tuple[int, int], str] = {}
    link = _linker(names, allow, found)

    for group in _index(names, lambda n: [folded(n.text)]).values():
        for i, j in ((i, j) for i in group for j in group if i < j):
            link("alike", i, j, f"`{names[i].text}` and `{names[j].text}` are written alike")
    by_initials = _index(names, lambda n: [k] if (k := initials(n.text)) else [])
    for i, n in enumerate(names):
        if patterns.ABBREVIATION.fullmatch(n.text):
            for j in by_initials.get(folded(n.text), ()):
                link("initials", i, j, f"`{n.text}` is the initials of `{names[j].text}`")
    for group in _index(names, _deletions).values():
        for i, j in ((i, j) for i in group for j in group if i < j):
            if apart_by_one(folded(names[i].text), folded(names[j].text)):
                link("apart", i, j, f"`{names[i].text}` and `{names[j].text}` are one letter apart")
    return found


def _index(names: Sequence[Name], keys: Callable[[Name], list[str]]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = defaultdict(list)
    for i, n in enumerate(names):
        for k in dict.fromkeys(keys(n)):
            found[k].append(i)
    return found


def _deletions(n: Name) -> list[str]:
    """The folded name and every form of it with one letter deleted: names one letter apart share one."""
    f = folded(n.text)
    if sum(c.isalpha() for c in f) < MIN_LETTERS_APART:
        return []
    return [f, *(f[:k] + f[k + 1 :] for k in range(len(f)))]


def _begins_or_ends(names: Sequence[Name], link: Link) -> None:
    """`Intel` begins `Intel Corporation`; `Texas` ends `State of Texas`."""
    edges: dict[tuple[str, ...], list[tuple[int, Rule]]] = defaultdict(list)
    for j, n in enumerate(names):
        w = tuple(words(n.text))
        for k in range(1, len(w)):
            edges[w[:k]].append((j, "begins"))
            edges[w[k:]].append((j, "ends"))
    for i, n in enumerate(names):
        for j, how in edges.get(tuple(words(n.text)), ()):
            link(how, i, j, f"`{n.text}` {how} `{names[j].text}`")
