"""The words that attribute a quote, and the subject phrase each one names as the speaker.

A cue is a reporting verb (`said`, `fumed`, `chimed in`), a stance verb for a quoted fragment
(`thought of him as "…"`), an utterance noun (`was his response`, `a message from his
lawyers, "…"`, `on the grounds "…"`), `according to`, or a colon that introduces the quote.
In a quote's own sentence the cue that governs the quote in the parse wins: the quote is
the verb's complement, object complement or `as` phrase, possibly inside a clause the verb
reports (`she said the talks would "go on"`). Otherwise the nearest cue outside the quote.
The climb from the quote to its verb may pass through verbs, adjectives and prepositions,
but not through a plain noun the verb takes as its object (`posted the clip, titled "…"`):
that quote names the object, it does not report speech.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Span, Token

from build_tools.extract.quotes import QuoteSpan
from build_tools.extract.reading import Reading
from build_tools.extract.rules import Rules

CLIMB_DEPS = {"advcl", "xcomp", "conj", "pcomp", "prep", "acl", "ccomp", "relcl", "parataxis"}
ARGUMENT_DEPS = {"dobj", "nsubj", "nsubjpass", "dative", "attr"}
MAX_CLIMB = 8
CHILD_REACH = 40  # tokens on each side of a word where its dependents are looked for
PARTICLES = {"in", "on", "up", "out", "back", "off"}  # of phrasal reporting verbs: `chimed in`, `shot back`
SELF_QUOTING = {"quote", "report", "cite", "say"}  # `was quoted as saying`, `is reported to have said`


@dataclass(frozen=True)
class Cue:
    token: Token  # the reporting verb or noun, or the colon
    subjects: tuple[Token, ...]  # candidate speaker tokens, best first
    how: str  # "governs", "adjacent", "colon", "according to", "noun"


class CueFinder:
    def __init__(self, reading: Reading, rules: Rules) -> None:
        self.reading, self.rules = reading, rules
        self.doc = reading.doc
        self._children: list[list[int]] = [[] for _ in range(len(self.doc))]  # in text order
        for token in self.doc:
            if token.head.i != token.i:
                self._children[token.head.i].append(token.i)

    # -- what is a cue ---------------------------------------------------------------
    def is_verb(self, token: Token, *, partial: bool = False) -> bool:
        lemma = token.lemma_.lower()
        if token.pos_ not in {"VERB", "AUX"} and not (token.pos_ == "NOUN" and token.dep_ == "ROOT"):
            return False
        verbs = self.rules.reporting_verbs | (self.rules.stance_verbs if partial else frozenset())
        return lemma in verbs or token.lower_.rstrip("s") in verbs

    def is_noun(self, token: Token) -> bool:
        if token.ent_type_ and token.text[:1].isupper():
            return False  # part of a name: `The Huffington Post`, `The Times`
        return token.pos_ in {"NOUN", "PROPN"} and (
            token.lemma_.lower()
            in self.rules.reporting_nouns | self.rules.document_nouns | self.rules.content_nouns
        )

    # -- subjects --------------------------------------------------------------------
    def children(self, token: Token) -> list[Token]:
        """A token's dependents within CHILD_REACH tokens of it. In a run-on text with no full stop
        the parser hangs thousands of clauses on one verb; a verb's own subject, agent and object
        are always near it, so reading only these keeps attribution linear."""
        indices = self._children[token.i]
        lo = bisect.bisect_left(indices, token.i - CHILD_REACH)
        hi = bisect.bisect_right(indices, token.i + CHILD_REACH)
        return [self.doc[i] for i in indices[lo:hi]]

    def _stray_agents(self, verb: Token) -> list[Token]:
        """The pobj of a `by` outside quotes, after the verb, that hangs on the verb's complement
        (at most three steps down): the agent of the passive, as the parser failed to attach it."""
        doc = self.doc
        for i in range(verb.i + 1, min(len(doc), verb.i + CHILD_REACH)):
            by = doc[i]
            if by.lower_ != "by" or not self.reading.outside(by):
                continue
            head, steps = by.head, 0
            while head.i != verb.i and head.head.i != head.i and steps < 3:
                head, steps = head.head, steps + 1
            if head.i == verb.i:
                return [c for c in self.children(by) if c.dep_ == "pobj" and self.reading.outside(c)]
        return []

    def subjects_of(self, verb: Token) -> list[Token]:
        """Who reports: the subject, the passive agent, or the subject of the clause it hangs on."""
        for _ in range(4):
            children = self.children(verb)
            agent = next((c for c in children if c.dep_ == "agent"), None)
            if agent is not None and verb.tag_ == "VBN":
                found = [c for c in self.children(agent) if c.dep_ == "pobj" and self.reading.outside(c)]
                if found:
                    return found  # `She was told by a midwife that …`
            # A passive's subject heard or suffered it (`The cartoonist is being sued for "…"`),
            # unless the verb reports that subject's own words (`he was quoted as saying`); the
            # page it is written on speaks (`It is noted on the Congressional Website that …`).
            passive = any(c.dep_ == "nsubjpass" for c in children) and verb.lemma_ not in SELF_QUOTING
            agents = self._stray_agents(verb) if passive and verb.tag_ == "VBN" else []
            if agents:
                return agents  # `X was accused of "…" by Jane Roe`: the parser hangs `by` on the quote
            if passive:
                sources = [
                    o
                    for p in children
                    if p.dep_ == "prep" and p.lower_ in {"on", "in"}
                    for o in self.children(p)
                    if o.dep_ == "pobj" and o.pos_ in {"PROPN", "NOUN"} and self.reading.outside(o)
                ]
                if sources:
                    return sources
            deps = {"nsubj"} if passive else {"nsubj", "nsubjpass"}
            subjects = [c for c in children if c.dep_ in deps and self.reading.outside(c)]
            if subjects:
                return sorted(subjects, key=lambda c: abs(c.i - verb.i)) + self._adjacent(verb)
            document = next(
                (c for c in children if c.dep_ == "dobj" and c.lemma_.lower() in self.rules.document_nouns),
                None,
            )
            if document is not None and document.i > verb.i and self.reading.outside(document):
                return [document]  # `"…," read the statement.`: an inverted document speaks
            if verb.dep_ == "xcomp":
                obj = next((c for c in self.children(verb.head) if c.dep_ == "dobj"), None)
                if obj is not None and self.reading.outside(obj):
                    return [obj]  # `bringing Len Beagley to testify that …`
            if verb.dep_ not in CLIMB_DEPS or verb.head.i == verb.i or not self.reading.outside(verb.head):
                break  # never into the quote: `"We have the figures," chimed in X` hangs on `have`
            verb = verb.head
        return self._adjacent(verb)

    def _adjacent(self, verb: Token) -> list[Token]:
        """The parser lost the subject: a name or pronoun right before or after the verb, else
        the name that opens the sentence (`Giffords, who was shot in 2011, said "…"`)."""
        found = []
        after = verb.i + 1
        while after < len(self.doc) and self.doc[after].lower_ in PARTICLES and after - verb.i <= 2:
            after += 1  # `"…," chimed in Councillor Rita Owusu`
        for i in (verb.i - 1, after):
            if 0 <= i < len(self.doc) and self.reading.outside(self.doc[i]):
                token = self.doc[i]
                if token.pos_ == "PROPN" or token.tag_ == "PRP":
                    found.append(token)
        start, _ = self.reading.sentence_bounds(verb.idx)
        first = self.reading.token_at(start)
        if (
            first is not None
            and first.i + 1 < verb.i
            and self.reading.outside(first)
            and first.text[:1].isupper()
            and first.pos_ in {"PROPN", "NOUN"}
            and self.doc[first.i + 1].text == ","
            and not any(self.is_verb(t) for t in self.doc[first.i : verb.i])
        ):
            found.append(first)
        return found

    def noun_subjects(self, noun: Token) -> list[Token]:
        """`his response`, `Cornyn's statement`: the owner; `issued a statement`, `on the grounds`:
        the subject of the verb it depends on."""
        owned = any(
            c.dep_ == "poss" or (c.dep_ == "compound" and c.pos_ == "PROPN") for c in noun.children
        )  # `his response`, `Crown arguments`
        if noun.dep_ in {"nsubj", "nsubjpass"} or owned:
            return [noun]  # resolved through its owner or issuer
        if any(c.dep_ == "prep" and c.lower_ in {"from", "by"} for c in noun.children):
            return [noun]
        head = noun.head
        while head.pos_ == "ADP" and head.head.i != head.i:
            head = head.head
        return self.subjects_of(head) if head.pos_ in {"VERB", "AUX"} else []

    def _noun_how(self, noun: Token) -> str:
        """A quote as the content of someone's grounds or arguments is an inference unless the
        noun's owner is named with it (`his belief`): `on the basis that "…"`, `Crown arguments`."""
        if noun.lemma_.lower() in self.rules.content_nouns and not any(
            c.dep_ == "poss" for c in noun.children
        ):
            return "content"
        return "noun"

    # -- cues of one quote -----------------------------------------------------------
    def governing(self, quote: QuoteSpan, partial: bool) -> Cue | None:
        """The reporting verb or noun the quote depends on in the parse, within its sentence."""
        tokens = self.reading.quote_tokens(quote)
        start, end = self.reading.sentence_bounds(quote.span.start)
        inside = range(tokens.start, tokens.end)
        for token in tokens:
            if token.head.i in inside:
                continue
            cue = self._climb(token, inside, start, end, partial)
            if cue is not None:
                return cue
        return self._parataxis(tokens, start, end)

    def _climb(self, token: Token, inside: range, start: int, end: int, partial: bool) -> Cue | None:
        """Up from a quote token to the cue it depends on. Through the verb's object only by a
        preposition (`described the proposal as "…"`, `threatened him with "…"`): a quote that
        names the object otherwise (`posted the clip, titled "…"`) reports no speech."""
        path: list[Token] = [token]
        node = token.head
        stance: Cue | None = None  # `the U.S. hopes "…"` inside `saying …`: the one saying it speaks
        for _ in range(MAX_CLIMB):
            if node.i in inside or not start <= node.idx < end:
                return stance
            if self.is_verb(node, partial=partial):
                below = path[-1]
                if below.dep_ in ARGUMENT_DEPS and below.i not in inside and not self.is_noun(below):
                    entered = path[-2] if len(path) >= 2 else None
                    if entered is None or entered.dep_ != "prep":
                        return stance
                cue = Cue(node, tuple(self.subjects_of(node)), "governs")
                if self.is_verb(node):
                    return cue
                stance = stance or cue
            elif self.is_noun(node) and self.reading.outside(node):
                subjects = self.noun_subjects(node)
                if subjects:
                    return Cue(node, tuple(subjects), self._noun_how(node))
            elif node.dep_ == "conj" and any(c.dep_ in {"nsubj", "nsubjpass"} for c in self.children(node)):
                return stance  # `… posted the clip, and a firm rated the flaw "…"`: another subject
            if node.head.i == node.i:
                return stance
            path.append(node)
            node = node.head
        return stance

    def _parataxis(self, tokens: Span, start: int, end: int) -> Cue | None:
        """`"…," Smith said` parsed with the verb under the quote: a reporting child outside it."""
        for token in tokens:
            for child in self.children(token):
                outside = (child.i < tokens.start or child.i >= tokens.end) and self.reading.outside(child)
                if outside and start <= child.idx < end and self.is_verb(child):
                    return Cue(child, tuple(self.subjects_of(child)), "governs")
        return None

    def nearby(self, quote: QuoteSpan) -> Iterator[Cue]:
        """Cues of the quote's own sentence, nearest to the quote first."""
        start, end = self.reading.sentence_bounds(quote.span.start)
        left = self.reading.tokens(start, quote.span.start)
        right = self.reading.tokens(quote.span.end, end)
        ordered = sorted(
            [(quote.span.start - t.idx, t) for t in left] + [(t.idx - quote.span.end, t) for t in right],
            key=lambda x: x[0],
        )
        for _, token in ordered:
            cue = self.cue_at(token)
            if cue is not None:
                yield cue

    def cue_at(self, token: Token) -> Cue | None:
        if self.is_verb(token):
            return Cue(token, tuple(self.subjects_of(token)), "adjacent")
        if (
            token.lower_ == "according"
            and token.i + 1 < len(self.doc)
            and self.doc[token.i + 1].lower_ == "to"
        ):
            objects = [c for c in self.doc[token.i + 1].children if c.dep_ == "pobj"]
            return Cue(token, tuple(objects), "according to")
        if self.is_noun(token) and token.lemma_.lower() not in self.rules.content_nouns:
            subjects = self.noun_subjects(token)
            # `Cornyn's statement added`, `was his response`, `X later issued a statement`
            if subjects and (
                token.dep_ in {"nsubj", "attr", "dobj"} or any(c.dep_ == "poss" for c in token.children)
            ):
                return Cue(token, tuple(subjects), "noun")
        return None

    def in_range(self, start: int, end: int) -> Iterator[Cue]:
        """Cues between two offsets, the last first: an earlier sentence's attribution."""
        for token in reversed(self.reading.tokens(start, end)):
            cue = self.cue_at(token)
            if cue is not None:
                yield cue

    def colon(self, start: int, end: int) -> Cue | None:
        """`Miliband responded to Fallon's comments:` — the main clause's subject introduces the quote."""
        tokens = self.reading.tokens(start, end)
        if not tokens:
            return None
        roots = [t for t in tokens if t.head.i < tokens[0].i or t.head.i > tokens[-1].i or t.head.i == t.i]
        for root in roots:
            if root.pos_ in {"VERB", "AUX"}:
                subjects = self.subjects_of(root)
                if subjects:
                    return Cue(root, tuple(subjects), "colon")
        names = [t for t in tokens if t.pos_ == "PROPN" and t.dep_ not in {"compound", "pobj"}]
        return (
            Cue(names[0], (names[0],), "roundup") if names else None
        )  # a roundup line: `Jane Roe, Courier:`
