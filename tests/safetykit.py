"""Builds of a temporary project through its two front doors, timed: the CLI's `build` and a real
`mkdocs build`, each in its own process, as a newsroom runs them (issue 12).

Every run is bounded (a hang fails the test instead of stalling it), and `clean()` checks what
every safety test asks of a build: it finished within the bound, without a traceback.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from projectkit import copy_project

BOUND = 60.0  # seconds for one build of a small archive (a few seconds on a loaded machine)
PR_CAPBSET_DROP = 24  # prctl(2)
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 1, 2  # capability(7): root's way past file permissions


@dataclass(frozen=True)
class Run:
    command: str
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    def lines(self, prefix: str) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.startswith(prefix)]


def _run(project: Path, argv: list[str], *, unprivileged: bool, bound: float) -> Run:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, *argv],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        errors="backslashreplace",
        timeout=bound * 2,
        check=False,
        preexec_fn=_drop_privileges if unprivileged and os.geteuid() == 0 else None,
    )
    seconds = time.monotonic() - started
    return Run(" ".join(argv), result.returncode, result.stdout, result.stderr, seconds)


def _drop_privileges() -> None:
    """root reads and writes every file whatever its mode: drop the two capabilities that let it (from
    the bounding set, so the build exec'd next never has them), and file permissions apply to it."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def cli(project: Path, *args: str, unprivileged: bool = False, bound: float = BOUND) -> Run:
    return _run(project, ["-m", "build_tools", "build", *args], unprivileged=unprivileged, bound=bound)


def mkdocs(project: Path, *, strict: bool = False, unprivileged: bool = False, bound: float = BOUND) -> Run:
    flag = "--strict" if strict else "--no-strict"
    return _run(project, ["-m", "mkdocs", "build", flag], unprivileged=unprivileged, bound=bound)


def clean(run: Run, bound: float = BOUND) -> Run:
    """The build finished within the bound and printed no traceback."""
    assert "Traceback" not in run.stderr, run.stderr[-3000:]
    assert run.seconds < bound, f"{run.command} took {run.seconds:.1f} s"
    return run


def named(run: Run, prefix: str, *parts: str) -> str:
    """The one line of the log starting with `prefix` (`error:`, `ERROR`, `warning:`) that holds every
    part, and says the fix."""
    found = [line for line in run.lines(prefix) if all(p in line for p in parts)]
    assert found, f"no {prefix} line with {parts} in:\n{run.stderr[-4000:]}"
    assert "Fix: " in found[0], found[0]
    return found[0]


def published(project: Path, url: str) -> bool:
    """Whether the built site has the page at this directory URL ('articles/x/')."""
    return (project / "site" / url / "index.html").is_file()


def project_copy(
    dest: Path, setup: Callable[[Path], None] | None = None, *, base: Path | None = None
) -> Path:
    """A copy of the project (of `base`, a built one with its cache, when given), then `setup`."""
    if base is not None:
        shutil.copytree(base, dest, symlinks=True)
    else:
        copy_project(dest)
    if setup:
        setup(dest)
    return dest
