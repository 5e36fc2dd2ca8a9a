"""A headline and a summary for an article that has none: read from the lede, never invented.

The lede's sentences are spaCy's (the parser knows that `U.S.`, `Dr.` and `a.m.` end no
sentence), so a summary is whole sentences and never stops inside one. The headline is the
first sentence's main clause, read from its dependency parse:

- a dateline, a leading phrase (`On Friday,`, `In an exclusive interview yesterday,`) and
  days (`Tuesday`) are dropped, as are asides: appositions, brackets, dashes;
- an attribution is dropped, with the clause it attributes kept: `X is Y, officials said`
  and `Media says X is Y` give `X is Y` (rules/headline.yml lists the verbs);
- while it is longer than MAX_CHARS, the dependents a headline can lose go, cheapest first
  (adverbs, modifying clauses, a second clause, prepositional phrases), rightmost first; the
  subject, the verb and its object stay.

`read_lede` runs at extraction (it needs the parse) and its result is cached with the
extraction; `title` and `summary` run on every build and need no model.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

from build_tools import patterns
from build_tools.model import Article, Lede, Span

if TYPE_CHECKING:  # spaCy is imported only where a parse exists (extraction)
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as Sentence

MAX_CHARS = 90  # a headline fits one line of a phone's list and Google's 110-character limit
MIN_CLAUSE_TOKENS = 3  # an attributed clause shorter than this is not the news (`…, he said so`)
MAX_ASIDE_TOKENS = 30  # a dash this far from the last one closes an aside; farther, it opens one
SUBJECTS = {"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"}
OBJECTS = {"dobj", "attr", "acomp", "xcomp", "ccomp", "oprd", "pobj", "dative"}
NAME_PARTS = {"compound", "det", "amod", "poss", "nummod", "case", "quantmod"}
LEADING = {"prep", "advcl", "advmod", "npadvmod", "mark", "intj", "cc", "punct", "tmod"}
TIME_ENTITIES = {"DATE", "TIME"}
CLAUSE_HEADS = ("VERB", "AUX", "NOUN", "PROPN")  # an adverb of a number or an adjective stays: `at least 132`
COMPARISONS = {"as", "than"}  # `as severe as the disaster`: the comparison is the news
UNTITLED = "Untitled article"


@dataclass(frozen=True)
class Rules:
    attribution_verbs: frozenset[str]
    always_drop: frozenset[str]
    optional: tuple[frozenset[str], ...]
    kept_adverbs: frozenset[str]
    no_last: frozenset[str]


@cache
def rules() -> Rules:
    text = resources.files("build_tools.rules").joinpath("headline.yml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return Rules(
        frozenset(data["attribution_verbs"]),
        frozenset(data["always_drop"]),
        tuple(frozenset(group) for group in data["optional"]),
        frozenset(data["kept_adverbs"]),
        frozenset(data["no_last"]),
    )


# -- at extraction: the parse -> Lede ------------------------------------------------------------
def read_lede(doc: Doc, article: Article) -> Lede:
    lede = article.paragraphs[0].span
    begin = article.dateline.end if article.dateline else lede.start
    sentences = [s for s in doc.sents if s.end_char > begin and s.start_char < lede.end]
    spans = (_trimmed(article.text, max(s.start_char, begin), min(s.end_char, lede.end)) for s in sentences)
    headline = next((h for s in sentences if s.start_char >= begin and (h := clause_headline(s))), "")
    return Lede(tuple(s for s in spans if s.end > s.start), headline)


def _trimmed(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


@dataclass
class _Clause:
    """The tokens of a sentence still in the headline, and those that must stay."""

    sentence: Sentence
    head: Token
    keep: set[int]
    core: set[int]
    quoted: set[int]  # inside quotation marks: a title or a quote is kept or dropped whole
    protected: set[int]  # the core and the words that name its subject and object (`Lai Changxing`)

    def text(self) -> str:
        return _text(self.sentence, self.keep)


def clause_headline(sentence: Sentence) -> str:
    """The sentence's main clause as a headline, or "" when it has no verb to make one."""
    r = rules()
    head = _main_clause(sentence.root, r)
    if head.pos_ not in {"VERB", "AUX"}:
        return ""
    text = _shortened(_clause(sentence, head))
    inner = _main_clause(head, r, named=True)
    if len(text) > MAX_CHARS and inner.i != head.i:  # `WHO stated X is Y` at 106 characters: `X is Y`
        text = _shortened(_clause(sentence, inner))
    return text


