"""Background: sentences that give context rather than report the news.

By the criterion of the fixtures README: a historical fact, a standing fact about the
world, or an earlier event brought in for comparison. Sentences with quotation marks are
quotes, never background; a sentence that reports what someone says now is news.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from build_tools import model, patterns
from build_tools.extract.quotes import MARKS
from build_tools.extract.rules import Rules
from build_tools.model import Article, Background


def _has_phrase(text: str, phrases: tuple[str, ...]) -> bool:
    lower = text.lower()
    return any(re.search(rf"\b{re.escape(p)}\b", lower) for p in phrases)


def _reports_now(sent: Span, rules: Rules) -> bool:
    """'the source continued', 'Ambassador Burns commented': a present report, not context."""
    return any(
        t.pos_ == "VERB"
        and t.lemma_.lower() in rules.reporting_verbs
        and t.tag_ != "VBN"
        and not patterns.YEAR.search(sent.text)
        for t in sent
    )


def _past_event(sent: Span, rules: Rules) -> bool:
    """A dated or explicitly earlier event: 'in the summer of 2021', 'a year ago'."""
    root = sent.root
    past = root.tag_ in {"VBD", "VBN"} or any(c.tag_ == "VBD" for c in root.children)
    return past and (bool(patterns.YEAR.search(sent.text)) or _has_phrase(sent.text, rules.past_time))


def _standing_fact(sent: Span, rules: Rules) -> bool:
    """'Bahrain, … and Sudan are parties to the Abraham Accords': present-tense state of the world."""
    root = sent.root
    subject = next((c for c in root.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    return (
        root.lemma_.lower() in rules.stative_verbs
        and root.tag_ in {"VBZ", "VBP"}
        and subject is not None
        and subject.pos_ == "PROPN"
        and subject.ent_type_ in {"GPE", "ORG", "NORP", "LOC"}
    )


def find_background(doc: Doc, article: Article, rules: Rules) -> tuple[Background, ...]:
    found = []
    for sent in doc.sents:
        text = sent.text.strip()
        if len(text.split()) < 6 or any(mark in text for mark in MARKS):
            continue
        if _has_phrase(text, rules.news_time) or article.paragraphs[0].span.end > sent.start_char:
            continue  # the lede and today's events are the news itself
        if _reports_now(sent, rules) and not _past_event(sent, rules):
            continue
        if _past_event(sent, rules) or _standing_fact(sent, rules):
            start = sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
            span = model.Span(start, start + len(text))
            found.append(Background(text, span, article.paragraph_at(start).index))
    return tuple(found)
