"""Who a subject phrase stands for: a named person, an unnamed source, an organisation or a place.

- A name is that person; a name in apposition to a role noun too (`the mayor's press
  secretary, Ana Ruiz`), and the head of a speaker phrase is the speaker: `Green Party
  spokesman Tom Hale` is Hale, `a spokesman for Alice Smith` is an unnamed spokesman.
- A pronoun is the most salient earlier referent that agrees with it: the subject of the
  main clause of the nearest sentence before, then other subjects, then other mentions, and
  in its own sentence only an earlier subject. `he`/`she` agree in gender (from honorifics,
  role words and the pronouns the text already used for that person); `it` is an
  organisation, a place or a document; `they` a group or an organisation. A person named
  inside the quote being attributed is never its speaker.
- A document (`the statement`, `one post by him`) speaks for whoever issued it.
- A description names the referent the article gave that description: `the ambassador` is
  the person whose title says so, `the ministry` the organisation with that word, `the
  city` the latest place; `officials`, `his lawyers`, `a spokesperson for NISA` are unnamed
  speakers described in the article's words.
"""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass

from spacy.tokens import Token

from build_tools.extract.entities import Found
from build_tools.extract.people import Cast, Mention
from build_tools.extract.reading import Reading
from build_tools.extract.rules import Rules
from build_tools.model import EntityKind, Person, PersonId
from build_tools.textutil import slugify

MALE = {"he", "him", "his", "himself"}
FEMALE = {"she", "her", "hers", "herself"}
NEUTER = {"it", "its"}
PLURAL = {"they", "them", "their"}
SENTENCES_BACK = 5  # how far back a pronoun looks for its referent
NAME_DEPTH = 3  # links from a subject to the name set beside it
DESCRIPTION_REACH = 200  # sentences back for the body `the Church` or `the ministry` names
SUBJECT_DEPS = {"nsubj", "nsubjpass"}
DEFINITE = {"the", "this", "that", "these", "those"}


@dataclass(frozen=True)
class Speaker:
    name: str
    id: PersonId
    kind: EntityKind


@dataclass(frozen=True)
class Referent:
    """Something a later pronoun or description can point to."""

    token: int  # the token index of its head
    speaker: Speaker
    kind: str  # "person", "group", "organization", "place", "document"


