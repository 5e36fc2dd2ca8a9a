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
GUIDE = "see “People across articles” in docs/editors-guide.md"
SPLIT_KEYS = ("name", "articles", "as")
SPLIT_FORM = "a `split` entry needs a `name`, and may have `articles` and `as`"


@dataclass(frozen=True)
class Merge:
    form: str
    canonical: str
    line: int  # of the form in the file, for the warning when no article names it


@dataclass(frozen=True)
class Split:
    name: str
    articles: frozenset[str]  # empty: every article
    as_name: str | None
    line: int = 0  # of the entry's `name`
    articles_line: int = 0


@dataclass(frozen=True)
class Registry:
    merge: tuple[Merge, ...] = ()
    split: tuple[Split, ...] = ()
    where: str = FILE  # the file, for warnings

    @cached_property
    def _merged(self) -> dict[str, str]:  # an index: an archive has thousands of forms to look up
        return {_fold(m.form): m.canonical for m in reversed(self.merge)}

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

    def unmatched(self, seen: dict[str, set[str]], slugs: set[str]) -> tuple[str, ...]:
        """Warnings for the entries no article gives a form to: a misspelt name or slug does nothing.
        `seen` maps each folded form of a person in the archive to the slugs of its articles."""
        found = [(m.line, _merge_problem(m), SPELLING) for m in self.merge if _unseen_merge(m, seen)]
        for s in self.split:
            found += _split_problems(s, seen, slugs)
        return tuple(str(SidecarError(self.where, problem, fix, line=line)) for line, problem, fix in found)


SPELLING = (
    "check the spelling against the `name` of `people` in the articles' front matter (their aliases "
    "are joined already), or remove it"
)


def _merge_problem(m: Merge) -> str:
    who = f"`merge.{excerpt(m.canonical)}` lists `{excerpt(m.form)}`"
    return f"{who}, but no person of any article has that name"


def _unseen_merge(m: Merge, seen: dict[str, set[str]]) -> bool:
    """A form no article names. The canonical name of a merge with other forms has line 0: it names
    the page, and needs no article of its own."""
    return m.line != 0 and _fold(m.form) not in seen


def _split_problems(s: Split, seen: dict[str, set[str]], slugs: set[str]) -> list[tuple[int, str, str]]:
    """(line, problem, fix) for a split naming an article that does not exist, or a form no article
    (of those it lists) names."""
    where = seen.get(_fold(s.name), set())
    unknown = sorted(s.articles - slugs)
    problems = [
        (
            s.articles_line,
            f"`split.articles` lists `{excerpt(a)}`, which is no article's name",
            "write the article's name as its page address has it (seeds/<name>.txt gives articles/<name>/)",
        )
        for a in unknown
    ]
    if not where:
        problems.append(
            (
                s.line,
                f"`split` names `{excerpt(s.name)}`, but no person of any article has that name",
                SPELLING,
            )
        )
    elif s.articles and not where & s.articles and not unknown:
        listed = excerpt(", ".join(sorted(s.articles)))
        problems.append(
            (
                s.line,
                f"`split` names `{excerpt(s.name)}` in {listed}, where no person has that name",
                SPELLING,
            )
        )
    return problems


@dataclass(frozen=True)
class Resolution:
    documents: tuple[Document, ...]
    names: dict[str, str]  # person id -> the name its page carries
    notices: tuple[str, ...]  # forms left alone because they could be several people
    warnings: tuple[str, ...] = ()  # entries of the people file that match nothing


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
        return Registry(where=where)
    if not isinstance(root, yaml.MappingNode):
        raise yamltext.fail(where, root, "must be a mapping with the keys `merge` and `split`", GUIDE)
    found = yamltext.fields(where, "the file", root, ("merge", "split"), fix=GUIDE)
    merge = _merges(where, found["merge"][1]) if "merge" in found else ()
    split = _splits(where, found["split"][1]) if "split" in found else ()
    return Registry(merge, split, where)


def _merges(where: str, node: yaml.Node) -> tuple[Merge, ...]:
    """One Merge per form (the canonical name too); a form merged into two people is an error naming both."""
    if yamltext.empty(node):
        return ()
    merges: list[Merge] = []
    seen: dict[str, tuple[str, int]] = {}
    for canon_node, forms_node in yamltext.mapping(where, "merge", node):
        canon = yamltext.name(where, "merge", canon_node)
        key = f"merge.{excerpt(canon)}"
        items = [] if yamltext.empty(forms_node) else _form_nodes(where, key, forms_node)
        forms = [(canon, canon_node, 0 if items else yamltext.line(canon_node))]
        forms += [(yamltext.name(where, key, n), n, yamltext.line(n)) for n in items]
        for form, node_, line in forms:
            first = seen.setdefault(_fold(form), (canon, yamltext.line(canon_node)))
            if first[0] != canon:
                raise yamltext.fail(
                    where,
                    node_,
                    f"`{excerpt(form)}` is merged into both `{excerpt(first[0])}` (line {first[1]}) and "
                    f"`{excerpt(canon)}`",
                    f"keep it under one of them; to tell two people apart by article, use `split`. {GUIDE}",
                )
            merges.append(Merge(form, canon, line))
    return tuple(merges)


def _form_nodes(where: str, key: str, node: yaml.Node) -> list[yaml.Node]:
    """`Canon: Other` or `Canon: [Other, Another]`: the nodes of the other forms."""
    return [node] if isinstance(node, yaml.ScalarNode) else yamltext.sequence(where, key, node)


def _splits(where: str, node: yaml.Node) -> tuple[Split, ...]:
    if yamltext.empty(node):
        return ()
    return tuple(_split(where, entry) for entry in yamltext.sequence(where, "split", node))


def _split(where: str, entry: yaml.Node) -> Split:
    fields = yamltext.fields(
        where, "split entry", entry, SPLIT_KEYS, prefix="split.", fix=f"{SPLIT_FORM}; {GUIDE}"
    )
    if "name" not in fields:
        raise yamltext.fail(
            where,
            entry,
            SPLIT_FORM,
            f"write `  - name: Form` and optionally `articles: [slug]` and `as: Other Name`; {GUIDE}",
        )
    name_key, name_node = fields["name"]
    name = yamltext.name(where, "split.name", name_node)
    as_node = fields.get("as", (None, None))[1]
    articles_node = fields.get("articles", (None, None))[1]
    as_name = yamltext.name(where, "split.as", as_node) if as_node and not yamltext.empty(as_node) else None
    articles = (
        frozenset(yamltext.names(where, "split.articles", articles_node))
        if articles_node and not yamltext.empty(articles_node)
        else frozenset()
    )
    articles_line = yamltext.line(articles_node) if articles_node else 0
    return Split(name, articles, as_name, yamltext.line(name_key), articles_line)


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
    seen: dict[str, set[str]] = defaultdict(set)
    for slug, form in decided:
        seen[_fold(form)].add(slug)
    return Resolution(
        tuple(out),
        names,
        tuple(sorted(set(notices))),
        registry.unmatched(seen, {d.article.slug for d in docs}),
    )


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
