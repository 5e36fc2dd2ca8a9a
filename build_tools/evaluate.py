"""Score an extraction against a gold annotation, with the rules of the fixtures' README.

Every text is normalised before it is compared: NFC, curly quotes and apostrophes made
straight, whitespace collapsed, surrounding whitespace and punctuation stripped, case folded.

- Quotes: a predicted quote matches a gold quote when one text contains the other and
  covers >= 80 % of the longer one's characters, or when their token Jaccard is >= 0.8
  (tokens: lowercase words). Matching is one-to-one, greedy by best score, ties broken by
  position, so the result is deterministic.
- Speakers (accuracy over matched quotes): right when the predicted speaker equals the gold
  speaker or an alias of the gold person of that name (unnamed people included), or shares
  its last token ("Bolden" for "Charles Bolden").
- People: a prediction matches a gold person by equal name, by one of the gold aliases, or
  by a shared last name; one-to-one. Gold people with "named": false are optional: matching
  one scores nothing, missing one costs nothing, and their roles are not scored.
- Roles (accuracy over matched named people with a gold role): right when the predicted
  role covers at least half of the gold role's content words.
- Organizations and places: set F1 on normalised strings; a leading "the" is ignored.
- Background (only when the gold has "background"): F1 with the quote rule; a prediction
  matching an entry of "background_optional" is neither a true nor a false positive.

Scores are pure values; the only I/O is reading gold files (`load_gold_dir`, `load_gold_file`).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

Record = Mapping[str, Any]
GoldEntry = tuple[str, Path, dict[str, Any]]
G = TypeVar("G")
P = TypeVar("P")

MATCH_THRESHOLD = 0.8
ROLE_COVERAGE = 0.5
# Function words carry no role information: "spokesperson for the office" ~ "office spokesperson".
STOPWORDS = frozenset({"a", "an", "the", "of", "for", "and", "in", "at", "to", "from", "on", "by"})

# News text mixes straight and curly marks (one fixture closes a quote with “).
_STRAIGHTEN = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "‘": "'", "’": "'", "‚": "'", "‛": "'"})
_SPACE = re.compile(r"\s+")
# Dots and apostrophes inside a word join it, so "U.S." == "US" and "we've" stays one token.
_JOINER = re.compile(r"(?<=\w)['.](?=\w)")
_WORD = re.compile(r"\w+")
_POSSESSIVE = re.compile(r"'s\b")
_THE = re.compile(r"^the\s+")


@dataclass(frozen=True)
class Counts:
    """True positives, false positives and false negatives of one category."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    # An empty prediction of an empty gold is perfect: both ratios default to 1.0, so F1 is
    # 1.0 only when nothing was expected and nothing predicted.
    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class ArticleScore:
    """The counts of one article (or, from `micro_average`, of several summed)."""

    article_id: str
    quotes: Counts
    speakers_right: int
    speakers_total: int
    people: Counts
    roles_right: int
    roles_total: int
    organizations: Counts
    places: Counts
    background: Counts | None  # None: the gold has no "background" list

    @property
    def speaker_accuracy(self) -> float | None:
        return self.speakers_right / self.speakers_total if self.speakers_total else None

    @property
    def role_accuracy(self) -> float | None:
        return self.roles_right / self.roles_total if self.roles_total else None


def normalise(text: str) -> str:
    """NFC, straight quotes, one space between words, no surrounding punctuation, casefolded."""
    text = _SPACE.sub(" ", unicodedata.normalize("NFC", text).translate(_STRAIGHTEN))
    start, end = 0, len(text)
    while start < end and _is_edge(text[start]):
        start += 1
    while end > start and _is_edge(text[end - 1]):
        end -= 1
    return text[start:end].casefold()


def _is_edge(char: str) -> bool:
    return char.isspace() or unicodedata.category(char).startswith("P")


def words(text: str) -> list[str]:
    """Lowercase word tokens, punctuation dropped."""
    return _WORD.findall(_JOINER.sub("", normalise(text)))


def content_words(text: str) -> set[str]:
    """Words of a role that carry meaning: no possessive 's, no stopwords."""
    return set(words(_POSSESSIVE.sub("", normalise(text)))) - STOPWORDS


def quote_similarity(a: str, b: str) -> float:
    """Containment coverage or token Jaccard, whichever is higher; 0.0 below the threshold."""
    a, b = normalise(a), normalise(b)
    if not a or not b:
        return 0.0
    shorter, longer = sorted((a, b), key=len)
    coverage = len(shorter) / len(longer) if shorter in longer else 0.0
    tokens_a, tokens_b = set(words(a)), set(words(b))
    union = tokens_a | tokens_b
    jaccard = len(tokens_a & tokens_b) / len(union) if union else 0.0
    best = max(coverage, jaccard)
    return best if best >= MATCH_THRESHOLD else 0.0