class Resolver:
    def __init__(
        self,
        reading: Reading,
        cast: Cast,
        entities: list[Found],
        abbreviations: dict[str, str],
        rules: Rules,
    ) -> None:
        self.reading, self.cast, self.rules = reading, cast, rules
        self.doc = reading.doc
        self.abbreviations = abbreviations
        self._person_at: dict[int, PersonId] = {}
        for mention in cast.mentions:
            span = self.doc.char_span(mention.start, mention.end, alignment_mode="expand")
            for token in span or []:
                self._person_at[token.i] = mention.person
        self._entity_at: dict[int, Found] = {i: e for e in entities for i in range(e.start, e.end)}
        self.entities = entities
        paragraph = reading.article.paragraph_at
        self._paragraphs_of: dict[PersonId, set[int]] = {}  # the paragraphs that mention each person
        for mention in cast.mentions:
            self._paragraphs_of.setdefault(mention.person, set()).add(paragraph(mention.start).index)
        self._most_named_at: tuple[list[int], list[Speaker]] | None = None  # _most_named, made once
        self.unnamed: dict[str, Person] = {}
        self._latest_slot: dict[str, str] = {}  # lemma -> the unnamed source last met with it
        self._unnamed_token: dict[int, PersonId] = {}  # the token that names each unnamed source
        self._describing: set[int] = set()  # descriptions already read as referents
        self.find_sources()
        self.genders = self._genders()

    # -- speakers -------------------------------------------------------------------
    def person(self, person_id: PersonId) -> Speaker | None:
        person = self.cast.by_id(person_id) or next(
            (p for p in self.unnamed.values() if p.id == person_id), None
        )
        return Speaker(person.name, person.id, "person") if person else None

    def _gender(self, person_id: PersonId, *, default: str) -> str:
        """What the text tells of a person's gender; an unnamed source has its noun's (`a woman`)."""
        if person_id in self.genders:
            return self.genders[person_id]
        unnamed = next((p for p in self.unnamed.values() if p.id == person_id), None)
        return (_words_gender(unnamed, self.rules) if unnamed else None) or default

    def entity(self, found: Found) -> Speaker:
        name = self.abbreviations.get(found.text, found.text)
        return Speaker(name, PersonId(slugify(name)), found.kind)

    # -- resolution of a subject ------------------------------------------------------
    def resolve(
        self, subject: Token, quote_names: frozenset[str] = frozenset()
    ) -> tuple[Speaker | None, str]:
        """The speaker a subject token stands for, and how it was found (a key of CONFIDENCE)."""
        lower = subject.lower_
        if lower in MALE | FEMALE | NEUTER | PLURAL:
            if lower in NEUTER and subject.dep_ == "nsubjpass":
                return self._source_of_passive(subject.head)
            return self.pronoun(subject, quote_names)
        named = self._name_of(subject)
        if named is not None:
            return self.person(named), "named"
        utterances = self.rules.reporting_nouns | self.rules.document_nouns | self.rules.content_nouns
        if subject.lemma_.lower() in utterances:
            if subject.text[:1].isupper() and subject.pos_ == "PROPN" and subject.i not in self._entity_at:
                phrase = self._noun_phrase(subject)  # `the Congressional Website`: a named page speaks
                return Speaker(phrase, PersonId(slugify(phrase)), "organization"), "organization"
            return self._issuer(subject, quote_names)
        if subject.i in self._entity_at:
            return self.entity(self._entity_at[subject.i]), "organization"
        if subject.pos_ == "NOUN" or (subject.pos_ == "PROPN" and subject.lower_ in self.rules.generic_words):
            return self._describe(subject)  # `the ministry said`, `the Church denied`
        if subject.pos_ == "PROPN":
            speaker, how = self._compound_person(subject)
            if speaker is None and self._party_members(subject):
                return self._unnamed(subject), "unnamed"  # `Republicans called the bill "…"`
            return speaker, how
        return None, "unknown"

    def _name_of(self, subject: Token) -> PersonId | None:
        """The person the subject's head names, or a name set beside it: `his spokesman, Tom Hale,`,
        `the current Pope, Pope Francis,`, `Green Party spokesman Tom Hale`."""
        if subject.i in self._person_at:
            return self._person_at[subject.i]
        if subject.dep_ == "compound" and subject.head.i in self._person_at:
            return self._person_at[subject.head.i]  # `Councillor` of `Councillor Mark Webb`
        frontier, depth = [subject], 0
        while frontier and depth < NAME_DEPTH:
            depth += 1
            nxt = []
            for token in frontier:
                for dep in ("appos", "compound", "conj"):
                    for child in token.children:
                        if child.dep_ != dep or not self.reading.outside(child):
                            continue
                        # A conjunct only when set off by a comma (the parser's apposition) or when it
                        # is a role: `American academic and professor Marc Lamont Hill`.
                        role = token.lemma_.lower() in self.rules.person_nouns
                        comma = self.doc[child.left_edge.i - 1].text == ","
                        if dep == "conj" and not (comma or role or child.pos_ == "NOUN"):
                            continue
                        if child.i in self._person_at:
                            return self._person_at[child.i]
                        nxt.append(child)
                nxt += self._identified(token)
            frontier = nxt
        return None

    def _identified(self, token: Token) -> list[Token]:
        """`The suspect, identified as Patrick Crusius,`: the name a clause on the noun gives it."""
        return [
            obj
            for clause in token.children
            if clause.dep_ == "acl" and clause.lemma_.lower() in self.rules.identifying_verbs
            for prep in clause.children
            if prep.dep_ == "prep" and prep.lower_ == "as"
            for obj in prep.children
            if obj.dep_ == "pobj"
        ]

    def _compound_person(self, subject: Token) -> tuple[Speaker | None, str]:
        """A surname the model did not tag as a name: `said Bolden`, `Cornyn's statement`."""
        for person in self.cast.people:
            parts = person.name.split()
            if subject.text in (parts[0], parts[-1]) or subject.text in person.aliases:
                return self.person(person.id), "named"
        return None, "unknown"

    def _issuer(self, noun: Token, quote_names: frozenset[str]) -> tuple[Speaker | None, str]:
        """`Cornyn's statement`, `a statement from the ministry`, `one post by him`, `the statement`."""
        owner = next((c for c in noun.children if c.dep_ == "poss"), None)
        if owner is None:
            owner = next(
                (
                    c
                    for c in noun.children
                    if c.dep_ == "compound" and (c.i in self._person_at or c.i in self._entity_at)
                ),
                None,
            )
        if owner is None:
            prep = next(
                (
                    c
                    for c in noun.children
                    if c.dep_ in {"prep", "agent"} and c.lower_ in {"from", "by", "of"}
                ),
                None,
            )
            owner = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
        if owner is not None:
            speaker, how = self.resolve(owner, quote_names)
            return speaker, ("organization" if how == "organization" else how)
        # `the statement said`: who issued the latest document (`an official release from Amnesty
        # International`), or the latest body named.
        issued = self._latest({"issued"}, noun.i)
        return issued or self._latest({"organization", "document"}, noun.i), "description"

    def _has_owner(self, noun: Token) -> bool:
        return any(
            c.dep_ == "poss" or (c.dep_ in {"prep", "agent"} and c.lower_ in {"from", "by"})
            for c in noun.children
        )

    def _source_of_passive(self, verb: Token) -> tuple[Speaker | None, str]:
        """`It is noted on the Congressional Website that …`: the page or body it is noted in."""
        for prep in verb.children:
            if prep.dep_ in {"prep", "agent"} and prep.lower_ in {"on", "in", "by"}:
                obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if obj is not None:
                    if obj.i in self._entity_at:
                        return self.entity(self._entity_at[obj.i]), "organization"
                    phrase = self._noun_phrase(obj)
                    return Speaker(phrase, PersonId(slugify(phrase)), "organization"), "description"
        return None, "unknown"

    # -- descriptions ------------------------------------------------------------------
    def _describe(self, noun: Token) -> tuple[Speaker | None, str]:
        rules = self.rules
        lemma = noun.lemma_.lower()
        if noun.tag_ != "NNS":
            titled = [
                p
                for p in self.cast.people
                if lemma in (p.role or "").lower().split()
                or any(lemma in a.lower().split() for a in p.aliases)
            ]
            if titled and any(c.dep_ == "det" and c.lower_ == "the" for c in noun.children):
                latest = self._latest_person({p.id for p in titled}, noun.i)
                return self.person(latest or titled[0].id), "description"
        if lemma in rules.place_nouns:
            # `the city reasoned`: a body named as the city's (`Municipality of Livorno`), or the latest place
            words = rules.place_bodies.get(lemma, ())
            body = next((s for w in words if (s := self._latest({"organization"}, noun.i, word=w))), None)
            return body or self._latest({"place"}, noun.i, word=None), "description"
        owner = next((c for c in noun.children if c.dep_ == "poss"), None)
        holder = self._name_of(owner) if owner is not None else None
        if lemma in rules.org_nouns and holder is not None:
            return self.person(holder), "description"  # `Ms Plibersek's office`
        if lemma in rules.org_nouns and owner is not None and owner.pos_ == "PROPN" and noun.tag_ == "NN":
            phrase = self.doc[owner.left_edge.i : noun.i + 1].text  # `Pelosi's office`, named by its owner
            return Speaker(phrase, PersonId(slugify(phrase)), "organization"), "description"
        if lemma in rules.org_nouns and owner is None:
            org = self._latest({"organization"}, noun.i, word=lemma)
            if org is None and lemma in rules.business_nouns:
                org = self._most_named(noun.i)
            if org is None and lemma in rules.generic_words:
                # `The court justified …` with no court named: the body as the article calls it
                phrase = self._noun_phrase(noun)
                return Speaker(phrase, PersonId(slugify(phrase)), "organization"), "description"
            return org or self._latest({"organization"}, noun.i), "description"
        forms = {lemma, noun.lower_}
        if self._party_members(noun):
            return self._unnamed(noun), "unnamed"  # `Democrats accused the White House of "…"`
        epithet = self._epithet(noun) if not forms & (rules.source_nouns | rules.group_nouns) else None
        if epithet is not None:
            return self.person(epithet), "description"
        if forms & (rules.source_nouns | rules.group_nouns | rules.person_nouns):
            return self._unnamed(noun), "unnamed"
        return None, "unknown"

    def _party_members(self, noun: Token) -> bool:
        """`Republicans`, `Democrats`: a party's members, in the plural, speak as a group."""
        plural = noun.tag_ in {"NNS", "NNPS"} and noun.lower_.endswith("s")
        return plural and noun.lower_[:-1] in self.rules.party_members

    def _epithet(self, noun: Token) -> PersonId | None:
        """`Hecking was not impressed. "…," the former Nurnberg coach said.`: a definite role
        word that describes (`former`, `Nurnberg`) is another name for the person just named in
        the paragraph; a bare source noun (`the spokesman`) stays a source of its own."""
        lemma = noun.lemma_.lower()
        definite = any(c.dep_ == "det" and c.lower_ == "the" for c in noun.children)
        described = any(c.dep_ in {"amod", "compound"} for c in noun.children)
        if noun.tag_ != "NN" or not definite or not described or lemma not in self.rules.person_nouns:
            return None
        paragraph = self.reading.article.paragraph_at(noun.idx).index
        named = {p.id for p in self.cast.people if p.named}
        person = next((p for p in self._salient_people(noun.i) if p in named), None)
        return person if person is not None and self._mentioned_in(person, paragraph) else None

    def _mentioned_in(self, person: PersonId, paragraph: int) -> bool:
        return paragraph in self._paragraphs_of.get(person, set())

    def _unnamed(self, noun: Token) -> Speaker | None:
        """An unnamed speaker, described by the article's own words: `spokesperson for NISA`.

        `the source` (a definite article, singular) is the source met before; `a spokesman`,
        `officials` and `one nuclear official` are new unless described the same way before.
        """
        if noun.i in self._unnamed_token:
            return self.person(self._unnamed_token[noun.i])
        phrase = self._noun_phrase(noun)
        key = phrase.casefold()
        lemma = noun.lemma_.lower()
        det = next((c.lower_ for c in noun.children if c.dep_ == "det"), None)
        slot = next(
            (
                s
                for s, p in self.unnamed.items()
                if key in {p.name.casefold(), *(a.casefold() for a in p.aliases)}
            ),
            None,
        )
        if slot is None and det in DEFINITE and noun.tag_ != "NNS" and lemma in self._latest_slot:
            slot = self._latest_slot[lemma]  # `the source`, `the spokesperson`: the latest one met
        if slot is None:
            slot = key if key not in self.unnamed else f"{key}#{noun.i}"
            person_id = PersonId(f"{slugify(phrase)}--{self.reading.article.slug}")
            paragraph = self.reading.article.paragraph_at(noun.idx).index
            self.unnamed[slot] = Person(person_id, phrase, None, (), paragraph, named=False)
        self._latest_slot[lemma] = slot
        self._alias(slot, self.doc[noun.left_edge.i : noun.i + 1].text)
        self._unnamed_token[noun.i] = self.unnamed[slot].id
        return self.person(self.unnamed[slot].id)

    def _alias(self, slot: str, form: str) -> None:
        person = self.unnamed[slot]
        if form.casefold() not in {a.casefold() for a in (person.name, *person.aliases)}:
            self.unnamed[slot] = Person(
                person.id, person.name, person.role, (*person.aliases, form), person.paragraph, named=False
            )

    # -- unnamed sources met before any quote --------------------------------------------
    def find_sources(self) -> None:
        """`citing an Afghan source`, `the source said`: sources the article does not name.

        A sentence that says why a source is anonymous (rules: anonymity markers) describes
        the source met just before: its subject phrase becomes that source's role.
        """
        for token in self.doc:
            if token.pos_ != "NOUN" or token.lemma_.lower() not in self.rules.source_nouns:
                continue
            if (
                not self.reading.outside(token)
                or not self._source_position(token)
                or token.i in self._person_at
            ):
                continue
            if any(c.dep_ == "compound" and c.pos_ == "PROPN" for c in token.children):
                continue  # `Taliban spokesman Zabihullah Mujahid` is a named person
            sentence = token.sent.text.lower()
            if (
                self.unnamed
                and token.lemma_.lower() not in self._latest_slot
                and any(marker in sentence for marker in self.rules.anonymity_markers)
            ):
                self._describe_last(token)
            else:
                self._unnamed(token)

    def _describe_last(self, token: Token) -> None:
        slot = next(reversed(self.unnamed))
        person = self.unnamed[slot]
        if person.role is None:
            start = token.left_edge.i
            while self.doc[start].pos_ in {"DET", "PRON"}:
                start += 1
            end = token.right_edge.i + 1
            while end - 1 > start and self.doc[end - 1].is_punct:
                end -= 1
            role = self.doc[start:end].text
            self.unnamed[slot] = Person(
                person.id, person.name, role, person.aliases, person.paragraph, named=False
            )
            self._alias(slot, self._noun_phrase(token))
        self._unnamed_token[token.i] = self.unnamed[slot].id

    def _source_position(self, token: Token) -> bool:
        if token.dep_ in SUBJECT_DEPS:
            return True
        head = token.head
        return (token.dep_ == "dobj" and head.lemma_ in {"cite", "quote"}) or (
            token.dep_ == "pobj" and head.lower_ == "to" and head.head.lower_ == "according"
        )

    def _noun_phrase(self, noun: Token) -> str:
        """`a spokesman for the company` -> `spokesman for the company`; `his lawyers` -> `X's lawyers`."""
        doc = self.doc
        start = noun.left_edge.i
        owner = ""
        while start < noun.i and (doc[start].pos_ in {"DET", "PRON"} or doc[start].tag_ == "PRP$"):
            if doc[start].tag_ == "PRP$" and doc[start].lower_ in MALE | FEMALE:
                speaker, _ = self.pronoun(doc[start], frozenset())
                owner = f"{speaker.name}'s " if speaker else ""
            start += 1
        end = noun.i + 1
        preps = [c for c in noun.rights if c.dep_ == "prep" and c.lower_ in {"for", "of", "at", "in", "from"}]
        if preps and preps[0].i == end:
            end = preps[0].right_edge.i + 1
            end = next((t.i for t in doc[noun.i : end] if t.text == ","), end)
        while end - 1 > start and doc[end - 1].is_punct:
            end -= 1
        return owner + doc[start:end].text

    # -- pronouns ----------------------------------------------------------------------
    def pronoun(self, token: Token, quote_names: frozenset[str]) -> tuple[Speaker | None, str]:
        lower = token.lower_
        if lower in NEUTER:
            return self._latest({"organization", "document", "place"}, token.i, salient=True), "pronoun"
        if lower in PLURAL:
            found = self._latest({"group", "organization"}, token.i, salient=True)
            return found, "pronoun" if found is None or found.kind == "person" else "plural pronoun"
        gender = "male" if lower in MALE else "female"
        for candidate in self._salient_people(token.i):
            person = self.person(candidate)
            if person is None or self._gender(candidate, default=gender) != gender:
                continue
            if _named_in(person.name, quote_names):
                continue  # never a person the quote itself names
            return person, "pronoun"
        return None, "unknown"

    def _salient_people(self, index: int) -> list[PersonId]:
        """People before token `index`, most salient first (see the module docstring)."""
        ordered: list[PersonId] = []
        deferred: list[PersonId] | None = None  # None until a sentence before names someone
        offset = self.doc[index].idx
        for n, (start, end) in enumerate(self.reading.sentences_back(offset, SENTENCES_BACK)):
            found = self._people_in(start, end if n else offset, subjects_only=(n == 0))
            if n and found and deferred is None and not ordered and not self._has_main_subject(start, end):
                deferred = found  # named only in a clause of the sentence before: a subject before it wins
                continue
            ordered += [p for p in found if p not in ordered]
            if deferred and found:
                ordered += [p for p in deferred if p not in ordered]
                deferred = []
        return ordered + [p for p in deferred or [] if p not in ordered]

    def _has_main_subject(self, start: int, end: int) -> bool:
        return any(
            (self._person_at.get(t.i) or self._unnamed_at(t)) is not None and _salience(t) == 0
            for t in self.reading.tokens(start, end)
        )

    def _people_in(self, start: int, end: int, *, subjects_only: bool) -> list[PersonId]:
        ranked: list[tuple[int, int, PersonId]] = []
        for token in self.reading.tokens(start, end):
            person = self._person_at.get(token.i) or self._unnamed_at(token)
            if person is None or (token.i > 0 and self._person_at.get(token.i - 1) == person):
                continue
            rank = _salience(token)
            if subjects_only and rank > 1:
                continue
            ranked.append((rank, token.i, person))
        return [p for _, _, p in sorted(ranked)]

    def _unnamed_at(self, token: Token) -> PersonId | None:
        if token.pos_ != "NOUN" or token.dep_ not in SUBJECT_DEPS:
            return None
        return self._unnamed_token.get(token.i)

    def _latest_person(self, ids: set[PersonId], index: int) -> PersonId | None:
        for candidate in self._salient_people(index):
            if candidate in ids:
                return candidate
        return None

    def _latest(
        self, kinds: set[str], index: int, *, word: str | None = None, salient: bool = False
    ) -> Speaker | None:
        """The nearest earlier organisation/place/document outside quotes (by salience if asked)."""
        offset = self.doc[index].idx
        best: tuple[int, int, Speaker] | None = None
        plural = "group" in kinds  # `they`: a group before a body in the same sentence
        # A description names its body by a word (`the Church`): that body may be far back.
        reach = DESCRIPTION_REACH if word is not None else SENTENCES_BACK * 3
        for n, (start, end) in enumerate(self.reading.sentences_back(offset, reach)):
            for token in self.reading.tokens(start, end if n else offset):
                speaker = self._referent(token, kinds)
                if speaker is None or (word is not None and word not in speaker.name.lower()):
                    continue
                rank = (n, _salience(token) if salient else 0)
                group_first = 0 if (plural and token.tag_ == "NNS") else (1 if plural else 0)
                key = (rank[0] * 100 + group_first * 10 + rank[1], -token.i, speaker)
                if best is None or key[:2] < best[:2]:
                    best = key
            if best is not None:
                return best[2]
        return None

    def _most_named(self, index: int) -> Speaker | None:
        """The organisation named most often before token `index`, outside quotes (the latest of
        equals): the company a business story is about. The leader after each mention is worked
        out once, in one pass, so each question is a binary search."""
        if self._most_named_at is None:
            counts: Counter[str] = Counter()
            positions: list[int] = []
            leaders: list[Speaker] = []
            best: tuple[int, Speaker] | None = None
            for token in self.doc:
                found = self._entity_at.get(token.i)
                if found is None or found.kind != "organization" or token.i != found.start:
                    continue
                if not self.reading.outside(token):
                    continue
                speaker = self.entity(found)
                counts[speaker.name] += 1
                if best is None or counts[speaker.name] >= best[0]:
                    best = (counts[speaker.name], speaker)  # a later mention wins a tie
                positions.append(token.i)
                leaders.append(best[1])
            self._most_named_at = (positions, leaders)
        positions, leaders = self._most_named_at
        n = bisect.bisect_left(positions, index)
        return leaders[n - 1] if n else None

    def _referent(self, token: Token, kinds: set[str]) -> Speaker | None:
        found = self._entity_at.get(token.i)
        if found is not None and found.kind in kinds and (token.i == found.start):
            return self.entity(found)
        document = token.lemma_.lower() in self.rules.document_nouns and token.pos_ == "NOUN"
        if "document" in kinds and token.dep_ in SUBJECT_DEPS and document:
            speaker, _ = self._issuer(token, frozenset())
            return speaker
        if "issued" in kinds and document and self._has_owner(token):
            speaker, _ = self._issuer(token, frozenset())
            return speaker
        groups = self.rules.group_nouns | self.rules.source_nouns
        according = (
            token.dep_ == "pobj" and token.head.lower_ == "to" and token.head.head.lower_ == "according"
        )
        grouped = token.dep_ in SUBJECT_DEPS or according
        if "group" in kinds and grouped and token.tag_ == "NNS" and token.lower_ in groups:
            return self._unnamed(token)  # `According to Gateway executives, …  They claim …`
        definite = any(c.dep_ == "det" and c.lower_ in DEFINITE for c in token.children)
        described = (
            "organization" in kinds
            and token.tag_ != "NNS"  # `the authorities` are a group, not a body
            and token.dep_ in SUBJECT_DEPS
            and definite
            and token.i not in self._describing
            and token.lemma_.lower() in self.rules.org_nouns
            and token.i not in self._entity_at
        )
        if described:
            self._describing.add(token.i)  # a description resolves through earlier ones only
            speaker, _ = self._describe(token)  # `The Church denied …  They also claimed …`
            return speaker if speaker is not None and speaker.kind == "organization" else None
        return None

    # -- gender ------------------------------------------------------------------------
    def _genders(self) -> dict[PersonId, str]:
        """From honorifics and role words, then from the pronouns the text uses for a lone candidate."""
        genders: dict[PersonId, str] = {}
        for person in self.cast.people:
            if gender := _words_gender(person, self.rules):
                genders[person.id] = gender
        votes: Counter[tuple[PersonId, str]] = Counter()
        for token in self.doc:
            lower = token.lower_
            if lower not in MALE | FEMALE or not self.reading.outside(token):
                continue
            start, _ = self.reading.sentence_bounds(token.idx)
            before = self.reading.previous_sentence(token.idx)
            people = set(self._people_in(before[0] if before else start, token.idx, subjects_only=False))
            if len(people) == 1:
                votes[(next(iter(people)), "male" if lower in MALE else "female")] += 1
        for (person_id, gender), count in sorted(votes.items()):
            other = "female" if gender == "male" else "male"
            if person_id not in genders and count > votes[(person_id, other)]:
                genders[person_id] = gender
        return genders


