"""Who said each quote: the attribution rules of English news writing.

For each quote we look for a cue in its own sentence, outside the marks: a reporting verb
(`said X`, `X said`, `X told …`, `he noted`, `saying`), a possessed utterance noun (`was his
response`, `Cornyn's statement added`), `according to X`, or a colon after the speaker.
The cue's subject is resolved to a person: a name, a pronoun (the latest person, or for
`it` the latest organisation), or a description (`the source`, `the ambassador`) matched
to the person the article introduced. A quote with no cue of its own takes the cue of an
earlier sentence in its paragraph, the colon that introduced its paragraph, or the speaker
of the quote before it; those guesses carry lower confidence and are flagged for review.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from build_tools import patterns
from build_tools.extract.entities import clean_name
from build_tools.extract.people import Cast, Mention
from build_tools.extract.quotes import QuoteSpan
from build_tools.extract.rules import Rules
from build_tools.model import Article, EntityKind, Person, PersonId
from build_tools.textutil import slugify

MALE = {"he", "him", "his"}
FEMALE = {"she", "her", "hers"}
MALE_FEMALE = MALE | FEMALE
NEUTER = {"it", "its", "they", "them", "their"}
SENTENCE_END = ".!?"
CLIMB_DEPS = {"advcl", "xcomp", "conj", "pcomp", "prep", "acl", "ccomp", "relcl"}

# Confidence of each way of finding a speaker; below REVIEW_THRESHOLD (model.py) is flagged.
CONFIDENCE = {
    "named": 0.95,
    "continued": 0.9,
    "organization": 0.9,
    "unnamed": 0.85,
    "pronoun": 0.8,
    "description": 0.8,
    "colon": 0.8,
    "earlier sentence": 0.7,
    "previous quote": 0.55,
}


@dataclass(frozen=True)
class Speaker:
    name: str
    id: PersonId
    kind: EntityKind


@dataclass(frozen=True)
class Cue:
    token: Token  # the reporting verb or noun
    subject: Token
    speaker: Speaker
    how: str  # a key of CONFIDENCE


@dataclass(frozen=True)
class Attribution:
    span: QuoteSpan
    speaker: Speaker | None
    cue: str | None
    confidence: float
    own_sentence: bool  # the cue is in the quote's own sentence


@dataclass
class _State:
    """What attribution learns while it reads: unnamed sources met so far."""

    unnamed: dict[str, Person] = field(default_factory=dict)
    unnamed_mentions: list[Mention] = field(default_factory=list)


class Attributor:
    def __init__(
        self, doc: Doc, article: Article, quotes: tuple[QuoteSpan, ...], cast: Cast, rules: Rules
    ) -> None:
        self.doc, self.article, self.quotes, self.cast, self.rules = doc, article, quotes, cast, rules
        self.state = _State()
        self._quote_starts = [q.span.start for q in quotes]
        self.orgs = [e for e in doc.ents if e.label_ in {"ORG", "GPE", "NORP"}]
        self._find_unnamed_sources()

    # -- reading helpers -------------------------------------------------------------
    def _in_quote(self, start: int) -> bool:
        # Quotes never overlap and come in text order: a binary search keeps this O(log n),
        # which matters for text dense with quotation marks.
        i = bisect.bisect_right(self._quote_starts, start) - 1
        return i >= 0 and start < self.quotes[i].span.end

    def _tokens(self, start: int, end: int) -> list[Token]:
        span = self.doc.char_span(start, end, alignment_mode="expand") if start < end else None
        return [t for t in (span or []) if not self._in_quote(t.idx)]

    def _sentence_end(self, i: int) -> bool:
        """A full stop, question or exclamation mark at i that ends a sentence ('Dr.' does not)."""
        text = self.article.text
        if text[i] not in SENTENCE_END or (i + 1 < len(text) and text[i + 1] not in " \n"):
            return False
        return text[i] != "." or not patterns.ABBREVIATION_BEFORE_DOT.search(text[max(0, i - 12) : i])

    def _context(self, quote: QuoteSpan) -> tuple[int, int, int, int]:
        """Character ranges (left start, quote start) and (quote end, right end) of its sentence."""
        paragraph = self.article.paragraphs[quote.paragraph - 1]
        base = paragraph.span.start
        others = [q for q in self.quotes if q.paragraph == quote.paragraph and q is not quote]
        left = max([q.span.end + 1 for q in others if q.span.end <= quote.span.start] + [base])
        for i in range(quote.span.start - 2, left - 1, -1):
            if self._sentence_end(i) and not self._in_quote(i):
                left = i + 1
                break
        ends = [q.span.start - 1 for q in others if q.span.start >= quote.span.end]
        right = min([*ends, paragraph.span.end])
        for i in range(quote.span.end + 1, right):
            if self._sentence_end(i):
                right = i + 1
                break
        return left, quote.span.start, quote.span.end, right

    # -- unnamed sources -------------------------------------------------------------
    def _find_unnamed_sources(self) -> None:
        """'citing an Afghan source', 'the source said': sources the article does not name."""
        for token in self.doc:
            if token.lemma_.lower() not in self.rules.source_nouns or token.pos_ != "NOUN":
                continue
            if self._in_quote(token.idx) or not self._source_position(token):
                continue
            if any(m.start <= token.idx < m.end for m in self.cast.mentions):
                continue
            person = self._unnamed_for(token)
            if person is not None:
                self.state.unnamed_mentions.append(
                    Mention(person.id, token.left_edge.idx, token.idx + len(token), token.text, True)
                )

    def _source_position(self, token: Token) -> bool:
        if token.dep_ in {"nsubj", "nsubjpass"}:
            return True
        head = token.head
        return (token.dep_ == "dobj" and head.lemma_ in {"cite", "quote"}) or (
            token.dep_ == "pobj" and head.lower_ == "to" and head.head.lower_ == "according"
        )

    def _unnamed_for(self, token: Token) -> Person | None:
        if any(c.dep_ == "compound" and c.pos_ == "PROPN" for c in token.children):
            return None  # 'Taliban spokesman' with a name nearby is handled by people.py
        sentence = token.sent.text.lower()
        describes = any(marker in sentence for marker in self.rules.anonymity_markers)
        if describes and self.state.unnamed and token.lemma_.lower() not in self.state.unnamed:
            # The sentence that explains who an earlier unnamed source is gives their role.
            person = list(self.state.unnamed.values())[-1]
            if person.role is None:
                role = self._noun_phrase(token, with_clauses=True)
                person = Person(
                    person.id,
                    person.name,
                    role,
                    (*person.aliases, self._noun_phrase(token)),
                    person.paragraph,
                    named=False,
                )
                self.state.unnamed[next(reversed(self.state.unnamed))] = person
            return person
        key = token.lemma_.lower()
        if key not in self.state.unnamed:
            name = self._noun_phrase(token)
            person_id = PersonId(f"{slugify(name)}--{self.article.slug}")
            paragraph = self.article.paragraph_at(token.idx).index
            self.state.unnamed[key] = Person(person_id, name, None, (), paragraph, named=False)
        person = self.state.unnamed[key]
        form = self.doc[token.left_edge.i : token.i + 1].text
        known = {a.casefold() for a in (person.name, *person.aliases)}
        if form.casefold() not in known:
            self.state.unnamed[key] = Person(
                person.id, person.name, person.role, (*person.aliases, form), person.paragraph, named=False
            )
        return self.state.unnamed[key]

    def _noun_phrase(self, token: Token, *, with_clauses: bool = False) -> str:
        """'a spokesman for the company' -> 'spokesman for the company'; clauses only if asked."""
        start = token.left_edge.i
        while self.doc[start].pos_ in {"DET", "PRON"} or self.doc[start].tag_ == "PRP$":
            start += 1
        end = token.i + 1
        preps = [
            c for c in token.rights if c.dep_ == "prep" and c.lower_ in {"for", "of", "at", "in", "from"}
        ]
        if preps and preps[0].i == end:
            end = preps[0].right_edge.i + 1
            comma = next((t.i for t in self.doc[token.i : end] if t.text == ","), end)
            end = comma  # 'spokeswoman for the Council, which represents …' stops at the comma
        if with_clauses:
            end = token.right_edge.i + 1
        while end - 1 > start and self.doc[end - 1].is_punct:
            end -= 1
        return self.doc[start:end].text

    # -- cues --------------------------------------------------------------------------
    def _cue_in(self, tokens: list[Token], *, nearest_last: bool) -> Cue | None:
        """The resolved cue in tokens; the cue nearest the quote wins."""
        ordered = list(reversed(tokens)) if nearest_last else tokens
        for token in ordered:
            for subject in self._cue_subjects(token):
                speaker, how = self._resolve(subject, token.idx)
                if speaker is not None:
                    return Cue(token, subject, speaker, how)
        return None

    def _cue_subjects(self, token: Token) -> list[Token]:
        lemma = token.lemma_.lower()
        if token.pos_ == "VERB" and lemma in self.rules.reporting_verbs:
            return self._subjects_of(token)
        if (
            token.pos_ == "NOUN"
            and token.dep_ == "ROOT"
            and token.lower_.rstrip("s") in self.rules.reporting_verbs
        ):
            # 'The U.S. Department of Agriculture notes, "…"': the tagger read the verb as a noun
            return self._adjacent_subjects(token)
        if token.pos_ in {"NOUN", "PROPN"} and lemma in self.rules.reporting_nouns:
            owner = [c for c in token.children if c.dep_ == "poss"]
            if owner:
                return owner  # 'was his response', 'Cornyn's statement'
            if token.dep_ == "dobj" and token.head.pos_ == "VERB":
                return self._subjects_of(token.head)  # 'X issued a statement'
        if token.lower_ == "according" and token.i + 1 < len(self.doc) and token.nbor().lower_ == "to":
            return [c for c in token.nbor().children if c.dep_ == "pobj"]
        return []

    def _subjects_of(self, verb: Token) -> list[Token]:
        """Subjects of the verb, nearest first, climbing from 'saying' to the clause it hangs on."""
        for _ in range(4):
            subjects = sorted(
                (c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"} and not self._in_quote(c.idx)),
                key=lambda c: abs(c.i - verb.i),
            )
            if subjects:
                return [self._owner(s) for s in subjects] + self._adjacent_subjects(verb)
            if verb.dep_ not in CLIMB_DEPS or verb.head is verb:
                break
            verb = verb.head
        return self._adjacent_subjects(verb)

    def _owner(self, subject: Token) -> Token:
        """'Cornyn's statement added', 'a statement from the ministry said': the owner speaks."""
        if subject.lemma_.lower() not in self.rules.reporting_nouns:
            return subject
        owner = next((c for c in subject.children if c.dep_ == "poss"), None) or next(
            (c for c in subject.children if c.dep_ == "compound" and c.ent_type_ in {"ORG", "PERSON"}), None
        )  # 'the leaked Home Office letter said
        source = next(
            (c for c in subject.children if c.dep_ == "prep" and c.lower_ in {"from", "by", "of"}), None
        )
        if owner is None and source is not None:
            owner = next((c for c in source.children if c.dep_ == "pobj"), None)
        return owner or subject

    def _adjacent_subjects(self, verb: Token) -> list[Token]:
        """The parser lost the subject: a name or pronoun right before or after the verb."""
        found = []
        for i in (verb.i - 1, verb.i + 1):
            if 0 <= i < len(self.doc) and not self._in_quote(self.doc[i].idx):
                token = self.doc[i]
                if token.pos_ == "PROPN" or token.lower_ in MALE_FEMALE | NEUTER:
                    found.append(token)
        return found

    # -- resolution --------------------------------------------------------------------
    def _resolve(self, subject: Token, before: int) -> tuple[Speaker | None, str]:
        lower = subject.lower_
        if lower in MALE_FEMALE:
            return self._latest_person(before, "male" if lower in MALE else "female"), "pronoun"
        if lower in NEUTER:
            return self._latest_org(before), "pronoun"
        phrase = self.doc[subject.left_edge.i : subject.right_edge.i + 1]
        for mentions, how in ((self.cast.mentions, "named"), (self.state.unnamed_mentions, "unnamed")):
            for mention in mentions:
                if (
                    phrase.start_char <= mention.start < phrase.end_char
                    or mention.start <= subject.idx < mention.end
                ):
                    return self._person_speaker(mention.person), how
        person = self._person_by_name(subject)
        if person is not None:
            return self._person_speaker(person.id), "named"
        org = next((e for e in self.orgs if e.start <= subject.i < e.end), None)
        if org is not None:
            return self._org_speaker(org), "organization"
        if subject.pos_ == "NOUN":
            return self._describe(subject, before)
        return None, "unknown"

    def _person_by_name(self, token: Token) -> Person | None:
        """A surname the model did not tag as a person: 'said Bolden', 'Cornyn's statement'."""
        if token.pos_ != "PROPN":
            return None
        for person in self.cast.people:
            parts = person.name.split()
            if token.text in (parts[0], parts[-1]) or token.text in person.aliases:
                return person
        return None

    def _describe(self, subject: Token, before: int) -> tuple[Speaker | None, str]:
        """'the ambassador' -> the person whose role says so; 'the source' -> the unnamed source."""
        lemma = subject.lemma_.lower()
        titled = [
            p
            for p in self.cast.people
            if lemma in (p.role or "").lower() or any(lemma in a.lower().split() for a in p.aliases)
        ]
        if titled:
            latest = self._latest(before, {p.id for p in titled})
            return self._person_speaker(latest.person if latest else titled[0].id), "description"
        if lemma in self.state.unnamed:
            return self._person_speaker(self.state.unnamed[lemma].id), "unnamed"
        if lemma in self.rules.org_nouns or lemma in self.rules.reporting_nouns:
            # 'the ministry said' -> the latest organisation named with that word, else the latest
            # one; 'the statement said' -> the organisation that issued it, the latest named.
            org = self._latest_org(before, word=lemma) or self._latest_org(before)
            return org, "description"
        mention = next((m for m in self.state.unnamed_mentions if m.start <= subject.idx < m.end), None)
        if mention is not None:
            return self._person_speaker(mention.person), "unnamed"
        return None, "unknown"

    def _latest(self, before: int, ids: set[PersonId] | None = None) -> Mention | None:
        mentions = [
            m
            for m in (*self.cast.mentions, *self.state.unnamed_mentions)
            if m.start < before and not self._in_quote(m.start) and (ids is None or m.person in ids)
        ]
        return max(mentions, key=lambda m: m.start) if mentions else None

    def _latest_person(self, before: int, gender: str) -> Speaker | None:
        """The person a pronoun points to: the subject of the nearest earlier sentence that names
        someone (else its first person), skipping people the text marks as the other gender."""
        mentions = [
            m
            for m in (*self.cast.mentions, *self.state.unnamed_mentions)
            if m.start < before and not self._in_quote(m.start) and self._gender(m.person) in {gender, None}
        ]
        if not mentions:
            return None
        sentence = self.doc.char_span(
            max(mentions, key=lambda m: m.start).start, before, alignment_mode="expand"
        )
        start = sentence[0].sent.start_char if sentence is not None else 0
        recent = sorted((m for m in mentions if m.start >= start), key=lambda m: m.start)
        subjects = [m for m in recent if m.subject]
        chosen = subjects[-1] if subjects else recent[0]
        return self._person_speaker(chosen.person)

    def _gender(self, person_id: PersonId) -> str | None:
        """'male', 'female' or None, from honorifics and gendered role words the article uses."""
        person = self.cast.by_id(person_id) or next(
            (p for p in self.state.unnamed.values() if p.id == person_id), None
        )
        if person is None:
            return None
        words = {
            w.strip(".,").lower()
            for text in (person.role or "", *person.aliases, person.name)
            for w in text.split()
        }
        if words & self.rules.male_words:
            return "male"
        if words & self.rules.female_words:
            return "female"
        return None

    def _latest_org(self, before: int, *, word: str | None = None) -> Speaker | None:
        orgs = [
            e
            for e in self.orgs
            if e.start_char < before
            and e.label_ == "ORG"
            and not self._in_quote(e.start_char)
            and (word is None or word in e.text.lower())
        ]
        return self._org_speaker(orgs[-1]) if orgs else None

    def _person_speaker(self, person_id: PersonId) -> Speaker | None:
        person = self.cast.by_id(person_id) or next(
            (p for p in self.state.unnamed.values() if p.id == person_id), None
        )
        return Speaker(person.name, person.id, "person") if person else None

    def _org_speaker(self, org: Span) -> Speaker:
        name = clean_name(org) or org.text
        kind: EntityKind = "organization" if org.label_ == "ORG" else "place"
        return Speaker(name, PersonId(slugify(name)), kind)

    # -- per quote -------------------------------------------------------------------------
    def attribute(self) -> list[Attribution]:
        results: list[Attribution] = []
        for quote in self.quotes:
            results.append(self._attribute(quote, results[-1] if results else None))
        return results

    def _attribute(self, quote: QuoteSpan, previous: Attribution | None) -> Attribution:
        left, qs, qe, right = self._context(quote)
        if quote.continued and previous is not None and previous.speaker is not None:
            return Attribution(quote, previous.speaker, previous.cue, CONFIDENCE["continued"], True)
        for tokens, nearest_last in ((self._tokens(left, qs), True), (self._tokens(qe, right), False)):
            cue = self._cue_in(tokens, nearest_last=nearest_last)
            if cue:
                return Attribution(quote, cue.speaker, self._cue_text(cue), CONFIDENCE[cue.how], True)
        return self._look_back(quote, left, previous)

    def _cue_text(self, found: Cue) -> str:
        cue, subject = found.token, found.subject
        first, last = sorted((cue.i, subject.i))
        if last - first > 6:
            return f"{subject.text} … {cue.text}" if subject.i < cue.i else f"{cue.text} … {subject.text}"
        return self.doc[first : last + 1].text

    def _look_back(self, quote: QuoteSpan, left: int, previous: Attribution | None) -> Attribution:
        paragraph = self.article.paragraphs[quote.paragraph - 1]
        found = self._cue_in(self._tokens(paragraph.span.start, left), nearest_last=True)
        how = "earlier sentence"
        if found is None and quote.paragraph > 1 and left == paragraph.span.start:
            before = self.article.paragraphs[quote.paragraph - 2]
            if before.text.rstrip().endswith(":"):
                found, how = (
                    self._cue_in(self._tokens(before.span.start, before.span.end), nearest_last=True),
                    "colon",
                )
        if found:
            return Attribution(quote, found.speaker, self._cue_text(found), CONFIDENCE[how], False)
        if previous is not None and previous.speaker is not None:
            return Attribution(quote, previous.speaker, None, CONFIDENCE["previous quote"], False)
        return Attribution(quote, None, None, 0.0, False)

    def unnamed_people(self, spoken: set[PersonId]) -> list[Person]:
        return [p for p in self.state.unnamed.values() if p.id in spoken]