def _clause(sentence: Sentence, head: Token) -> _Clause:
    keep = {t.i for t in head.subtree if sentence.start <= t.i < sentence.end and not t.is_space}
    core = _core(head)
    clause = _Clause(sentence, head, keep, core, _quoted(sentence), _protected(head, core))
    _drop_asides(clause)
    return clause


def _shortened(clause: _Clause) -> str:
    """Drop phrases until the headline fits, group by group: in a group, the shortest phrase whose
    loss alone is enough, else the innermost of those that end furthest right, and again."""
    for group in rules().optional:
        while len(text := clause.text()) > MAX_CHARS and (found := _candidates(clause, group)):
            sizes = {t.i: _size(clause, t) for t in found}
            enough = [t for t in found if sizes[t.i] + 1 >= len(text) - MAX_CHARS]
            if enough:
                _drop(clause, min(enough, key=lambda t: (sizes[t.i], -t.i)))
            else:
                _drop(clause, max(found, key=lambda t: (t.right_edge.i, t.i)))
    _drop_orphans(clause)
    return _tidy(clause)


def _hyphenated(token: Token) -> bool:
    """`Scientology-owned`, `record-breaking`: half a word is no phrase."""
    doc = token.doc
    return not token.whitespace_ and token.i + 1 < len(doc) and doc[token.i + 1].text == "-"


def _bare(token: Token) -> bool:
    """`years`, `west`, `News`: a noun with no determiner, whose `of` phrase it cannot lose."""
    return not any(c.dep_ in {"det", "poss", "compound", "amod", "nummod"} for c in token.children)


def _candidates(clause: _Clause, deps: frozenset[str]) -> list[Token]:
    return [t for t in clause.sentence if t.i in clause.keep and _droppable(clause, t, deps)]


def _size(clause: _Clause, token: Token) -> int:
    span = set(range(token.left_edge.i, token.right_edge.i + 1))
    return len(_text(clause.sentence, clause.keep & (span - clause.protected)))


def _drop_orphans(clause: _Clause) -> None:
    """Words whose head went with a dropped phrase (a misparse leaves `a complaint … Sections 4
    and 16`): they read as if they belonged to their neighbour."""
    changed = True
    while changed:
        changed = False
        for token in clause.sentence:
            if token.i in clause.keep and token.i not in clause.protected and token.head.i not in clause.keep:
                _drop(clause, token)
                changed = True


def _main_clause(root: Token, r: Rules, *, named: bool = False) -> Token:
    """The clause that carries the news: an attributed complement rather than its attribution.
    `X is Y, officials said` and `Media says X is Y` lose the attribution; `WHO stated X is Y`
    keeps it (a named source that comes first is part of the news) unless `named` is set."""
    if root.lemma_.lower() not in r.attribution_verbs:
        return root
    clauses = [c for c in root.children if c.dep_ == "ccomp" and len(list(c.subtree)) >= MIN_CLAUSE_TOKENS]
    if not clauses:
        return root
    subject = next((c for c in root.children if c.dep_ in SUBJECTS), None)
    by_name = subject is not None and subject.pos_ == "PROPN"
    return clauses[0] if clauses[0].i < root.i or not by_name or named else root


def _core(head: Token) -> set[int]:
    """The verb, its auxiliaries, its subject and its object: never dropped. A subject the
    parser hung elsewhere (`Lai Changxing, dubbed the Bandit King, has been given`) is found
    before the verb."""
    core = {head.i}
    for child in head.children:
        if child.dep_ in {"aux", "auxpass", "neg", "prt", "agent"} | SUBJECTS | OBJECTS:
            core.add(child.i)
    if not any(head.doc[i].dep_ in SUBJECTS for i in core):
        before = [t for t in head.subtree if t.i < head.i and t.dep_ in SUBJECTS]
        # `Tuesday was a tumultuous day`: the time phrase is the subject
        before = before or [c for c in head.children if c.dep_ == "npadvmod" and c.i < head.i]
        core.update(t.i for t in before[:1])
    return core


def _protected(head: Token, core: set[int]) -> set[int]:
    names = set(core)
    for i in core:
        token = head.doc[i]
        if token.dep_ in SUBJECTS | {"dobj", "attr", "npadvmod"}:
            names |= {c.i for c in token.children if c.dep_ in NAME_PARTS}
    return names


