"""Organisations and places from the model's entities, corrected by rules and deduplicated.

Variants of one name (`United States`, `U.S.`) are kept together under the first form
the text uses; rules/entities.yml lists the variants the text alone cannot tell.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from build_tools.extract.rules import Rules
from build_tools.model import Entity, EntityKind
from build_tools.textutil import paragraph_number, paragraph_starts

LABELS: dict[str, EntityKind] = {"ORG": "organization", "GPE": "place", "LOC": "place", "FAC": "place"}


def clean_name(ent: Span) -> str:
    tokens = list(ent)
    while tokens and (tokens[0].lower_ == "the" or tokens[0].is_punct):
        tokens = tokens[1:]  # 'the United States' -> 'United States'; 'The Straits Times' keeps
    while tokens and (tokens[-1].is_punct or tokens[-1].tag_ == "POS"):
        tokens = tokens[:-1]
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


def _canonical(name: str, rules: Rules) -> str:
    for canonical, variants in rules.variants:
        if name == canonical or name in variants:
            return canonical
    return name


def find_entities(doc: Doc, rules: Rules, exclude: set[str]) -> tuple[tuple[Entity, ...], tuple[Entity, ...]]:
    """(organisations, places), each in order of first mention, variants grouped."""
    groups: dict[tuple[EntityKind, str], list[tuple[str, int]]] = {}
    starts = paragraph_starts(doc.text)
    for ent in doc.ents:
        kind = LABELS.get(ent.label_)
        if kind is None:
            continue
        name = clean_name(_with_owner(ent, rules))
        if not name or name.lower() in rules.not_entities or name in exclude or name.islower():
            continue
        if any(c in name for c in "@#/") or name.lower().startswith("www."):
            continue  # handles, hashtags and web addresses are not organisations
            continue
        paragraph = paragraph_number(starts, ent.start_char)
        groups.setdefault((kind, _canonical(name, rules)), []).append((name, paragraph))
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
