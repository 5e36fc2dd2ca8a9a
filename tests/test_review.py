"""`python -m build_tools review` (issue 11): everything an editor should look at, grouped, each item
with the line of a sidecar or of seeds/_people.yml that fixes it.

The listing on the 31 fixture articles is a golden file (tests/golden/review/fixtures.txt,
rewritten by `pytest --update-goldens`); writing every fix it gives and rebuilding leaves none
of those items.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml
from safetykit import clean, cli, mkdocs, project_copy

from build_tools import editorial, lookalike
from build_tools.review import format_items, review_items, yaml_value

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "articles"
GOLDEN = ROOT / "tests" / "golden" / "review" / "fixtures.txt"


def review(project: Path, *args: str) -> str:
    run = subprocess.run(
        [sys.executable, "-m", "build_tools", "review", *args],
        cwd=project, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return run.stdout


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project whose seeds are the 31 fixture articles, built by the CLI."""

    def setup(project: Path) -> None:
        shutil.rmtree(project / "seeds")
        (project / "seeds").mkdir()
        for path in sorted(FIXTURES.glob("*.txt")):
            shutil.copy(path, project / "seeds" / path.name)

    project = project_copy(tmp_path_factory.mktemp("review") / "p", setup)
    assert clean(cli(project), bound=300).returncode == 0
    return project


def test_the_listing_of_the_31_fixture_articles_is_the_golden_file(
    fixtures: Path, update_goldens: bool
) -> None:
    listing = review(fixtures)
    if update_goldens:
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(listing, encoding="utf-8")
    assert listing == GOLDEN.read_text(encoding="utf-8")
    for group in (
        "## Quotes to confirm",
        "## Headlines derived from the lede (31)",
        "## Undated articles (30)",
        "## People without a role",
        "## Organisations and places to check",
        "## Near-duplicates",
    ):
        assert group in listing, group
    for item in (
        "- U.S. (place, 4 articles), United States (place, 6 articles), US (place, 5 articles)",
        "- wn-cia-base-bomber: Central Intelligence Agency (organisation), CIA (organisation)",
        "`United Nations` and `Untied Nations` are one letter apart",
        "fix in seeds/wn-indonesia-asylum.yml: aliases: {Untied Nations: United Nations}",
    ):
        assert item in listing, item


def test_mkdocs_build_gives_the_same_listing(fixtures: Path, tmp_path: Path) -> None:
    project = project_copy(tmp_path / "p", base=fixtures)
    shutil.rmtree(project / "content")
    assert clean(mkdocs(project), bound=300).returncode == 0
    assert review(project) == GOLDEN.read_text(encoding="utf-8")


