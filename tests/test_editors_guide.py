"""docs/editors-guide.md's walk-through, run as written (issue 11): every kind of correction, each
with the command that checks it, in a copy of the project.

The section "Try it" is read in order: a file the text says to save, write or add to is written;
each `sh` block is run with bash from the project's folder, with the virtualenv's `python` and
`mkdocs` first on the PATH (as after the README's activation step); the `text` block after it is
what it prints (`It prints:` the whole output, `It ends with:` its last lines, `It prints, among
other lines:` lines it contains).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from safetykit import project_copy

from build_tools import editorial, notes, people_registry

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "editors-guide.md"
BLOCK = re.compile(r"^```(?P<lang>\w*)\n(?P<body>.*?)^```\n", re.M | re.S)
FILE = re.compile(r"(?P<verb>Save this article as|Write|Add to) `(?P<path>seeds/[^`]+)`")


@dataclass(frozen=True)
class Step:
    lead: str  # the prose before the block
    lang: str
    body: str


def steps() -> list[Step]:
    text = GUIDE.read_text(encoding="utf-8")
    section = text[text.index("## Try it") : text.index("## Every key of a sidecar")]
    found, at = [], 0
    for block in BLOCK.finditer(section):
        found.append(Step(section[at : block.start()], block["lang"], block["body"]))
        at = block.end()
    return found


def _run(command: str, project: Path) -> str:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    run = subprocess.run(
        ["bash", "-c", command],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert "Traceback" not in run.stderr, run.stderr
    return run.stdout


def _expect(lead: str, expected: str, output: str, command: str) -> None:
    want, got = expected.splitlines(), output.splitlines()
    shown = f"`{command}` printed:\n{output}"
    if "among other lines" in lead:
        missing = [line for line in want if line not in got]
        assert not missing, f"missing {missing}; {shown}"
    elif "ends with" in lead:
        assert got[-len(want) :] == want, shown
    else:
        assert got == want, shown


def test_the_walk_through_runs_as_written(tmp_path: Path) -> None:
    project = project_copy(tmp_path / "p")
    command, output, checked = "", "", 0
    for step in steps():
        lead = step.lead.strip().split("\n\n")[-1]
        target = FILE.search(lead)
        if step.lang == "sh":
            command, output = step.body, _run(step.body, project)
        elif lead.startswith("It ") and step.lang == "text":
            _expect(lead, step.body, output, command)
            checked += 1
        elif target:
            path = project / target["path"]
            path.parent.mkdir(parents=True, exist_ok=True)
            before = path.read_text(encoding="utf-8") if target["verb"] == "Add to" and path.exists() else ""
            path.write_text(before + step.body, encoding="utf-8")
        else:
            pytest.fail(f"a block the walk-through does not explain: {lead!r}")
    assert checked >= 10


def _written(name: str) -> str:
    """Everything the walk-through writes into one file, in order."""
    return "".join(s.body for s in steps() if (m := FILE.search(s.lead)) and m["path"] == name)


def test_the_walk_through_uses_every_kind_of_correction() -> None:
    sidecar = editorial.parse_sidecar(_written("seeds/kabul-market.yml"), "seeds/kabul-market.yml")
    for key, value in vars(sidecar).items():
        assert value not in (None, ()), f"the walk-through never sets `{key}`"
    assert {fix.kind for fix in sidecar.speakers} == {None, "organization", "unnamed"}
    registry = people_registry.parse(_written("seeds/_people.yml"), "seeds/_people.yml")
    assert registry.merge and registry.split and registry.split[0].articles and registry.split[0].as_name
    note = notes.parse_note(_written("seeds/_notes/mandawi.md"), "seeds/_notes/mandawi.md", "mandawi")
    assert note.match == ("Mandawi market", "Mandawi")


def test_the_table_of_keys_names_every_key() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    table = text[text.index("## Every key of a sidecar") :]
    for key in editorial.KEYS:
        assert f"`{key}`" in table, key
    for kind in (*editorial.HIDE_KEYS, *editorial.SPEAKER_KINDS):
        assert kind in table, kind
    for row in re.findall(r"^\|[^|]+\|[^|]+\| `([^`]+)` \|$", table, re.M):
        yaml.safe_load(row)  # every example is YAML
        editorial.parse_sidecar(row + "\n", "seeds/x.yml")
