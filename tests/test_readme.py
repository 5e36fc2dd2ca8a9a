"""The README's editor commands work as written (issue 11): after its one activation step, in a
fresh shell with nothing of the virtualenv on the PATH, every command runs, `mkdocs serve`
answers at the address the README says to open, and no command prints Material's end-of-life
notice, which the README explains and every build the project runs turns off.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from safetykit import project_copy

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
NOTICE = "reaches end of life"  # Material's notice, printed unless NO_MKDOCS_2_WARNING is set
SERVE = "mkdocs serve --dirty"  # the preview command the README gives editors
SHELL_BLOCK = re.compile(r"```sh\n(.*?)```", re.S)


def editor_block() -> list[str]:
    """The commands of the README's block with the activation step, comments dropped."""
    block = next(b for b in SHELL_BLOCK.findall(README) if "activate" in b)
    return [
        line.split("  #")[0].strip()
        for line in block.splitlines()
        if line.strip() and not line.startswith("#")
    ]


def _shell(project: Path, script: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """bash in a clean environment: no virtualenv on the PATH, nothing of ours set."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "NO_MKDOCS_2_WARNING", "PYTHONPATH")
    }
    env["PATH"] = "/usr/local/bin:/usr/bin:/bin"
    return subprocess.run(
        ["bash", "-c", script],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _project(tmp_path: Path) -> Path:
    assert sys.prefix != sys.base_prefix, "the tests run in the README's virtualenv"
    project = project_copy(tmp_path / "p")
    (project / ".venv").symlink_to(sys.prefix)  # the checkout's .venv, as the README makes it
    return project


def test_the_readme_activates_the_virtualenv_and_silences_the_notice_in_one_step() -> None:
    activate = editor_block()[0]
    assert activate == ". .venv/bin/activate && export NO_MKDOCS_2_WARNING=1"
    assert "NO_MKDOCS_2_WARNING=1` turns off" in README  # what it is for
    assert "mkdocs serve --dirty          # then open http://127.0.0.1:8000/" in README


def test_every_editor_command_of_the_readme_runs_after_that_step(tmp_path: Path) -> None:
    project = _project(tmp_path)
    activate, *commands = editor_block()
    batch = [c for c in commands if c != SERVE]
    assert batch == ["python -m build_tools review", "mkdocs build --strict"]
    run = _shell(project, " && ".join([activate, "python -m build_tools build", *batch]))
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Quotes to confirm" in run.stdout and (project / "site" / "index.html").is_file()
    assert NOTICE not in run.stdout + run.stderr


def test_without_the_step_material_prints_its_notice(tmp_path: Path) -> None:
    """The control: the step is what silences it (activating alone does not)."""
    run = _shell(_project(tmp_path), ". .venv/bin/activate && mkdocs build --strict")
    assert run.returncode == 0 and NOTICE in run.stdout + run.stderr


def test_mkdocs_serve_answers_at_the_address_the_readme_gives(tmp_path: Path) -> None:
    project = _project(tmp_path)
    activate, *commands = editor_block()
    assert SERVE in commands
    with socket.socket() as s:  # the README's port 8000 may be taken on a shared machine
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "NO_MKDOCS_2_WARNING")}
    env["PATH"] = "/usr/local/bin:/usr/bin:/bin"
    server = subprocess.Popen(
        ["bash", "-c", f"{activate} && exec {SERVE} -a 127.0.0.1:{port}"],
        cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip
    try:
        deadline, page = time.monotonic() + 120, ""
        while not page and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    page = response.read().decode("utf-8")
            except OSError:
                time.sleep(0.5)
        assert "Taliban faction open to ties with Israel" in page
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        _, log = server.communicate(timeout=30)
    assert NOTICE not in log


def test_every_build_the_project_runs_sets_no_mkdocs_2_warning() -> None:
    workflow = (ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8")
    assert re.search(r'NO_MKDOCS_2_WARNING: "1"\n(?:.*\n){0,4}\s+mkdocs build --strict', workflow)
    for helper in ("tests/projectkit.py", "tests/safetykit.py", "bench/run.py", "bench/search_compare.py"):
        assert '"NO_MKDOCS_2_WARNING": "1"' in (ROOT / helper).read_text(encoding="utf-8"), helper
