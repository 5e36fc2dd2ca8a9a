"""Named people: canonical full name, aliases, the role the article states, and every mention.

Rules of English news writing, not per-article patches:
- the fullest form of a name is canonical; a lone surname or first name belongs to the
  full name it shortens, and two full names that share a surname stay two people;
- a role is stated by a title before the name (`NASA Administrator Charles Bolden`,
  `Malaysia's Prime Minister, Najib Razak`) or an apposition after it
  (`Zabihullah Mujahid, the Taliban’s spokesperson,`);
- honorifics (`Dr.`) and titles of address (`Ambassador Burns`) make aliases, not names.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from build_tools.extract.rules import Rules
from build_tools.model import Person, PersonId
from build_tools.textutil import paragraph_number, paragraph_starts, slugify

PRE_TITLE_POS = {"PROPN", "NOUN", "ADJ", "PART", "NUM"}
PRE_TITLE_ADP = {"of", "at", "for", "on", "in"}
NAME_JOINERS = {"-", "bin", "al", "el", "van", "von", "de", "da", "di", "la", "le", "ibn", "abu"}
MAX_ROLE_TOKENS = 24


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


def _name_tokens(ent: Span, rules: Rules) -> Span | None:
    """The name inside a PERSON entity, without honorifics, titles or a possessive."""
    start, end = ent.start, ent.end
    doc = ent.doc
    while start < end and (
        doc[start].lower_ in rules.honorifics
        or doc[start].lower_ in rules.titles
        or doc[start].pos_ in {"DET", "PUNCT"}
    ):
        start += 1
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct):
        end -= 1
    if start == end:
        return None
    name = doc[start:end]
    if not any(t.is_alpha and t.text[0].isupper() for t in name):
        return None
    if any(c.isdigit() or c in "@#/" for c in name.text):
        return None
    if any(t.lower_ in rules.not_name_words for t in name):
        return None
    return name


def _allowed_in_title(token: Token) -> bool:
    if token.pos_ in PRE_TITLE_POS or token.tag_ == "HYPH" or token.text in {"&", "-"}:
        return True
    if token.pos_ == "ADP":
        return token.lower_ in PRE_TITLE_ADP
    if token.pos_ == "DET":
        return token.lower_ == "the" and token.i > 0 and token.doc[token.i - 1].pos_ == "ADP"
    if token.pos_ == "CCONJ":
        return token.i > 0 and token.doc[token.i - 1].pos_ in {"NOUN", "ADJ", "PROPN"}
    return False


def _title_before(doc: Doc, index: int, rules: Rules) -> Span | None:
    """Title phrase that ends right before token `index`: 'US President' in 'US President Barack Obama'."""
    sent_start = doc[index].sent.start if index < len(doc) else 0
    start = index
    while start > sent_start and _allowed_in_title(doc[start - 1]) and index - start < MAX_ROLE_TOKENS:
        start -= 1
    while start < index and (doc[start].pos_ in {"ADP", "DET", "CCONJ", "NUM"} or doc[start].is_punct):
        start += 1  # 'from US President' -> 'US President'; 'One Rohingya' -> 'Rohingya'
    span = doc[start:index]
    if not span or not any(_is_role_word(t, rules) for t in span):
        return None
    return span


def _is_role_word(token: Token, rules: Rules) -> bool:
    return (
        token.lower_ in rules.role_nouns
        or token.lower_ in rules.titles
        or token.lemma_.lower() in rules.role_nouns
    )


def _pre_title(name: Span, rules: Rules, owner: str | None) -> str | None:
    """The title before a name; 'His father X' becomes '<owner>'s father' (owner: the person before)."""
    doc = name.doc
    first = name.start
    while first > 0 and (doc[first - 1].lower_ in rules.honorifics):
        first -= 1
    span = _title_before(doc, first, rules)
    # 'Malaysia's Prime Minister, Najib Razak said', 'Her husband, Jorge Santos,' and an editor's
    # bracketed '[former Museum of Flight CEO] Bonnie Dunbar': the title ends at a comma or bracket.
    if span is None and first >= 2 and doc[first - 1].text in {",", "]", ")"}:
        span = _title_before(doc, first - 1, rules)
        if span is not None and not _starts_clause(span):
            span = None
    if span is None:
        return None
    before = doc[span.start - 1] if span.start else None
    if before is not None and before.tag_ == "PRP$" and owner:
        return f"{owner}'s {span.text}"
    return span.text


