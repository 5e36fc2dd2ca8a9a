"""An editor's sidecar, seeds/<slug>.yml: validated into Corrections, applied on every rebuild.

The schema is documented in docs/editors-guide.md. Every error names the file, the line and
the key, and says what form the value should take.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from build_tools import patterns
from build_tools.errors import SidecarError
from build_tools.model import Background, Corrections, Extraction, Person, PersonId, Quote
from build_tools.textutil import slugify

HIDE_KEYS = {"quotes", "people", "background"}


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _scalar(path: str, key: str, node: yaml.Node) -> str:
    if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
        raise SidecarError(path, f"`{key}` must be a single line of text", f"write `{key}: some text`",
                           line=_line(node))
    return str(node.value).strip()


def _date(path: str, key: str, node: yaml.Node) -> datetime.date:
    value = _scalar(path, key, node)
    try:
        if not patterns.ISO_DATE.match(value):
            raise ValueError(value)
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise SidecarError(path, f"`{key}: {value}` is not a date in the form YYYY-MM-DD",
                           f"write it as `{key}: 2025-03-14`", line=_line(node)) from None


def _url(path: str, key: str, node: yaml.Node) -> str:
    value = _scalar(path, key, node)
    if not value.startswith(("https://", "http://")):
        raise SidecarError(path, f"`{key}: {value}` is not a web address",
                           f"write the full address, `{key}: https://…`", line=_line(node))
    return value


def _texts(path: str, key: str, node: yaml.Node) -> tuple[str, ...]:
    if not isinstance(node, yaml.SequenceNode):
        raise SidecarError(path, f"`{key}` must be a list", f"write one `- item` per line under `{key}:`",
                           line=_line(node))
    return tuple(_scalar(path, key, item) for item in node.value)


def _numbers(path: str, key: str, node: yaml.Node) -> tuple[int, ...]:
    values = []
    for text in _texts(path, key, node):
        if not text.isdigit() or int(text) < 1:
            raise SidecarError(path, f"`{key}` lists `{text}`, not an item number",
                               "use the numbers shown in the review listing, starting at 1", line=_line(node))
        values.append(int(text))
    return tuple(values)


def _mapping(path: str, key: str, node: yaml.Node) -> list[tuple[yaml.Node, yaml.Node]]:
    if not isinstance(node, yaml.MappingNode):
        raise SidecarError(path, f"`{key}` must be a mapping", f"write `name: value` lines under `{key}:`",
                           line=_line(node))
    return list(node.value)


def _speakers(path: str, key: str, node: yaml.Node) -> tuple[tuple[int, str], ...]:
    fixes = []
    for k, v in _mapping(path, key, node):
        number = _scalar(path, key, k)
        if not number.isdigit():
            raise SidecarError(path, f"`{key}` has `{number}`, not a quote number",
                               f"write `{key}:` then `  2: Full Name`", line=_line(k))
        fixes.append((int(number), _scalar(path, f"{key}.{number}", v)))
    return tuple(fixes)


def _aliases(path: str, key: str, node: yaml.Node) -> tuple[tuple[str, str], ...]:
    return tuple((_scalar(path, key, k), _scalar(path, key, v)) for k, v in _mapping(path, key, node))


def _hide(path: str, key: str, node: yaml.Node) -> dict[str, Any]:
    hidden: dict[str, Any] = {}
    for k, v in _mapping(path, key, node):
        name = _scalar(path, key, k)
        if name not in HIDE_KEYS:
            raise SidecarError(path, f"unknown key `hide.{name}`",
                               f"use one of {', '.join(sorted(HIDE_KEYS))}", line=_line(k))
        reader = _texts if name == "people" else _numbers
        hidden[f"hide_{name}"] = reader(path, f"hide.{name}", v)
    return hidden


READERS: dict[str, Callable[[str, str, yaml.Node], Any]] = {
    "title": _scalar, "date": _date, "byline": _scalar, "url": _url, "source": _scalar,
    "tags": _texts, "speakers": _speakers, "notes": _texts, "aliases": _aliases,
}


def parse_sidecar(text: str, path: str) -> Corrections:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise SidecarError(path, f"not valid YAML ({getattr(error, 'problem', error)})",
                           "check the indentation and quote values that contain `: `",
                           line=mark.line + 1 if mark else None) from None
    if root is None:
        return Corrections()
    values: dict[str, Any] = {}
    for k, v in _mapping(path, "the file", root):
        key = _scalar(path, "key", k)
        if key == "hide":
            values.update(_hide(path, key, v))
        elif key in READERS:
            values[key] = READERS[key](path, key, v)
        else:
            raise SidecarError(path, f"unknown key `{key}`",
                               f"use one of {', '.join(sorted([*READERS, 'hide']))}", line=_line(k))
    return Corrections(**values)


def load_sidecar(seed: Path) -> Corrections:
    sidecar = seed.with_suffix(".yml")
    if not sidecar.is_file():
        return Corrections()
    try:
        text = sidecar.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise SidecarError(str(sidecar), "not UTF-8 text", "save the sidecar as UTF-8") from None
    return parse_sidecar(text, str(sidecar))


def apply(extraction: Extraction, corrections: Corrections) -> Extraction:
    """The editor's word wins over the extractor's: speakers, hidden items, notes, aliases."""
    fixes = dict(corrections.speakers)
    quotes = tuple(
        _fix_speaker(q, fixes[n]) if n in fixes else q
        for n, q in enumerate(extraction.quotes, start=1)
        if n not in corrections.hide_quotes
    )
    people = tuple(_with_aliases(p, corrections) for p in extraction.people
                   if p.name not in corrections.hide_people)
    background = tuple(b for n, b in enumerate(extraction.background, start=1)
                       if n not in corrections.hide_background)
    notes = tuple(Background(note, None, None) for note in corrections.notes)
    return dataclasses.replace(extraction, quotes=quotes, people=people, background=background + notes)


def _fix_speaker(quote: Quote, name: str) -> Quote:
    return dataclasses.replace(quote, speaker=name, speaker_id=PersonId(slugify(name)), speaker_kind="person",
                               cue="set by the editor", confidence=1.0)


def _with_aliases(person: Person, corrections: Corrections) -> Person:
    extra = tuple(alias for alias, canonical in corrections.aliases if canonical == person.name)
    return dataclasses.replace(person, aliases=tuple(dict.fromkeys(person.aliases + extra))) if extra else person
