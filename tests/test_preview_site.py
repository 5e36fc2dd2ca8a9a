"""The preview's rebuild is exact: `mkdocs serve` after each of an editor's edits in seeds/ renders
only what changed (build_tools/mkdocs_preview.py), and the served folder is byte-identical, after
every edit, to a clean full build of the same seeds at the same address.

The server is MkDocs' own serve sequence in this process, as `mkdocs serve --dirty` runs it (its
configuration, its first build, the plugin's on_serve and then the builder it leaves), without the
HTTP part: what is served is the folder. The edits are tests/test_incremental_site.py's editor's,
each kind once in a seeded order; an edit outside seeds/ (a page of docs/) is MkDocs' own rebuild.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from projectkit import copy_project
from test_incremental_site import EDITS, ENV, Editor, differences, start

URL = "http://127.0.0.1:8000/marginalia/"  # what `mkdocs serve` sets site_url to


class Served:
    """`mkdocs serve --dirty` of a project, in this process: builds into `site` as the server does."""

    def __init__(self, project: Path, site: Path) -> None:
        self.project, self.site = project, site
        self.full_builds = 0
        config = self.config()
        config.plugins.on_startup(command="serve", dirty=True)
        self.full(config)
        self.plugin: Any = config.plugins["marginalia"]
        server = type("Server", (), {"builder": self.full})()  # no watcher: the test calls the builder
        self.builder = self.plugin.on_serve(server, config=config, builder=self.full).builder

    def config(self) -> Any:
        config = load_config(config_file=str(self.project / "mkdocs.yml"), site_dir=str(self.site))
        config.site_url = URL
        return config

    def full(self, config: Any = None) -> None:
        """MkDocs' own rebuild, as `mkdocs serve --dirty` makes it."""
        self.full_builds += 1
        build(config or self.config(), serve_url=URL, dirty=True)


def reference(project: Path, work: Path) -> Path:
    """A clean full `mkdocs build` of the project's seeds at the served address."""
    clean = copy_project(work)
    shutil.rmtree(clean / "seeds")
    shutil.copytree(project / "seeds", clean / "seeds")
    shutil.copytree(project / "docs", clean / "docs", dirs_exist_ok=True)
    extractions = Path(".cache") / "marginalia" / "extractions"
    shutil.copytree(project / extractions, clean / extractions)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=clean,
        env={**ENV, "SITE_URL": URL},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return clean


@pytest.mark.parametrize("seed", [29])
def test_preview_rebuilds_are_byte_identical_to_a_clean_full_build(
    tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("NO_MKDOCS_2_WARNING", "SOURCE_DATE_EPOCH"):
        monkeypatch.setenv(name, ENV[name])
    rng = random.Random(seed)
    project = copy_project(tmp_path / "project")
    monkeypatch.chdir(project)  # as the server runs: mkdocs.yml's snippets path is the folder's
    start(project, rng)
    served = Served(project, tmp_path / "served")
    editor = Editor(project, rng)
    order = list(EDITS)
    rng.shuffle(order)
    done = []
    for n, kind in enumerate([*order, "docs"]):
        if kind == "docs":  # outside seeds/: the preview hands the rebuild to MkDocs
            about = project / "docs" / "about.md"
            about.write_text(about.read_text(encoding="utf-8") + "\nAn editor's line.\n", encoding="utf-8")
            done.append("a line added to docs/about.md")
        else:
            done.append(getattr(editor, kind)())
        before = served.full_builds
        served.builder()
        assert served.full_builds == before + (kind == "docs"), f"MkDocs' rebuild ran (or not) after: {done}"
        clean = reference(project, tmp_path / f"clean-{n}")
        assert differences(served.site, clean / "site") == [], (
            f"the served site differs after: {'; '.join(done)}"
        )
        assert differences(project / "content", clean / "content") == [], f"content/ differs after: {done}"
