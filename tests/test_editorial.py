"""The editor's sidecar: its schema, its errors, and how corrections apply (issue 5).

Every error names the file, the line, the key and the expected form. Corrections apply on
every rebuild; one that matches nothing is a warning naming the sidecar.
"""

from __future__ import annotations

import dataclasses
import datetime
import textwrap
from pathlib import Path
from typing import Any

import pytest

from build_tools import editorial, pipeline, render, site
from build_tools.editorial import apply, load_sidecar, parse_sidecar
from build_tools.errors import SidecarError
from build_tools.model import (
    Background,
    Corrections,
    Entity,
    Extraction,
    Person,
    PersonId,
    Quote,
    Span,
    SpeakerFix,
)

PATH = "seeds/story.yml"

FULL = """\
title: "Taliban: a faction # open to ties"
date: 2022-10-18
byline: Staff reporter
url: https://example.org/news/taliban-israel?src=wire#top
source: Shafaq News
tags: [Afghanistan, Israel]
speakers:
  2: Zabihullah Mujahid
  3: {organization: Shafaq News}
  5:
    unnamed: a senior Taliban official
  6: {person: Muhammad Naeem}
hide:
  quotes: [4]
  people: [Israeli activist]
  background: [1]
  organizations: [Sputnik]
  places: [Mars]
roles:
  Muhammad Naeem: the Taliban's spokesman in Doha
notes:
  - The Abraham Accords were signed in 2020.
  - >
    A folded note
    over two lines.
aliases:
  Mujahid: Zabihullah Mujahid
"""


def parse(text: str) -> Corrections:
    return parse_sidecar(textwrap.dedent(text), PATH)


def error(text: str) -> SidecarError:
    with pytest.raises(SidecarError) as caught:
        parse(text)
    assert caught.value.path == PATH
    return caught.value


# -- schema --------------------------------------------------------------------------------------
def test_every_key_of_the_schema_is_read() -> None:
    c = parse(FULL)
    assert c == Corrections(
        title="Taliban: a faction # open to ties",
        date=datetime.date(2022, 10, 18),
        byline="Staff reporter",
        url="https://example.org/news/taliban-israel?src=wire#top",
        source="Shafaq News",
        tags=("Afghanistan", "Israel"),
        speakers=(
            SpeakerFix(2, "Zabihullah Mujahid"),
            SpeakerFix(3, "Shafaq News", "organization"),
            SpeakerFix(5, "a senior Taliban official", "unnamed"),
            SpeakerFix(6, "Muhammad Naeem", "person"),
        ),
        hide_quotes=(4,),
        hide_people=("Israeli activist",),
        hide_background=(1,),
        hide_organizations=("Sputnik",),
        hide_places=("Mars",),
        notes=("The Abraham Accords were signed in 2020.", "A folded note over two lines."),
        aliases=(("Mujahid", "Zabihullah Mujahid"),),
        roles=(("Muhammad Naeem", "the Taliban's spokesman in Doha"),),
    )


@pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n", "\ufeff"])
def test_an_empty_sidecar_corrects_nothing(text: str) -> None:
    assert parse(text) == Corrections()


def test_yaml_never_turns_text_into_booleans_numbers_or_dates() -> None:
    c = parse("title: yes\nbyline: 1.0\nsource: null\ntags: [no, 2025-03-14, off]\n")
    assert (c.title, c.byline, c.source, c.tags) == ("yes", "1.0", "null", ("no", "2025-03-14", "off"))


def test_markup_in_a_sidecar_is_kept_as_text() -> None:
    c = parse(
        "title: \"<script>alert(1)</script> {{ x }} {% y %}\"\nnotes: ['# Heading', '[x](javascript:1)']\n"
    )
    assert c.title == "<script>alert(1)</script> {{ x }} {% y %}"
    assert c.notes == ("# Heading", "[x](javascript:1)")


