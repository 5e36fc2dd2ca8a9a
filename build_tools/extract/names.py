"""Where the article names a person: every mention, as the tokens of the name alone.

spaCy's small model finds most names but misses single names (`Adele said`), relatives
named by first name (`her son Scott`), names after a role (`cartoonist Mike Peters`), and
fuses a name into the organisation before it (`Amnesty International Hassiba Hadj
Sahraoui said`). English news introduces people in a few fixed ways, and each is a rule:

- a role noun, title or kinship word right before the name, also for a list of names
  (`photographers Nat Finkelstein, Christopher Makos and Felice Quinto`);
- an honorific (`Dr. Haddad`, `Mr Key`);
- an apposition with a person's role, an age or `who` (`Valeska Paris, an Australian
  woman,`; `Yasmeen Afdhal, 24,`; `Giffords, who …`);
- the subject of a reporting verb (`Adele said`), when nothing says it is an organisation;
- the tail of an organisation span when that tail's surname is used alone elsewhere.

A name is never made of title words alone, never holds an organisation's or a thing's head
word (`Center`, `Award`, `Shuttle`) and never follows a word that names a work or a thing
(`the song Respect`, `the ship Freewinds`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from spacy.tokens import Doc, Span, Token

from build_tools import patterns
from build_tools.extract.rules import Rules

JOINERS = {
    "-",
    "bin",
    "al",
    "el",
    "van",
    "von",
    "de",
    "da",
    "di",
    "la",
    "le",
    "ibn",
    "abu",
    "der",
    "den",
    "du",
}
NOT_PERSON_LABELS = {"ORG", "GPE", "LOC", "FAC", "NORP", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "LANGUAGE"}
MAX_NAME_WORDS = 5  # words as written: `Abu-Mulal` is one word of three tokens
PREFIXES = {"pro", "anti", "ex", "non"}


def _is_word_cap(token: Token) -> bool:
    text = token.text
    return text[:1].isupper() and any(c.isalpha() for c in text) and token.tag_ != "POS"


def _is_acronym(token: Token) -> bool:
    letters = [c for c in token.text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters) and "." not in token.text


def _glued(doc: Doc, i: int) -> bool:
    """Token i is joined to the one before without a space: `Yeung-tat`, `al-Megrahi`."""
    return i > 0 and not doc[i - 1].whitespace_


def name_end(doc: Doc, start: int, limit: int | None = None) -> int:
    """End of the run of name tokens starting at `start`: capitalised words and initials, a
    particle before a capitalised word (`bin Zaid`, `al-Megrahi`), and the halves of a
    hyphenated name (`Yeung-tat`, `Jean-Marie`)."""
    stop = min(len(doc), limit if limit is not None else len(doc))
    end = start
    while end < stop:
        token = doc[end]
        nxt = doc[end + 1] if end + 1 < stop else None
        if _is_word_cap(token) and (end == start or not token.is_sent_start):
            end += 1
        elif (
            token.lower_ in JOINERS
            and nxt is not None
            and (_is_word_cap(nxt) or (nxt.text == "-" and _glued(doc, end + 1)))
        ):
            end += 1  # `bin Zaid`, the `al` of `al-Megrahi`
        elif (
            end > start
            and token.text == "-"
            and _glued(doc, end)
            and nxt is not None
            and _glued(doc, end + 1)
        ):
            end += 1
        elif end > start and _glued(doc, end) and doc[end - 1].text == "-" and token.is_alpha:
            end += 1  # the lower-case half of a hyphenated name: `Wong Yeung-tat`
        else:
            break
        if len(doc[start:end].text.split()) > MAX_NAME_WORDS:
            return start
    while end > start and (
        doc[end - 1].text == "-" or (doc[end - 1].lower_ in JOINERS and not _glued(doc, end - 1))
    ):
        end -= 1
    return end


EXAMPLE_WORDS = {"like", "including", "as", "among"}
MAX_EXAMPLE_REACH = 10  # tokens back from `such as` to the group it gives examples of


def example_group(doc: Doc, i: int, rules: Rules) -> Token | None:
    """The plural person noun that a list of names after token i gives examples of:
    `celebrity guests like A`, `photographers who used the camera, such as A`, `former members
    of Scientology, including musician A`. Token i is `like`, `including`, `among` or `as` of
    `such as`."""
    word = doc[i].lower_
    if word not in EXAMPLE_WORDS or (word == "as" and (i == 0 or doc[i - 1].lower_ != "such")):
        return None
    first = i - 2 if word == "as" else i - 1
    for j in range(first, max(-1, first - MAX_EXAMPLE_REACH), -1):
        token = doc[j]
        if token.text in {".", ";", ":"}:
            return None
        lemma = token.lemma_.lower()
        if (
            token.tag_ == "NNS"
            and token.is_lower
            and (lemma in rules.person_nouns or token.lower_ in rules.person_nouns)
        ):
            return token
    return None


def next_in_list(doc: Doc, end: int) -> int | None:
    """Where the next name of `A, B and C` starts after a name ending at `end`, past what may
    follow a name in a list: a bracket (`Vitas Gerulaitis (tennis)`) or an affiliation (`A of
    the Labour Party, B`); None at the list's end (a semicolon ends it)."""
    j = end
    if j < len(doc) and doc[j].text == "(":
        close = next((t.i for t in doc[j : j + 6] if t.text == ")"), None)
        j = close + 1 if close is not None else j
    if j < len(doc) and doc[j].lower_ in {"of", "from"}:
        j += 1
        while (
            j < len(doc)
            and (doc[j].text[:1].isupper() or doc[j].lower_ in {"the", "of", "&"})
            and j - end < 8
        ):
            j += 1
    k = j
    while k < len(doc) and doc[k].text in {",", "and"}:
        k += 1
    return k if k > j and k < len(doc) else None