def _quoted(sentence: Sentence) -> set[int]:
    inside, opened = set(), False
    for token in sentence:
        if token.is_quote:
            opened = not opened if token.text in {'"', "'"} else token.text in {"“", "‘"}
        elif opened:
            inside.add(token.i)
    return inside


def _drop_asides(clause: _Clause) -> None:
    r, head = rules(), clause.head
    first_core = min(clause.core)
    has_subject = any(c.dep_ in SUBJECTS for c in head.children)
    for child in list(head.children):
        if child.i in clause.core:
            continue
        if child.i < first_core and child.dep_ in LEADING and (has_subject or child.dep_ != "npadvmod"):
            _drop(clause, child)  # `On Friday,` `In an exclusive interview yesterday,`
        elif child.dep_ in {"advcl", "conj"} and child.lemma_.lower() in r.attribution_verbs:
            _drop(clause, child)  # `, i24NEWS reported Tuesday, citing an Afghan source`
        elif child.dep_ == "conj" and child.pos_ not in CLAUSE_HEADS[:2]:
            _drop(clause, child)  # a misparse: `filed a complaint …, and the California … Code`
    for token in clause.sentence:
        if token.i not in clause.keep or token.i in clause.core or token.i in clause.quoted:
            continue
        aside = token.dep_ in r.always_drop
        if aside or _is_time_phrase(token) or _is_according_to(token) or _core_apposition(clause, token):
            _drop(clause, token)
    _drop_brackets(clause)


def _core_apposition(clause: _Clause, token: Token) -> bool:
    return token.dep_ == "appos" and token.head.i in clause.core


def _is_time_phrase(token: Token) -> bool:
    """`on Sunday`, `on Thursday morning`, `two days ago`, `Tuesday`: a day is no headline's business
    (`record-breaking` and `Scientology-owned` are no days, and `Tuesday was a tumultuous day` keeps it)."""
    if token.dep_ in {"npadvmod", "tmod"}:
        head = token.head
        subject = any(c.dep_ in SUBJECTS for c in head.children) or head.pos_ not in {"VERB", "AUX"}
        return subject and all(t.ent_type_ in TIME_ENTITIES for t in token.subtree)
    if token.dep_ == "prep":
        objects = [c for c in token.children if c.dep_ == "pobj"]
        return bool(objects) and all(t.ent_type_ in TIME_ENTITIES for o in objects for t in o.subtree)
    return token.dep_ == "advmod" and token.lower_ == "ago"


def _is_according_to(token: Token) -> bool:
    return token.dep_ == "prep" and token.lower_ == "according"


def _drop_brackets(clause: _Clause) -> None:
    """`(VOA)`, `(29075)` and a dashed aside `–one of the world's most austere regimes–`."""
    opened: int | None = None
    dash: int | None = None
    for token in clause.sentence:
        if token.text == "(":
            opened = token.i
        elif token.text == ")" and opened is not None:
            clause.keep.difference_update(range(opened, token.i + 1))
            opened = None
        elif token.text in {"–", "—"}:
            if dash is not None and token.i - dash <= MAX_ASIDE_TOKENS:
                clause.keep.difference_update(range(dash, token.i + 1))
                dash = None
            else:
                dash = token.i


def _droppable(clause: _Clause, token: Token, deps: frozenset[str]) -> bool:
    r, head, dep = rules(), clause.head, token.dep_
    if token.i in clause.core or token.i in clause.quoted or _hyphenated(token):
        return False
    if dep == "advmod":  # `primarily`, `now`; not `held together`, `as severe as`, `at least 132`
        headed = token.head.pos_ in CLAUSE_HEADS or (token.head.pos_ == "ADJ" and token.lower_.endswith("ly"))
        return "advmod" in deps and headed and token.lower_ not in r.kept_adverbs
    if dep == "prep":
        if token.lower_ in COMPARISONS or (token.lower_ == "of" and _bare(token.head)):
            return False  # `as severe as the disaster`, `years of smuggling`, `west of Tripoli`
        if token.head.i == head.i and any(c.dep_ in OBJECTS and c.i < token.i for c in head.children):
            return "adjunct" in deps  # the verb's own phrase after its object: `at an event`
        return ("of" if token.lower_ == "of" else "prep") in deps
    if dep == "compound" and "descriptor" in deps:  # `the human rights organization Amnesty International`
        return token.pos_ == "NOUN" and token.head.pos_ == "PROPN" and token.i < token.head.i
    return dep in deps