@pytest.mark.parametrize(
    "text, line, key, expected",
    [
        ("title: ok\ndate: 14/03/2025\n", 2, "date: 14/03/2025", "YYYY-MM-DD"),
        ("date: 2025-02-30\n", 1, "date: 2025-02-30", "YYYY-MM-DD"),
        ("date: March 14, 2025\n", 1, "date", "2025-03-14"),
        ("title: ok\n\nheadline: x\n", 3, "unknown key `headline`", "use one of"),
        (
            "hide:\n  quotes: [1]\n  speakers: [2]\n",
            3,
            "hide.speakers",
            "use one of quotes, people, background",
        ),
        ("url: example.org/story\n", 1, "url: example.org/story", "https://"),
        ("url: javascript:alert(1)\n", 1, "url", "https://"),
        ("url: 'https://x.org/\" onmouseover=\"alert(1)'\n", 1, "url", "percent-encoded"),
        ("tags: Afghanistan\n", 1, "`tags` must be a list", "- item"),
        ("tags: ['!!!']\n", 1, "tags", "in words"),
        ("title: [a, b]\n", 1, "`title` must be a single line", "title: some text"),
        ("title: ''\n", 1, "`title`", "title: some text"),
        ("title: |\n  two\n  lines\n", 1, "more than one line", "one line"),
        ('title: "bell \\a and STX \\x02"\n', 1, "control character", "delete it"),
        ('tags: ["\\uFFFF"]\n', 1, "noncharacter U+FFFF", "delete it"),
        ("speakers:\n  two: Name\n", 2, "`speakers` has `two`", "item number"),
        ("speakers:\n  0: Name\n", 2, "`speakers` has `0`", "starting at 1"),
        ("speakers:\n  2: '...'\n", 2, "speakers.2", "in words"),
        ("speakers: [Name]\n", 1, "`speakers` must be a mapping", "name: value"),
        ("speakers:\n  2: {organisation: X}\n", 2, "speakers.2.organisation", "organization: Shafaq News"),
        (
            "speakers:\n  2: {person: A, unnamed: B}\n",
            2,
            "gives 2 kinds of speaker (person, unnamed)",
            "give one",
        ),
        ("speakers:\n  2: {}\n", 2, "gives 0 kinds of speaker (none)", "give one"),
        ("speakers:\n  2: {unnamed: '!!!'}\n", 2, "speakers.2.unnamed", "in words"),
        ("roles: [Gul Ahmad]\n", 1, "`roles` must be a mapping", "name: value"),
        ("roles:\n  Gul Ahmad:\n    - trader\n", 3, "`roles.Gul Ahmad` must be a single line", "some text"),
        ("hide:\n  places: Kabul\n", 2, "`hide.places` must be a list", "- item"),
        ("hide:\n  quotes: [first]\n", 2, "hide.quotes", "item number"),
        ("hide:\n  background: ['²']\n", 2, "hide.background", "item number"),
        ("hide:\n  quotes: [99999999999]\n", 2, "hide.quotes", "item number"),
        ("hide: quotes\n", 1, "`hide` must be a mapping", "name: value"),
        ("aliases: [Mujahid]\n", 1, "`aliases` must be a mapping", "name: value"),
        ("notes: A single note\n", 1, "`notes` must be a list", "- item"),
        ("title: a\ntitle: b\n", 2, "`title` is given twice", "lines 1 and 2"),
        ("- title: a\n", 1, "a sidecar must be a list of `key: value` lines", "title:"),
        ("title: 'unclosed\n", 2, "not valid YAML", "quotes"),
        ("title: a\n\tdate: 2025-01-01\n", 2, "not valid YAML", "indentation"),
        ("title: a\n---\ntitle: b\n", 2, "not valid YAML", "indentation"),
    ],
)
def test_a_bad_sidecar_names_file_line_key_and_expected_form(
    text: str, line: int, key: str, expected: str
) -> None:
    e = error(text)
    assert e.line == line, str(e)
    assert key in e.problem, str(e)
    assert expected in str(e), str(e)
    assert str(e).startswith(f"{PATH}:{line}: ")


def test_notes_may_span_lines_and_are_folded_to_one() -> None:
    assert parse('notes:\n  - |\n    first line\n    ---\n    --8<-- "x"\n').notes == (
        'first line --- --8<-- "x"',
    )


def test_text_is_normalised_to_nfc_so_names_match_the_article() -> None:
    assert parse('hide:\n  people: ["Jose\\u0301 Marti\\u0301"]\n').hide_people == ("José Martí",)


# -- reading the file ------------------------------------------------------------------------------
def test_a_sidecar_is_read_beside_its_seed(tmp_path: Path) -> None:
    seed = tmp_path / "story.txt"
    assert load_sidecar(seed) == Corrections()
    (tmp_path / "story.yml").write_bytes(b"\xef\xbb\xbftitle: With a BOM\n")
    assert load_sidecar(seed).title == "With a BOM"


def test_a_sidecar_that_is_not_utf8_is_an_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / "story.yml").write_bytes("title: Café\n".encode("cp1252"))
    with pytest.raises(SidecarError, match="not UTF-8") as caught:
        load_sidecar(tmp_path / "story.txt")
    assert caught.value.path == str(tmp_path / "story.yml")


