"""Who is who across the archive: one id, and one page, per person, whatever form an article uses.

Extraction names people article by article (`Zabihullah Mujahid`, or only `Mujahid` in an
article that never gives the full name). Across the archive:

- a lone name (`Mujahid`) is the person whose full name ends with it, when exactly one such
  person is in the archive; when several are (`John Cornyn`, `Jane Cornyn`) it is left alone
  and reported, never guessed;
- two full names are two people, even when they share a surname; the one exception is a
  middle initial (`Charles F. Bolden` is `Charles Bolden`) when no other middle name competes;
- an editor's file, seeds/_people.yml, merges forms the rules cannot join and splits a form
  that is another person in some articles:

      merge:                       # canonical name: [other forms of the same person]
        Zabihullah Mujahid: [Zabiullah Mujahid]
      split:                       # in these articles, this form is someone else
        - name: Mujahid
          articles: [kabul-market-fire]    # omit for every article
          as: Amir Mujahid                 # omit to give the form a page of its own

Unnamed sources (`afghan-source--<slug>`), organisations and places are never merged here.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

from build_tools.errors import SidecarError
from build_tools.model import Document, Person, PersonId, Quote
from build_tools.textutil import slugify

FILE = "_people.yml"


@dataclass(frozen=True)
class Split:
    name: str
    articles: frozenset[str]  # empty: every article
    as_name: str | None


@dataclass(frozen=True)
class Registry:
    merge: tuple[tuple[str, str], ...] = ()  # (form, canonical name)
    split: tuple[Split, ...] = ()

    def merged(self, form: str) -> str | None:
        return next((canon for f, canon in self.merge if _fold(f) == _fold(form)), None)

    def split_for(self, form: str, slug: str) -> Split | None:
        return next(
            (
                s
                for s in self.split
                if _fold(s.name) == _fold(form) and (not s.articles or slug in s.articles)
            ),
            None,
        )


@dataclass(frozen=True)
class Resolution:
    documents: tuple[Document, ...]
    names: dict[str, str]  # person id -> the name its page carries
    notices: tuple[str, ...]  # forms left alone because they could be several people


def _fold(name: str) -> str:
    return " ".join(name.replace("’", "'").split()).casefold()


# -- the editor's file ------------------------------------------------------------------------------
def load(seeds: Path) -> Registry:
    path = seeds / FILE
    if not path.is_file():
        return Registry()
    where = str(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise SidecarError(
            where,
            "not valid YAML",
            "check the indentation and quote names that contain `: `",
            line=mark.line + 1 if mark else None,
        ) from None
    if not isinstance(data, dict) or set(data) - {"merge", "split"}:
        raise SidecarError(
            where,
            "must be a mapping with the keys `merge` and `split`",
            "see the example at the top of build_tools/people_registry.py",
        )
    return Registry(_merges(where, data.get("merge") or {}), _splits(where, data.get("split") or []))


def _names(where: str, key: str, value: object) -> list[str]:
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        raise SidecarError(where, f"`{key}` must be a name or a list of names", f"write `{key}: [Full Name]`")
    return [v.strip() for v in values]


def _merges(where: str, merge: object) -> tuple[tuple[str, str], ...]:
    if not isinstance(merge, dict):
        raise SidecarError(
            where,
            "`merge` must map a canonical name to its other forms",
            "write `merge:` then `  Full Name: [Other Form]`",
        )
    pairs = []
    for canon, forms in merge.items():
        canon = _names(where, "merge", canon)[0]
        pairs += [(form, canon) for form in [canon, *_names(where, f"merge.{canon}", forms)]]
    return tuple(pairs)


def _splits(where: str, split: object) -> tuple[Split, ...]:
    if not isinstance(split, list) or not all(isinstance(s, dict) and "name" in s for s in split):
        raise SidecarError(
            where,
            "`split` must be a list of entries with a `name`",
            "write `split:` then `  - name: Form` and optionally `articles:` and `as:`",
        )
    out = []
    for s in split:
        if set(s) - {"name", "articles", "as"}:
            raise SidecarError(
                where,
                f"`split` entry for {s['name']!r} has an unknown key",
                "use `name`, `articles` and `as`",
            )
        as_name = _names(where, "split.as", s["as"])[0] if s.get("as") else None
        articles = frozenset(_names(where, "split.articles", s["articles"]) if s.get("articles") else ())
        out.append(Split(_names(where, "split.name", s["name"])[0], articles, as_name))
    return tuple(out)


# -- resolution -------------------------------------------------------------------------------------
def _named(person_id: str | None) -> bool:
    return bool(person_id) and "--" not in str(person_id)  # '<name>--<slug>' is an unnamed source


def _forms(doc: Document) -> list[tuple[str, str]]:
    """(id in the article, the name it is given) for every named person and person speaker."""
    found = [(p.id, p.name) for p in doc.extraction.people if p.kind == "person" and p.named and _named(p.id)]
    found += [
        (q.speaker_id, q.speaker)
        for q in doc.extraction.quotes
        if q.speaker_kind in (None, "person") and q.speaker and q.speaker_id and _named(q.speaker_id)
    ]
    return list(dict.fromkeys(found))


def _initials_key(name: str) -> tuple[str, str, str] | None:
    """'Charles F. Bolden' -> ('charles', 'bolden', 'f.'); None when a middle word is more than an initial."""
    words = _fold(name).split()
    if len(words) < 2:
        return None
    middle = words[1:-1]
    if any(len(w.rstrip(".")) > 1 for w in middle):
        return None
    return words[0], words[-1], " ".join(middle)


def _canonical_full_names(full: set[str]) -> dict[str, str]:
    """Full name -> the form that names the page: 'Charles Bolden' -> 'Charles F. Bolden'."""
    groups: dict[tuple[str, str], set[str]] = defaultdict(set)
    for name in full:
        k = _initials_key(name)
        if k:
            groups[k[:2]].add(name)
    canon = {name: name for name in full}
    for names in groups.values():
        middles = {k[2] for n in names if (k := _initials_key(n)) and k[2]}
        if len(names) > 1 and len(middles) <= 1:  # 'John A. Smith' and 'John B. Smith' stay two
            best = max(sorted(names), key=len)
            canon.update({n: best for n in names})
    return canon


def resolve(docs: list[Document], registry: Registry = Registry()) -> Resolution:
    decided: dict[tuple[str, str], str] = {}  # (slug, form) -> canonical name, by the editor
    pending: list[tuple[str, str]] = []
    for doc in docs:
        for _, form in _forms(doc):
            slug = doc.article.slug
            split = registry.split_for(form, slug)
            canon = (split.as_name or form) if split else registry.merged(form)
            if canon:
                decided[(slug, form)] = canon
            else:
                pending.append((slug, form))
    full = {form for _, form in pending if len(form.split()) > 1} | {
        c for c in decided.values() if len(c.split()) > 1
    }
    canon_full = _canonical_full_names(full)
    by_surname: dict[str, set[str]] = defaultdict(set)
    for name in set(canon_full.values()):
        by_surname[_fold(name).split()[-1]].add(name)
    notices = []
    for slug, form in pending:
        if form in canon_full:
            decided[(slug, form)] = canon_full[form]
            continue
        candidates = by_surname.get(_fold(form), set()) if len(form.split()) == 1 else set()
        if len(candidates) == 1:
            decided[(slug, form)] = next(iter(candidates))
        else:
            decided[(slug, form)] = form
            if len(candidates) > 1:
                named = sorted(candidates)
                who = " or ".join(named[:3]) + (f" or {len(named) - 3} others" if len(named) > 3 else "")
                notices.append(
                    f"{slug}: `{form}` could be {who}; it keeps a page of its own. "
                    f"Say who it is in seeds/{FILE} (merge or split)"
                )
    names: dict[str, str] = {}
    out = []
    for doc in docs:
        ids = {old: PersonId(slugify(decided[(doc.article.slug, form)])) for old, form in _forms(doc)}
        for old, form in _forms(doc):
            names.setdefault(ids[old], decided[(doc.article.slug, form)])
        out.append(_remap(doc, ids))
    return Resolution(tuple(out), names, tuple(sorted(set(notices))))


def _remap(doc: Document, ids: dict[str, PersonId]) -> Document:
    if all(old == new for old, new in ids.items()):
        return doc
    x = doc.extraction
    people: dict[str, Person] = {}
    for p in x.people:
        new = dataclasses.replace(p, id=ids.get(p.id, p.id))
        if new.id in people:  # two forms the archive knows as one person: one entry, all forms
            first = people[new.id]
            aliases = tuple(dict.fromkeys((*first.aliases, new.name, *new.aliases)))
            role = "; ".join(r for r in dict.fromkeys((first.role, new.role)) if r) or None
            people[new.id] = dataclasses.replace(first, aliases=aliases, role=role)
        else:
            people[new.id] = new
    quotes = tuple(_requote(q, ids) for q in x.quotes)
    x = dataclasses.replace(x, people=tuple(people.values()), quotes=quotes)
    return dataclasses.replace(doc, extraction=x)


def _requote(q: Quote, ids: dict[str, PersonId]) -> Quote:
    if q.speaker_kind in (None, "person") and q.speaker_id in ids:
        return dataclasses.replace(q, speaker_id=ids[q.speaker_id])
    return q