def _starts_clause(span: Span) -> bool:
    before = span.doc[span.start - 1] if span.start else None
    return before is None or span.start == span.sent.start or before.is_punct or before.tag_ == "PRP$"


def _affiliation(name: Span) -> str | None:
    """'Professor Cres Eastman of the University of Sydney' -> 'of the University of Sydney'."""
    doc = name.doc
    if name.end + 1 >= len(doc) or doc[name.end].lower_ not in {"of", "from", "at"}:
        return None
    start = name.end + 1
    if doc[start].lower_ == "the" and start + 1 < len(doc):
        start += 1
    if doc[start].ent_type_ != "ORG":
        return None
    end = start + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return doc[name.end : end].text


def _apposition(name: Span, rules: Rules) -> str | None:
    """'Zabihullah Mujahid, the Taliban’s spokesperson,' -> 'the Taliban’s spokesperson'."""
    doc = name.doc
    if name.end + 1 >= len(doc) or doc[name.end].text != ",":
        return None
    for token in name:
        for child in token.children:
            if child.dep_ == "appos" and child.i > name.end:
                return _clean_role(doc[child.left_edge.i : child.right_edge.i + 1], rules)
    # The parser missed it: read up to the next comma when the phrase starts like a role.
    start = name.end + 1
    end = start
    while (
        end < len(doc)
        and doc[end].text not in {",", ".", ";", ":", '"', "“", "”"}
        and not doc[end].is_sent_start
    ):
        end += 1
    phrase = doc[start:end]
    if (
        phrase
        and (phrase[0].pos_ == "DET" or _is_role_word(phrase[0], rules))
        and any(_is_role_word(t, rules) for t in phrase)
    ):
        return _clean_role(phrase, rules)
    return None


def _clean_role(span: Span, rules: Rules) -> str | None:
    tokens = list(span)
    if len(tokens) > MAX_ROLE_TOKENS or any(
        t.tag_ in {"VBD", "VBZ", "VBP"} or t.text in '"“”' for t in tokens
    ):
        return None
    while tokens and tokens[-1].is_punct:
        tokens.pop()
    if not tokens or not any(_is_role_word(t, rules) or t.pos_ in {"NOUN", "PROPN"} for t in tokens):
        return None
    return span.doc[tokens[0].i : tokens[-1].i + 1].text


def _is_subject(span: Span) -> bool:
    return any(t.dep_ in {"nsubj", "nsubjpass"} for t in span) or span.root.dep_ in {"nsubj", "nsubjpass"}


@dataclass
class _Draft:
    name: str
    tokens: tuple[str, ...]
    first_offset: int
    aliases: list[str]
    spans: list[Span]  # every mention, for roles once all people are known


def find_people(doc: Doc, rules: Rules) -> Cast:
    names = [n for ent in doc.ents if ent.label_ == "PERSON" for n in [_name_tokens(ent, rules)] if n]
    drafts: dict[str, _Draft] = {}
    full = [n for n in names if len(n) > 1]
    for name in full:
        _add_full(drafts, name, rules)
    for name in names:
        if len(name) == 1:
            _add_short(drafts, name, rules)
    return _finish(drafts, doc, rules)


def _key(text: str) -> str:
    return " ".join(text.replace("’", "'").split())