def test_a_sidecar_with_a_nul_byte_is_an_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / "story.yml").write_bytes(b"title: a\x00b\n")
    with pytest.raises(SidecarError) as caught:
        load_sidecar(tmp_path / "story.txt")
    assert caught.value.path == str(tmp_path / "story.yml") and caught.value.line == 1


# -- apply -----------------------------------------------------------------------------------------
def quote(n: int, paragraph: int, speaker: str | None = None, kind: str | None = "person") -> Quote:
    ident = PersonId(speaker.lower().replace(" ", "-")) if speaker else None
    return Quote(f"quote number {n}", Span(10 * n, 10 * n + 5), paragraph, speaker, ident,
                 kind if speaker else None, "said" if speaker else None, 0.9)  # fmt: skip


def person(name: str, paragraph: int = 1, role: str | None = None, aliases: tuple[str, ...] = ()) -> Person:
    return Person(PersonId(name.lower().replace(" ", "-")), name, role, aliases, paragraph)


EXTRACTION = Extraction(
    quotes=(
        quote(1, 1, "Zabihullah Mujahid"),
        quote(2, 3),
        quote(3, 4, "Mujahid"),
        quote(4, 5, "Taliban", "organization"),
    ),
    people=(
        person("Zabihullah Mujahid", 1, "spokesman"),
        person("Mujahid", 4),
        person("Israeli activist", 6),
    ),
    organizations=(Entity("Taliban", "organization", 1, ("the Taliban",)),),
    places=(Entity("Kabul", "place", 2),),
    background=(Background("First fact.", Span(0, 11), 1), Background("Second fact.", Span(12, 24), 2)),
    warnings=("an extraction warning",),
)  # fmt: skip


def corrected(**kwargs: Any) -> Extraction:
    return apply(EXTRACTION, Corrections(**kwargs), sidecar=PATH)


def test_a_speaker_fix_naming_someone_new_adds_a_person_to_link_to() -> None:
    x = corrected(speakers=(SpeakerFix(2, "Amina Haidari"),))
    q = x.quotes[1]
    assert (q.speaker, q.speaker_id, q.speaker_kind, q.cue, q.confidence) == (
        "Amina Haidari", "amina-haidari", "person", "set by the editor", 1.0)  # fmt: skip
    added = x.people[-1]
    assert added == Person(PersonId("amina-haidari"), "Amina Haidari", None, (), 3, named=True)
    assert x.warnings == EXTRACTION.warnings


def test_a_speaker_fix_naming_a_known_person_or_alias_reuses_them() -> None:
    x = corrected(speakers=(SpeakerFix(2, "Zabihullah Mujahid"), SpeakerFix(4, "Israeli activist")))
    assert x.quotes[1].speaker_id == "zabihullah-mujahid" and x.quotes[3].speaker_id == "israeli-activist"
    assert x.quotes[3].speaker_kind == "person"
    assert x.people == EXTRACTION.people
    x = corrected(speakers=(SpeakerFix(2, "Jose Marti"),))  # the same page as an accented spelling
    y = apply(x, Corrections(speakers=(SpeakerFix(1, "José Martí"),)))
    assert [p.id for p in y.people].count("jose-marti") == 1


def test_a_speaker_fix_naming_an_organisation_links_to_the_organisation() -> None:
    x = corrected(speakers=(SpeakerFix(2, "the Taliban"),))
    assert (x.quotes[1].speaker, x.quotes[1].speaker_id, x.quotes[1].speaker_kind) == (
        "Taliban", "taliban", "organization")  # fmt: skip
    assert x.people == EXTRACTION.people


def test_hide_removes_quotes_people_and_background_by_their_numbers_and_names() -> None:
    x = corrected(hide_quotes=(1, 3), hide_people=("Israeli activist",), hide_background=(2,))
    assert [q.text for q in x.quotes] == ["quote number 2", "quote number 4"]
    assert [p.name for p in x.people] == ["Zabihullah Mujahid", "Mujahid"]
    assert [b.text for b in x.background] == ["First fact."]


def test_a_hidden_person_stays_hidden_when_a_speaker_fix_names_them() -> None:
    x = corrected(speakers=(SpeakerFix(2, "Amina Haidari"),), hide_people=("Amina Haidari",))
    assert x.quotes[1].speaker == "Amina Haidari" and "Amina Haidari" not in [p.name for p in x.people]


