"""What `eval` got wrong, item by item, and whether confidence tells right from wrong.

`eval --explain` prints every missed quote, false quote, wrong speaker, missed or false
person, missing or wrong role and missed or false organisation or place, each with the
sentence of the article it comes from, grouped by kind: the next rule to write is the
largest group. The calibration table compares each matched quote's confidence with
whether its speaker was right, which is what an editor's review queue relies on.

Matching is evaluate.py's (the same pairs the scores count); nothing here changes a score.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from build_tools import evaluate
from build_tools.evaluate import Record
from build_tools.model import REVIEW_THRESHOLD

CONTEXT_CHARS = 110  # on each side of the item: about one sentence
BANDS = (0.0, 0.6, 0.7, 0.8, 0.9, 1.01)  # the first band is what review flags (< REVIEW_THRESHOLD)
KINDS = (
    "missed quote",
    "false quote",
    "wrong speaker",
    "missed person",
    "false person",
    "missing role",
    "wrong role",
    "missed organization",
    "false organization",
    "missed place",
    "false place",
)


@dataclass(frozen=True)
class Finding:
    kind: str  # one of KINDS
    article: str
    item: str  # the quote's text, the person's or entity's name
    expected: str | None  # what the gold says (speaker, role)
    got: str | None  # what the extraction says
    context: str  # the article's words around the item


@dataclass(frozen=True)
class Judged:
    """One matched quote: its confidence and whether its speaker was right."""

    confidence: float
    right: bool


def _context(text: str, item: str) -> str:
    """The sentence-sized stretch of text around the first occurrence of item."""
    at = text.find(item) if item else -1
    if at < 0:
        at = text.casefold().find(item.casefold().split(" ")[-1]) if item else -1
    if at < 0:
        return ""
    start = max(text.rfind("\n", 0, at) + 1, at - CONTEXT_CHARS)
    newline = text.find("\n", at + len(item))
    end = min(newline if newline >= 0 else len(text), at + len(item) + CONTEXT_CHARS)
    prefix = "…" if start > 0 and text[start - 1] != "\n" else ""
    suffix = "…" if end < len(text) and text[end] != "\n" else ""
    return prefix + text[start:end].strip() + suffix


def _quote_findings(article: str, text: str, gold: Record, predicted: Record) -> list[Finding]:
    gold_quotes, pred_quotes = evaluate.listed(gold, "quotes"), evaluate.listed(predicted, "quotes")
    people = evaluate.listed(gold, "people")
    pairs = evaluate.quote_pairs(gold_quotes, pred_quotes)
    found: list[Finding] = []
    for g, p in pairs:
        expected, got = gold_quotes[g].get("speaker") or "", pred_quotes[p].get("speaker")
        if not evaluate.speaker_is_right(got, expected, people):
            item = gold_quotes[g]["text"]
            found.append(Finding("wrong speaker", article, item, expected, got, _context(text, item)))
    matched_gold, matched_pred = {g for g, _ in pairs}, {p for _, p in pairs}
    for g, quote in enumerate(gold_quotes):
        if g not in matched_gold:
            item = quote["text"]
            found.append(
                Finding("missed quote", article, item, quote.get("speaker"), None, _context(text, item))
            )
    for p, quote in enumerate(pred_quotes):
        if p not in matched_pred:
            item = quote.get("text") or ""
            found.append(
                Finding("false quote", article, item, None, quote.get("speaker"), _context(text, item))
            )
    return found


def _people_findings(article: str, text: str, gold: Record, predicted: Record) -> list[Finding]:
    gold_people, pred_people = evaluate.listed(gold, "people"), evaluate.listed(predicted, "people")
    pairs = evaluate.match_one_to_one(gold_people, pred_people, evaluate.person_similarity)
    found: list[Finding] = []
    for g, p in pairs:
        person, guess = gold_people[g], pred_people[p]
        wanted = person.get("role")
        if not wanted or not evaluate.is_named(person) or evaluate.role_is_right(guess.get("role"), wanted):
            continue
        kind = "missing role" if not guess.get("role") else "wrong role"
        name = person["name"]
        found.append(Finding(kind, article, name, wanted, guess.get("role"), _context(text, name)))
    matched_gold, matched_pred = {g for g, _ in pairs}, {p for _, p in pairs}
    for g, person in enumerate(gold_people):
        if g not in matched_gold and evaluate.is_named(person):
            name = person["name"]
            forms = [name, *(person.get("aliases") or [])]
            where = next((c for f in forms if (c := _context(text, f))), "")
            found.append(Finding("missed person", article, name, person.get("role"), None, where))
    for p, guess in enumerate(pred_people):
        if p not in matched_pred and guess.get("named", True):
            name = guess.get("name") or ""
            found.append(
                Finding("false person", article, name, None, guess.get("role"), _context(text, name))
            )
    return found


def _entity_findings(article: str, text: str, gold: Record, predicted: Record, key: str) -> list[Finding]:
    kind = key.rstrip("s").replace("ie", "y") if key.endswith("ies") else key.rstrip("s")
    gold_set = evaluate.unique(evaluate.listed(gold, key))
    pred_set = evaluate.unique(evaluate.listed(predicted, key))
    pairs = evaluate.match_one_to_one(gold_set, pred_set, evaluate.entity_similarity)
    matched_gold, matched_pred = {g for g, _ in pairs}, {p for _, p in pairs}
    found = [
        Finding(f"missed {kind}", article, name, None, None, _context(text, name))
        for g, name in enumerate(gold_set)
        if g not in matched_gold
    ]
    found += [
        Finding(f"false {kind}", article, name, None, None, _context(text, name))
        for p, name in enumerate(pred_set)
        if p not in matched_pred
    ]
    return found


def explain(article: str, text: str, gold: Record, predicted: Record) -> list[Finding]:
    """Every disagreement of one article's extraction with its gold."""
    return [
        *_quote_findings(article, text, gold, predicted),
        *_people_findings(article, text, gold, predicted),
        *_entity_findings(article, text, gold, predicted, "organizations"),
        *_entity_findings(article, text, gold, predicted, "places"),
    ]