class NameFinder:
    def __init__(self, doc: Doc, rules: Rules, reporting_verbs: frozenset[str], blocked: set[int]) -> None:
        self.doc, self.rules, self.verbs = doc, rules, reporting_verbs
        self.blocked = blocked  # tokens of organisations, places and things named by their head word
        # How often each word stands outside any organisation, place or work: a surname used
        # alone elsewhere shows that the same word at the end of an organisation is a name.
        self._alone = Counter(t.text for t in doc if t.ent_type_ in {"", "PERSON"})

    # -- what a name may be -------------------------------------------------------
    def plausible(self, span: Span, *, after_role: bool = False) -> bool:
        """A person's name: proper nouns, capitalised, no head word of a thing or a body, not
        all titles, not an acronym at its end, not right after a word that names a thing or
        a body (`the song Respect`, `group Civic Passion`) nor right before one (`Etemad-e
        Melli newspaper`)."""
        rules, doc = self.rules, self.doc
        if (
            not span
            or len(span.text.split()) > MAX_NAME_WORDS
            or not _is_word_cap(span[0])
            or (not _is_word_cap(span[-1]) and not _glued(doc, span.end - 1))
        ):
            return False
        if any(i in self.blocked for i in range(span.start, span.end)):
            return False
        words = [t for t in span if t.is_alpha]
        if not words or not any(t.tag_ in {"NNP", "NNPS"} for t in span):
            return False  # `We`, `Stressed Out`: words, not a name
        inner = span[1:-1]
        if any(t.is_lower and t.lower_ not in JOINERS and not _glued(doc, t.i) for t in inner):
            return False  # `House of Representatives`: a name has no small words but particles
        if any(c.isdigit() or c in "@#/&()[]," for c in span.text) or span.text.endswith(("'s", "’s")):
            return False
        if span.text.lower() in rules.outlets_lower or span.text.lower() in rules.not_people:
            return False
        if patterns.PARTY_AFFILIATION.match(span.text) or span[-1].lower_ in rules.party_members:
            return False  # `R-Wis.`, `Maryland Democrat`: what a politician is, not who
        ends_titled = span[-1].lower_ in rules.titles and not (
            after_role and len(span) == 1
        )  # `music icon Prince`
        if ({t.lower_ for t in span} & rules.not_name_words and not after_role) or ends_titled:
            return False  # `Space Shuttle Columbia`; but `Health Secretary Joan Park` is a person
        if not after_role and all(
            t.lower_ in rules.titles
            or t.lower_ in rules.role_nouns
            or t.ent_type_ == "NORP"
            or t.tag_ == "JJ"
            for t in words
        ):
            return False  # `Irish Taoiseach`, `Prime Minister`
        numeral = len(span) > 1 and patterns.ROMAN_NUMERAL.match(span[-1].text) is not None  # `Abdullah II`
        if (_is_acronym(span[-1]) and not numeral) or (
            span[0].lower_ in PREFIXES and len(span) > 1 and span[1].text == "-"
        ):
            return False  # `DAB`, `Pro-Beijing DAB`: organisations and stances
        if len(span) > 1 and span[-2].text == "-" and span[-1].lower_ in rules.hyphen_suffixes:
            return False  # `Warhol-like`
        i = span.start - 1
        if i > 0 and doc[i].pos_ == "DET":
            i -= 1  # `funk band The Time`
        before = doc[i] if i >= 0 else None
        after = doc[span.end] if span.end < len(doc) else None
        if before is not None and before.lower_ in {"of", "from"} and i >= 1 and doc[i - 1].pos_ == "PROPN":
            return False  # `Cheng Chung-tai of Civic Passion`: what follows a name's `of` is its affiliation
        if before is not None and (
            before.lower_ in rules.thing_nouns or (before.is_lower and before.lower_ in rules.org_nouns)
        ):
            return False
        return after is None or not (after.is_lower and after.lower_ in rules.org_nouns)

    def _clean(self, span: Span) -> Span | None:
        """The name alone: no honorific, title, determiner or possessive."""
        doc = self.doc
        start, end = span.start, span.end
        start = self._past_titles(start, end)
        while start >= 2 and doc[start - 1].text == "-" and _glued(doc, start) and _glued(doc, start - 1):
            start -= 2  # and at the other half: `Marie Okwo Bele` of `Jean-Marie Okwo Bele`
        while end < len(doc) and _glued(doc, end) and (doc[end].text == "-" or doc[end - 1].text == "-"):
            end += 1  # the model stops at a hyphen: `Wong Yeung` of `Wong Yeung-tat`
        owner_end = next((t.i for t in doc[start:end] if t.tag_ == "POS" and t.i > start), None)
        if owner_end is not None:
            end = owner_end  # `Warren Beatty’s Reds`: the person owns what follows
        while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct):
            end -= 1
        if end < len(doc) and doc[end].pos_ == "PROPN" and _glued(doc, end - 1) is False and start < end:
            end = max(
                end, name_end(doc, start)
            )  # the model stopped inside a name: `Etemad-e` of `Etemad-e Melli`
        name = doc[start:end]
        return name if self.plausible(name) else None

    # -- the ways news names people ----------------------------------------------
    def find(self) -> list[Span]:
        """Every name mention, in text order; `self.by_rule` holds the starts of those the text
        itself presents as people (not the model alone)."""
        taken: set[int] = set()
        found: list[Span] = []
        self.by_rule: set[int] = set()
        for span, ruled in self._candidates():
            if span is None or any(i in taken for i in range(span.start, span.end)):
                continue
            taken.update(range(span.start, span.end))
            found.append(span)
            if ruled:
                self.by_rule.add(span.start)
        for span in self._coordinated(found, taken):
            taken.update(range(span.start, span.end))
            found.append(span)
            self.by_rule.add(span.start)
        return sorted(found, key=lambda s: s.start)

    def _coordinated(self, found: list[Span], taken: set[int]) -> Iterator[Span]:
        """`Hui Chi-fung from the Democratic Party and Tanya Chan of the Civic Party`: a name
        listed with a person's is a person's, whatever the model calls it."""
        queue = sorted(found, key=lambda s: s.start)
        while queue:
            name = queue.pop(0)
            at = next_in_list(self.doc, name.end)
            if at is None or at in taken:
                continue
            span = self._run(at, labels=False)
            if span is not None and span.start == at and len(span) > 1:
                yield span
                queue.insert(0, span)

    def _candidates(self) -> Iterator[tuple[Span | None, bool]]:
        # Order matters: a span found by an earlier rule keeps its tokens.
        for tail in self._fused_tails():
            yield tail, True
        for i in range(len(self.doc) - 1):
            if _is_word_cap(self.doc[i + 1]):
                for name in (*self._after_role(i), *self._examples(i)):
                    yield name, True
            for name in self._kin_set_off(i):
                yield name, True
        for ent in self.doc.ents:
            if ent.label_ == "PERSON":
                yield self._clean(ent), False
        for i, token in enumerate(self.doc):
            inside_word = i > 0 and _glued(self.doc, i) and self.doc[i - 1].text == "-"  # `Abu-Mulal`
            if _is_word_cap(token) and (i == 0 or not _is_word_cap(self.doc[i - 1])) and not inside_word:
                yield self._by_context(i), True

    def _past_titles(self, start: int, end: int) -> int:
        """Where the name starts: after the honorifics, titles, role words and determiners that
        open the run (`Prime Minister X`), and after a later title that two words of name follow
        (`Liberal Democrat Vince Cable`; not `Martin Luther King Jr.`)."""
        doc = self.doc
        begin = start
        while begin < end - 1 and self._title_like(doc[begin]) and not _glued(doc, begin + 1):
            begin += 1
        for i in range(begin, end - 2):
            if self._title_like(doc[i]) and not _glued(doc, i + 1) and doc[i].text[:1].isupper():
                begin = i + 1
        return begin

    def _title_like(self, token: Token) -> bool:
        rules = self.rules
        opening = token.is_sent_start or (token.i > 0 and token.doc[token.i - 1].is_punct)
        before = token.doc[token.i - 1] if token.i > 0 else None
        # `resident Dean Fosse`: a capitalised role word after a lower-case one is a first name
        described = before is not None and before.is_lower and before.lemma_.lower() in rules.person_nouns
        return (
            token.lower_ in rules.honorifics
            or token.lower_ in rules.titles
            or (token.lower_ in rules.role_nouns and not (described and token.text[:1].isupper()))
            or (opening and token.lower_ in rules.person_nouns)  # `Novelist Helen Brook wrote:`
            or token.pos_ in {"DET", "PUNCT"}
            or not token.text[:1].isupper()
        )

    def _run(self, start: int, *, after_role: bool = False, labels: bool = True) -> Span | None:
        """The name starting at `start`; with `labels`, not one the model calls an organisation,
        a work or an event (the text's own evidence, a role word before it, overrides the model)."""
        end = name_end(self.doc, start)
        if end == start:
            return None
        start = self._past_titles(start, end)
        span = self.doc[start:end]
        if (
            labels
            and not after_role
            and any(t.ent_type_ in NOT_PERSON_LABELS - {"NORP", "GPE", "LOC"} for t in span)
        ):
            return None
        return span if self.plausible(span, after_role=after_role) else None

    def _after_role(self, i: int) -> Iterator[Span | None]:
        """`cartoonist Mike Peters`, `her son Scott`, `Dr. Haddad`, and lists after a plural role.

        A role word written with a capital is part of a name or title (`Mother Goose`, `Star
        Wars`) unless it is a title of address (`President X`)."""
        token, rules = self.doc[i], self.rules
        role = token.lower_ in rules.person_nouns or token.lemma_.lower() in rules.person_nouns
        title = token.lower_ in rules.honorifics or token.lower_ in rules.titles
        if not (role or title) or (token.text[:1].isupper() and not title):
            return
        if token.pos_ not in {"NOUN", "PROPN", "ADJ", "VERB"} and token.lower_ not in rules.honorifics:
            return  # the tagger reads `chief` as an adjective and `athletes` as a verb now and then
        plural = token.tag_ in {"NNS", "NNPS"} or (
            token.lower_ != token.lemma_.lower() and token.lower_.endswith("s")
        )
        # A title of address (`Councillor Rita Owusu`) or a role in lower case is the text's own
        # evidence: it overrides the model's label and the words that usually name things.
        yield from self._list_from(i + 1, after_role=title or (role and token.is_lower), plural=plural)

    def _kin_set_off(self, i: int) -> Iterator[Span | None]:
        """`his son, Nicholas,`, `his sons, Adam, Matthew and Anthony`: a relative of someone
        owned, then the first names set off by a comma."""
        doc, token = self.doc, self.doc[i]
        if token.lemma_.lower() not in self.rules.kinship or not token.is_lower or i + 2 >= len(doc):
            return
        owned = any(c.dep_ == "poss" for c in token.children)
        if owned and doc[i + 1].text == "," and _is_word_cap(doc[i + 2]):
            yield from self._list_from(i + 2, after_role=True, plural=token.tag_ == "NNS")

    def _list_from(self, start: int, *, after_role: bool, plural: bool) -> Iterator[Span | None]:
        name = self._run(start, after_role=after_role)
        while name is not None:
            yield name
            name = self._next_in_list(name.end) if plural else None

    def _examples(self, i: int) -> Iterator[Span | None]:
        """`photographers who used the camera, such as Ansel Adams, Chuck Close, …`."""
        if example_group(self.doc, i, self.rules) is not None:
            yield from self._list_from(i + 1, after_role=True, plural=True)

    def _next_in_list(self, end: int) -> Span | None:
        at = next_in_list(self.doc, end)
        return self._run(at, after_role=True) if at is not None else None

    def _by_context(self, i: int) -> Span | None:
        """A capitalised run that the sentence shows is a person: a speaker, an apposition, `who`."""
        # Described as a person, a run is a name even when its last word usually names a place
        # or a thing (`Lee Park, the chief executive of Arcline,`).
        span = self._run(i, labels=False, after_role=True)
        if span is None:
            return None
        if len(span) == 1 and span[0].is_sent_start and span[0].pos_ != "PROPN":
            return None
        if self._described_as_person(span):
            return span
        if self._speaks(span) and self._run(i) is not None:
            return self._run(i)
        return None

    def _speaks(self, span: Span) -> bool:
        root = span.root
        return (
            root.dep_ == "nsubj"
            and root.head.pos_ == "VERB"
            and root.head.lemma_.lower() in self.verbs
            and not any(t.ent_type_ in NOT_PERSON_LABELS for t in span)
        )

    def _described_as_person(self, span: Span) -> bool:
        """`Valeska Paris, an Australian woman,`, `the team's coach, Ali Reza,`, `Afdhal, 24,`, `X, who`."""
        doc, rules = self.doc, self.rules
        after = doc[span.end + 1] if span.end + 1 < len(doc) and doc[span.end].text == "," else None
        if after is not None and after.lower_ == "who" and after.head.head.i in range(span.start, span.end):
            return True  # `Giffords, who …`, not `former members of Scientology, who …`
        if after is not None and after.like_num and after.i + 1 < len(doc) and doc[after.i + 1].text == ",":
            return True  # an age
        for token in (*span, *(t for t in span.root.children if t.dep_ == "appos")):
            head = token.head if token.dep_ == "appos" else token
            for other in (head, *(c for c in head.children if c.dep_ == "appos")):
                outside = other.i not in range(span.start, span.end)
                if outside and other.pos_ == "NOUN" and other.lemma_.lower() in rules.person_nouns:
                    return True
        return False

    def _fused_tails(self) -> Iterator[Span | None]:
        """`Amnesty International Hassiba Hadj Sahraoui said`, `New People Party's Regina Ip`: a
        name glued to the organisation before it. The tail is a name when a possessive divides
        it from the organisation, when its surname is used alone elsewhere, or when it speaks
        or is described as a person right after the span."""
        doc = self.doc
        for ent in doc.ents:
            if ent.label_ != "ORG" or len(ent) < 2:
                continue
            end = ent.end
            while end > ent.start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct):
                end -= 1
            owner = next((t.i for t in doc[ent.start : end] if t.tag_ == "POS"), None)
            if owner is not None and owner + 1 < end:
                tail = doc[owner + 1 : end]
                if self.plausible(tail, after_role=True):  # `Demosisto's Nathan Law`: the owner is the role
                    yield tail
                    continue
            for size in (3, 2):
                tail = doc[end - size : end]
                if tail.start <= ent.start or not self.plausible(tail) or not tail[-1].is_alpha:
                    continue
                if doc[tail.start - 1].text == "-" and _glued(doc, tail.start):
                    continue  # `Jean-Marie Okwo Bele` is one name, not `Jean-` and a tail
                if self._alone_elsewhere(tail[-1], ent) or self._speaks_after(end):
                    yield tail
                    break

    def _speaks_after(self, end: int) -> bool:
        """`… Alia Salem said`, `… Iason Athanasiadis-Fowden, reporter for …`."""
        doc = self.doc
        if end >= len(doc):
            return False
        nxt = doc[end]
        if nxt.pos_ == "VERB" and nxt.lemma_.lower() in self.verbs:
            return True
        if nxt.text == "," and end + 1 < len(doc):
            words = doc[end + 1 : end + 3]
            return any(t.lemma_.lower() in self.rules.person_nouns for t in words)
        return False

    def _alone_elsewhere(self, surname: Token, ent: Span) -> bool:
        del ent  # its tokens carry the ORG label, so they are not counted in self._alone
        return self._alone[surname.text] > 0