def test_notes_are_added_as_editor_notes_after_the_background() -> None:
    x = corrected(notes=("<b>Context</b> for readers.",))
    assert x.background[-1] == Background("<b>Context</b> for readers.", None, None)
    assert len(x.background) == 3


def test_an_alias_merges_two_people_and_their_quotes() -> None:
    x = corrected(aliases=(("Mujahid", "Zabihullah Mujahid"),))
    assert [p.name for p in x.people] == ["Zabihullah Mujahid", "Israeli activist"]
    assert x.people[0].aliases == ("Mujahid",) and x.people[0].role == "spokesman"
    assert x.quotes[2].speaker == "Zabihullah Mujahid" and x.quotes[2].speaker_id == "zabihullah-mujahid"


def test_an_alias_renames_a_person_known_only_by_the_other_form() -> None:
    x = corrected(aliases=(("Israeli activist", "Yossi Cohen"),))
    renamed = x.people[-1]
    assert (renamed.id, renamed.name, renamed.aliases, renamed.named) == (
        "yossi-cohen", "Yossi Cohen", ("Israeli activist",), True)  # fmt: skip


def test_an_alias_of_a_present_person_is_recorded_once() -> None:
    x = corrected(aliases=(("Z. Mujahid", "Zabihullah Mujahid"), ("Z. Mujahid", "Zabihullah Mujahid")))
    assert x.people[0].aliases == ("Z. Mujahid",)


@pytest.mark.parametrize(
    "corrections, expected",
    [
        (
            {"speakers": (SpeakerFix(9, "Someone"),)},
            "`speakers` sets quote 9, but the article has 4 quote(s)",
        ),
        ({"hide_quotes": (5,)}, "`hide.quotes` lists 5, but the article has 4 quote(s)"),
        ({"hide_background": (3,)}, "`hide.background` lists 3, but the article has 2 background item(s)"),
        ({"hide_people": ("Nobody",)}, "`hide.people` names `Nobody`"),
        ({"aliases": (("Abu", "Nobody"),)}, "neither is among the article's people"),
        ({"roles": (("Nobody", "a role"),)}, "`roles` names `Nobody`"),
        ({"hide_organizations": ("Hamas",)}, "`hide.organizations` names `Hamas`"),
        ({"hide_places": ("Herat",)}, "`hide.places` names `Herat`"),
    ],
)
def test_a_correction_that_matches_nothing_is_a_warning_naming_the_sidecar(
    corrections: dict[str, Any], expected: str
) -> None:
    x = corrected(**corrections)
    assert x.warnings[0] == "an extraction warning"
    assert len(x.warnings) == 2 and x.warnings[1].startswith(f"{PATH}: ") and expected in x.warnings[1]


def test_a_speaker_fix_of_each_kind_names_a_person_an_organisation_or_an_unnamed_source() -> None:
    x = corrected(
        speakers=(
            SpeakerFix(1, "Shafaq News", "organization"),  # an organisation the article does not list
            SpeakerFix(2, "a senior official", "unnamed"),  # a source the article does not name
            SpeakerFix(3, "Taliban", "person"),  # a person, even where an organisation has the name
            SpeakerFix(4, "Taliban", "organization"),  # the article's own organisation
        )
    )
    said = [(q.speaker, q.speaker_id, q.speaker_kind) for q in x.quotes]
    assert said == [
        ("Shafaq News", "shafaq-news", "organization"),
        ("a senior official", "a-senior-official--story", "person"),
        ("Taliban", "taliban", "person"),
        ("Taliban", "taliban", "organization"),
    ]
    assert [o.name for o in x.organizations] == ["Taliban", "Shafaq News"]
    assert (
        Person(PersonId("a-senior-official--story"), "a senior official", None, (), 3, named=False)
        in x.people
    )
    assert "Shafaq News" not in [p.name for p in x.people]


def test_an_unnamed_speaker_fix_reuses_the_articles_source_by_any_of_its_forms() -> None:
    source = Person(PersonId("afghan-source--story"), "Afghan source", None, ("the source",), 2, named=False)
    extraction = dataclasses.replace(EXTRACTION, people=(*EXTRACTION.people, source))
    x = apply(extraction, Corrections(speakers=(SpeakerFix(2, "The Source", "unnamed"),)), sidecar=PATH)
    assert (x.quotes[1].speaker, x.quotes[1].speaker_id) == ("Afghan source", "afghan-source--story")
    assert [p.id for p in x.people].count("afghan-source--story") == 1


