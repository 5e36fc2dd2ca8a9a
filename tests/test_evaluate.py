"""Tests of build_tools.evaluate: one small hand-made case per scoring rule, and every
fixture gold scored against itself."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from build_tools.evaluate import (
    ArticleScore,
    Counts,
    format_report,
    load_gold_dir,
    load_gold_file,
    micro_average,
    normalise,
    quote_similarity,
    role_is_right,
    score_article,
    speaker_is_right,
)

REPO = Path(__file__).resolve().parents[1]
# The annotated articles live in the shared fixtures beside the repository during
# development; a copy under tests/fixtures is picked up first if the project vendors one.
GOLD_DIRS = [
    REPO / "tests" / "fixtures" / "articles",
    REPO.parent / "shared" / "fixtures" / "articles",
]
SEED_GOLD = REPO.parent / "shared" / "fixtures" / "seed-gold.json"
SEED_TEXTS = [
    REPO / "seeds" / "taliban-israel.txt",
    REPO.parent / "shared" / "seeds" / "taliban-israel.txt",
]


def quote(text: str, speaker: str | None = "Charles Bolden") -> dict[str, Any]:
    return {"text": text, "speaker": speaker}


def person(name: str, role: str | None = None, *aliases: str, named: bool = True) -> dict[str, Any]:
    record: dict[str, Any] = {"name": name, "role": role, "aliases": list(aliases)}
    if not named:
        record["named"] = False
    return record


def article(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"quotes": [], "people": [], "organizations": [], "places": []}
    return base | fields


# --- normalisation and quote matching ---------------------------------------------------


def test_normalise_straightens_quotes_collapses_space_and_strips_punctuation() -> None:
    assert normalise("  “Peoples’  minds\n are,”  ") == "peoples' minds are"
    assert normalise("Cafe\u0301") == normalise("Café")  # NFC: decomposed == composed


def test_containment_needs_80_percent_of_the_longer_text() -> None:
    # One token each, so the Jaccard rule cannot match: only containment decides.
    gold = "abcdefghij"
    assert quote_similarity(gold, "bcdefghij") == pytest.approx(0.9)
    assert quote_similarity(gold, "cdefghij") == pytest.approx(0.8)
    assert quote_similarity(gold, "defghij") == 0.0
    assert quote_similarity("cdefghij", gold) == pytest.approx(0.8)  # either way round


def test_containment_ignores_curly_quotes_case_and_trailing_punctuation() -> None:
    gold = "Arabs and Iranians have intoxicated our peoples’ minds against Israel,"
    assert (
        quote_similarity(gold, "arabs and Iranians have intoxicated our peoples' minds against Israel") == 1.0
    )


def test_token_jaccard_at_0_8_matches_reworded_quote() -> None:
    gold = "one two three four five six seven eight nine ten"
    one_word_changed = "one two three four five six seven eight nine eleven"  # 9/11
    two_words_changed = "one two three four five six seven eight twelve eleven"  # 8/12
    assert quote_similarity(gold, one_word_changed) == pytest.approx(9 / 11)
    assert quote_similarity(gold, two_words_changed) == 0.0
    assert quote_similarity(gold, "Ten, nine, eight, seven, six, five, four, three, two, one.") == 1.0


def test_quote_matching_is_one_to_one() -> None:
    text = "We want to thank all of the locations that expressed an interest"
    gold = article(quotes=[quote(text)])
    score = score_article("a", gold, article(quotes=[quote(text), quote(text + ",")]))
    assert score.quotes == Counts(tp=1, fp=1, fn=0)


def test_greedy_matching_prefers_the_best_pair() -> None:
    gold = article(quotes=[quote("abcdefghi"), quote("abcdefghij")])
    # The first prediction fits both gold quotes; it must take the exact one so that the
    # second prediction can still match the other.
    predicted = article(quotes=[quote("abcdefghij"), quote("abcdefgh")])
    assert score_article("a", gold, predicted).quotes == Counts(tp=2, fp=0, fn=0)


# --- speakers -----------------------------------------------------------------------------

PEOPLE = [
    person("Charles Bolden", "NASA Administrator", "Bolden", "Administrator Bolden"),
    person("Kim Jong Un", None, "Kim"),
    person("anonymous former Afghan official", None, "the source", "an Afghan source", named=False),
]


@pytest.mark.parametrize(
    ("predicted", "gold_speaker", "right"),
    [
        ("charles BOLDEN", "Charles Bolden", True),  # equal, case-insensitive
        ("Bolden", "Charles Bolden", True),  # alias, and last name
        ("Mr. Charles F. Bolden", "Charles Bolden", True),  # shares the last name
        ("Kim", "Kim Jong Un", True),  # alias with a different last token
        ("The source", "anonymous former Afghan official", True),  # alias of an unnamed person
        ("an Afghan source", "anonymous former Afghan official", True),
        ("Barack Obama", "Charles Bolden", False),
        ("he", "Charles Bolden", False),
        (None, "Charles Bolden", False),
        ("", "Charles Bolden", False),
    ],
)
def test_speaker_rules(predicted: str | None, gold_speaker: str, right: bool) -> None:
    assert speaker_is_right(predicted, gold_speaker, PEOPLE) is right


def test_speaker_accuracy_counts_only_matched_quotes() -> None:
    gold = article(
        quotes=[quote("abcdefghij", "Charles Bolden"), quote("klmnopqrst", "Kim Jong Un")],
        people=PEOPLE,
    )
    predicted = article(
        quotes=[quote("abcdefghij", "Bolden"), quote("klmnopqrst", "Obama"), quote("zzzzzz", "he")]
    )
    score = score_article("a", gold, predicted)
    assert (score.speakers_right, score.speakers_total) == (1, 2)
    assert score.speaker_accuracy == 0.5


# --- people and roles ---------------------------------------------------------------------


def test_people_match_by_name_alias_or_last_name() -> None:
    gold = article(
        people=[person("Charles Bolden"), person("Kim Jong Un", None, "Kim"), person("John Cornyn")]
    )
    predicted = article(
        people=[
            person("Charles Bolden"),
            person("Kim"),
            person("Senator Cornyn"),
            person("Yuri Gagarin"),
        ]
    )
    assert score_article("a", gold, predicted).people == Counts(tp=3, fp=1, fn=0)


def test_people_matching_is_one_to_one() -> None:
    gold = article(people=[person("Charles Bolden")])
    predicted = article(people=[person("Charles Bolden"), person("Bolden")])
    assert score_article("a", gold, predicted).people == Counts(tp=1, fp=1, fn=0)


def test_unnamed_gold_person_is_optional() -> None:
    gold = article(people=PEOPLE)
    named_only = article(people=[person("Charles Bolden"), person("Kim Jong Un")])
    with_unnamed = article(people=[*named_only["people"], person("anonymous former Afghan official")])
    assert score_article("a", gold, named_only).people == Counts(tp=2, fp=0, fn=0)
    assert score_article("a", gold, with_unnamed).people == Counts(tp=2, fp=0, fn=0)


@pytest.mark.parametrize(
    ("predicted", "right"),
    [
        ("spokesperson of the Political Office", True),  # 3 of 6 content words
        ("the Political Office of the Islamic Emirate of Afghanistan", True),
        ("spokesperson", False),  # 1 of 6
        (None, False),
    ],
)
def test_role_covers_half_the_content_words(predicted: str | None, right: bool) -> None:
    gold_role = "the spokesperson for the Political Office of the Islamic Emirate of Afghanistan"
    assert role_is_right(predicted, gold_role) is right


def test_role_ignores_possessive_and_curly_apostrophe() -> None:
    assert role_is_right("Taliban spokesperson", "the Taliban’s spokesperson")
    assert role_is_right("spokesperson", "the Taliban’s spokesperson")  # 1 of 2 is half
    assert not role_is_right("spokesman", "the Taliban’s spokesperson")


def test_role_accuracy_skips_null_roles_and_unnamed_people() -> None:
    gold = article(
        people=[
            person("Charles Bolden", "NASA Administrator"),
            person("Yuri Gagarin", None),
            person(
                "anonymous former Afghan official",
                "former Afghan official",
                "the source",
                named=False,
            ),
        ]
    )
    predicted = article(
        people=[
            person("Bolden", "Administrator of NASA"),
            person("Yuri Gagarin", "cosmonaut"),
            person("the source", "a teacher"),
        ]
    )
    score = score_article("a", gold, predicted)
    assert (score.roles_right, score.roles_total) == (1, 1)


# --- organizations, places, background ----------------------------------------------------


def test_entities_are_sets_and_ignore_a_leading_the() -> None:
    gold = article(organizations=["The Straits Times", "United Nations", "NASA"])
    predicted = article(organizations=["Straits Times", "the United Nations", "nasa", "NASA", "Google"])
    assert score_article("a", gold, predicted).organizations == Counts(tp=3, fp=1, fn=0)


def test_places_normalise_marks_and_space() -> None:
    gold = article(places=["Washington, D.C.", "Israel’s north"])
    predicted = article(places=["Washington,  D.C", "Israel's north", "Gaza"])
    assert score_article("a", gold, predicted).places == Counts(tp=2, fp=1, fn=0)


BACKGROUND_GOLD = article(
    background=["Bahrain, Morocco and Sudan are parties to the Abraham Accords."],
    background_optional=["A month earlier, he was asked by Al Jazeera about Israel."],
)


def test_background_optional_predictions_are_ignored() -> None:
    predicted = article(
        background=[
            "Bahrain, Morocco and Sudan are parties to the Abraham Accords",
            "A month earlier, he was asked by Al Jazeera about Israel.",
            "The faction numbers around 200 individuals.",
        ]
    )
    assert score_article("a", BACKGROUND_GOLD, predicted).background == Counts(tp=1, fp=1, fn=0)
    assert score_article("a", BACKGROUND_GOLD, article()).background == Counts(tp=0, fp=0, fn=1)


def test_background_is_not_scored_without_gold_background() -> None:
    predicted = article(background=["Some sentence of context."])
    assert score_article("a", article(), predicted).background is None


def test_missing_and_null_prediction_keys_are_empty() -> None:
    gold = article(quotes=[quote("abcdefghij")], people=[person("Charles Bolden")])
    score = score_article("a", gold, {"quotes": None})
    assert (score.quotes, score.people) == (Counts(0, 0, 1), Counts(0, 0, 1))


# --- totals and report --------------------------------------------------------------------


def scored(
    article_id: str, quotes: Counts, speakers: tuple[int, int], background: Counts | None
) -> ArticleScore:
    return ArticleScore(article_id, quotes, *speakers, Counts(), 0, 0, Counts(), Counts(), background)


def test_counts_edge_cases() -> None:
    assert Counts().f1 == 1.0  # nothing expected, nothing predicted
    assert Counts(fn=2).f1 == 0.0
    assert Counts(fp=2).f1 == 0.0
    assert Counts(tp=1, fp=1, fn=0).f1 == pytest.approx(2 / 3)


def test_micro_average_sums_counts_instead_of_averaging_scores() -> None:
    small = scored("small", Counts(tp=1), (1, 1), None)
    big = scored("big", Counts(tp=1, fp=3, fn=3), (1, 3), Counts(tp=1, fn=1))
    total = micro_average([small, big])
    assert total.quotes == Counts(tp=2, fp=3, fn=3)
    assert total.quotes.f1 == pytest.approx(0.4)  # the mean of 1.0 and 0.25 would be 0.625
    assert total.speaker_accuracy == 0.5  # 2 of 4, not the mean of 1.0 and 1/3
    assert total.background == Counts(tp=1, fn=1)
    assert micro_average([small]).background is None


def test_format_report_has_a_line_per_article_and_a_total() -> None:
    report = format_report(
        [scored("small", Counts(tp=1), (1, 1), None), scored("big", Counts(fn=1), (0, 0), None)]
    )
    lines = report.splitlines()
    assert report.endswith("\n")
    assert [line.split()[0] for line in lines] == ["article", "small", "big", "TOTAL"]
    assert lines[0].split()[1:] == [
        "quote_f1",
        "speaker_acc",
        "people_f1",
        "role_acc",
        "org_f1",
        "place_f1",
        "bg_f1",
    ]
    assert lines[2].split()[1:3] == ["0.000", "n/a"]
    assert lines[3].split()[1:3] == ["0.667", "1.000"]


# --- loading gold files -------------------------------------------------------------------


def write_pair(directory: Path, article_id: str, gold: dict[str, Any]) -> None:
    (directory / f"{article_id}.txt").write_text("Body.\n", encoding="utf-8")
    (directory / f"{article_id}.json").write_text(json.dumps(gold), encoding="utf-8")


def test_load_gold_dir_pairs_txt_and_json(tmp_path: Path) -> None:
    write_pair(tmp_path, "b-article", article())
    write_pair(tmp_path, "a-article", article())
    (tmp_path / "notes.json").write_text("{}", encoding="utf-8")  # no .txt beside it
    entries = load_gold_dir(tmp_path)
    assert [(entry_id, path.name) for entry_id, path, _ in entries] == [
        ("a-article", "a-article.txt"),
        ("b-article", "b-article.txt"),
    ]


def test_load_gold_file_reads_the_id_key(tmp_path: Path) -> None:
    (tmp_path / "seed.txt").write_text("Body.\n", encoding="utf-8")
    (tmp_path / "seed-gold.json").write_text(json.dumps(article(id="taliban-israel")), encoding="utf-8")
    entry_id, path, gold = load_gold_file(tmp_path / "seed-gold.json", tmp_path / "seed.txt")
    assert (entry_id, path.name, gold["quotes"]) == ("taliban-israel", "seed.txt", [])


def test_load_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"no ID\.txt"):
        load_gold_dir(tmp_path)
    (tmp_path / "x.txt").write_text("Body.\n", encoding="utf-8")
    (tmp_path / "x.json").write_text('{"quotes": [', encoding="utf-8")
    with pytest.raises(ValueError, match=r"x\.json:1: invalid JSON"):
        load_gold_dir(tmp_path)
    (tmp_path / "x.json").write_text('{"quotes": []}', encoding="utf-8")
    with pytest.raises(ValueError, match=r"x\.json: key 'people' must be a list"):
        load_gold_dir(tmp_path)


# --- the fixtures against themselves ------------------------------------------------------


def fixture_entries() -> list[tuple[str, Path, dict[str, Any]]]:
    gold_dir = next((d for d in GOLD_DIRS if d.is_dir()), None)  # the first copy found
    entries = load_gold_dir(gold_dir) if gold_dir else []
    seed_text = next((path for path in SEED_TEXTS if path.is_file()), None)
    if SEED_GOLD.is_file() and seed_text is not None:
        entries.append(load_gold_file(SEED_GOLD, seed_text))
    return entries


FIXTURES = fixture_entries()


@pytest.mark.parametrize(
    ("article_id", "gold"), [(e[0], e[2]) for e in FIXTURES], ids=[e[0] for e in FIXTURES]
)
def test_fixture_gold_scores_perfectly_against_itself(article_id: str, gold: dict[str, Any]) -> None:
    score = score_article(article_id, gold, gold)
    counts = [score.quotes, score.people, score.organizations, score.places, score.background]
    assert all(c.f1 == 1.0 and c.fp == c.fn == 0 for c in counts if c is not None)
    assert score.speaker_accuracy in (1.0, None) and score.role_accuracy in (1.0, None)
    assert (score.background is None) == ("background" not in gold)
