"""The rules of English news writing that extraction uses, loaded once from rules/*.yml."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True)
class Rules:
    reporting_verbs: frozenset[str]
    reporting_nouns: frozenset[str]
    honorifics: frozenset[str]
    titles: frozenset[str]
    role_nouns: frozenset[str]
    source_nouns: frozenset[str]
    anonymity_markers: tuple[str, ...]
    not_name_words: frozenset[str]
    male_words: frozenset[str]
    female_words: frozenset[str]
    outlets: tuple[str, ...]
    known_places: tuple[str, ...]
    variants: tuple[tuple[str, tuple[str, ...]], ...]
    not_entities: frozenset[str]
    owned_bodies: frozenset[str]
    org_nouns: frozenset[str]
    past_time: tuple[str, ...]
    stative_verbs: frozenset[str]
    news_time: tuple[str, ...]


def _load(name: str) -> dict[str, Any]:
    text = resources.files("build_tools.rules").joinpath(name).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert isinstance(data, dict), f"build_tools/rules/{name} must be a mapping"
    return data


def _lower(values: list[str]) -> frozenset[str]:
    return frozenset(v.lower() for v in values)


@cache
def load_rules() -> Rules:
    reporting, people = _load("reporting.yml"), _load("people.yml")
    outlets, entities, background = _load("outlets.yml"), _load("entities.yml"), _load("background.yml")
    return Rules(
        reporting_verbs=_lower(reporting["verbs"]),
        reporting_nouns=_lower(reporting["nouns"]),
        honorifics=_lower(people["honorifics"]),
        titles=_lower(people["titles"]),
        role_nouns=_lower(people["role_nouns"]),
        source_nouns=_lower(people["source_nouns"]),
        anonymity_markers=tuple(people["anonymity_markers"]),
        not_name_words=_lower(people["not_name_words"]),
        male_words=_lower(people["male_words"]),
        female_words=_lower(people["female_words"]),
        outlets=tuple(outlets["organizations"]),
        known_places=tuple(outlets["places"]),
        variants=tuple((k, tuple(v)) for k, v in entities["variants"].items()),
        not_entities=_lower(entities["not_entities"]),
        owned_bodies=_lower(entities["owned_bodies"]),
        org_nouns=_lower(entities["org_nouns"]),
        past_time=tuple(background["past_time"]),
        stative_verbs=_lower(background["stative_verbs"]),
        news_time=tuple(background["news_time"]),
    )
