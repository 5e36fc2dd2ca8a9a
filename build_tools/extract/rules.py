"""The rules of English news writing that extraction uses, loaded once from rules/*.yml.

Every list is data with a comment beside it in its file (rules/README.md tells which module
reads which list); the code only says how a list is applied.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True)
class Rules:
    # reporting.yml
    reporting_verbs: frozenset[str]
    stance_verbs: frozenset[str]
    reporting_nouns: frozenset[str]
    document_nouns: frozenset[str]
    content_nouns: frozenset[str]
    naming_words: frozenset[str]
    # people.yml
    honorifics: frozenset[str]
    titles: frozenset[str]
    party_members: frozenset[str]
    role_nouns: frozenset[str]
    person_nouns: frozenset[str]  # role nouns, occupations and kinship words
    kinship: frozenset[str]
    source_nouns: frozenset[str]
    group_nouns: frozenset[str]
    anonymity_markers: tuple[str, ...]
    alias_markers: tuple[str, ...]
    identifying_verbs: frozenset[str]
    not_name_words: frozenset[str]
    not_people: frozenset[str]
    thing_nouns: frozenset[str]
    event_nouns: frozenset[str]
    title_words: frozenset[str]
    hyphen_suffixes: frozenset[str]
    male_words: frozenset[str]
    female_words: frozenset[str]
    # outlets.yml
    outlets: tuple[str, ...]
    outlets_lower: frozenset[str]
    known_places: tuple[str, ...]
    # entities.yml
    variants: tuple[tuple[str, tuple[str, ...]], ...]
    not_entities: frozenset[str]
    generic_words: frozenset[str]
    not_entity_suffixes: tuple[str, ...]
    org_heads: frozenset[str]
    facility_heads: frozenset[str]
    non_entity_heads: frozenset[str]
    force_nouns: frozenset[str]
    org_label_nouns: frozenset[str]
    weak_org_heads: frozenset[str]
    concept_nouns: frozenset[str]
    demonym_suffixes: tuple[str, ...]
    vehicle_words: frozenset[str]
    title_modifiers: frozenset[str]
    owned_bodies: frozenset[str]
    org_nouns: frozenset[str]
    place_nouns: frozenset[str]
    place_bodies: dict[str, tuple[str, ...]]
    place_name_tails: frozenset[str]
    # background.yml
    past_time: tuple[str, ...]
    stative_verbs: frozenset[str]
    news_time: tuple[str, ...]


def _load(name: str) -> dict[str, Any]:
    text = resources.files("build_tools.rules").joinpath(name).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert isinstance(data, dict), f"build_tools/rules/{name} must be a mapping"
    return data


def _lower(values: list[str]) -> frozenset[str]:
    # YAML reads a bare `on`, `no` or `yes` in a list as a boolean: such words must be quoted.
    assert all(isinstance(v, str) for v in values), f"quote the non-string words in {values!r}"
    return frozenset(v.lower() for v in values)


@cache
def load_rules() -> Rules:
    reporting, people = _load("reporting.yml"), _load("people.yml")
    outlets, entities, background = _load("outlets.yml"), _load("entities.yml"), _load("background.yml")
    kinship = _lower(people["kinship"])
    return Rules(
        reporting_verbs=_lower(reporting["verbs"]),
        stance_verbs=_lower(reporting["stance_verbs"]),
        reporting_nouns=_lower(reporting["nouns"]),
        document_nouns=_lower(reporting["document_nouns"]),
        content_nouns=_lower(reporting["content_nouns"]),
        naming_words=_lower(reporting["naming_words"]),
        honorifics=_lower(people["honorifics"]),
        titles=_lower(people["titles"]),
        party_members=_lower(people["party_members"]),
        role_nouns=_lower(people["role_nouns"]),
        person_nouns=_lower(people["role_nouns"]) | _lower(people["occupations"]) | kinship,
        kinship=kinship,
        source_nouns=_lower(people["source_nouns"]),
        group_nouns=_lower(people["group_nouns"]),
        anonymity_markers=tuple(people["anonymity_markers"]),
        alias_markers=tuple(m.lower() for m in people["alias_markers"]),
        identifying_verbs=_lower(people["identifying_verbs"]),
        not_name_words=_lower(people["not_name_words"]),
        not_people=_lower(people["not_people"]),
        thing_nouns=_lower(people["thing_nouns"]),
        event_nouns=_lower(people["event_nouns"]),
        title_words=_lower(people["title_words"]),
        hyphen_suffixes=_lower(people["hyphen_suffixes"]),
        male_words=_lower(people["male_words"]),
        female_words=_lower(people["female_words"]),
        outlets=tuple(outlets["organizations"]),
        outlets_lower=_lower(outlets["organizations"]),
        known_places=tuple(outlets["places"]),
        variants=tuple((k, tuple(v)) for k, v in entities["variants"].items()),
        not_entities=_lower(entities["not_entities"]),
        generic_words=_lower(entities["generic_words"]),
        not_entity_suffixes=tuple(entities["not_entity_suffixes"]),
        org_heads=_lower(entities["org_heads"]),
        facility_heads=_lower(entities["facility_heads"]),
        non_entity_heads=_lower(entities["non_entity_heads"]),
        force_nouns=_lower(entities["force_nouns"]),
        org_label_nouns=_lower(entities["org_label_nouns"]),
        weak_org_heads=_lower(entities["weak_org_heads"]),
        concept_nouns=_lower(entities["concept_nouns"]),
        demonym_suffixes=tuple(entities["demonym_suffixes"]),
        vehicle_words=_lower(entities["vehicle_words"]),
        title_modifiers=_lower(people["title_modifiers"]),
        owned_bodies=_lower(entities["owned_bodies"]),
        org_nouns=_lower(entities["org_nouns"]),
        place_nouns=_lower(entities["place_nouns"]),
        place_bodies={k: tuple(v) for k, v in entities["place_bodies"].items()},
        place_name_tails=_lower(entities["place_name_tails"]),
        past_time=tuple(background["past_time"]),
        stative_verbs=_lower(background["stative_verbs"]),
        news_time=tuple(background["news_time"]),
    )
