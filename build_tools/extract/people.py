"""Named people: canonical full name, aliases, roles, and every mention.

Rules of English news writing, not per-article patches:
- the fullest form of a name is canonical; a shorter form that ends it (`Lamont Hill`), that
  drops a middle name (`Aretha Franklin` for `Aretha Louise Franklin`) or that is its first or
  last word belongs to it; two full names that share a surname stay two people;
- a lone surname means the person introduced first under it (news names the protagonist
  first, and a relative who shares the surname is then given in full);
- a single word that is one letter away from a known surname of five letters or more is a
  misspelling of it (`Mauer` for `Maurer`), not a new person;
- honorifics (`Dr.`) and titles of address (`Ambassador Burns`) make aliases, not names.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from build_tools import patterns
from build_tools.extract.names import JOINERS, NameFinder
from build_tools.extract.roles import RoleReader, join_roles
from build_tools.extract.rules import Rules
from build_tools.model import Person, PersonId
from build_tools.textutil import paragraph_number, paragraph_starts, slugify

MIN_MISSPELT = 5  # shorter surnames are too often other real names one letter away
MAX_FORM_TOKENS = 8  # tokens of a name form: `Humam Khalil Abu-Mulal al-Balawi` is seven
OWNER_LOOKBACK = 12  # mentions looked back for a possessive's owner: bounded, so people stay linear


@dataclass(frozen=True)
class Mention:
    person: PersonId
    start: int  # character offsets in the article text
    end: int
    text: str
    subject: bool  # the grammatical subject of its clause


@dataclass(frozen=True)
class Cast:
    people: tuple[Person, ...]
    mentions: tuple[Mention, ...]

    def by_id(self, person_id: PersonId) -> Person | None:
        return next((p for p in self.people if p.id == person_id), None)


@dataclass(eq=False)  # compared and hashed by identity: a draft is one person being assembled
class _Draft:
    name: str
    first_offset: int
    aliases: list[str] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)

    @property
    def tokens(self) -> list[str]:
        return self.name.split()


def _key(text: str) -> str:
    return " ".join(text.replace("’", "'").split())


def same_person(short: str, full: str) -> bool:
    """`Lamont Hill` ends `Marc Lamont Hill`; `Aretha Franklin` drops the middle name of
    `Aretha Louise Franklin`."""
    a, b = short.casefold().split(), full.casefold().split()
    if len(a) >= len(b):
        return a == b
    return b[-len(a) :] == a or (len(a) == 2 and len(b) > 2 and a[0] == b[0] and a[1] == b[-1])


def _deletions(word: str) -> set[str]:
    """The word and every form with one letter removed: two words one edit apart share one."""
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


class _Grouping:
    """Mentions grouped into people, with indexes by first and last word (linear in the names)."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.drafts: dict[str, _Draft] = {}
        self._by_word: dict[str, list[_Draft]] = {}  # first and last words, case-folded
        self._by_deletion: dict[str, list[_Draft]] = {}  # surnames of full names, for misspellings

    def _index(self, draft: _Draft) -> None:
        for word in {draft.tokens[0].casefold(), draft.tokens[-1].casefold()}:
            if draft not in self._by_word.setdefault(word, []):
                self._by_word[word].append(draft)
        surname = draft.tokens[-1].casefold()
        if len(draft.tokens) > 1 and len(surname) >= MIN_MISSPELT:
            for form in _deletions(surname):
                if draft not in self._by_deletion.setdefault(form, []):
                    self._by_deletion[form].append(draft)

    def add_full(self, name: Span) -> None:
        key = _key(name.text)
        last = key.split()[-1].casefold()
        target = self.drafts.get(key) or next(
            (d for d in self._by_word.get(last, []) if same_person(key, d.name) or same_person(d.name, key)),
            None,
        )
        if target is None:
            target = self.drafts[key] = _Draft(key, name.start_char)
        elif len(key.split()) > len(target.tokens) and same_person(target.name, key):
            target.aliases.append(target.name)
            target.name = key
        elif key != target.name:
            target.aliases.append(key)
        self._index(target)
        self._record(target, name)

    def add_short(self, name: Span, *, introduced: bool) -> None:
        word = _key(name.text)
        fold = word.casefold()
        candidates = list(self._by_word.get(fold, []))
        if not candidates and len(word) >= MIN_MISSPELT:
            candidates = list(
                dict.fromkeys(d for form in _deletions(fold) for d in self._by_deletion.get(form, []))
            )
        if not candidates:
            if not introduced:
                return  # a lone word the model calls a name, never given in full: too weak
            self.drafts[word] = _Draft(word, name.start_char)
            self._index(self.drafts[word])
            candidates = [self.drafts[word]]
        target = min(candidates, key=lambda d: (d.tokens[-1].casefold() != fold, d.first_offset))
        if word != target.name:
            target.aliases.append(word)
        self._record(target, name)

    def _record(self, draft: _Draft, name: Span) -> None:
        doc, rules = name.doc, self.rules
        prev = doc[name.start - 1] if name.start else None
        if prev is not None and (
            prev.lower_ in rules.honorifics or (len(name) == 1 and prev.lower_ in rules.titles)
        ):
            draft.aliases.append(f"{prev.text} {name.text}")
        draft.spans.append(name)


