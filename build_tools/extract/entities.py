"""Organisations and places: the model's entities, corrected by the rules of how news names them.

- A capitalised name whose head word is an organisation's (`Foundation`, `Municipality of …`,
  `Council on …`) is an organisation; one whose head is a facility's (`Station`, `Prison`,
  `Space Center`) is a place; one whose head names an award, an event, a law or a work
  (`Award`, `Championship`, `Act`, `Scale`) is neither, whatever the model says.
- `Full Name (ABBR)` and `ABBR (Full Name)` define an abbreviation: both are listed, as one
  entity, and a later `ABBR` is that entity.
- A demonym before an armed force is a body of its own (`Indonesian military`).
- An owned body keeps its owner: `Israel's Foreign Ministry`, `Los Angeles Sheriff's office`.
- Nothing that is part of a person's name is an organisation or place (`Bruno Mars`); nor a
  place inside an organisation's name (`University of North Carolina at Greensboro`); nor
  a single generic word (`State`, `Court`), a mission code (`STS-134`), a heavenly body, a
  religion or a disease; nor a thing the text calls a song, a ship or a product.
Variants of one name (`United States`, `U.S.`) are kept together under one entity.
"""

from __future__ import annotations

import functools
import string
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from spacy.tokens import Doc, Span, Token

from build_tools import patterns
from build_tools.extract.names import next_in_list
from build_tools.extract.rules import Rules
from build_tools.model import Dateline, Entity, EntityKind
from build_tools.textutil import paragraph_number, paragraph_starts

Head = Literal["organization", "place", "thing"]
ENTITY_HEADS = ("organization", "place")
LABELS: dict[str, EntityKind] = {"ORG": "organization", "GPE": "place", "LOC": "place", "FAC": "place"}
# A name the model found, of any of those kinds or a person: inside a quote, only such a run is a name.
NAMED = frozenset({*LABELS, "PERSON"})
AFFILIATION_WORDS = frozenset({"of", "from", "at", "for"})  # `X of the Neo Democrats`, `an analyst at BGC`
# Small words inside a name: "Council on American-Islamic Relations", "Center to Prevent Gun Violence".
CONNECTORS = frozenset(
    {
        "of",
        "for",
        "on",
        "at",
        "and",
        "&",
        "the",
        "de",
        "di",
        "du",
        "des",
        "del",
        "la",
        "le",
        "sans",
        "y",
        "to",
    }
)
CORPORATE = {"inc", "ltd", "llc", "plc", "corp", "co"}  # after a comma, part of a company's name
# The last word of a company's legal name, whose first word alone is the company: `Concordia`.
COMPANY_WORDS = {"corporation", "company", "incorporated", "limited", "group", "holdings", "ag", "sa", "nv"}
SEGMENT_BREAKS = {"of", "for", "on", "at", "to", "de", "di", "du", "des", "del"}  # the head ends before these
MAX_NAME_CHARS = 120  # the longest organisation names run to about 90 characters
NAMED_ALONE_LOOKS = 50  # places a name is looked for elsewhere (_named_alone)
MAX_RUN = 16  # tokens: `Smithsonian's National Air and Space Museum Steven F. Udvar-Hazy Center`
MAX_PHRASES = 2  # `Political Office of the Islamic Emirate of Afghanistan`
NAME_POS = {"PROPN", "NOUN", "ADJ", "NUM", "X"}
PREFIXES = {"pro", "anti", "ex", "non", "near", "then"}  # `pro-Beijing`: the name is `Beijing`


@dataclass(frozen=True)
class Found:
    """One mention of an organisation or place, in tokens."""

    start: int
    end: int
    kind: EntityKind
    text: str


def clean_name(ent: Span) -> str:
    tokens = list(ent)
    while tokens and (tokens[0].lower_ == "the" or tokens[0].is_punct or tokens[0].lower_ in PREFIXES):
        tokens = tokens[1:]  # 'the United States' -> 'United States'; 'The Straits Times' keeps
    while tokens and (tokens[-1].is_punct or tokens[-1].tag_ == "POS" or tokens[-1].is_lower):
        tokens = tokens[:-1]  # `Detroit Walk to`: a name ends with a capitalised word
    if not tokens:
        return ""
    text = ent.doc[tokens[0].i : tokens[-1].i + 1].text
    if (
        ent[0].lower_ == "the"
        and ent[0].text == "The"
        and ent.label_ == "ORG"
        and ent.start > 0
        and not ent.doc[ent.start - 1].is_sent_end
        and not ent[0].is_sent_start
    ):
        return "The " + text  # a capital 'The' mid-sentence is part of the name
    return text


def _company_word(word: str) -> bool:
    return word.lower().rstrip(".") in CORPORATE | COMPANY_WORDS


def _describes_before(name: Token, noun: Token) -> bool:
    """`Sagent, an Illinois-based specialty drug company`: a common noun with an article, set off
    by a comma right after the name, in apposition to it."""
    doc = name.doc
    article = next((c for c in noun.children if c.dep_ == "det" and c.lower_ in {"a", "an", "the"}), None)
    return (
        noun.dep_ == "appos"
        and noun.is_lower
        and noun.pos_ == "NOUN"
        and article is not None
        and name.i + 2 < len(doc)
        and doc[name.i + 1].text == ","
        and article.i == name.i + 2
    )


def _before_comma(token: Token) -> int:
    """The token before the comma that opens the name `token` ends: `nursery` in `nursery, Little
    Acorns`; -1 when no comma comes right before the name."""
    i = token.left_edge.i
    return i - 2 if i >= 2 and token.doc[i - 1].text == "," else -1


def _cap(token: Token) -> bool:
    return token.text[:1].isupper() or (token.text[:1].isdigit() and token.i > 0)


