"""Helpers for tests that build a temporary copy of the project with real MkDocs.

A module of its own (not conftest) so that test files in any folder can import it by a name
no other folder uses.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ["build_tools", "docs", "overrides", "seeds", "mkdocs.yml", "pyproject.toml"]


def copy_project(dest: Path) -> Path:
    """A copy of the project's inputs (no content/, no site/), ready for `mkdocs build`."""
    for part in PROJECT_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dest / part)
    return dest


def mkdocs_build(project: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", *extra],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
