"""seeds/_people.yml and seeds/_notes/*.md are read like sidecars (issue 11): an error names the file,
the line and the key, and its fix points to the editor's guide, never into Python source; an
entry that matches nothing is a warning, and `--strict` fails on it. Through the CLI's `build`
and a real `mkdocs build`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from safetykit import Run, clean, cli, mkdocs, named, project_copy

GUIDE = "docs/editors-guide.md"
NOTE = "---\nmatch: [Taliban]\n---\nThe Taliban took Kabul in August 2021.\n"


def _project(tmp_path: Path, files: dict[str, str]) -> Path:
    def setup(project: Path) -> None:
        (project / "seeds" / "_notes").mkdir()
        for name, text in files.items():
            (project / "seeds" / name).write_text(text, encoding="utf-8")

    return project_copy(tmp_path / "p", setup)


def _no_python_paths(run: Run) -> None:
    assert "build_tools/" not in run.stderr and ".py" not in run.stderr, run.stderr[-2000:]


@pytest.mark.parametrize(
    "name, text, where, what",
    [
        ("_people.yml", "merges:\n  Gul Ahmad: [G. Ahmad]\n", "_people.yml:1", "unknown key `merges`"),
        (
            "_people.yml",
            "split:\n  - name: Mujahid\n    artcles: [taliban-israel]\n",
            "_people.yml:3",
            "unknown key `split.artcles`",
        ),
        ("_people.yml", "split:\n  - articles: [taliban-israel]\n", "_people.yml:2", "needs a `name`"),
        ("_people.yml", "merge: [Mujahid]\n", "_people.yml:1", "`merge` must be a mapping"),
        ("_people.yml", "- merge\n", "_people.yml:1", "must be a mapping with the keys"),
        ("_notes/empty.md", "---\nmatch: [Taliban]\n---\n\n", "_notes/empty.md:4", "the note is empty"),
        (
            "_notes/key.md",
            "---\nmatches: [Taliban]\n---\nText.\n",
            "_notes/key.md:2",
            "unknown key `matches`",
        ),
        ("_notes/bare.md", "Just a note.\n", "_notes/bare.md:1", "must start with front matter"),
        ("_notes/open.md", "---\nmatch: [Taliban]\nText.\n", "_notes/open.md:1", "not closed"),
    ],
)
def test_an_error_in_an_editors_file_names_its_line_key_and_the_guide(
    tmp_path: Path, name: str, text: str, where: str, what: str
) -> None:
    project = _project(tmp_path, {name: text})
    for run, prefix in ((cli(project), "error:"), (mkdocs(project), "ERROR")):
        clean(run)
        line = named(run, prefix, where, what)
        assert GUIDE in line or "Fix: use one of" in line or "Fix: write" in line, line
        _no_python_paths(run)


UNMATCHED = {
    "_people.yml": (
        "merge:\n"
        "  Zabihullah Mujahid: [Zabiullah Mujahid]\n"  # line 2: a spelling no article has
        "  Muhammad Naeem: [Dr. Muhammad Naeem]\n"  # line 3: matches nothing either (an alias, not a form)
        "split:\n"
        "  - name: Abdul Ghani\n"  # line 5: nobody of that name
        "  - name: Muhammad Naeem\n"  # line 6: named, and the article exists
        "    articles: [taliban-isreal]\n"  # line 7: a misspelt article
    ),
    "_notes/accords.md": "---\nmatch: [Abraham Acords]\n---\nThe Abraham Accords were signed in 2020.\n",
    "_notes/taliban.md": NOTE,
}


@pytest.fixture(scope="module")
def unmatched(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Run]]:
    project = _project(tmp_path_factory.mktemp("unmatched"), UNMATCHED)
    runs = {
        "cli": clean(cli(project)),
        "cli-strict": clean(cli(project, "--strict")),
        "mkdocs": clean(mkdocs(project)),
        "mkdocs-strict": clean(mkdocs(project, strict=True)),
    }
    return project, runs


@pytest.mark.parametrize(
    "where, what",
    [
        (
            "_people.yml:2",
            "`merge.Zabihullah Mujahid` lists `Zabiullah Mujahid`, but no person of any article has that",
        ),
        ("_people.yml:3", "lists `Dr. Muhammad Naeem`"),
        ("_people.yml:5", "`split` names `Abdul Ghani`, but no person of any article has that name"),
        ("_people.yml:7", "`split.articles` lists `taliban-isreal`, which is no article's name"),
        ("_notes/accords.md:2", "no article names `Abraham Acords`, so the note is shown nowhere"),
    ],
)
def test_an_entry_that_matches_nothing_is_a_warning_naming_its_line(
    unmatched: tuple[Path, dict[str, Run]], where: str, what: str
) -> None:
    _, runs = unmatched
    named(runs["cli"], "warning:", where, what)
    named(runs["mkdocs"], "WARNING", where, what)


def test_entries_that_match_warn_nothing_and_still_apply(unmatched: tuple[Path, dict[str, Run]]) -> None:
    project, runs = unmatched
    assert not [line for line in runs["cli"].lines("warning:") if "taliban.md" in line]
    page = (project / "site" / "articles" / "taliban-israel" / "index.html").read_text(encoding="utf-8")
    assert "The Taliban took Kabul in August 2021." in page


def test_a_strict_build_fails_on_an_entry_that_matches_nothing(
    unmatched: tuple[Path, dict[str, Run]],
) -> None:
    _, runs = unmatched
    assert runs["cli"].returncode == 0 and runs["mkdocs"].returncode == 0  # lenient: published, warned
    assert runs["cli-strict"].returncode == 1
    strict = runs["mkdocs-strict"]
    assert strict.returncode != 0 and "in strict mode" in strict.stdout + strict.stderr
