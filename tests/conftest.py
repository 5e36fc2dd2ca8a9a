"""Shared fixtures: the project root, the real spaCy model, and a real strict MkDocs build.

The built site is made once per test session from a temporary copy of the project, so tests
never touch the working tree's content/ or site/.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from projectkit import copy_project, mkdocs_build

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true", help="rewrite golden files from the output")


@pytest.fixture(scope="session")
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


@pytest.fixture(scope="session")
def nlp() -> Any:
    from build_tools import nlp as nlp_module

    return nlp_module.load()


@pytest.fixture(scope="session")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A temporary copy of the project after a real `mkdocs build --strict`."""
    project = copy_project(tmp_path_factory.mktemp("project"))
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    return project