def _is_subject(span: Span) -> bool:
    return any(t.dep_ in {"nsubj", "nsubjpass"} for t in span) or span.root.dep_ in {"nsubj", "nsubjpass"}


def _introduced(name: Span, rules: Rules, by_rule: set[int]) -> bool:
    """A lone word that the text itself presents as a person, not only the model."""
    prev = name.doc[name.start - 1] if name.start else None
    titled = prev is not None and (prev.lower_ in rules.titles or prev.lower_ in rules.honorifics)
    return titled or name.start in by_rule


def find_people(doc: Doc, rules: Rules, blocked: set[int] | None = None) -> Cast:
    """`blocked`: tokens of names that are organisations or places by their head word."""
    finder = NameFinder(doc, rules, rules.reporting_verbs, blocked or set())
    names = finder.find()
    grouping = _Grouping(rules)
    for name in names:
        if len(name) > 1:
            grouping.add_full(name)
    for name in names:
        if len(name) == 1:
            grouping.add_short(name, introduced=_introduced(name, rules, finder.by_rule))
    names += _later_mentions(doc, grouping.drafts, names, blocked or set())
    _merge_aliases(grouping.drafts, rules)
    return _finish(grouping.drafts, doc, rules, sorted(names, key=lambda n: n.start))


def _merge_aliases(drafts: dict[str, _Draft], rules: Rules) -> None:
    """`X posted under the name Y`, `X, also known as Y,`: Y is another name of X, so Y's
    draft joins X's (once every mention is known, since X may be named by surname only)."""
    for key, draft in list(drafts.items()):
        if not draft.spans:
            continue
        name = min(draft.spans, key=lambda s: s.start)
        owner = _alias_owner(name, drafts, rules)
        if owner is not None and owner is not draft:
            owner.aliases += [draft.name, *draft.aliases]
            owner.spans += draft.spans
            del drafts[key]


def _alias_owner(name: Span, drafts: dict[str, _Draft], rules: Rules) -> _Draft | None:
    before = " ".join(t.lower_ for t in name.doc[max(0, name.start - 4) : name.start])
    if not any(before == m or before.endswith(f" {m}") for m in rules.alias_markers):
        return None
    verb = name.root
    while verb.pos_ not in {"VERB", "AUX"} and verb.head.i != verb.i:
        verb = verb.head
    subject = verb.head if verb.dep_ == "acl" else None  # `X, known as Y`
    subject = subject or next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    if subject is None:
        return None
    return next((d for d in drafts.values() if any(s.start <= subject.i < s.end for s in d.spans)), None)


def _name_like(word: str) -> bool:
    """Capitalised, or a particle and a capitalised name: `al-Megrahi`."""
    head, _, tail = word.partition("-")
    return word[:1].isupper() or (head.lower() in JOINERS and tail[:1].isupper())


def _later_mentions(doc: Doc, drafts: dict[str, _Draft], names: list[Span], blocked: set[int]) -> list[Span]:
    """Every other place the text uses a form of a known person's name (`Adele was in tears`,
    `Miliband said`): once the article has introduced a person, the same name, or the surname
    of a full name, means that person again. A surname two people share means the first."""
    forms: dict[str, _Draft] = {}
    for draft in sorted(drafts.values(), key=lambda d: -d.first_offset):  # the first introduced wins
        surname = [draft.tokens[-1]] if len(draft.tokens) > 1 else []
        for form in (draft.name, *draft.aliases, *surname):
            if form and all(_name_like(w) for w in form.split()):
                forms[form] = draft
    taken = {i for n in names for i in range(n.start, n.end)} | blocked
    index = _FormIndex(doc, forms)
    found: list[Span] = []
    i = 0
    while i < len(doc):
        match = index.at(i) if i not in taken and _starts_name(doc, i) else None
        if match is None or any(j in taken for j in range(match.start, match.end)):
            i += 1
            continue
        forms[match.text].spans.append(match)
        found.append(match)
        i = match.end
    return found


def _starts_name(doc: Doc, i: int) -> bool:
    return i == 0 or not doc[i - 1].text[:1].isupper() or bool(doc[i - 1].is_sent_start)


