"""The role the article gives a person, read from the words around each mention of the name.

English news states a role in a handful of places, each a rule here:
- before the name: a title or description (`NASA Administrator Charles Bolden`, `match
  referee Joel Bauer`, `Pulitzer Prize-winning cartoonist Sam Ortiz`, `Norway's goalkeeper
  Ola Berg`, `DAB's Ben Chan`), also set off by a comma (`Kenya's Foreign Minister, John
  Mwangi said`) or brackets; a plural role shared by a list (`photographers A, B and C`);
- after the name: an affiliation (`of the Labour Party`, `(R-Minnesota)`), an apposition
  (`Lee Park, the chief executive of Arcline,`; `Afdhal, 24,`) or a present-tense relative
  clause (`Smith, who chairs the committee,`);
- as the predicate of a copula (`Megrahi was the only man convicted …`), or its subject when
  the names are the predicate (`Other candidates elected were A and B`).
A kinship word names whose relative the person is: `his son X` becomes `<Owner>'s son`.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from build_tools import patterns
from build_tools.extract.names import example_group, next_in_list
from build_tools.extract.rules import Rules

PRE_TITLE_POS = {"PROPN", "NOUN", "ADJ", "PART", "NUM"}
PRE_TITLE_ADP = {"of", "at", "for", "on", "in"}
COPULAS = {"be", "become", "remain"}
MAX_ROLE_TOKENS = 24
MAX_ROLES = 3
CLAUSE_END = {",", ".", ";", ":", '"', "“", "”", "(", ")"}
DASHES = {"-", "–", "—", "--"}
PLACE_LABELS = {"GPE", "LOC", "FAC"}  # what the model calls places: `at Manchester Arena` is no affiliation


def _allowed_in_title(token: Token, person_nouns: frozenset[str] = frozenset()) -> bool:
    if token.is_upper and len(token.text) >= 2 and token.is_alpha:
        return True  # an abbreviation, whatever the tagger says: `Director-General of WHO`
    if token.lemma_.lower() in person_nouns or token.lower_ in person_nouns:
        return True  # a role word, whatever the tagger says: `photographers` read as a verb
    if token.i > 0 and token.doc[token.i - 1].text == "-" and not token.doc[token.i - 1].whitespace_:
        return True  # the second half of a compound: `Pulitzer Prize-winning`
    if token.pos_ in PRE_TITLE_POS or token.tag_ == "HYPH" or token.text in {"&", "-"}:
        return True
    if token.tag_ in {"VBG", "VBN"} and token.dep_ == "amod":
        return True  # `surviving son`, `acting director`, `retired general`
    if token.pos_ == "ADP":
        return token.lower_ in PRE_TITLE_ADP
    if token.pos_ == "DET":
        return token.lower_ == "the" and token.i > 0 and token.doc[token.i - 1].pos_ == "ADP"
    if token.pos_ == "CCONJ":
        return token.i > 0 and token.doc[token.i - 1].pos_ in {"NOUN", "ADJ", "PROPN"}
    return False


class RoleReader:
    def __init__(self, doc: Doc, rules: Rules, names: list[Span]) -> None:
        self.doc, self.rules = doc, rules
        self._name_at = {n.start: n for n in names}
        self._in_name = {i for n in names for i in range(n.start, n.end)}

    def is_role_word(self, token: Token) -> bool:
        rules = self.rules
        lower, lemma = token.lower_, token.lemma_.lower()
        return lower in rules.titles or lower in rules.person_nouns or lemma in rules.person_nouns

    # -- before the name ----------------------------------------------------------
    def _title_span(self, index: int) -> Span | None:
        """Title phrase that ends right before token `index` (a bracketed abbreviation may sit
        inside it: `The secretary general of CEI (Italian Episcopal Conference)`)."""
        doc = self.doc
        # Bounded by punctuation, not by the parser's sentences: it often starts one at a name.
        sent_start = 0
        start = index
        while start > sent_start and index - start < MAX_ROLE_TOKENS:
            before = doc[start - 1]
            if self._title_stops(start, index):
                break
            if before.text == ")":
                opening = next(
                    (t.i for t in reversed(doc[max(sent_start, start - 8) : start - 1]) if t.text == "("),
                    None,
                )
                if opening is None:
                    break
                start = opening
            elif _allowed_in_title(before, self.rules.person_nouns):
                start -= 1
            else:
                break
        while start < index and (doc[start].pos_ in {"ADP", "DET", "CCONJ", "NUM"} or doc[start].is_punct):
            if _glued_number(doc[start]):
                break  # `31-year-old resident` keeps the age
            start += 1  # 'from US President' -> 'US President'; 'One Rohingya' -> 'Rohingya'
        span = doc[start:index]
        if not span or span[-1].pos_ == "ADP":
            return None  # `a spokesman for Alice Moreno`: for whom, not what Moreno is
        last = span[-1]
        possessed = last.tag_ == "POS" and len(span) >= 2  # `DAB's Ben Chan`, `Labour's Yvette Cooper`
        if any(self.is_role_word(t) for t in span) or possessed:
            return span
        return None

    def _title_stops(self, start: int, index: int) -> bool:
        """Whether the title that ends before token `index` cannot also take token `start - 1`."""
        doc = self.doc
        before = doc[start - 1]
        if start - 1 in self._in_name and not (start < index and doc[start].tag_ == "POS"):
            return True  # another name ends the title, unless it owns it: `Paris's father`
        if before.text in DASHES and (before.whitespace_ or start < 2 or doc[start - 2].whitespace_):
            return True  # a spaced dash ends a dateline or an aside: `(Reuters) - Cisco Chief Executive`
        if before.pos_ == "ADP" and start >= 2:
            owner = doc[start - 2]  # `director for the Middle East`, `Professor of Ophthalmology`
            described = self.is_role_word(owner) or owner.pos_ == "PROPN" or owner.tag_ == "POS"
            # `the murder of Det. X`, `the 2008 murders of singer Y`: a preposition of events stops it
            event = owner.tag_ == "NNS" or owner.lemma_.lower() in self.rules.event_nouns
            return not described and (event or owner.ent_type_ in {"DATE", "TIME"})
        return False

    def pre_title(self, name: Span) -> Span | None:
        doc, rules = self.doc, self.rules
        first = name.start
        while first > 0 and doc[first - 1].lower_ in rules.honorifics:
            first -= 1
        span = self._title_span(first)
        # `Malaysia's Prime Minister, Najib Razak said`, `Another activist, David Quinn,` and an
        # editor's `[former CEO] Bonnie Dunbar`: a title set off before the name.
        if span is None and first >= 2 and doc[first - 1].text in {",", "]", ")"}:
            span = self._title_span(first - 1)
            if span is not None and not _starts_clause(span):
                span = None
        return span

    def example_of(self, name: Span) -> str | None:
        """`celebrity guests like Stan Lee`, `photographers who used the camera, such as Ansel
        Adams`, `former members of Scientology, including musician Tiziano Lugli`: the group a
        list of examples belongs to, singular. For the first name of the list; people.py
        passes it on to the others."""
        pre = self.pre_title(name)
        first = pre.start if pre is not None else name.start  # `including musician Tiziano Lugli`
        if first == 0:
            return None
        group = example_group(self.doc, first - 1, self.rules)
        return self._group_text(group, before=name.start) if group is not None else None

    def _group_text(self, group: Token, *, before: int) -> str:
        words = [
            t
            for t in group.lefts
            if t.dep_ in {"compound", "amod"} and t.lower_ not in {"other", "several", "many"}
        ]
        text = " ".join([*(t.text for t in words), group.lemma_])
        of = next((c for c in group.rights if c.dep_ == "prep" and c.lower_ == "of"), None)
        if of is not None and of.right_edge.i < before:
            text += " " + self.doc[of.i : of.right_edge.i + 1].text
        return text

    # -- after the name -----------------------------------------------------------
    def affiliation(self, name: Span) -> str | None:
        """`of the University of Sydney`, `from the Civic Party`, `(R Minnesota)`."""
        doc = self.doc
        if name.end + 1 >= len(doc):
            return None
        word = doc[name.end]
        if word.text == "(":
            close = next((t.i for t in doc[name.end : name.end + 6] if t.text == ")"), None)
            return doc[name.end : close + 1].text if close is not None and close > name.end + 1 else None
        if word.lower_ not in {"of", "from", "at"}:
            return None
        start = name.end + 1
        if doc[start].lower_ == "the" and start + 1 < len(doc):
            start += 1
        end = start
        while end < len(doc) and ((doc[end].ent_iob_ == "I" and end > start) or doc[end].text[:1].isupper()):
            if end in self._in_name:
                break
            end += 1
        if end == start or (word.lower_ == "at" and self._is_place(doc[start:end])):
            return None  # `Ariana Grande at Manchester Arena` is where she was, not whom she is with
        return doc[name.end : end].text

    def _is_place(self, span: Span) -> bool:
        return span[-1].lower_ in self.rules.facility_heads or any(t.ent_type_ in PLACE_LABELS for t in span)

    def apposition(self, name: Span) -> str | None:
        """`, the Taliban's spokesperson,` / `, 24, who works for …,` / `, who chairs the committee,`
        / `, then-Costa Rican ambassador to the United States.` / `, consultant to X said`."""
        doc = self.doc
        if name.end + 1 >= len(doc) or doc[name.end].text != ",":
            return None
        start = name.end + 1
        end = self._clause_end(start)
        phrase = doc[start:end]
        if not phrase or phrase[0].i in self._in_name or self._titled_name(phrase):
            return None
        if phrase[0].like_num and end < len(doc) and doc[end].text == ",":
            rest = self.apposition(doc[start:end])  # an age, then the description: `, 24, who …,`
            return f"{phrase.text}, {rest}" if rest else None  # an age alone is no role
        if phrase[0].lower_ == "who":
            return phrase.text if self._describes(phrase) else None
        if patterns.PARTY_AFFILIATION.match(phrase.text) or phrase[-1].lower_ in self.rules.party_members:
            return phrase.text  # `Ryan, R-Wis.,`, `Mr. Hoyer, Maryland Democrat,`
        verb = next((t.i for t in phrase if t.tag_ in {"VBD", "VBZ", "VBP", "MD"}), None)
        if verb is not None:
            phrase = doc[start:verb]  # the parser ran the description into the verb: `, consultant … said`
        if (
            not phrase
            or phrase[0].pos_ in {"PRON", "VERB", "AUX", "CCONJ", "SCONJ", "ADP"}
            or phrase[0].tag_ == "PRP"
        ):
            return None
        if phrase.root.tag_ == "NNS" or phrase.root.lemma_.lower() in self.rules.group_nouns:
            return None  # `Marconi, 50, police said`: many people, so not a description of this one
        # A role word; a described or bare noun (`, a virologist at …,`, `, boss of the …,`); an
        # owner's noun (`, al-Qaeda's second-in-command`).
        nouns = any(t.pos_ == "NOUN" for t in phrase)
        owned = any(t.tag_ == "POS" for t in phrase) and nouns
        described = phrase[0].pos_ in {"DET", "NOUN", "ADJ"} and nouns
        if any(self.is_role_word(t) for t in phrase) or described or owned:
            return _trimmed(phrase)
        return None

    def _titled_name(self, phrase: Span) -> bool:
        """`Betty Crocker, Col. Sanders,`: the next name of a list, with its title."""
        rules = self.rules
        first = next((t.i for t in phrase if t.i in self._in_name), None)
        words = list(phrase.doc[phrase.start : first]) if first is not None else []
        return bool(words) and all(t.lower_ in rules.titles or t.lower_ in rules.honorifics for t in words)

    def _clause_end(self, start: int) -> int:
        doc = self.doc
        end = start
        while (
            end < len(doc)
            and doc[end].text not in CLAUSE_END
            and not (end > start and doc[end].is_sent_start)
        ):
            end += 1
            if end - start > MAX_ROLE_TOKENS:
                return start
        return end

    def _describes(self, clause: Span) -> bool:
        """`who chairs the committee` describes a standing role; `who was shot in 2011` tells an event."""
        verbs = [t for t in clause if t.pos_ in {"VERB", "AUX"}]
        return bool(verbs) and verbs[0].tag_ in {"VBZ", "VBP"}

    # -- copulas ------------------------------------------------------------------
    def predicate(self, name: Span) -> str | None:
        """`X was the only individual convicted …`: the noun phrase after a copula with X as subject."""
        root = name.root
        verb = root.head
        if root.dep_ != "nsubj" or verb.lemma_.lower() not in COPULAS:
            return None
        attr = next((c for c in verb.children if c.dep_ == "attr" and c.pos_ == "NOUN"), None)
        if attr is None:
            return None
        span = self.doc[attr.left_edge.i : attr.right_edge.i + 1]
        return _trimmed(span) if len(span) <= MAX_ROLE_TOKENS and '"' not in span.text else None

    def subject_of_list(self, name: Span) -> str | None:
        """`Other pan-democrats elected were A of NWSC and B`: the subject's noun, singular."""
        token = name.root
        while token.dep_ == "conj":
            token = token.head
        verb = token.head
        if token.dep_ != "attr" or verb.lemma_.lower() != "be":
            return None
        subject = next((c for c in verb.children if c.dep_ == "nsubj" and c.pos_ == "NOUN"), None)
        if subject is None:
            return None
        words = [
            t
            for t in subject.lefts
            if t.dep_ in {"compound", "amod"} and t.lower_ not in {"other", "several"}
        ]
        return " ".join([*(t.text for t in words), subject.lemma_])

    # -- a person's roles ---------------------------------------------------------
    def roles(self, name: Span, owner: str | None, inherited: str | None) -> list[str]:
        """Every role stated at this mention, in reading order."""
        pre = self.pre_title(name)
        own = self.title_text(pre, owner) if pre is not None else None
        # A list's shared title or group comes with the name's own (`including musician A and actor B`).
        title = join_roles([r for r in (inherited, own) if r], separator=", ")
        before = " ".join(r for r in (title, self.affiliation(name)) if r)
        found = [before, self.apposition(name), self.predicate(name), self.subject_of_list(name)]
        return [r for r in found if r]

    def title_text(self, span: Span, owner: str | None) -> str:
        words = [t.text_with_ws for t in span]
        last = span[-1]
        plural = last.tag_ == "NNS" or (last.lower_ != last.lemma_.lower() and last.lower_.endswith("s"))
        if plural and self.is_role_word(last):
            words[-1] = last.lemma_  # `photographers A, B and C`: each is a photographer
        text = "".join(words).strip()
        if not owner or last.lemma_.lower() not in self.rules.kinship or any(t.tag_ == "POS" for t in span):
            return text
        before = self.doc[span.start - 1] if span.start else None
        if before is not None and before.tag_ == "PRP$":
            return f"{owner}'s {text}"  # `her son Scott` -> `Sarah Brady's son`
        return f"{text} of {owner}"  # `X is survived by sons A and B` -> `son of X`

    def list_members(self, name: Span) -> list[Span]:
        """The names that follow this one in `A, B and C`."""
        members: list[Span] = []
        at = next_in_list(self.doc, name.end)
        while at is not None and at in self._name_at:
            members.append(self._name_at[at])
            at = next_in_list(self.doc, self._name_at[at].end)
        return members


