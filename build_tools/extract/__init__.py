"""Article -> Extraction: quotes with speakers, people with roles, organisations, places, background.

One spaCy parse per article; each module below does one job on it:
quotes (quotation marks) -> names, people, roles -> entities -> cues, resolve, attribution ->
background. `extract_many` parses the paragraphs of many articles in one stream.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from typing import Any

from spacy.tokens import Doc

from build_tools import headline
from build_tools.errors import SeedError
from build_tools.extract import entities as entity_rules
from build_tools.extract.attribution import Attribution, Attributor
from build_tools.extract.background import find_background
from build_tools.extract.cues import CueFinder
from build_tools.extract.entities import EntityFinder
from build_tools.extract.parse import parse, parse_many
from build_tools.extract.people import find_people
from build_tools.extract.quotes import find_quotes
from build_tools.extract.reading import Reading
from build_tools.extract.resolve import Resolver
from build_tools.extract.rules import Rules, load_rules
from build_tools.model import Article, Background, Extraction, Quote

MIN_UNGOVERNED_WORDS = 4  # shorter quoted phrases need a cue that governs them (scare quotes, labels)
MAX_TITLE_WORDS = 8


def _is_quote(attribution: Attribution, text: str, rules: Rules) -> bool:
    """Scare quotes, single words, titles and labels are not quotes (fixtures README, rule 6).

    A quote needs a cue in its own sentence, or must open its sentence (a quote paragraph
    that continues the previous speaker); a phrase quoted mid-sentence with no one saying it
    is a title or a scare quote, and a short one must be governed by its cue.
    """
    words = text.split()
    span = attribution.span
    if len(words) < 2 or (attribution.speaker is None and not span.leads):
        return False
    if not attribution.own_sentence and not (span.leads or span.continued or attribution.governed):
        return False
    if len(words) < MIN_UNGOVERNED_WORDS and not attribution.governed and not span.leads:
        return False
    titled = all(w[0].isupper() or w.lower() in rules.title_words for w in words if w[0].isalpha())
    return not (titled and len(words) <= MAX_TITLE_WORDS and text[-1] not in ".,!?…")


def _named(before: str, rules: Rules) -> bool:
    """`the slogan "…"`, `known as "…"`: the words before the opening mark name what follows."""
    words = before[-40:].rstrip(" \"“”‘’'").lower().split()
    return any(" ".join(words[-n:]) in rules.naming_words for n in (1, 2) if len(words) >= n)


def _quote(attribution: Attribution, text: str, number: int) -> Quote:
    speaker = attribution.speaker
    return Quote(
        text=text,
        span=attribution.span.span,
        paragraph=attribution.span.paragraph,
        speaker=speaker.name if speaker else None,
        speaker_id=speaker.id if speaker else None,
        speaker_kind=speaker.kind if speaker else None,
        cue=attribution.cue,
        confidence=round(attribution.confidence, 2),
        number=number,
    )


def _numbered(items: tuple[Background, ...]) -> tuple[Background, ...]:
    return tuple(dataclasses.replace(b, number=n) for n, b in enumerate(items, start=1))


def extract(article: Article, nlp: Any) -> Extraction:
    return extract_parsed(article, parse(nlp, article))


def extract_many(articles: Iterable[Article], nlp: Any) -> Iterator[tuple[Article, Extraction | SeedError]]:
    """Each article with its extraction (or why it has none), all parsed in one stream."""
    for article, doc in parse_many(nlp, articles):
        yield article, doc if isinstance(doc, SeedError) else extract_parsed(article, doc)


def extract_parsed(article: Article, doc: Doc) -> Extraction:
    rules = load_rules()
    found = find_quotes(article)
    reading = Reading(doc, article, found.spans)
    finder = EntityFinder(doc, rules, reading.in_quote, article.dateline)
    cast = find_people(doc, rules, blocked=finder.blocked())
    person_tokens = {
        t.i for m in cast.mentions for t in doc.char_span(m.start, m.end, alignment_mode="expand") or []
    }
    mentions, abbreviations = finder.mentions(person_tokens)
    resolver = Resolver(reading, cast, mentions, abbreviations, rules)
    attributor = Attributor(reading, resolver, CueFinder(reading, rules))
    quotes: list[Quote] = []
    for attribution in attributor.attribute():
        span = attribution.span.span
        text = article.text[span.start : span.end]
        if _is_quote(attribution, text, rules) and not _named(article.text[: span.start], rules):
            quotes.append(_quote(attribution, text, number=len(quotes) + 1))
    spoken = {q.speaker_id for q in quotes if q.speaker_id}
    people = cast.people + tuple(p for p in resolver.unnamed.values() if p.id in spoken)
    names = {p.name for p in cast.people} | {a for p in cast.people for a in p.aliases}
    orgs, places = entity_rules.group(doc, mentions, rules, abbreviations, exclude=names)
    return Extraction(
        quotes=tuple(quotes),
        people=people,
        organizations=orgs,
        places=places,
        background=_numbered(find_background(doc, article, rules)),
        warnings=found.warnings,
        lede=headline.read_lede(doc, article),
    )