def _apply(items: list[Any], project: Path) -> None:
    """Write every fix the listing gives into its file, as an editor would (dates filled in)."""
    files: dict[str, dict[str, Any]] = defaultdict(dict)
    for item in items:
        for fix in item.fixes:
            line = fix.line.replace("YYYY-MM-DD", "2020-01-01")
            for name in fix.file.split(", "):
                _merge(files[name], yaml.safe_load(line))  # a value of its own for each file
    for name, value in files.items():
        (project / name).write_text(
            yaml.safe_dump(value, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )


def _merge(into: dict[str, Any], value: dict[str, Any]) -> None:
    for key, v in value.items():
        if isinstance(into.get(key), dict):
            _merge(into[key], v)
        elif isinstance(into.get(key), list):
            into[key] += v
        else:
            into[key] = v


def test_writing_every_fix_and_rebuilding_leaves_none_of_those_items(fixtures: Path, tmp_path: Path) -> None:
    project = project_copy(tmp_path / "p", base=fixtures)
    before = review_items(project / "content", project / "seeds", seeds_name="seeds")
    _apply(before, project)
    run = clean(cli(project, "--strict"), bound=300)
    stale = [line for line in run.lines("warning:") if ".yml" in line]
    assert stale == [] and "error:" not in run.stderr  # every fix matched what it names
    after = review_items(project / "content", project / "seeds", seeds_name="seeds")
    assert {(i.group, i.article, i.message) for i in after} & {
        (i.group, i.article, i.message) for i in before
    } == set()
    # What is left was made by the fixes: an organisation a quote's speaker fix added, to check.
    assert {i.group for i in after} <= {"entities"}, format_items(after)


def test_every_fix_line_is_valid_for_the_file_it_names(fixtures: Path) -> None:
    items = review_items(fixtures / "content", fixtures / "seeds", seeds_name="seeds")
    for item in items:
        for fix in (*item.fixes, *item.instead):
            if fix.file.endswith(".yml") and "_people.yml" not in fix.file and "YYYY" not in fix.line:
                editorial.parse_sidecar(fix.line + "\n", fix.file)  # raises on any mistake


def test_the_seed_lists_its_guessed_quote_and_its_missing_date_with_the_fix(tmp_path: Path) -> None:
    project = project_copy(tmp_path / "p")
    assert clean(cli(project)).returncode == 0
    listing = review(project)
    assert "- taliban-israel: quote 2 (paragraph 7) is attributed to Afghan source by context only" in listing
    assert "fix in seeds/taliban-israel.yml: speakers: {2: {unnamed: Afghan source}}" in listing
    assert "fix in seeds/taliban-israel.yml: date: YYYY-MM-DD" in listing
    assert "Headlines derived" not in listing  # the sidecar gives the title
    (project / "seeds" / "taliban-israel.yml").write_text("date: 14/03/2025\n", encoding="utf-8")
    listing = review(project)
    assert "## Sidecars the build cannot read (1)" in listing and "taliban-israel.yml:1" in listing


def test_an_empty_archive_has_nothing_to_review(tmp_path: Path) -> None:
    assert format_items(review_items(tmp_path, tmp_path)) == "Nothing to review.\n"


# -- the rules, on names alone ------------------------------------------------------------------------------
def _alike(*names: tuple[str, str]) -> list[list[str]]:
    given = [lookalike.Name(n, k) for n, k in names]
    found = [[names[i][0] for i in c.members] for c in lookalike.clusters(given)]
    return found + [[names[i][0], names[j][0]] for i, j, _ in lookalike.contained(given)]


@pytest.mark.parametrize(
    "names, expected",
    [
        ((("KSC", "place"), ("Kennedy Space Center", "place")), [["KSC", "Kennedy Space Center"]]),
        ((("U.S.", "place"), ("US", "place"), ("United States", "place")), [["U.S.", "US", "United States"]]),
        ((("NASA", "organization"), ("National Aeronautics and Space Administration", "organization")),
         [["NASA", "National Aeronautics and Space Administration"]]),
        ((("Untied Nations", "organization"), ("United Nations", "organization")),
         [["Untied Nations", "United Nations"]]),
        ((("Intel", "organization"), ("Intel Corporation", "organization")),
         [["Intel", "Intel Corporation"]]),
        ((("Texas", "place"), ("State of Texas", "place")), [["Texas", "State of Texas"]]),
        ((("Iran", "place"), ("Iraq", "place")), []),  # short names one letter apart are two names
        ((("Kowloon West", "place"), ("Kowloon East", "place")), []),
        ((("ABC News", "organization"), ("NBC News", "organization")), []),
        ((("Irving", "place"), ("Irving Police Department", "organization")), []),  # kinds differ
        ((("Senate", "organization"), ("U.S. Senate", "organization"), ("Senate Democrats", "organization")),
         [["Senate", "U.S. Senate"], ["Senate", "Senate Democrats"]]),  # pair by pair, never one group
    ],
)  # fmt: skip
def test_lookalike_rules(names: tuple[tuple[str, str], ...], expected: list[list[str]]) -> None:
    assert _alike(*names) == expected


def test_yaml_values_in_fixes_read_back_as_written() -> None:
    for text in ("U.S.", "Drake's Views", "Texas A&M", "yes", "a: b", "[x]", "“Quoted”", "Intel "):
        assert yaml.safe_load(f"k: [{yaml_value(text)}]")["k"] == [text], text