def judged(gold: Record, predicted: Record) -> list[Judged]:
    """Confidence and correctness of every matched quote of one article."""
    gold_quotes, pred_quotes = evaluate.listed(gold, "quotes"), evaluate.listed(predicted, "quotes")
    people = evaluate.listed(gold, "people")
    return [
        Judged(
            float(pred_quotes[p].get("confidence", 1.0)),
            evaluate.speaker_is_right(
                pred_quotes[p].get("speaker"), gold_quotes[g].get("speaker") or "", people
            ),
        )
        for g, p in evaluate.quote_pairs(gold_quotes, pred_quotes)
    ]


def format_findings(findings: Sequence[Finding]) -> str:
    """Grouped by kind, largest group first is not needed: KINDS order is stable for diffs."""
    lines: list[str] = []
    for kind in KINDS:
        group = [f for f in findings if f.kind == kind]
        if not group:
            continue
        lines.append(f"\n## {kind} ({len(group)})")
        for f in group:
            said = "".join(
                (f" expected: {f.expected!r}" if f.expected else "", f" got: {f.got!r}" if f.got else "")
            )
            lines.append(f"- [{f.article}] {f.item[:100]!r}{said}")
            if f.context:
                lines.append(f"    {f.context}")
    return "\n".join(lines).lstrip("\n") + "\n"


def format_calibration(items: Iterable[Judged]) -> str:
    """How well `needs_review` separates wrong speakers from right ones, and accuracy by band."""
    items = list(items)
    wrong = [j for j in items if not j.right]
    right = [j for j in items if j.right]
    flagged_wrong = sum(j.confidence < REVIEW_THRESHOLD for j in wrong)
    flagged_right = sum(j.confidence < REVIEW_THRESHOLD for j in right)
    lines = [
        f"wrong speakers flagged for review: {_part(flagged_wrong, len(wrong))}",
        f"right speakers flagged for review: {_part(flagged_right, len(right))}",
        "confidence   quotes  speaker right  accuracy",
    ]
    for low, high in itertools.pairwise(BANDS):
        band = [j for j in items if low <= j.confidence < high]
        good = sum(j.right for j in band)
        label = f"{low:.1f}–{min(high, 1.0):.1f}"
        lines.append(f"{label:<11}  {len(band):>6}  {good:>13}  {_share(good, len(band)):>8}")
    return "\n".join(lines) + "\n"


def _part(part: int, whole: int) -> str:
    return f"{part}/{whole} ({_share(part, whole)})"


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "n/a"