def _add_full(drafts: dict[str, _Draft], name: Span, rules: Rules) -> None:
    key = _key(name.text)
    # 'Lamont Hill' shortens 'Marc Lamont Hill'; the longer one wins as canonical.
    target = drafts.get(key) or next(
        (d for d in drafts.values() if _shortens(key, d.name) or _shortens(d.name, key)), None
    )
    if target is None:
        target = drafts[key] = _Draft(key, tuple(key.split()), name.start_char, [], [])
    elif len(key) > len(target.name):
        target.aliases.append(target.name)
        target.name, target.tokens = key, tuple(key.split())
    elif key != target.name:
        target.aliases.append(key)
    _record(target, name, rules)


def _shortens(short: str, full: str) -> bool:
    a, b = short.split(), full.split()
    return len(a) < len(b) and b[-len(a) :] == a


def _add_short(drafts: dict[str, _Draft], name: Span, rules: Rules) -> None:
    word = _key(name.text)
    candidates = [d for d in drafts.values() if word in (d.tokens[-1], d.tokens[0]) or d.name == word]
    if not candidates:
        if not _titled(name, rules):
            return  # a lone word never given in full is too weak (ships, deities, brands)
        drafts[word] = _Draft(word, (word,), name.start_char, [], [])
        candidates = [drafts[word]]
    # A surname means the person introduced first under it: news names the protagonist
    # first, and a relative who shares the surname is then given in full.
    target = min(candidates, key=lambda d: (d.tokens[-1] != word, d.first_offset))
    if word != target.name:
        target.aliases.append(word)
    _record(target, name, rules)


def _titled(name: Span, rules: Rules) -> bool:
    prev = name.doc[name.start - 1] if name.start else None
    return prev is not None and (prev.lower_ in rules.titles or prev.lower_ in rules.honorifics)


def _record(draft: _Draft, name: Span, rules: Rules) -> None:
    doc = name.doc
    prev = doc[name.start - 1] if name.start else None
    if prev is not None and (
        prev.lower_ in rules.honorifics or (len(name) == 1 and prev.lower_ in rules.titles)
    ):
        draft.aliases.append(f"{prev.text} {name.text}")
    draft.spans.append(name)


def _roles(draft: _Draft, rules: Rules, owner_at: dict[int, str]) -> str | None:
    """Every role the article states at a full mention, in order, joined by '; '."""
    roles: list[str] = []
    for name in draft.spans:
        if len(name) > 1:
            owner = owner_at.get(name.start_char)
            title = " ".join(r for r in (_pre_title(name, rules, owner), _affiliation(name)) if r)
            role = ", ".join(r for r in (title, _apposition(name, rules)) if r)
            if role and role not in roles:
                roles.append(role)
    return "; ".join(roles) or None


def _owners(drafts: list[_Draft]) -> dict[int, str]:
    """For each mention, the person mentioned just before it: whose 'his' or 'her' a title has."""
    spans = sorted((s.start_char, d.name) for d in drafts for s in d.spans)
    return {start: prev for (_, prev), (start, name) in itertools.pairwise(spans) if prev != name}


def _finish(drafts: dict[str, _Draft], doc: Doc, rules: Rules) -> Cast:
    people, mentions = [], []
    ordered = sorted(drafts.values(), key=lambda d: d.first_offset)
    owner_at = _owners(ordered)
    starts = paragraph_starts(doc.text)
    for draft in ordered:
        person_id = PersonId(slugify(draft.name))
        aliases = tuple(dict.fromkeys(a for a in draft.aliases if a != draft.name))
        paragraph = paragraph_number(starts, draft.first_offset)
        people.append(Person(person_id, draft.name, _roles(draft, rules, owner_at), aliases, paragraph))
        mentions += [
            Mention(person_id, s.start_char, s.end_char, s.text, _is_subject(s)) for s in draft.spans
        ]
    return Cast(tuple(people), tuple(sorted(mentions, key=lambda m: m.start)))