def _words_gender(person: Person, rules: Rules) -> str | None:
    """`Ms`, `spokeswoman`, `a woman`: the gender the words for a person tell, if any."""
    words = {
        w.strip(".,").lower()
        for text in (person.role or "", *person.aliases, person.name)
        for w in text.split()
    }
    if words & rules.male_words:
        return "male"
    return "female" if words & rules.female_words else None


def _salience(token: Token) -> int:
    """0 the subject of the main clause, 1 another subject, 2 anything else."""
    head = token
    while head.dep_ in {"compound", "flat", "appos", "conj"} and head.head.i != head.i:
        head = head.head
    if head.dep_ in SUBJECT_DEPS:
        verb = head.head
        return 0 if verb.dep_ == "ROOT" or verb.head.i == verb.i else 1
    return 2


def _named_in(name: str, quote_names: frozenset[str]) -> bool:
    words = {w.casefold() for w in name.split()}
    return bool(words & quote_names)


def names_in(text: str) -> frozenset[str]:
    """Capitalised words of a quote, for `never a person the quote itself names`."""
    return frozenset(w.strip(".,;:!?\"'’“”()[]").casefold() for w in text.split() if w[:1].isupper())


def referent_mention(person: Person, start: int, end: int, text: str) -> Mention:
    return Mention(person.id, start, end, text, True)