def _starts_clause(span: Span) -> bool:
    """Only a determiner, an adverb or a conjunction stands between the title and the start of
    its clause: `Also the president of the Lombardy region, Roberto Maroni,`."""
    doc = span.doc
    i = span.start - 1
    if i >= 0 and (doc[i].lower_ in {"a", "an", "the"} or doc[i].tag_ == "PRP$"):
        return True  # `to a Scientology attorney, Kendrick Moxon`: an apposition set off by commas
    if i >= 0 and doc[i].pos_ == "ADP" and any(t.tag_ == "POS" for t in span):
        return True  # `estranged from Hudson's sister, Julia,`
    while i >= span.sent.start and (doc[i].pos_ in {"DET", "ADV", "CCONJ"} or doc[i].tag_ == "PRP$"):
        i -= 1
    return i < span.sent.start or doc[i].is_punct or doc[i].pos_ == "VERB"


def _glued_number(token: Token) -> bool:
    """`31` of `31-year-old`: a number that starts a hyphenated word."""
    doc = token.doc
    hyphen = token.i + 1 < len(doc) and doc[token.i + 1].text == "-"
    return token.like_num and not token.whitespace_ and hyphen


def _trimmed(span: Span) -> str | None:
    tokens = list(span)
    while tokens and (
        tokens[-1].is_punct or tokens[-1].pos_ in {"CCONJ", "ADP"} or tokens[-1].tag_ in {"WP", "WDT"}
    ):
        tokens.pop()
    if not tokens or len(tokens) > MAX_ROLE_TOKENS:
        return None
    return span.doc[tokens[0].i : tokens[-1].i + 1].text


def join_roles(roles: list[str], *, separator: str = "; ") -> str | None:
    """Distinct roles in the order the article gives them, at most MAX_ROLES; a role that
    another one contains is left out."""
    kept: list[str] = []
    for role in roles:
        key = role.casefold()
        if any(key in k.casefold() for k in kept):
            continue
        kept = [k for k in kept if k.casefold() not in key]
        kept.append(role)
    return separator.join(kept[:MAX_ROLES]) or None
