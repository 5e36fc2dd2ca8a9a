"""Every kind of correction an editor writes, through both front doors (issue 11).

A sidecar names a quote's speaker as a person, an organisation or an unnamed source, gives a
person's role, joins an abbreviation to its organisation and hides a place; the CLI's `build`
and a real `mkdocs build` publish the same pages, and each speaker links to the page of its
kind. docs/editors-guide.md walks through the same corrections.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import frontmatter
import pytest
from safetykit import clean, cli, mkdocs, named, project_copy, published

SEED = """\
KABUL — Traders counted their losses on Monday after a fire swept through the Mandawi market, \
the Kabul Times and the Afghan Red Crescent Society (ARCS) said.

“We have lost everything we built over twenty years,” a man at the market said.

“The fire started in the early hours and spread within minutes,” the Kabul Times reported.

“Aid will reach every family within the week,” said Gul Ahmad, a trader who leads the market council.

Amir Khan, who sells carpets, said the ARCS had sent tents. “We will rebuild every stall,” Khan said.
"""
SIDECAR = """\
title: Traders count their losses after the Mandawi market fire
speakers:
  1: {organization: Pajhwok Afghan News}   # a newspaper the article does not list
  2: {unnamed: a man}                       # the unnamed source the article calls `a man`
  3: {person: Amir Khan}
  4: Kabul Times                            # a plain name: here the article's organisation
roles:
  Gul Ahmad: head of the market council
aliases:
  ARCS: Afghan Red Crescent Society
hide:
  places: [Kabul]                       # the dateline, `KABUL`: one page
"""


def _project(tmp_path: Path, sidecar: str = SIDECAR) -> Path:
    def setup(project: Path) -> None:
        (project / "seeds" / "market.txt").write_text(SEED, encoding="utf-8")
        (project / "seeds" / "market.yml").write_text(sidecar, encoding="utf-8")

    return project_copy(tmp_path / "p", setup)


def _meta(project: Path) -> dict[str, Any]:
    return frontmatter.loads((project / "content" / "market.md").read_text(encoding="utf-8")).metadata


def _page(project: Path, url: str) -> str:
    return (project / "site" / url / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def corrected(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any], dict[str, Any]]:
    """The project built by the CLI (front matter kept), then by `mkdocs build --strict`."""
    project = _project(tmp_path_factory.mktemp("corrections"))
    run = clean(cli(project, "--strict"))
    assert run.returncode == 0, run.stderr
    by_cli = _meta(project)
    run = clean(mkdocs(project, strict=True))
    assert run.returncode == 0, run.stderr
    return project, by_cli, _meta(project)


def test_both_builds_publish_the_same_corrected_article(corrected: tuple[Path, dict, dict]) -> None:
    _, by_cli, by_mkdocs = corrected
    assert by_cli == by_mkdocs


def test_a_speaker_can_be_a_person_an_organisation_or_an_unnamed_source(
    corrected: tuple[Path, dict, dict],
) -> None:
    _, meta, _ = corrected
    said = [(q["speaker"], q["speaker_id"], q["speaker_kind"], q["cue"]) for q in meta["quotes"]]
    assert said == [
        ("Pajhwok Afghan News", "pajhwok-afghan-news", "organization", "set by the editor"),
        ("man at the market", "man-at-the-market--market", "person", "set by the editor"),
        ("Amir Khan", "amir-khan", "person", "set by the editor"),
        ("Kabul Times", "kabul-times", "organization", "set by the editor"),
    ]
    assert "Pajhwok Afghan News" in [o["name"] for o in meta["organizations"]]
    assert "Pajhwok Afghan News" not in [p["name"] for p in meta["people"]]
    unnamed = [p for p in meta["people"] if p["id"] == "man-at-the-market--market"]
    assert len(unnamed) == 1 and unnamed[0]["named"] is False  # the article's own source, not a new one


def test_each_speaker_links_to_the_page_of_its_kind(corrected: tuple[Path, dict, dict]) -> None:
    project, _, _ = corrected
    article = _page(project, "articles/market")
    for href, name in [
        ("../../organizations/pajhwok-afghan-news/", "Pajhwok Afghan News"),
        ("../../people/man-at-the-market--market/", "man at the market"),
        ("../../people/amir-khan/", "Amir Khan"),
        ("../../organizations/kabul-times/", "Kabul Times"),
    ]:
        assert f'<a class="mg-speaker" href="{href}" dir="auto">{name}</a>' in article
    assert "The fire started in the early hours" in _page(project, "people/man-at-the-market--market")
    assert "We have lost everything" in _page(project, "organizations/pajhwok-afghan-news")
    assert not published(project, "people/pajhwok-afghan-news/")  # a newspaper is not a person


def test_a_role_an_alias_of_an_organisation_and_a_hidden_place_apply(
    corrected: tuple[Path, dict, dict],
) -> None:
    project, meta, _ = corrected
    roles = {p["name"]: p["role"] for p in meta["people"]}
    assert roles["Gul Ahmad"] == "head of the market council"
    orgs = {o["name"]: o["variants"] for o in meta["organizations"]}
    assert "ARCS" not in orgs and "ARCS" in orgs["Afghan Red Crescent Society"]
    assert meta["places"] == []  # Kabul's page lists the seed's other article, not this one
    assert "articles/market/" not in _page(project, "places/kabul") and published(project, "places/kabul/")
    assert not published(project, "organizations/arcs/")
    # as the reader sees it: the sidebar keeps the role's last word with its paragraph link
    assert "head of the market council" in re.sub(r"<[^>]+>", "", _page(project, "articles/market"))


@pytest.mark.parametrize(
    "sidecar, where, what",
    [
        (
            "speakers:\n  2: {organisation: Kabul Times}\n",
            "market.yml:2",
            "unknown key `speakers.2.organisation`",
        ),
        ("speakers:\n  2: {person: A, unnamed: B}\n", "market.yml:2", "gives 2 kinds of speaker"),
        ("roles:\n  Gul Ahmad: [a, b]\n", "market.yml:2", "`roles.Gul Ahmad` must be a single line"),
        ("hide:\n  organisations: [ARCS]\n", "market.yml:2", "unknown key `hide.organisations`"),
    ],
)
def test_a_mistyped_correction_is_an_error_naming_the_line_and_the_fix(
    tmp_path: Path, sidecar: str, where: str, what: str
) -> None:
    project = _project(tmp_path, sidecar)
    for run, prefix in ((cli(project), "error:"), (mkdocs(project), "ERROR")):
        named(clean(run), prefix, where, what)


def test_corrections_that_match_nothing_warn_and_fail_a_strict_build(tmp_path: Path) -> None:
    sidecar = "roles:\n  Nobody Here: trader\naliases:\n  XYZ: Nothing Known\nhide:\n  places: [Atlantis]\n"
    project = _project(tmp_path, sidecar)
    run = clean(cli(project))
    for what in ("`roles` names `Nobody Here`", "`aliases` joins `XYZ`", "`hide.places` names `Atlantis`"):
        assert any(what in line and "market.yml" in line for line in run.lines("warning:")), what
    strict = clean(mkdocs(project, strict=True))
    assert strict.returncode != 0 and "`hide.places` names `Atlantis`" in strict.stderr