class _FormIndex:
    """Known name forms by their first token, matched against the text without building spans
    (every token is a candidate start, so this runs once per token of the article)."""

    def __init__(self, doc: Doc, forms: dict[str, _Draft]) -> None:
        self.doc = doc
        self.texts = [t.text for t in doc]
        self.spaces = [t.whitespace_ for t in doc]
        self.caps = [t.text[:1].isupper() and t.pos_ == "PROPN" for t in doc]
        self.by_first: dict[str, set[str]] = {}
        for form in forms:
            first = patterns.FIRST_TOKEN.match(form)
            if first:
                self.by_first.setdefault(first.group(), set()).add(form)

    def at(self, i: int) -> Span | None:
        """The longest known form that starts at token i and is not part of a longer name."""
        candidates = self.by_first.get(self.texts[i])
        if not candidates:
            return None
        text, best = "", None
        for size in range(1, min(MAX_FORM_TOKENS, len(self.texts) - i) + 1):
            text += self.texts[i + size - 1]
            end = i + size
            if text in candidates and not (end < len(self.texts) and self.caps[end]):
                best = end
            text += self.spaces[i + size - 1]
        return self.doc[i:best] if best is not None else None


def _owners(drafts: list[_Draft], rules: Rules) -> dict[int, str]:
    """For each mention, the person a possessive or a kinship word before it points to.

    The nearest earlier subject in the same or the two sentences before, else the nearest
    earlier person: `Aretha Franklin is survived by sons A and B`, `Sarah Brady … her son Scott`.
    `her` and `his` skip a person the text gives the other gender (`Ms.`, `spokeswoman`).
    """
    genders = {d.name: _gender(d, rules) for d in drafts}
    spans = sorted(((s, d.name) for d in drafts for s in d.spans), key=lambda x: x[0].start)
    owners: dict[int, str] = {}
    for i, (span, name) in enumerate(spans):
        window = _sentence_back(span, 2)
        wanted = _possessive_gender(span)
        nearest: str | None = None
        for earlier, other in reversed(spans[max(0, i - OWNER_LOOKBACK) : i]):
            if earlier.sent.start < window:
                break
            if other == name or (wanted and genders[other] not in {None, wanted}):
                continue
            nearest = nearest or other
            if _is_subject(earlier):
                nearest = other
                break
        if nearest:
            owners[span.start_char] = nearest
    return owners


def _gender(draft: _Draft, rules: Rules) -> str | None:
    words = {w.strip(".,").lower() for form in (draft.name, *draft.aliases) for w in form.split()}
    if words & rules.male_words:
        return "male"
    return "female" if words & rules.female_words else None


def _possessive_gender(span: Span) -> str | None:
    """`her husband, Mark Kelly`, `his son Paul`: the gender of the owner the pronoun names."""
    doc = span.doc
    for token in reversed(doc[max(span.sent.start, span.start - 5) : span.start]):
        if token.tag_ == "PRP$":
            return {"her": "female", "his": "male"}.get(token.lower_)
    return None


def _sentence_back(span: Span, count: int) -> int:
    sent = span.sent
    for _ in range(count):
        if sent.start == 0:
            break
        sent = span.doc[sent.start - 1].sent
    return sent.start


def _inherited(reader: RoleReader, names: list[Span], owner_at: dict[int, str]) -> dict[int, str]:
    """A title before the first name of a list belongs to every name of the list."""
    inherited: dict[int, str] = {}
    for name in names:
        title = reader.pre_title(name)
        text = reader.title_text(title, owner_at.get(name.start_char)) if title is not None else None
        example = reader.example_of(name)
        if example is not None:
            inherited[name.start] = f"{text}, {example}" if text else example
            text = example
        if text is None:
            continue
        for member in reader.list_members(name):
            inherited.setdefault(member.start, text)
    return inherited


def _finish(drafts: dict[str, _Draft], doc: Doc, rules: Rules, names: list[Span]) -> Cast:
    people, mentions = [], []
    ordered = sorted(drafts.values(), key=lambda d: d.first_offset)
    owner_at = _owners(ordered, rules)
    reader = RoleReader(doc, rules, names)
    inherited = _inherited(reader, names, owner_at)
    starts = paragraph_starts(doc.text)
    for draft in ordered:
        person_id = PersonId(slugify(draft.name))
        aliases = tuple(dict.fromkeys(a for a in draft.aliases if a != draft.name))
        roles = [
            r
            for span in draft.spans
            for r in reader.roles(span, owner_at.get(span.start_char), inherited.get(span.start))
        ]
        paragraph = paragraph_number(starts, draft.first_offset)
        people.append(Person(person_id, draft.name, join_roles(roles), aliases, paragraph))
        mentions += [
            Mention(person_id, s.start_char, s.end_char, s.text, _is_subject(s)) for s in draft.spans
        ]
    return Cast(tuple(people), tuple(sorted(mentions, key=lambda m: m.start)))