class EntityFinder:
    def __init__(
        self,
        doc: Doc,
        rules: Rules,
        in_quote: Callable[[int], bool] = lambda _: False,
        dateline: Dateline | None = None,
    ) -> None:
        self.doc, self.rules, self.in_quote, self.dateline = doc, rules, in_quote, dateline
        self._described: list[Found] | None = None
        self.defined_as_words: set[str] = set()  # abbreviations of lower-case words: not names
        self._runs: list[tuple[Found | None, int, int]] | None = None
        self._at_word: dict[str, list[int]] | None = None  # token text -> its indices (_named_alone)
        self._alone = Counter(t.text for t in doc if t.ent_type_ in {"", "PERSON"} and t.pos_ == "PROPN")

    # -- names with a head word ------------------------------------------------------
    def _run_end(self, start: int) -> int:
        """End of a capitalised name from `start`: words, glued hyphen pieces, inner connectors
        (`of`, `for`, `and`, `&`, `de`), at most one `of`/`for`/`on` phrase, a possessive only
        before a body's head (`Smithsonian's National Air and Space Museum`), and `at` only
        before a single place (`University of North Carolina at Greensboro`)."""
        doc, end, phrases = self.doc, start, 0
        while end < len(doc) and end - start < MAX_RUN:
            token = doc[end]
            glued = end > start and not doc[end - 1].whitespace_
            if token.ent_type_ in {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT"}:
                break
            word = _cap(token) and token.tag_ != "POS"
            hyphenated = glued and (token.text == "-" or doc[end - 1].text == "-")
            if word or hyphenated or (token.tag_ == "POS" and self._body_follows(end + 1)):
                end += 1
            elif (
                token.text == ","
                and end > start
                and end + 1 < len(doc)
                and doc[end + 1].lower_.rstrip(".") in CORPORATE
            ):
                end += 2  # `Handgun Control, Inc.`
                break
            elif token.lower_ == "to" and not (
                end + 1 < len(doc) and _cap(doc[end + 1]) and self._word_kind(doc[end - 1]) == "organization"
            ):
                break  # `to` joins a body's name to its purpose: `Center to Prevent Gun Violence`
            elif (
                token.lower_ in CONNECTORS
                and end > start
                and end + 1 < len(doc)
                and self._continues(end, phrases)
            ):
                phrases += token.lower_ in SEGMENT_BREAKS
                end += 1
            else:
                break
        while end > start and (doc[end - 1].lower_ in CONNECTORS or doc[end - 1].tag_ == "POS"):
            end -= 1
        return end

    def _continues(self, i: int, phrases: int) -> bool:
        doc, word = self.doc, self.doc[i].lower_
        nxt = doc[i + 1]
        if nxt.lower_ == "the" and i + 2 < len(doc):
            nxt = doc[i + 2]
        if not _cap(nxt) or nxt.like_num or (word in SEGMENT_BREAKS and phrases >= MAX_PHRASES):
            return False
        if word in SEGMENT_BREAKS and phrases >= 1 and doc[i + 1].lower_ == "the":
            return False  # `University of Sheffield of the UK`: the country is not part of the name
        if patterns.MISSION_CODE.match(nxt.text):
            return False  # `Kennedy Space Center on STS-1`
        if word == "on":  # `Council on American-Islamic Relations`; not `Scientology on French television`
            return self._word_kind(doc[i - 1]) == "organization"
        if (
            word == "at"
        ):  # `… at Greensboro`, `… at Chapel Hill` are part of a campus's name; `… at USI` is not
            return nxt.ent_type_ in {"GPE", "LOC"} and nxt.ent_iob_ == "B"
        return not (word == "and" and doc[i + 1].lower_ == "the")  # `X and the Y`: two names

    def _body_follows(self, i: int) -> bool:
        """After a possessive, a capitalised run that ends in an organisation's or a facility's head."""
        doc, j = self.doc, i
        while j < len(doc) and j - i < MAX_RUN and (_cap(doc[j]) or doc[j].lower_ in {"and", "&"}):
            j += 1
        return any(self._word_kind(t) in ENTITY_HEADS for t in doc[i:j])

    def _head_kind(self, span: Span, *, whole: bool = False) -> Head | None:
        """organization or place by the head word; "thing" for a head that names neither (an
        award, an event, a law, a vehicle); None when the name has no head word we know.
        The head is the last word of the name before its first `of`/`for`/`on`/`to` phrase
        (`Doctor Who Society of Canada`, `Center to Prevent Gun Violence`; `Chapel Hill` has
        none), and a word naming a thing makes a thing wherever it stands (`Fan Expo Canada`)."""
        words: list[Token] = []
        for token in span:
            if token.lower_ in SEGMENT_BREAKS and token.i > span.start and not whole:
                break
            if token.text[:1].isupper() and token.text[:1].isalpha() and len(token.text) > 1:
                words.append(token)
        if any(self._word_kind(t) == "thing" for t in words):
            return "thing"
        kinds = [(t, k) for t in words if (k := self._word_kind(t)) is not None]
        head = kinds[-1] if kinds and (kinds[-1][0] is words[-1] or whole) else None
        if head is None:
            return None
        if any(t.lower_ in self.rules.vehicle_words for t in span):
            return "thing"  # `Space Shuttle Program`, `Space Shuttle Enterprise`
        token, kind = head
        if kind == "place":
            after = span.doc[token.i + 1] if token.i + 1 < len(span.doc) else None
            return "organization" if after is not None and after.lower_ in {"for", "on"} else "place"
        return kind

    def _word_kind(self, token: Token) -> Head | None:
        rules, word, lemma = self.rules, token.lower_, token.lemma_.lower()
        if not token.is_alpha and "-" in word:
            word = lemma = word.split("-")[0]  # `Facility-1`
        if word in rules.non_entity_heads or lemma in rules.non_entity_heads or word in rules.thing_nouns:
            return "thing"
        before = token.doc[token.i - 1].lower_ if token.i else ""
        if word in rules.facility_heads or f"{before} {word}" in rules.facility_heads:
            return "place"
        if word in rules.org_heads or lemma in rules.org_heads:
            return "organization"
        return None

    def head_runs(self) -> list[tuple[Found | None, int, int]]:
        """Capitalised names with a head word: (found or None for a non-entity, start, end)."""
        if self._runs is None:
            self._runs = self._head_runs()
        return self._runs

    def _head_runs(self) -> list[tuple[Found | None, int, int]]:
        doc, i = self.doc, 0
        out: list[tuple[Found | None, int, int]] = []
        while i < len(doc):
            if not _cap(doc[i]) or (i > 0 and _cap(doc[i - 1]) and doc[i - 1].tag_ != "POS"):
                i += 1
                continue
            end = self._run_end(i)
            start = i
            while start < end and (
                (doc[start].pos_ not in NAME_POS and doc[start].whitespace_)
                or doc[start].lower_ in CONNECTORS
                or not any(c.isalpha() for c in doc[start].text)
            ):
                start += 1  # `In the Metro Toronto Convention Centre`: a sentence's first word is not a name
            if (
                start > 1
                and doc[start - 1].text == "-"
                and doc[start - 2].lower_ in PREFIXES
                and start + 1 < end
            ):
                start += 1  # `pro-Beijing New People Party`: Beijing is what the party is for
            end = self._without_name_tail(start, end)
            for a, b in self._split(start, end):
                title = next(
                    (t.i for t in doc[a + 1 : b] if t.lower_ in self.rules.titles and t.i + 1 < b), None
                )
                if title is not None:
                    b = title  # `Health Secretary Joan Park`, `Orbis Inc Chief Executive Ian Pell`:
                    # a title inside, a person after it, and perhaps the body whose title it is before it
                if b - a < 2:
                    continue  # one word is a kind of body, not its name: `Police closed the road`
                if self.in_quote(doc[a].idx) and not any(t.ent_type_ in NAMED for t in doc[a:b]):
                    continue  # a quoted title: `titled "Protest Against the Church"`
                kind = self._head_kind(doc[a:b])
                titled = doc[a].lower_ in self.rules.titles or doc[a].lower_ in self.rules.honorifics
                if kind == "thing" and not titled:  # `President Bill Clinton` is a person, not a bill
                    out.append((None, a, b))
                elif kind == "organization" or kind == "place":
                    named = self._without_roles(doc[a:b])  # `Museum of Flight CEO`
                    if named is not None:
                        out.append((Found(named.start, named.end, kind, named.text), a, b))
            i = max(end, i + 1)
        return out

    def _without_name_tail(self, start: int, end: int) -> int:
        """`University of Texas Arlington Amneh Jafari heard`: a person's name glued to the end
        of an organisation's name, shown by the surname standing alone elsewhere or by a
        reporting verb right after it."""
        doc = self.doc
        after = doc[end] if end < len(doc) else None
        speaks = (
            after is not None and after.pos_ == "VERB" and after.lemma_.lower() in self.rules.reporting_verbs
        )
        for size in (2, 3):
            a = end - size
            if a <= start + 1 or not all(t.pos_ == "PROPN" and t.is_title for t in doc[a:end]):
                continue
            if doc[a - 1].lower_ in CONNECTORS or self._head_kind(doc[a:end]) is not None:
                continue
            if speaks or self._alone[doc[end - 1].text] > 0:
                return a
        return end

    def _split(self, start: int, end: int) -> list[tuple[int, int]]:
        """Two names in one run, (start, end) of each:
        - side by side, each with its head: `National Air and Space Museum Steven F. Udvar-Hazy
          Center` (not `Memorial Hall Station`, whose heads make one name);
        - joined by `at`, each with its own head: `Museum of Art at Northwestern University`;
        - joined by `and` when neither side has a head (`Best Buy and Circuit City`) or each is a
          whole name with its head (`Massachusetts Institute of Technology and Colorado State
          University`; `Tang Teaching Museum and Art Gallery` is one), or the right side is
          named alone elsewhere in the article."""
        doc = self.doc
        for i in range(start + 1, end - 1):
            if (
                self._word_kind(doc[i]) in ENTITY_HEADS
                and doc[i + 1].lower_ not in CONNECTORS | {"-"}
                and self._word_kind(doc[i + 1]) is None
                and doc[i + 1].tag_ != "POS"
                and self._head_kind(doc[i + 1 : end]) in ENTITY_HEADS
            ):
                return [*self._split(start, i + 1), *self._split(i + 1, end)]
            word = doc[i].lower_
            if word not in {"at", "and"}:
                continue
            left, right = self._head_kind(doc[start:i]), self._head_kind(doc[i + 1 : end])
            both = left in ENTITY_HEADS and right in ENTITY_HEADS
            # a whole name on the right starts with its own words, not a head (`Campaign and Center to …`)
            whole = end - (i + 1) >= 3 and i - start >= 2 and self._word_kind(doc[i + 1]) is None
            # `Democratic Party and Tanya Chan of the Civic Party`: after `and`, no head before
            # the next `of`: the right side does not go on with the left's name.
            later = self._head_kind(doc[i + 1 : end], whole=True)
            unheaded = left in ENTITY_HEADS and right is None and later is not None
            # `Conservatives and Liberal Democrats`: parties named in the plural are two
            plural = both and doc[i - 1].tag_ == "NNPS"
            # `University of South Australia and Deakin University`, with Deakin University alone later
            alone = both and self._named_alone(i + 1, end)
            joined = (left is None and right is None) or (both and (whole or alone)) or unheaded or plural
            if (word == "at" and both) or (word == "and" and joined):
                after = i + 2 if doc[i + 1].lower_ == "the" else i + 1
                return [*self._split(start, i), *self._split(after, end)]
        return [(start, end)]

    def _named_alone(self, start: int, end: int) -> bool:
        """Whether the words doc[start:end] also stand somewhere not right after `and`. At most
        NAMED_ALONE_LOOKS places are looked at, so a text repeating one word stays linear."""
        doc = self.doc
        if self._at_word is None:
            self._at_word = {}
            for token in doc:
                self._at_word.setdefault(token.text, []).append(token.i)
        words = [t.text for t in doc[start:end]]
        for at in self._at_word.get(words[0], [])[:NAMED_ALONE_LOOKS]:
            same = at + len(words) <= len(doc) and [t.text for t in doc[at : at + len(words)]] == words
            if same and at != start and (at == 0 or doc[at - 1].lower_ != "and"):
                return True
        return False

    # -- abbreviations ---------------------------------------------------------------
    def abbreviations(self) -> list[tuple[Span, Span]]:
        """(full name, abbreviation) pairs defined in brackets, either way round."""
        doc, pairs = self.doc, []
        for token in doc:
            if token.text != "(":
                continue
            close = next((t.i for t in doc[token.i + 1 : token.i + 10] if t.text == ")"), None)
            if close is None:
                continue
            inner = doc[token.i + 1 : close]
            if len(inner) == 1 and _abbreviation(inner[0]):  # `Medecins sans Frontieres (MSF)`
                full = self._matching_tail(doc[self._caps_before(token.i) : token.i], inner.text)
                if full is not None:
                    pairs.append((full, inner))
                else:
                    words = doc[max(0, token.i - len(inner.text) - 1) : token.i]
                    lower = self._matching_tail(words, inner.text)
                    if lower is not None and all(t.is_lower for t in lower):
                        self.defined_as_words.add(inner.text)  # `market development funds (MDF)`
            elif (
                token.i > 0
                and _abbreviation(doc[token.i - 1])
                and len(inner) > 1
                and _cap(inner[0])
                and all(_cap(t) or t.lower_ in CONNECTORS for t in inner)
            ):
                pairs.append((inner, doc[token.i - 1 : token.i]))  # `CEI (Italian Episcopal Conference)`
        return pairs

    def _caps_before(self, index: int) -> int:
        doc, start = self.doc, index
        while (
            start > 0
            and index - start < MAX_RUN
            and (_cap(doc[start - 1]) or doc[start - 1].lower_ in CONNECTORS)
        ):
            start -= 1
        return start

    def _matching_tail(self, span: Span, abbr: str) -> Span | None:
        """The shortest tail of span whose letters spell the abbreviation (`Medecins sans Frontieres`)."""
        letters = [c.lower() for c in abbr if c.isalnum()]
        for i in range(len(span) - 1, -1, -1):
            tail = span[i:]
            if tail[0].lower_ in CONNECTORS:
                continue
            if tail[0].text[:1].lower() == letters[0] and _spells(tail.text, letters):
                return tail
        return None

    def blocked(self) -> set[int]:
        """Tokens of names that are organisations, places or things by their head word or an
        abbreviation's definition: no person's name lies inside them."""
        tokens = {i for _, a, b in self.head_runs() for i in range(a, b)} - self.soft_blocked()
        tokens.update(i for f in self.described() for i in range(f.start, f.end))
        for full, abbr in self.abbreviations():
            tokens.update(range(full.start, full.end))
            tokens.update(range(abbr.start, abbr.end))
        tokens.update(self._company_short_names)
        return tokens

    @functools.cached_property
    def _company_short_names(self) -> frozenset[int]:
        """`Harrowgate said` after `Harrowgate Holdings Corp.`: the first word of a company's legal
        name, standing alone, is the company, not a person (read by blocked() and find())."""
        doc = self.doc
        names = [(a, b) for item, a, b in self.head_runs() if item is not None]
        names += [(e.start, e.end) for e in doc.ents if e.label_ == "ORG"]
        firsts = {
            doc[a].text
            for a, b in names
            if b - a > 1 and doc[a].pos_ == "PROPN" and _cap(doc[a]) and _company_word(doc[b - 1].text)
        }
        return frozenset(
            t.i
            for t in doc
            if t.text in firsts
            and t.pos_ == "PROPN"
            and not (t.i > 0 and doc[t.i - 1].pos_ == "PROPN")
            and not (t.i + 1 < len(doc) and doc[t.i + 1].pos_ == "PROPN")
        )

    def soft_blocked(self) -> set[int]:
        """Tokens of two-word places by their head (`Lee Park`, `Mark Street`) that the text
        presents as a person: a surname can be a place's word, so a role before the name, a
        reporting verb after it or a description of a person beside it claims them."""
        return {
            i
            for item, a, b in self.head_runs()
            if item is not None
            and item.kind == "place"
            and b - a == 2
            and self.doc[a].ent_type_ in {"PERSON", ""}
            and self._described_as_person(a, b)
            for i in range(a, b)
        }

    def _described_as_person(self, start: int, end: int) -> bool:
        doc, rules = self.doc, self.rules
        before = doc[start - 1] if start else None
        if before is not None and before.lower_ in rules.person_nouns | rules.titles | rules.honorifics:
            return True  # `chief executive Lee Park`
        after = doc[end : end + 6]
        if after and after[0].pos_ == "VERB" and after[0].lemma_.lower() in rules.reporting_verbs:
            return True  # `Lee Park said`
        described = [t for t in after[1:] if t.pos_ not in {"DET", "NUM", "PUNCT"}][:2]
        return (
            bool(after)
            and after[0].text == ","
            and any(t.lemma_.lower() in rules.person_nouns or t.lower_ in rules.titles for t in described)
        )  # `Lee Park, the chief executive of …`, `Lee Park, 42, a teacher`

    # -- every mention ---------------------------------------------------------------
    def mentions(self, people: set[int]) -> tuple[list[Found], dict[str, str]]:
        """Organisation and place mentions, and the canonical full name of each abbreviation."""
        doc, rules = self.doc, self.rules
        found: list[Found] = []
        taken: set[int] = set()
        vetoed: set[int] = set()
        canonical: dict[str, str] = {}

        def add(item: Found) -> None:
            item = self._with_tail(self._without_suffix(item))
            if any(i in taken for i in range(item.start, item.end)):
                return
            taken.update(range(item.start, item.end))
            found.append(item)

        for item in (*self._dateline_places(), *self.described()):
            add(item)
        for full, abbr in self.abbreviations():
            head = self._head_kind(full)
            if head == "thing" or any(i in people for i in range(full.start, full.end)):
                continue
            kind: EntityKind = "place" if head == "place" else "organization"
            canonical[abbr.text] = clean_name(full)
            add(Found(full.start, full.end, kind, clean_name(full)))
            add(Found(abbr.start, abbr.end, kind, abbr.text))
        for run, start, end in self.head_runs():
            if run is None:
                vetoed.update(range(start, end))
            elif not any(i in people for i in range(run.start, run.end)):
                add(self._owned(run))
        for i in sorted(self._company_short_names):
            add(Found(i, i + 1, "organization", doc[i].text))
        for token in doc:
            if token.text in canonical and token.i not in taken:
                kind = next((f.kind for f in found if f.text == canonical[token.text]), "organization")
                add(Found(token.i, token.i + 1, kind, token.text))
        for item in (*self._forces(), *self._publications()):
            add(item)
        for item in self._acronyms(people, taken):
            add(item)
        for ent in doc.ents:
            label = LABELS.get(ent.label_)
            if label is None or any(i in vetoed for i in range(ent.start, ent.end)):
                continue
            if any(i in people for i in range(ent.start, ent.end)):
                continue
            if len(ent) == 1 and ent.text.lower() in rules.generic_words:
                continue  # `Australia's government`: the owner is named, the body is generic
            for part in self._parts(self._glued(ent)):
                named = self._without_roles(_with_owner(part, rules))
                name = clean_name(named) if named is not None else ""
                if named is not None and self._acceptable(named, name):
                    item = Found(named.start, named.end, self._kind(named, label), name)
                    add(self._without_country(self._sited(self._owned(item))))
        for item in (*self._coordinated(found, people, taken), *self._examples(people, taken)):
            add(item)
        for item in (*self._sources(people, taken), *self._affiliations(people, taken)):
            add(item)
        return self._list_kinds(sorted(found, key=lambda f: f.start)), canonical

    def _list_kinds(self, found: list[Found]) -> list[Found]:
        """`Sierra Leone, Liberia, and Guinea`: names listed together are of one kind; one the model
        calls otherwise, with no head word of its own, takes the kind of the rest."""
        doc = self.doc
        by_start = {f.start: f for f in found}
        groups: list[list[Found]] = []
        seen: set[int] = set()
        for item in found:
            if item.start in seen:
                continue
            group, current = [item], item
            while (at := next_in_list(doc, current.end)) is not None and at in by_start:
                current = by_start[at]
                group.append(current)
            seen.update(f.start for f in group)
            if len(group) >= 2:
                groups.append(group)
        # Only towards places: the model calls a country a body now and then (`Sierra Leone`),
        # while a body listed among places is still a body (`AFP, the United Nations and …`).
        changed: dict[int, EntityKind] = {}
        for group in groups:
            places = sum(f.kind == "place" for f in group)
            if places == len(group) - 1:
                for f in group:
                    known = f.text.lower() in self.rules.outlets_lower or f.text.isupper()
                    if f.kind != "place" and not known and self._head_kind(doc[f.start : f.end]) is None:
                        changed[f.start] = "place"
        return [Found(f.start, f.end, changed.get(f.start, f.kind), f.text) for f in found]

    def _examples(self, people: set[int], taken: set[int]) -> list[Found]:
        """`bands such as Duran Duran and The Velvet Underground`, `companies like X`: the names of a
        list of examples of an organisation noun are organisations."""
        doc, out = self.doc, []
        for token in doc:
            if token.lower_ not in {"like", "including", "as"} or token.i + 1 >= len(doc):
                continue
            group = next(
                (
                    t
                    for t in reversed(doc[max(0, token.i - 4) : token.i])
                    if t.tag_ == "NNS" and t.lemma_ in self.rules.org_label_nouns
                ),
                None,
            )
            if group is None:
                continue
            at: int | None = token.i + 1
            while at is not None and at not in taken and at not in people and doc[at].text[:1].isupper():
                end = self._run_end(at)
                if end == at or any(j in people for j in range(at, end)):
                    break
                out.append(Found(at, end, "organization", clean_name(doc[at:end])))
                at = next_in_list(doc, end)
        return out

    def _sources(self, people: set[int], taken: set[int]) -> list[Found]:
        """`according to Billboard`: a source named by one capitalised word that is no person is an
        organisation (a publication, a body)."""
        doc, out = self.doc, []
        for token in doc[:-2]:
            if token.lower_ != "according" or doc[token.i + 1].lower_ != "to":
                continue
            at = token.i + 2
            end = self._run_end(at)
            free = (
                at not in taken and at not in people and doc[at].text.lower() not in self.rules.not_entities
            )
            if end == at + 1 and free and doc[at].pos_ == "PROPN":
                out.append(Found(at, end, "organization", doc[at].text))
        return out

    def _affiliations(self, people: set[int], taken: set[int]) -> list[Found]:
        """`Gary Fan of the Neo Democrats`, `the owner of Trace Canada`, `an analyst at BGC`: a name
        after a person, or a role word, and `of`, `from`, `at` or `for` is the body they belong to,
        unless it is a place or a person."""
        doc, rules, out = self.doc, self.rules, []
        for token in doc[1:-1]:
            before = doc[token.i - 1]
            by_person = token.i - 1 in people or before.lower_ in rules.person_nouns | rules.titles
            if token.lower_ not in AFFILIATION_WORDS or not by_person:
                continue
            start = token.i + 2 if doc[token.i + 1].lower_ == "the" else token.i + 1
            if start >= len(doc) or not _cap(doc[start]) or start in taken or start in people:
                continue
            a, b = self._split(start, self._run_end(start))[0]
            run = doc[a:b]
            if any(i in taken or i in people for i in range(a, b)) or not self._affiliated(run):
                continue
            name = clean_name(run)
            if name and name.lower() not in rules.not_people and self._acceptable(run, name):
                out.append(Found(a, b, "organization", name))
        return out

    def _affiliated(self, run: Span) -> bool:
        """Whether a run after `of`/`at` names a body: not a place, a thing, a person or a date, not
        a modifier of the noun after it (`of the Social Welfare constituency`), and a proper name."""
        doc = self.doc
        after = doc[run.end] if run.end < len(doc) else None
        if after is not None and after.is_lower and after.pos_ == "NOUN":
            return False
        if run[-1].pos_ != "PROPN" or self._head_kind(run) == "thing":
            return False
        if self._head_kind(run) == "place" and not all(t.ent_type_ == "ORG" for t in run):
            return False  # `Trace Canada` is a company when the model says so
        labels = {t.ent_type_ for t in run}
        return not labels & {"GPE", "LOC", "FAC", "PERSON", "DATE"} and not (
            labels == {"NORP"} and len(run) == 1
        )

    def _acronyms(self, people: set[int], taken: set[int]) -> list[Found]:
        """`TEPCO reported`, `Frederick Fung of ADPL`, `RCMP officer X`: an acronym of three to six
        capitals names a body, unless it names a concept or words in lower case, is a title
        (`CEO`), a word (`UNLESS`), a country written that way (rules: variants) or a Roman
        numeral. A few words in capitals are one name: `TWENTY ØNE PILØTS`."""
        doc, rules, out = self.doc, self.rules, []
        i = 0
        while i < len(doc):
            token, text = doc[i], doc[i].text
            capitals = token.is_alpha and token.is_upper and 3 <= len(text) <= 6
            if i in taken or i in people or not capitals:
                i += 1
                continue
            end = i + 1
            while end < len(doc) and doc[end].is_alpha and doc[end].is_upper and len(doc[end]) >= 2:
                end += 1
            if end - i > 1:
                if not any(j in taken or j in people for j in range(i, end)) and not all(
                    t.is_stop for t in doc[i:end]
                ):
                    out.append(Found(i, end, "organization", doc[i:end].text))
                i = end
                continue
            i += 1
            lower = text.lower()
            if patterns.ROMAN_NUMERAL.match(text) or lower in rules.not_entities or token.is_stop:
                continue
            if lower in rules.titles or lower in rules.role_nouns or text in self.defined_as_words:
                continue
            if any(text == c or text in v for c, v in rules.variants) or self._names_concept(token):
                continue
            end = token.i + 1
            while end < len(doc) and doc[end].ent_type_ in {"GPE", "LOC"} and doc[end].text[:1].isupper():
                end += 1  # `UNC Greensboro`, `UC Berkeley`: a campus named by its place
            out.append(Found(token.i, end, "organization", doc[token.i : end].text))
        return out

    def _coordinated(self, found: list[Found], people: set[int], taken: set[int]) -> list[Found]:
        """`Dell, Sony, Toshiba, Gateway, and Hitachi`, `Cloud9 and Immortals`: the names of a list
        are of one kind; a capitalised name in a list of organisations is one too."""
        doc, out = self.doc, []
        by_start = {f.start: f for f in found}
        for item in sorted(found, key=lambda f: f.start):
            i = item.end
            while True:
                at = next_in_list(doc, i)
                if at is None or at in people:
                    break
                if at in by_start:
                    i = by_start[at].end
                    continue
                end = self._run_end(at)
                blocked = any(j in taken or j in people for j in range(at, end))
                if end == at or blocked or not doc[at].text[:1].isupper():
                    break
                name = doc[at:end]
                if self._head_kind(name) == "thing" or name.text.lower() in self.rules.not_entities:
                    break
                new = Found(at, end, item.kind, name.text)
                out.append(new)
                by_start[at] = new
                i = end
        return out

    def _glued(self, ent: Span) -> Span:
        """The model stops at a hyphen: `e Melli` of `Etemad-e Melli`, `A-Wish Foundation`."""
        doc, start = self.doc, ent.start
        if ent.label_ == "ORG" and "," in ent.text:
            while start > 0 and doc[start - 1].pos_ == "PROPN" and not doc[start - 1].ent_type_:
                start -= 1  # `Handgun` of `Handgun Control, Inc.`
        while (
            start >= 2
            and doc[start - 1].text == "-"
            and not doc[start - 2].whitespace_
            and not doc[start - 1].whitespace_
        ):
            start -= 2
        return Span(doc, start, ent.end, label=ent.label_)

    def _parts(self, ent: Span) -> list[Span]:
        """A model entity that holds two names (see `_split`)."""
        return [Span(self.doc, a, b, label=ent.label_) for a, b in self._split(ent.start, ent.end)]

    def _kind(self, ent: Span, label: EntityKind) -> EntityKind:
        """The model's kind, unless the head word says otherwise: a `Station` is a place, a
        `Municipality of …` a body; a weak head (`Union`) does not move a place. An acronym of
        three letters or more without dots names a body (`the JFTC in Japan`); countries
        written so are in rules/entities.yml's variants."""
        if (
            len(ent) == 1
            and ent[0].is_upper
            and "." not in ent.text
            and len(ent.text) >= 3
            and ent[0].is_alpha
        ):
            known = any(ent.text == c or ent.text in v for c, v in self.rules.variants)
            return label if known else "organization"
        head = self._head_kind(ent)
        if head == "place":
            return "place"
        if head == "organization" and not (label == "place" and self._weak_head(ent)):
            return "organization"
        return label

    def _weak_head(self, ent: Span) -> bool:
        return any(t.lower_ in self.rules.weak_org_heads for t in ent)

    def _without_roles(self, ent: Span) -> Span | None:
        """`Co-founder of Google` -> `Google`; `Museum of Flight CEO` -> `Museum of Flight`:
        a person's title run into a name is not part of it."""
        start, end = ent.start, ent.end
        doc, rules = self.doc, self.rules

        def role(token: Token) -> bool:
            return token.lower_ in rules.titles or token.lower_ in rules.role_nouns

        # A leading title only before `of`: `Co-founder of Google`; `Justice Ministry` keeps its word.
        lead = start
        while lead < end and (role(doc[lead]) or doc[lead].text == "-" or doc[lead].lower_ == "co"):
            lead += 1
        if lead > start and lead < end and doc[lead].lower_ == "of":
            start = lead + 1
        trimmed = end
        while trimmed > start and role(doc[trimmed - 1]):
            trimmed -= 1
            if trimmed < end and trimmed > start and doc[trimmed - 1].lower_ in rules.title_modifiers:
                trimmed -= 1  # `White House Press Secretary`: `press secretary` is one title
        if trimmed < end and self._head_kind(doc[start:trimmed]) not in ENTITY_HEADS:
            return None  # `Bandit King`: a nickname, not a body with a title after it
        return Span(doc, start, trimmed, label=ent.label_) if trimmed > start else None

    def _publications(self) -> list[Found]:
        """`Vogue magazine`, `the journal Nature`, `the newspaper Kalameh Sabz`: named by the noun
        beside them as publications."""
        doc, out = self.doc, []
        for token in doc:
            if token.lower_ not in self.rules.org_label_nouns or not token.is_lower:
                continue
            if token.i + 1 < len(doc) and _cap(doc[token.i + 1]) and doc[token.i + 1].text[:1].isalpha():
                start, end = self._split(token.i + 1, self._run_end(token.i + 1))[0]
                out.append(Found(start, end, "organization", doc[start:end].text))
            elif token.i > 0 and doc[token.i - 1].pos_ == "PROPN" and doc[token.i - 1].ent_type_ != "GPE":
                start = token.i - 1
                while start > 0 and token.i - start < 5:
                    before = doc[start - 1]
                    hyphen = (
                        before.text == "-"
                        and not before.whitespace_
                        and start >= 2
                        and not doc[start - 2].whitespace_
                    )
                    if before.pos_ != "PROPN" and not hyphen:
                        break
                    start -= 1  # `Etemad-e Melli newspaper`
                out.append(Found(start, token.i, "organization", doc[start : token.i].text))
        return out

    def described(self) -> list[Found]:
        """Names the text itself calls an organisation or a place with a common noun: `the city
        of Solingen`, `a nearby nursery, Little Acorns,`, `his hometown, Springfield,`. The noun
        decides the kind, whatever the model says."""
        if self._described is None:
            self._described = [f for f in map(self._described_at, self.doc) if f is not None]
        return self._described

    def _described_at(self, token: Token) -> Found | None:
        doc, rules = self.doc, self.rules
        if (
            token.pos_ != "PROPN"
            or not _cap(token)
            or (token.i + 1 < len(doc) and doc[token.i + 1].pos_ == "PROPN")
        ):
            return None  # the last word of a name carries its relation to the noun
        head = token.head
        either = {"organization": rules.org_nouns, "place": rules.place_nouns | rules.facility_heads}
        described_after = next((c for c in token.rights if _describes_before(token, c)), None)
        if token.dep_ == "pobj" and head.lower_ == "of" and head.head.is_lower:
            noun, kinds = head.head, {"place": rules.place_nouns}  # `the city of Solingen`
        elif (
            token.dep_ == "appos" and head.is_lower and head.pos_ == "NOUN" and head.i == _before_comma(token)
        ):
            noun, kinds = head, either
        elif described_after is not None:
            noun, kinds = described_after, either  # `Sagent, an Illinois-based drug company,`
        else:
            return None
        kind = next((k for k, words in kinds.items() if noun.lower_ in words), None)
        if kind is None or noun.tag_ != "NN":
            return None  # one name is one thing: `newspapers, Naoto Kan,`, `countries of the UN`
        start, floor = token.i, (noun.i + 1 if noun.i < token.i else 0)
        while start > floor and doc[start - 1].pos_ == "PROPN" and doc[start - 1].head.i == token.i:
            start -= 1
        name = clean_name(doc[start : token.i + 1])
        return Found(start, token.i + 1, kind, name) if name else None  # type: ignore[arg-type]

    def _dateline_places(self) -> list[Found]:
        """`SPRINGFIELD, Ill. —`: each part of the dateline's place is a place; a part shouted in
        capitals takes the form the body writes it in (`Springfield`), else capitals per word."""
        if self.dateline is None:
            return []
        out, offset = [], 0
        for part in self.dateline.place.split(","):
            start = self.dateline.place.index(part, offset) + len(part) - len(part.lstrip())
            offset = start + len(part.strip())
            span = self.doc.char_span(start, offset, alignment_mode="expand")
            if span is not None and part.strip():
                out.append(Found(span.start, span.end, "place", self._as_written(part.strip())))
        return out

    def _as_written(self, name: str) -> str:
        if not (name.isupper() and len(name) > 2):
            return name
        text, lower = self.doc.text, name.lower()
        at = text.lower().find(lower, len(self.dateline.place) if self.dateline else 0)
        while at != -1:
            if text[at : at + len(name)] != name and not text[at : at + len(name)].isupper():
                return text[at : at + len(name)]
            at = text.lower().find(lower, at + 1)
        return string.capwords(name)

    def _without_suffix(self, item: Found) -> Found:
        """`a Calif.-based company`: the place without the adjective's ending."""
        head, dash, suffix = item.text.rpartition("-")
        if dash and head and suffix.lower() in self.rules.hyphen_suffixes:
            return Found(item.start, item.end, item.kind, head)
        return item

    def _with_tail(self, item: Found) -> Found:
        """`Washington, D.C.`: a tail after the comma that belongs to the place's name."""
        doc, end = self.doc, item.end
        if item.kind != "place" or end + 1 >= len(doc) or doc[end].text != ",":
            return item
        if doc[end + 1].lower_ not in self.rules.place_name_tails:
            return item
        return Found(item.start, end + 2, "place", f"{item.text}, {doc[end + 1].text}")

    def _forces(self) -> list[Found]:
        """`Indonesian military`, `Malaysian navy`, `Afghan Taliban`: a demonym and a body."""
        doc, out = self.doc, []
        for token in doc[:-1]:
            nxt = doc[token.i + 1]
            demonym = token.ent_type_ == "NORP" or token.lower_.endswith(self.rules.demonym_suffixes)
            if (
                demonym
                and token.text[:1].isupper()
                and token.is_alpha
                and (nxt.lower_ in self.rules.force_nouns or nxt.text.lower() in self.rules.outlets_lower)
            ):
                out.append(Found(token.i, token.i + 2, "organization", doc[token.i : token.i + 2].text))
        return out

    def _without_country(self, item: Found) -> Found:
        """`US White House`: a facility does not take the country before it into its name."""
        doc = self.doc
        first = doc[item.start]
        rest = doc[item.start + 1 : item.end]
        country = any(first.text == c or first.text in v for c, v in self.rules.variants)
        if item.kind == "place" and country and len(rest) >= 2 and self._head_kind(rest) == "place":
            return Found(item.start + 1, item.end, "place", rest.text)
        return item

    def _sited(self, item: Found) -> Found:
        """`the East Los Angeles sheriff's station`, `the East L.A. station`: the place and a
        lower-case facility word name one facility; `a Texas prison` is any prison in Texas."""
        doc, rules, i = self.doc, self.rules, item.end
        if item.kind != "place":
            return item
        if i + 2 < len(doc) and doc[i].is_lower and doc[i + 1].tag_ == "POS":
            i += 2  # `sheriff's`
        definite = i < len(doc) and any(t.lower_ == "the" for t in doc[i].subtree if t.i < item.end)
        if definite and doc[i].is_lower and doc[i].lower_ in rules.facility_heads:
            text = f"{item.text}{doc[item.end - 1].whitespace_}{doc[item.end : i + 1].text}"
            return Found(item.start, i + 1, "place", text)
        return item

    def _owned(self, item: Found) -> Found:
        """`Los Angeles Sheriff's office`: a lower-case body owned by the name is part of it."""
        doc = self.doc
        # Only an organisation's: `Australia's government` is the country's, a generic body.
        if item.kind == "organization" and item.end + 1 < len(doc) and doc[item.end].tag_ == "POS":
            mark, body = doc[item.end], doc[item.end + 1]
            if body.is_lower and body.lower_ in self.rules.owned_bodies:
                text = f"{item.text}{mark.text}{mark.whitespace_}{body.text}"
                return Found(item.start, item.end + 2, item.kind, text)
        return item

    def _acceptable(self, ent: Span, name: str) -> bool:
        rules = self.rules
        lower = name.lower()
        if not name or lower in rules.not_entities or name.islower() or not 2 <= len(name) <= MAX_NAME_CHARS:
            return False  # too long to be a name: the model ran a sentence together
        if name in self.defined_as_words:
            return False
        if any(c in name for c in "@#/") or lower.startswith("www.") or patterns.MISSION_CODE.match(name):
            return False
        if patterns.PARTY_AFFILIATION.match(name):
            return False  # `R-Okla.`: a politician's party and state
        words = name.split()
        if len(words) >= 2 and words[-2].endswith(("'s", "’s")) and words[-1].lower() in rules.generic_words:
            return False  # `Australia's government`: a generic body of a named owner
        if len(words) == 1 and (
            lower in rules.generic_words
            or lower in rules.titles
            or lower in rules.role_nouns
            or lower in rules.title_modifiers
        ):
            return False  # `State`, `Court`, `Sheriff`, `Associate` (Professor): generic words, not names
        if len(words) == 1 and any(lower.endswith(s) for s in rules.not_entity_suffixes):
            return False  # `Islamophobia`, `Scientologist`: ideas and adherents
        if words[-1].lower() in rules.titles or self._head_kind(ent) == "thing":
            return False  # `Bandit King`, `Space Shuttle Enterprise`, `Fan Expo Canada`
        doc = ent.doc
        glued = ent.end + 1 < len(doc) and doc[ent.end].text == "-" and not doc[ent.end - 1].whitespace_
        listed = "," in name and not name.rstrip(".").lower().endswith(tuple(f", {c}" for c in CORPORATE))
        if listed or (ent.label_ == "ORG" and glued and doc[ent.end + 1].is_lower):
            return (
                False  # `Formation, Work` (a list); `Pan-democrat` (an adjective; `Ottawa-born` keeps Ottawa)
            )
        if (
            ent.start >= 2
            and doc[ent.start - 1].lower_ == "of"
            and self._head_kind(ent) is None
            and (doc[ent.start - 2].lower_ in rules.titles or doc[ent.start - 2].lower_ in rules.role_nouns)
        ):
            return False  # `Undersecretary of State for Political Affairs`: the domain of a title
        if self._modifier(ent):
            return False
        if len(ent) == 1 and _abbreviation(ent[0]) and self._names_concept(ent[0]):
            return False  # `the YORP effect`, `the ICI system`: an abbreviation of a concept
        words_only = [t for t in ent if t.is_alpha]
        named_body = len(words_only) > 1 and self._head_kind(ent) == "organization"
        describing = all(t.pos_ == "ADJ" or t.ent_type_ == "NORP" for t in words_only)
        if words_only and describing and not named_body:
            return False  # `Pro-Beijing`, `Afghan`: describe, do not name (`Harbour Democrats` names)
        before = ent.doc[ent.start - 1] if ent.start else None
        return before is None or before.lower_ not in rules.thing_nouns

    def _modifier(self, ent: Span) -> bool:
        """`the Social Welfare constituency`: a name with no head word used as a modifier of a
        common noun that is not a person, a group or a body (`NASA officials` keeps NASA)."""
        doc, rules = self.doc, self.rules
        nxt = doc[ent.end] if ent.end < len(doc) else None
        if ent.label_ != "ORG" or nxt is None or not nxt.is_lower or nxt.pos_ != "NOUN":
            return False  # a place stays one as a modifier: `the Lockerbie bombing`
        if self._head_kind(ent) is not None:
            return False
        if ent.text.lower() in rules.outlets_lower or _abbreviation(ent[-1]):
            return False
        kinds = (
            rules.person_nouns
            | rules.group_nouns
            | rules.org_nouns
            | rules.owned_bodies
            | rules.org_label_nouns
        )
        return nxt.lower_ not in kinds and nxt.lemma_.lower() not in kinds

    def _names_concept(self, token: Token) -> bool:
        nxt = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
        return nxt is not None and nxt.is_lower and nxt.lemma_.lower() in self.rules.concept_nouns


def _abbreviation(token: Token) -> bool:
    text = token.text
    letters = [c for c in text if c.isalpha()]
    return 2 <= len(letters) <= 8 and sum(c.isupper() for c in letters) >= max(2, len(letters) - 1)


def _spells(text: str, letters: list[str]) -> bool:
    """The letters occur in order in text, each word contributing from its start onwards."""
    flat = [c.lower() for c in text if c.isalnum()]
    i = 0
    for c in flat:
        if i < len(letters) and c == letters[i]:
            i += 1
    return i == len(letters)


def _with_owner(ent: Span, rules: Rules) -> Span:
    """'Israel's Foreign Ministry': a body owned by a named place keeps its owner."""
    doc = ent.doc
    if (
        ent.label_ == "ORG"
        and ent[-1].lower_ in rules.owned_bodies
        and ent.start >= 2
        and doc[ent.start - 1].tag_ == "POS"
        and doc[ent.start - 2].ent_type_ in {"GPE", "ORG"}
    ):
        owner_start = doc[ent.start - 2].i
        while owner_start > 0 and doc[owner_start - 1].ent_iob_ == "I":
            owner_start -= 1
        return Span(doc, owner_start, ent.end, label=ent.label_)
    return ent


def canonical_name(name: str, rules: Rules, abbreviations: dict[str, str]) -> str:
    name = abbreviations.get(name, name)
    for canonical, variants in rules.variants:
        if name == canonical or name in variants:
            return canonical
    return name


def group(
    doc: Doc, found: list[Found], rules: Rules, abbreviations: dict[str, str], exclude: set[str]
) -> tuple[tuple[Entity, ...], tuple[Entity, ...]]:
    """(organisations, places), each in order of first mention, variants grouped.

    A name the text uses as both is one entity, of the kind most of its mentions have (a
    place when they are even): the model calls one country an organisation now and then."""
    kept = [item for item in found if item.text not in exclude]
    votes: dict[str, Counter[EntityKind]] = {}
    for item in kept:
        votes.setdefault(canonical_name(item.text, rules, abbreviations), Counter())[item.kind] += 1
    groups: dict[tuple[EntityKind, str], list[tuple[str, int]]] = {}
    starts = paragraph_starts(doc.text)
    for item in kept:
        paragraph = paragraph_number(starts, doc[item.start].idx)
        canonical = canonical_name(item.text, rules, abbreviations)
        count = votes[canonical]
        kind: EntityKind = "organization" if count["organization"] > count["place"] else "place"
        groups.setdefault((kind, canonical), []).append((item.text, paragraph))
    orgs: list[Entity] = []
    places: list[Entity] = []
    for (kind, canonical), forms in groups.items():
        names = list(dict.fromkeys(name for name, _ in forms))
        if canonical in names:  # 'Israel' names the page even when 'State of Israel' comes first
            names.remove(canonical)
            names.insert(0, canonical)
        entity = Entity(names[0], kind, forms[0][1], tuple(names[1:]))
        (orgs if kind == "organization" else places).append(entity)
    return tuple(orgs), tuple(places)