def test_a_role_is_set_by_name_or_alias() -> None:
    x = corrected(roles=(("Israeli activist", "a peace campaigner"), ("Mujahid", "a Taliban spokesman")))
    roles = {p.name: p.role for p in x.people}
    assert roles["Israeli activist"] == "a peace campaigner" and roles["Mujahid"] == "a Taliban spokesman"


def test_organisations_and_places_are_hidden_by_name_or_variant() -> None:
    x = corrected(hide_organizations=("the Taliban",), hide_places=("Kabul",))
    assert x.organizations == () and x.places == ()


def test_organisations_and_places_are_found_by_their_page_whatever_the_capitals() -> None:
    x = corrected(hide_places=("KABUL",), aliases=(("TALIBAN", "Islamic Emirate"),))
    assert x.places == () and [(o.name, o.variants) for o in x.organizations] == [
        ("Islamic Emirate", ("the Taliban", "Taliban"))
    ]


def test_an_alias_joins_an_abbreviation_to_its_organisation_and_moves_its_quotes() -> None:
    extraction = dataclasses.replace(
        EXTRACTION,
        organizations=(*EXTRACTION.organizations, Entity("TTP", "organization", 3)),
        quotes=(*EXTRACTION.quotes[:3], quote(4, 5, "TTP", "organization")),
    )
    x = apply(extraction, Corrections(aliases=(("TTP", "Taliban"),)), sidecar=PATH)
    assert x.organizations == (Entity("Taliban", "organization", 1, ("the Taliban", "TTP")),)
    assert (x.quotes[3].speaker, x.quotes[3].speaker_kind) == ("Taliban", "organization")


def test_an_alias_renames_an_entity_known_only_by_the_other_form() -> None:
    x = corrected(aliases=(("Kabul", "Kabul City"),))
    assert x.places == (Entity("Kabul City", "place", 2, ("Kabul",)),)


def test_an_alias_turns_a_person_read_from_a_newspapers_name_into_that_organisation() -> None:
    """`Mujahid` was read as a person; the editor says it is the Taliban: its quotes follow."""
    x = corrected(aliases=(("Mujahid", "Taliban"),))
    assert "Mujahid" not in [p.name for p in x.people]
    assert "Mujahid" in x.organizations[0].variants
    assert (x.quotes[2].speaker, x.quotes[2].speaker_id, x.quotes[2].speaker_kind) == (
        "Taliban", "taliban", "organization")  # fmt: skip


def test_an_alias_turns_an_entity_read_from_a_persons_name_into_that_person() -> None:
    x = corrected(aliases=(("Kabul", "Zabihullah Mujahid"),))
    assert x.places == () and "Kabul" in x.people[0].aliases


def test_apply_changes_nothing_without_corrections() -> None:
    assert apply(EXTRACTION, Corrections()) == EXTRACTION


# -- end to end: a speaker the extractor missed gets a sidebar entry and a page ------------------------
def test_a_new_speaker_is_listed_and_linked_on_the_rendered_page(tmp_path: Path, nlp: Any) -> None:
    seed = tmp_path / "market.txt"
    seed.write_text(
        "KABUL — Traders counted their losses on Monday.\n\n"
        "“We have lost everything we built over twenty years,” a man at the market said.\n",
        encoding="utf-8",
    )
    (tmp_path / "market.yml").write_text("speakers:\n  1: Gul Ahmad\n", encoding="utf-8")
    doc, _ = pipeline.read_one(seed, nlp)
    assert doc.extraction.quotes[0].speaker_id == "gul-ahmad"
    assert any(p.id == "gul-ahmad" and p.named and p.role is None for p in doc.extraction.people)
    page = render.render(doc, known=site.urls([doc]))
    assert '<a class="mg-name" href="../../people/gul-ahmad/" dir="auto">Gul Ahmad</a>' in page
    assert '<a class="mg-speaker" href="../../people/gul-ahmad/" dir="auto">Gul Ahmad</a>' in page


def test_the_sidecar_path_is_the_seed_with_yml() -> None:
    assert editorial.sidecar_path(Path("seeds/a b.txt")) == Path("seeds/a b.yml")


def test_a_stale_sidecar_is_a_build_warning_naming_it(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "market.txt").write_text("KABUL — Traders met.\n\n“We will rebuild,” said Gul Ahmad.\n")
    (seeds / "market.yml").write_text("hide:\n  quotes: [7]\n", encoding="utf-8")
    report = pipeline.build(seeds, tmp_path / "content")
    assert [w for w in report.warnings if w.startswith(f"{seeds / 'market.yml'}: `hide.quotes` lists 7")]