def _drop(clause: _Clause, token: Token) -> None:
    """Drop a phrase, and the commas that set it off."""
    keep, doc, sentence = clause.keep, clause.sentence.doc, clause.sentence
    first, last = token.left_edge.i, token.right_edge.i
    keep.difference_update(set(range(first, last + 1)) - (clause.protected - {token.i}))
    before = doc[first - 1] if first - 1 >= sentence.start else None
    after = doc[last + 1] if last + 1 < sentence.end else None
    comma_before = before is not None and before.text == "," and before.i in keep
    if before is not None and comma_before:
        keep.discard(before.i)
    leading = min(keep, default=last) > last
    set_off = comma_before or leading or (after is not None and _verb_next(clause, after))
    if after is not None and after.text == "," and after.i in keep and set_off:
        keep.discard(after.i)  # `Burns, U.S. Undersecretary …, spoke`, `On Sunday, Adele`, `A team, has`


def _verb_next(clause: _Clause, comma: Token) -> bool:
    """Whether the next word kept is the verb or its auxiliary: no comma between subject and verb."""
    nxt = min((i for i in clause.keep if i > comma.i), default=None)
    return nxt is not None and (nxt == clause.head.i or clause.sentence.doc[nxt].dep_ in {"aux", "auxpass"})


def _text(sentence: Sentence, keep: Iterable[int]) -> str:
    kept = sorted(keep)
    parts = []
    for n, i in enumerate(kept):
        token = sentence.doc[i]
        adjacent = n + 1 < len(kept) and kept[n + 1] == i + 1
        parts.append(token.text_with_ws if adjacent else token.text + " ")  # a dropped phrase leaves a space
    text = patterns.ANY_SPACE.sub(" ", "".join(parts)).strip()
    return patterns.SPACE_BEFORE_PUNCTUATION.sub(r"\1", text)


def _tidy(clause: _Clause) -> str:
    """No full stop, no dangling word or mark at the end, and a capital at the start."""
    r, doc = rules(), clause.sentence.doc
    kept = sorted(clause.keep)

    def dangling(token: Token) -> bool:
        mark = token.is_punct and not token.is_quote
        return mark or (token.lower_ in r.no_last and token.dep_ not in OBJECTS)

    while kept and dangling(doc[kept[-1]]):
        kept.pop()
    while kept and doc[kept[0]].is_punct and not doc[kept[0]].is_quote:
        kept.pop(0)
    text = _text(clause.sentence, kept)
    return text[:1].upper() + text[1:]


# -- on every build: Lede -> title and summary ----------------------------------------------------
def title(article: Article, lede: Lede | None) -> str:
    """The derived headline; a lede the parser found no clause in gives its first words."""
    if lede is not None and lede.headline:
        return lede.headline
    words = first_sentence(article, lede).rstrip(".").split()
    text = ""
    for word in words:
        if len(text) + len(word) + 1 > MAX_CHARS:
            return text + " …"
        text = f"{text} {word}".strip()
    return (text[:1].upper() + text[1:]) or UNTITLED


def summary(article: Article, lede: Lede | None) -> str:
    """The lede's first sentence, whole, the dateline left out."""
    return first_sentence(article, lede)


def first_sentence(article: Article, lede: Lede | None) -> str:
    if lede is not None and lede.sentences:
        first = lede.sentences[0]
        return article.text[first.start : first.end]
    return split_sentences(_undated_lede(article))[0]


def _undated_lede(article: Article) -> str:
    text = article.paragraphs[0].text
    return text[article.dateline.end :].strip() if article.dateline else text


def split_sentences(text: str) -> list[str]:
    """Sentences without a parse (a hand-made extraction): a full stop after an initial or a
    known abbreviation (`U.S.`, `Dr.`, `Gen.`, `a.m.`) ends none."""
    sentences, start = [], 0
    for match in patterns.SENTENCE_END.finditer(text):
        before = text[start : match.start()]
        if before.endswith(".") and patterns.ABBREVIATION_BEFORE_DOT.search(before[:-1]):
            continue
        sentences.append(before.strip())
        start = match.end()
    sentences.append(text[start:].strip())
    return [s for s in sentences if s] or [text.strip()]