def match_one_to_one(
    gold: Sequence[G], predicted: Sequence[P], score: Callable[[G, P], float]
) -> list[tuple[int, int]]:
    """Greedy one-to-one pairs (gold index, predicted index) of positive score, best first."""
    candidates = sorted(
        (-s, g, p)
        for g, gold_item in enumerate(gold)
        for p, pred_item in enumerate(predicted)
        if (s := score(gold_item, pred_item)) > 0
    )
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, g, p in candidates:
        if g not in used_gold and p not in used_pred:
            used_gold.add(g)
            used_pred.add(p)
            pairs.append((g, p))
    return sorted(pairs)


def _last_name(name: str) -> str:
    tokens = words(name)
    return tokens[-1] if tokens else ""


def _same_last_name(a: str, b: str) -> bool:
    last = _last_name(a)
    return bool(last) and last == _last_name(b)


def _aliases(person: Record) -> set[str]:
    return {normalise(alias) for alias in person.get("aliases") or []}


def speaker_is_right(predicted: str | None, gold_speaker: str, gold_people: Iterable[Record]) -> bool:
    """Equal to the gold speaker or one of that person's aliases, or the same last name."""
    pred = normalise(predicted or "")
    if not pred:
        return False
    gold_key = normalise(gold_speaker)
    forms = {gold_key}
    for person in gold_people:
        # Unnamed sources ("the source") are looked up too: their aliases are the
        # descriptions the article uses for them.
        if normalise(person.get("name") or "") == gold_key:
            forms |= _aliases(person)
    return pred in forms or _same_last_name(pred, gold_speaker)


def role_is_right(predicted: str | None, gold_role: str) -> bool:
    """The predicted role covers at least half of the gold role's content words."""
    wanted = content_words(gold_role)
    covered = wanted & content_words(predicted or "")
    return len(covered) >= ROLE_COVERAGE * len(wanted)


def person_similarity(gold: Record, predicted: Record) -> float:
    """3 for the same name, 2 for a gold alias, 1 for a shared last name, else 0."""
    name = normalise(predicted.get("name") or "")
    gold_name = normalise(gold.get("name") or "")
    if not name:
        return 0.0
    if name == gold_name:
        return 3.0
    if name in _aliases(gold):
        return 2.0
    return 1.0 if _same_last_name(name, gold_name) else 0.0


def entity_similarity(gold: str, predicted: str) -> float:
    """1 for equal normalised strings, 0.5 when equal once a leading "the" is dropped."""
    g, p = normalise(gold), normalise(predicted)
    if not g or not p:
        return 0.0
    if g == p:
        return 1.0
    return 0.5 if _THE.sub("", g) == _THE.sub("", p) else 0.0


def _counts(pairs: Sequence[tuple[int, int]], required: Sequence[bool], n_predicted: int) -> Counts:
    """Pairs with an optional gold item count for nothing; unpaired predictions are FPs."""
    tp = sum(required[g] for g, _ in pairs)
    return Counts(tp=tp, fp=n_predicted - len(pairs), fn=sum(required) - tp)


def unique(items: Iterable[str]) -> list[str]:
    # Set semantics: a string listed twice (or differing only in case or marks) counts once.
    kept: dict[str, str] = {}
    for item in items:
        if key := normalise(item):
            kept.setdefault(key, item)
    return list(kept.values())


def score_entities(gold: Iterable[str], predicted: Iterable[str]) -> Counts:
    """Set F1 counts of organizations or places."""
    gold_set, pred_set = unique(gold), unique(predicted)
    pairs = match_one_to_one(gold_set, pred_set, entity_similarity)
    return _counts(pairs, [True] * len(gold_set), len(pred_set))


def quote_pairs(gold: Sequence[Record], predicted: Sequence[Record]) -> list[tuple[int, int]]:
    """Matched (gold index, predicted index) quotes, by the quote rule."""
    return match_one_to_one(gold, predicted, lambda g, p: quote_similarity(g["text"], p.get("text") or ""))


def score_quotes(
    gold: Sequence[Record], predicted: Sequence[Record], gold_people: Sequence[Record]
) -> tuple[Counts, int, int]:
    """Quote counts, then speakers right and speakers judged (one per matched quote)."""
    pairs = quote_pairs(gold, predicted)
    right = sum(
        speaker_is_right(predicted[p].get("speaker"), gold[g].get("speaker") or "", gold_people)
        for g, p in pairs
    )
    return _counts(pairs, [True] * len(gold), len(predicted)), right, len(pairs)


def is_named(person: Record) -> bool:
    return person.get("named", True) is not False


def score_people(gold: Sequence[Record], predicted: Sequence[Record]) -> tuple[Counts, int, int]:
    """People counts, then roles right and roles judged (matched named people with a role)."""
    # Unnamed gold people stay in the matching so that a prediction of them is absorbed
    # (no false positive) rather than left over.
    pairs = match_one_to_one(gold, predicted, person_similarity)
    named = [is_named(person) for person in gold]
    roles = [
        role_is_right(predicted[p].get("role"), gold[g]["role"])
        for g, p in pairs
        if named[g] and gold[g].get("role")
    ]
    return _counts(pairs, named, len(predicted)), sum(roles), len(roles)


