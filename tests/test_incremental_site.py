"""Incremental builds are exact: a random sequence of edits, each built with `mkdocs build --dirty`
into the site/ the last build left, gives site/ and content/ byte-identical, after every edit, to a
clean full build of the same seeds (a fresh copy of the project with no site/, no content/ and no
cache but the extractions, so that it needs no NLP: extraction is deterministic, and is not what
this test is about).

The edits are an editor's: a word in a body, a lede, a new seed, a removed seed, a sidecar title, a
`_people.yml` merge, a role corrected in a sidecar (what the pages listing that person as company
show of them); each kind at least once, in an order drawn from a seeded generator, so the
test is the same on every run and a failure names its sequence.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from projectkit import copy_project

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "articles"
# Every fixture but the one whose quotation mark is never closed (a warning: a strict build fails).
POOL = sorted(p for p in FIXTURES.glob("*.txt") if p.stem != "wn-cartoonist-coffee-lawsuit")
FIRST = 5  # seeds the archive starts with, besides the project's own
EDITS = ("body", "lede", "new", "remove", "title", "merge", "role")
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1700000000"}


def mkdocs(project: Path, *extra: str, hash_seed: int = 0) -> None:
    """A build in a process of its own; each with another hash seed, as separate runs have (the
    record of the last build must not depend on the order of a set)."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", *extra],
        cwd=project,
        env={**ENV, "PYTHONHASHSEED": str(hash_seed)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under folder by relative path, hidden ones too (content/.manifest.json)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def differences(one: Path, other: Path) -> list[str]:
    a, b = tree(one), tree(other)
    return sorted(rel for rel in a.keys() | b.keys() if a.get(rel) != b.get(rel))


def theme_file(site: Path) -> tuple[int, int]:
    """Inode and modification time of one of the theme's files: a dirty build that is incremental
    leaves it as it was; one that emptied site/ first (a full build) copies it again."""
    found = sorted((site / "assets" / "javascripts").glob("bundle.*.min.js"))[0].stat()
    return found.st_ino, found.st_mtime_ns


def folders(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_dir())


class Editor:
    """An editor at work on a project's seeds/, drawing what to change from `rng`."""

    def __init__(self, project: Path, rng: random.Random) -> None:
        self.seeds = project / "seeds"
        self.content = project / "content"
        self.rng = rng
        self.unused = [p for p in POOL if not (self.seeds / p.name).exists()]
        self.merged: set[str] = set()

    def articles(self) -> list[Path]:
        return sorted(self.seeds.glob("*.txt"))

    def paragraphs(self, seed: Path) -> list[str]:
        return seed.read_text(encoding="utf-8").strip("\n").split("\n\n")

    def write(self, seed: Path, paragraphs: list[str]) -> None:
        seed.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")

    def body(self) -> str:
        """A word of a paragraph without quotation marks, after the lede, replaced by another."""
        seed = self.rng.choice(self.articles())
        paragraphs = self.paragraphs(seed)
        plain = [n for n, p in enumerate(paragraphs) if n and not re.search(r"[\"“”]", p) and " the " in p]
        n = self.rng.choice(plain)
        paragraphs[n] = paragraphs[n].replace(" the ", " that ", 1)
        self.write(seed, paragraphs)
        return f"body of {seed.name}, paragraph {n + 1}"

    def lede(self) -> str:
        """The lede's first sentence made longer: the title, the summary and every list change."""
        seed = self.rng.choice(self.articles())
        paragraphs = self.paragraphs(seed)
        paragraphs[0] = re.sub(r"\. |\.$", ", officials said. ", paragraphs[0], count=1).rstrip()
        self.write(seed, paragraphs)
        return f"lede of {seed.name}"

    def new(self) -> str:
        source = self.unused.pop(self.rng.randrange(len(self.unused)))
        shutil.copy(source, self.seeds / source.name)
        day = self.rng.randrange(1, 28)
        (self.seeds / f"{source.stem}.yml").write_text(f"date: 2031-01-{day:02d}\n", encoding="utf-8")
        return f"new seed {source.name}"

    def remove(self) -> str:
        seed = self.rng.choice([p for p in self.articles() if p.stem != "taliban-israel"])
        seed.unlink()
        seed.with_suffix(".yml").unlink(missing_ok=True)
        return f"removed {seed.name}"

    def title(self) -> str:
        seed = self.rng.choice(self.articles())
        sidecar = seed.with_suffix(".yml")
        old = sidecar.read_text(encoding="utf-8").splitlines() if sidecar.exists() else []
        kept = [line for line in old if not line.startswith("title:")]
        title = f"An editor's title, revision {self.rng.randrange(1000)}"
        sidecar.write_text("\n".join([f"title: {title}", *kept]) + "\n", encoding="utf-8")
        return f"title of {seed.name}"

    def role(self) -> str:
        """A named person's role corrected in the sidecar of one of their articles."""
        seed = self.rng.choice(self.articles())
        front = (self.content / f"{seed.stem}.md").read_text(encoding="utf-8").split("\n---\n", 1)[0]
        people = yaml.safe_load(front.removeprefix("---\n")).get("people") or []
        name = self.rng.choice([p["name"] for p in people if p.get("named", True)])
        role = f"an editor's role, revision {self.rng.randrange(1000)}"
        sidecar = seed.with_suffix(".yml")
        old = sidecar.read_text(encoding="utf-8").splitlines() if sidecar.exists() else []
        kept = [line for line in old if not line.startswith("roles:")]
        sidecar.write_text(
            "\n".join([*kept, f"roles: {{{json.dumps(name)}: {json.dumps(role)}}}"]) + "\n", encoding="utf-8"
        )
        return f"role of {name} in {seed.name}"

    def merge(self) -> str:
        """Two people of the archive made one in seeds/_people.yml (forms never merged twice)."""
        names = sorted({self._name(p) for p in (self.content / "people").glob("*.md") if "--" not in p.stem})
        names = [n for n in names if n and n not in self.merged and len(n.split()) > 1]
        first, second = self.rng.sample(names, 2)
        self.merged |= {first, second}
        people = self.seeds / "_people.yml"
        lines = people.read_text(encoding="utf-8").splitlines() if people.exists() else ["merge:"]
        lines.append(f"  {first}: [{second}]")
        people.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return f"merged {second} into {first}"

    def _name(self, page: Path) -> str:
        found = re.search(r"(?m)^headline: (.*)$", page.read_text(encoding="utf-8"))
        return found[1].strip('"') if found else ""


def start(project: Path, rng: random.Random) -> None:
    for source in rng.sample(POOL, FIRST):
        shutil.copy(source, project / "seeds" / source.name)


def reference(project: Path, work: Path) -> Path:
    """A clean full build of the project's seeds: a fresh copy, only the extraction cache kept."""
    clean = copy_project(work)
    shutil.rmtree(clean / "seeds")
    shutil.copytree(project / "seeds", clean / "seeds")
    shutil.copytree(
        project / ".cache" / "marginalia" / "extractions", clean / ".cache" / "marginalia" / "extractions"
    )
    mkdocs(clean)
    return clean


@pytest.mark.parametrize("seed", [13])
def test_random_edits_built_incrementally_are_byte_identical_to_a_clean_full_build(
    tmp_path: Path, seed: int
) -> None:
    rng = random.Random(seed)
    project = copy_project(tmp_path / "incremental")
    start(project, rng)
    mkdocs(project)
    untouched = theme_file(project / "site")
    editor = Editor(project, rng)
    order = list(EDITS)
    rng.shuffle(order)
    done = []
    for n, kind in enumerate(order):
        done.append(getattr(editor, kind)())
        mkdocs(project, "--dirty", hash_seed=n + 1)
        assert theme_file(project / "site") == untouched, f"the dirty build was a full one after: {done}"
        clean = reference(project, tmp_path / f"clean-{n}")
        for part in ("content", "site"):
            assert differences(project / part, clean / part) == [], (
                f"{part}/ differs after: {'; '.join(done)}"
            )
        assert folders(project / "site") == folders(clean / "site"), f"site/ folders differ after: {done}"
