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
from functools import cached_property
from pathlib import Path

import yaml

from build_tools import reader, yamltext
from build_tools.errors import SidecarError, excerpt
from build_tools.model import Document, Person, PersonId, Quote
from build_tools.textutil import slugify

FILE = "_people.yml"
MAX_BYTES = 5_000_000  # thousands of entries; far beyond that it is not the people file
EXAMPLE = "see the example at the top of build_tools/people_registry.py"


@dataclass(frozen=True)
class Split:
    name: str
    articles: frozenset[str]  # empty: every article
    as_name: str | None


@dataclass(frozen=True)
class Registry:
    merge: tuple[tuple[str, str], ...] = ()  # (form, canonical name)
    split: tuple[Split, ...] = ()

    @cached_property
    def _merged(self) -> dict[str, str]:  # an index: an archive has thousands of forms to look up
        return {_fold(form): canon for form, canon in reversed(self.merge)}

    @cached_property
    def _splits(self) -> dict[str, list[Split]]:
        found: dict[str, list[Split]] = defaultdict(list)
        for s in self.split:
            found[_fold(s.name)].append(s)
        return found

    def merged(self, form: str) -> str | None:
        return self._merged.get(_fold(form))

    def split_for(self, form: str, slug: str) -> Split | None:
        return next(
            (s for s in self._splits.get(_fold(form), ()) if not s.articles or slug in s.articles), None
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
    if not (path.exists() or path.is_symlink()):
        return Registry()
    text = reader.read_text(path, limit=MAX_BYTES, error=SidecarError, inside=seeds, what="people file")
    return parse(text, str(path))


def parse(text: str, where: str) -> Registry:
    """The people file, read as YAML nodes (see build_tools.yamltext): every error names its line."""
    root = yamltext.compose(text, where)
    if root is None or (isinstance(root, yaml.ScalarNode) and root.value == ""):
        return Registry()
    if not isinstance(root, yaml.MappingNode):
        raise yamltext.fail(where, root, "must be a mapping with the keys `merge` and `split`", EXAMPLE)
    merge: tuple[tuple[str, str], ...] = ()
    split: tuple[Split, ...] = ()
    for k, v in yamltext.mapping(where, "the file", root):
        key = yamltext.text(where, "key", k)
        if key == "merge":
            merge = _merges(where, v)
        elif key == "split":
            split = _splits(where, v)
        else:
            raise yamltext.fail(
                where, k, f"unknown key `{excerpt(key)}`", f"use `merge` and `split`; {EXAMPLE}"
            )
    return Registry(merge, split)


def _merges(where: str, node: yaml.Node) -> tuple[tuple[str, str], ...]:
    """(form, canonical) pairs; a form merged into two people is an error naming both lines."""
    if _empty(node):
        return ()
    pairs: list[tuple[str, str]] = []
    seen: dict[str, tuple[str, int]] = {}
    for canon_node, forms_node in yamltext.mapping(where, "merge", node):
        canon = yamltext.name(where, "merge", canon_node)
        forms = yamltext.names(where, f"merge.{excerpt(canon)}", forms_node) if not _empty(forms_node) else ()
        for form in (canon, *forms):
            first = seen.setdefault(_fold(form), (canon, yamltext.line(canon_node)))
            if first[0] != canon:
                raise yamltext.fail(
                    where,
                    canon_node,
                    f"`{excerpt(form)}` is merged into both `{excerpt(first[0])}` (line {first[1]}) and "
                    f"`{excerpt(canon)}`",
                    f"keep it under one of them; to tell two people apart by article, use `split`. {EXAMPLE}",
                )
            pairs.append((form, canon))
    return tuple(pairs)


def _splits(where: str, node: yaml.Node) -> tuple[Split, ...]:
    if _empty(node):
        return ()
    out = []
    for entry in yamltext.sequence(where, "split", node):
        fields = {
            yamltext.text(where, "split", k): v for k, v in yamltext.mapping(where, "split entry", entry)
        }
        if "name" not in fields or set(fields) - {"name", "articles", "as"}:
            raise yamltext.fail(
                where,
                entry,
                "a `split` entry needs a `name`, and may have `articles` and `as`",
                "write `  - name: Form` and optionally `articles: [slug]` and `as: Other Name`",
            )
        name = yamltext.name(where, "split.name", fields["name"])
        as_node, articles_node = fields.get("as"), fields.get("articles")
        as_name = yamltext.name(where, "split.as", as_node) if as_node and not _empty(as_node) else None
        articles = (
            frozenset(yamltext.names(where, "split.articles", articles_node))
            if articles_node and not _empty(articles_node)
            else frozenset()
        )
        out.append(Split(name, articles, as_name))
    return tuple(out)


def _empty(node: yaml.Node) -> bool:
    """`key:` with nothing after it (YAML's null): an empty section."""
    return (
        isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null") and node.value in ("", "~", "null")
    )


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
