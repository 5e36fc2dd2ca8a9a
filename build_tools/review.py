"""The review listing: everything an editor should look at across the archive, grouped, each with
the line of a sidecar (seeds/<name>.yml) or of seeds/_people.yml that fixes it.

`python -m build_tools review` reads what the last build published (the front matter of
content/*.md, build_tools.review_read) and the sidecars beside the seeds: it needs no model and
no rebuild. The groups, in this order:

- sidecars the build cannot read (the article is published as last built, or not at all);
- quotes whose speaker is missing or guessed from context;
- headlines derived from the lede (no `title:` in the sidecar), and undated articles;
- people named without a role;
- organisations and places often misread: a one-word organisation no other article names, a
  name given as both an organisation and a place, a place written like a brand, a single
  letter, a name that begins with `A` or `An` (as titles of works do);
- near-duplicates (build_tools.lookalike): names of one article the rules join, and across the
  archive organisations and places (`U.S.`, `United States`) and people (`Zabiullah Mujahid`,
  `Zabihullah Mujahid`) that have pages of their own.

A fix fills one key; where the file already has that key, the entry goes under it.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from build_tools import lookalike, patterns, review_read
from build_tools.review_read import ArticleView, Named, QuoteView

PEOPLE_FILE = "_people.yml"
GROUPS = {
    "sidecars": "Sidecars the build cannot read",
    "quotes": "Quotes to confirm",
    "headlines": "Headlines derived from the lede",
    "undated": "Undated articles",
    "roles": "People without a role",
    "entities": "Organisations and places to check",
    "duplicates": "Near-duplicates (join them if they are one)",
}
KIND_WORDS = {"person": "person", "organization": "organisation", "place": "place"}
FILES_SHOWN = 10  # sidecars named in one fix; the rest are counted
YAML_KEYWORDS = {"yes", "no", "true", "false", "on", "off", "y", "n", "null", "~"}


@dataclass(frozen=True)
class Fix:
    file: str  # seeds/x.yml or seeds/_people.yml, as the editor finds it
    line: str  # the YAML to write there: `speakers: {2: Name}`


@dataclass(frozen=True)
class ReviewItem:
    group: str  # a key of GROUPS
    article: str  # the slug, or "" for an item of the archive
    message: str
    fixes: tuple[Fix, ...]  # together they fix the item
    instead: tuple[Fix, ...] = ()  # another way to fix it


def yaml_value(text: str) -> str:
    """`text` as a value of a one-line YAML mapping or list, bare when it reads back the same."""
    if patterns.YAML_PLAIN_IN_FLOW.fullmatch(text) and text.casefold() not in YAML_KEYWORDS:
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def review_items(
    content: Path, seeds: Path = Path("seeds"), *, seeds_name: str | None = None
) -> list[ReviewItem]:
    """Every item, in the order of GROUPS, then of the articles (by slug). `seeds_name` is how
    the seeds folder is shown in the fixes (as the editor typed it)."""
    shown = seeds_name if seeds_name is not None else str(seeds)
    articles = review_read.articles(content, seeds, shown)
    archive = _Archive(articles)
    items = [item for a in articles for item in _per_article(a, archive)]
    items += archive.entities_alike() + archive.people_alike(f"{shown}/{PEOPLE_FILE}")
    order = list(GROUPS)
    return sorted(items, key=lambda item: order.index(item.group))  # stable: articles keep their order


def _per_article(a: ArticleView, archive: _Archive) -> list[ReviewItem]:
    items = [ReviewItem("sidecars", a.slug, a.sidecar_error, ())] if a.sidecar_error else []
    items += [_quote(a, q) for q in a.quotes if q.speaker is None or q.needs_review]
    if a.title_set is False:
        title = Fix(a.sidecar, f"title: {yaml_value(a.headline)}")
        items.append(ReviewItem("headlines", a.slug, f"“{a.headline}”", (title,)))
    if not a.dated:
        date = Fix(a.sidecar, "date: YYYY-MM-DD")
        items.append(ReviewItem("undated", a.slug, "no date: the page says “Date not given”", (date,)))
    items += [_role(a, p) for p in a.names if p.kind == "person" and p.named and not p.role]
    items += [_entity(a, e, why) for e in a.names if (why := archive.doubtful(e))]
    return items + archive.alike_in(a)


def _quote(a: ArticleView, q: QuoteView) -> ReviewItem:
    where = f"quote {q.number} (paragraph {q.paragraph})"
    if q.speaker is None:
        fix = Fix(a.sidecar, f"speakers: {{{q.number}: Name}}")
        return ReviewItem("quotes", a.slug, f"{where} has no speaker", (fix,))
    value = yaml_value(q.speaker)
    if q.unnamed:
        value = f"{{unnamed: {value}}}"
    elif q.speaker_kind == "organization":
        value = f"{{organization: {value}}}"
    message = f"{where} is attributed to {q.speaker} by context only (confidence {q.confidence:g})"
    return ReviewItem("quotes", a.slug, message, (Fix(a.sidecar, f"speakers: {{{q.number}: {value}}}"),))


def _role(a: ArticleView, p: Named) -> ReviewItem:
    name = yaml_value(p.name)
    role, hide = Fix(a.sidecar, f"roles: {{{name}: …}}"), Fix(a.sidecar, f"hide: {{people: [{name}]}}")
    return ReviewItem(
        "roles", a.slug, f"{p.name} has no role (hide them if they are not a person)", (role,), (hide,)
    )


def _entity(a: ArticleView, e: Named, why: str) -> ReviewItem:
    section = "organizations" if e.kind == "organization" else "places"
    fix = Fix(a.sidecar, f"hide: {{{section}: [{yaml_value(e.name)}]}}")
    return ReviewItem("entities", a.slug, f"{e.name} ({KIND_WORDS[e.kind]}): {why}", (fix,))


@cache
def known_organizations() -> frozenset[str]:
    """The outlets and bodies extraction knows by name (rules/outlets.yml): never doubtful. Read
    here as data, so the review does not import the extraction (and spaCy with it)."""
    rules = yaml.safe_load((resources.files("build_tools") / "rules" / "outlets.yml").read_text("utf-8"))
    return frozenset(str(name) for name in rules["organizations"])


def doubtful_name(e: Named, articles: int) -> str | None:
    """Why an organisation or place named by `articles` articles looks misread, or None."""
    if e.kind == "organization" and e.name in known_organizations():
        return None
    if sum(c.isalpha() for c in e.name) < 2:
        return "a single letter"
    if patterns.INDEFINITE_START.match(e.name):
        return "begins with `A` or `An`, as titles of works do"
    if e.kind == "place" and patterns.INNER_CAPITAL.search(e.name):
        return "written like a brand, with a capital inside a word"
    one_word = " " not in e.name and not patterns.ABBREVIATION.fullmatch(e.name)
    if e.kind == "organization" and one_word and articles == 1:
        return "one word, and no other article names it: a work, a product or a person is often read as one"
    return None


class _Archive:
    """What the review knows across articles: how many articles name each form, with which kind."""

    def __init__(self, articles: list[ArticleView]) -> None:
        self.articles = articles
        self.count: Counter[tuple[str, str]] = Counter()  # (kind, name) -> articles naming it
        self.kinds: dict[str, set[str]] = defaultdict(set)  # folded name -> the kinds it is given
        self.expanded: dict[str, set[str]] = defaultdict(
            set
        )  # initials -> kinds of the names they abbreviate
        for a in articles:
            for kind, name in {(n.kind, n.name) for n in a.names if n.named}:
                self.count[(kind, name)] += 1
                self.kinds[lookalike.folded(name)].add(kind)
                if initials := lookalike.initials(name):
                    self.expanded[initials].add(kind)

    def doubtful(self, e: Named) -> str | None:
        if e.kind == "person":
            return None
        others = self.kinds[lookalike.folded(e.name)] - {e.kind, "person"}
        if others:
            return (
                f"also named as an {KIND_WORDS[others.pop()]}"
                if e.kind == "place"
                else "also named as a place"
            )
        return doubtful_name(e, self.count[(e.kind, e.name)])

    def canonical(self, members: list[Named]) -> Named:
        """The form most articles use; then the longest (an abbreviation's full name); then the first."""
        return max(members, key=lambda m: (self.count[(m.kind, m.name)], len(m.name), -members.index(m)))

    # -- near-duplicates ------------------------------------------------------------------------------
    def _in_article(self, rule: lookalike.Rule, a: lookalike.Name, b: lookalike.Name) -> bool:
        """Within one article: one letter apart whatever the kinds (`Kalameh Sabs` the person,
        `Kalameh Sabz` the newspaper); an abbreviation of another kind only where the archive has no
        name of its own kind it abbreviates (`KSC` the organisation for `Kennedy Space Center` the
        place, never `US` for `University of Sheffield`); else the same kind."""
        if rule == "apart" or a.kind == b.kind:
            return True
        key = lookalike.folded(a.text)
        return rule == "initials" and "person" not in (a.kind, b.kind) and a.kind not in self.expanded[key]

    def alike_in(self, a: ArticleView) -> list[ReviewItem]:
        """Names of one article the lookalike rules join: one `aliases` line joins them."""
        shown = [n for n in a.names if n.named]
        names = [lookalike.Name(n.name, n.kind) for n in shown]
        groups = [
            ([shown[i] for i in c.members], c.reasons)
            for c in lookalike.clusters(names, allow=self._in_article)
        ]
        grouped = {id(m) for members, _ in groups for m in members}
        groups += [
            ([shown[i], shown[j]], (why,))
            for i, j, why in lookalike.contained(names)
            if not {id(shown[i]), id(shown[j])} <= grouped
        ]
        return [self._alike_item(a, members, reasons) for members, reasons in groups]

    def _alike_item(self, a: ArticleView, members: list[Named], reasons: tuple[str, ...]) -> ReviewItem:
        main = self.canonical(members)
        pairs = ", ".join(f"{yaml_value(m.name)}: {yaml_value(main.name)}" for m in members if m is not main)
        message = f"{_listed(members)}: {'; '.join(reasons)}"
        return ReviewItem("duplicates", a.slug, message, (Fix(a.sidecar, f"aliases: {{{pairs}}}"),))

    def entities_alike(self) -> list[ReviewItem]:
        """Organisations and places that look alike across articles and have pages of their own
        (`Kabul` and `KABUL` share one): in each article of a minor page, an `aliases` line gives
        its form the main page."""
        pages: dict[tuple[str, str], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for a in self.articles:  # (kind, page id) -> each form it is given -> the sidecars of its articles
            for n in a.names:
                if n.kind != "person" and a.sidecar not in pages[(n.kind, n.id)][n.name]:
                    pages[(n.kind, n.id)][n.name].append(a.sidecar)
        keys = sorted(pages)
        shown = {k: max(sorted(pages[k]), key=lambda name: len(pages[k][name])) for k in keys}
        used = {k: len({f for files in pages[k].values() for f in files}) for k in keys}
        by_name = {(k[0], shown[k]): used[k] for k in keys}

        def allow(rule: lookalike.Rule, a: lookalike.Name, b: lookalike.Name) -> bool:
            # the same kind; an abbreviation only of a name two articles or more use
            return a.kind == b.kind and (rule != "initials" or by_name[(b.kind, b.text)] > 1)

        names = [lookalike.Name(shown[k], k[0]) for k in keys]
        items = []
        for c in lookalike.clusters(names, allow=allow):
            members = [keys[i] for i in c.members]
            if _together(set(members), self.articles):
                continue  # listed with that article
            main = max(members, key=lambda k: (used[k], len(shown[k]), -members.index(k)))
            fixes = tuple(
                Fix(_files(files), f"aliases: {{{yaml_value(name)}: {yaml_value(shown[main])}}}")
                for k in members
                if k != main
                for name, files in pages[k].items()
            )
            counted = ", ".join(f"{shown[k]} ({KIND_WORDS[k[0]]}, {_articles(used[k])})" for k in members)
            items.append(ReviewItem("duplicates", "", f"{counted}: {'; '.join(c.reasons)}", fixes))
        return items

    def people_alike(self, people_file: str) -> list[ReviewItem]:
        """People with pages of their own that look alike, or a lone name several people share:
        seeds/_people.yml merges or splits them."""
        pages = _people_pages(self.articles)
        ids = sorted(pages)
        names = [lookalike.Name(pages[i][0], "person") for i in ids]
        items = []
        for c in lookalike.clusters(names):
            members = [ids[i] for i in c.members]
            main = max(members, key=lambda i: (len(pages[i][1]), len(pages[i][0]), -members.index(i)))
            others = ", ".join(yaml_value(pages[i][0]) for i in members if i != main)
            message = ", ".join(f"{pages[i][0]} ({_articles(len(pages[i][1]))})" for i in members)
            fix = Fix(people_file, f"merge: {{{yaml_value(pages[main][0])}: [{others}]}}")
            items.append(ReviewItem("duplicates", "", f"{message}: {'; '.join(c.reasons)}", (fix,)))
        return items + _lone_names(pages, people_file)


def _people_pages(articles: list[ArticleView]) -> dict[str, tuple[str, list[str]]]:
    """person id -> (the longest name it is given, the slugs of its articles), for named people."""
    pages: dict[str, tuple[str, list[str]]] = {}
    for a in articles:
        for p in a.names:
            if p.kind == "person" and p.named and p.id and "--" not in p.id:
                name, slugs = pages.get(p.id, (p.name, []))
                pages[p.id] = (max(name, p.name, key=len), [*slugs, a.slug] if a.slug not in slugs else slugs)
    return pages


def _lone_names(pages: dict[str, tuple[str, list[str]]], people_file: str) -> list[ReviewItem]:
    """A one-word name (`Mujahid`) that ends the names of several people: the build leaves it alone."""
    by_last: dict[str, list[str]] = defaultdict(list)
    for name, _ in sorted(pages.values()):
        w = lookalike.words(name)
        if len(w) > 1:
            by_last[w[-1]].append(name)
    items = []
    for name, slugs in sorted(pages.values()):
        w = lookalike.words(name)
        full = by_last.get(w[0], []) if len(w) == 1 else []
        if len(full) > 1:
            entry = f"name: {yaml_value(name)}, articles: [{', '.join(slugs)}], as: {yaml_value(full[0])}"
            line = f"split: [{{{entry}}}]"
            who = " or ".join(full[:3]) + (f" or {len(full) - 3} others" if len(full) > 3 else "")
            items.append(
                ReviewItem(
                    "duplicates", "", f"{name} ({', '.join(slugs)}) could be {who}", (Fix(people_file, line),)
                )
            )
    return items


def _together(pages: set[tuple[str, str]], articles: list[ArticleView]) -> bool:
    """Whether one article names all these pages (kind, id): the review lists them with it."""
    return any(pages <= {(n.kind, n.id) for n in a.names} for a in articles)


def _files(files: list[str]) -> str:
    more = f" and {len(files) - FILES_SHOWN} more" if len(files) > FILES_SHOWN else ""
    return ", ".join(files[:FILES_SHOWN]) + more


def _articles(n: int) -> str:
    return f"{n} article{'' if n == 1 else 's'}"


def _listed(members: list[Named]) -> str:
    return ", ".join(f"{m.name} ({KIND_WORDS[m.kind]})" for m in members)


def format_items(items: list[ReviewItem]) -> str:
    if not items:
        return "Nothing to review.\n"
    articles = len({i.article for i in items if i.article})
    lines = [
        f"{len(items)} item(s) to review, in {articles} article(s) and across the archive. Each fix is a",
        "line for the file named (where the file already has that key, add the entry under it; replace",
        "`…` and `YYYY-MM-DD` with the role and the date). Rebuild, then review again.",
    ]
    for group, title in GROUPS.items():
        found = [i for i in items if i.group == group]
        if found:
            lines += ["", f"## {title} ({len(found)})"]
            lines += [line for item in found for line in _item_lines(item)]
    return "\n".join(lines) + "\n"


def _item_lines(item: ReviewItem) -> list[str]:
    lines = [f"- {item.article}: {item.message}" if item.article else f"- {item.message}"]
    lines += [f"    fix in {fix.file}: {fix.line}" for fix in item.fixes]
    lines += [f"    or instead in {fix.file}: {fix.line}" for fix in item.instead]
    return lines
