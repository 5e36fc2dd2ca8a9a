"""Article -> Extraction: quotes with speakers, people with roles, organisations, places, background.

One spaCy parse per article; each module below does one job on it.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from build_tools.extract.background import find_background
from build_tools.extract.entities import find_entities
from build_tools.extract.parse import parse
from build_tools.extract.people import find_people
from build_tools.extract.quotes import find_quotes
from build_tools.extract.rules import load_rules
from build_tools.extract.speakers import Attribution, Attributor
from build_tools.model import Article, Background, Extraction, Quote

MIN_UNATTRIBUTED_WORDS = 4  # shorter quoted phrases need a cue of their own (scare quotes, labels)


def _is_quote(attribution: Attribution, text: str) -> bool:
    """Scare quotes, single words, titles and labels are not quotes (fixtures README, rule 6).

    A quote needs a cue in its own sentence, or must open its sentence (a quote paragraph
    that continues the previous speaker); a phrase quoted mid-sentence with no one saying it
    is a title or a scare quote.
    """
    words = text.split()
    if len(words) < 2 or (attribution.speaker is None and not attribution.span.leads):
        return False
    if not attribution.own_sentence and not (attribution.span.leads or attribution.span.continued):
        return False
    if len(words) < MIN_UNATTRIBUTED_WORDS and not (attribution.own_sentence and attribution.speaker):
        return False
    titled = all(w[0].isupper() or len(w) <= 3 for w in words if w[0].isalpha())
    return not (titled and len(words) <= 8 and text[-1] not in ".,!?…")


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
    rules = load_rules()
    doc = parse(nlp, article)
    found = find_quotes(article)
    cast = find_people(doc, rules)
    attributor = Attributor(doc, article, found.spans, cast, rules)
    quotes: list[Quote] = []
    for attribution in attributor.attribute():
        span = attribution.span.span
        text = article.text[span.start : span.end]
        if _is_quote(attribution, text):
            quotes.append(_quote(attribution, text, number=len(quotes) + 1))
    people = cast.people + tuple(attributor.unnamed_people({q.speaker_id for q in quotes if q.speaker_id}))
    names = {p.name for p in people} | {a for p in people for a in p.aliases}
    orgs, places = find_entities(doc, rules, exclude=names)
    return Extraction(
        quotes=tuple(quotes),
        people=people,
        organizations=orgs,
        places=places,
        background=_numbered(find_background(doc, article, rules)),
        warnings=found.warnings,
    )