def score_background(gold: Record, predicted: Record) -> Counts | None:
    """Background counts with the quote rule; None when the gold does not annotate background."""
    if "background" not in gold:
        return None
    required, optional = listed(gold, "background"), listed(gold, "background_optional")
    pred = listed(predicted, "background")
    pairs = match_one_to_one(required + optional, pred, quote_similarity)
    return _counts(pairs, [True] * len(required) + [False] * len(optional), len(pred))


def listed(record: Record, key: str) -> list[Any]:
    # A missing key and a null are an empty list: an extractor may omit what it did not find.
    return list(record.get(key) or [])


def score_article(article_id: str, gold: Record, predicted: Record) -> ArticleScore:
    """Every count of one article; `predicted` has the shape the `extract` command prints."""
    gold_people = listed(gold, "people")
    quotes, speakers_right, speakers_total = score_quotes(
        listed(gold, "quotes"), listed(predicted, "quotes"), gold_people
    )
    people, roles_right, roles_total = score_people(gold_people, listed(predicted, "people"))
    return ArticleScore(
        article_id=article_id,
        quotes=quotes,
        speakers_right=speakers_right,
        speakers_total=speakers_total,
        people=people,
        roles_right=roles_right,
        roles_total=roles_total,
        organizations=score_entities(listed(gold, "organizations"), listed(predicted, "organizations")),
        places=score_entities(listed(gold, "places"), listed(predicted, "places")),
        background=score_background(gold, predicted),
    )


def micro_average(scores: Iterable[ArticleScore], article_id: str = "TOTAL") -> ArticleScore:
    """Sum the counts of all articles (micro-average): big articles weigh more, as they should."""
    scores = list(scores)
    backgrounds = [s.background for s in scores if s.background is not None]
    return ArticleScore(
        article_id=article_id,
        quotes=sum((s.quotes for s in scores), Counts()),
        speakers_right=sum(s.speakers_right for s in scores),
        speakers_total=sum(s.speakers_total for s in scores),
        people=sum((s.people for s in scores), Counts()),
        roles_right=sum(s.roles_right for s in scores),
        roles_total=sum(s.roles_total for s in scores),
        organizations=sum((s.organizations for s in scores), Counts()),
        places=sum((s.places for s in scores), Counts()),
        background=sum(backgrounds, Counts()) if backgrounds else None,
    )


REPORT_COLUMNS = ("quote_f1", "speaker_acc", "people_f1", "role_acc", "org_f1", "place_f1", "bg_f1")


def _cells(score: ArticleScore) -> list[float | None]:
    background = score.background.f1 if score.background is not None else None
    return [
        score.quotes.f1,
        score.speaker_accuracy,
        score.people.f1,
        score.role_accuracy,
        score.organizations.f1,
        score.places.f1,
        background,
    ]


def format_report(scores: Sequence[ArticleScore]) -> str:
    """One line per article and a micro-averaged TOTAL line; "n/a" where nothing was judged."""
    rows = [*scores, micro_average(scores)]
    width = max(len("article"), *(len(row.article_id) for row in rows))
    lines = ["  ".join(["article".ljust(width), *REPORT_COLUMNS])]
    for row in rows:
        cells = ["n/a" if v is None else f"{v:.3f}" for v in _cells(row)]
        padded = [cell.rjust(len(name)) for cell, name in zip(cells, REPORT_COLUMNS, strict=True)]
        lines.append("  ".join([row.article_id.ljust(width), *padded]))
    return "\n".join(lines) + "\n"  # final newline: the report is diffed like any output


_REQUIRED_LISTS = ("quotes", "people", "organizations", "places")


def load_gold_file(json_path: Path | str, txt_path: Path | str) -> GoldEntry:
    """(article id, text path, gold) for one annotation, e.g. seed-gold.json and its seed text."""
    json_path, txt_path = Path(json_path), Path(txt_path)
    if not txt_path.is_file():
        raise FileNotFoundError(f"{txt_path}: article text for {json_path} not found")
    try:
        gold = json.loads(json_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise ValueError(f"{json_path}:{err.lineno}: invalid JSON ({err.msg})") from err
    if not isinstance(gold, dict):
        raise ValueError(f"{json_path}: expected a JSON object with {', '.join(_REQUIRED_LISTS)}")
    for key in _REQUIRED_LISTS:
        if not isinstance(gold.get(key), list):
            raise ValueError(f"{json_path}: key {key!r} must be a list (use [] when empty)")
    # The "id" key names seed-gold.json's article; the text's file name is the fallback.
    return str(gold.get("id") or txt_path.stem), txt_path, gold


def load_gold_dir(path: Path | str) -> list[GoldEntry]:
    """Every ID.json with an ID.txt beside it, sorted by file name; other JSON is ignored."""
    path = Path(path)
    pairs = [
        load_gold_file(json_path, json_path.with_suffix(".txt"))
        for json_path in sorted(path.glob("*.json"))
        if json_path.with_suffix(".txt").is_file()
    ]
    if not pairs:
        raise FileNotFoundError(f"{path}: no ID.txt + ID.json pairs found")
    return pairs
