"""`mkdocs serve` and `mkdocs build` as an editor runs them (issue 11), with real processes.

- Both show the extraction's progress through MkDocs' logger: the CLI's own bar, line by line.
- A sidecar broken while `mkdocs serve` runs: the server keeps answering within seconds, the
  article's page stays as last built, and the error is in the served page and in the log; a
  warning (a correction that matches nothing) does not freeze it either, though mkdocs.yml is
  strict; once the sidecar is fixed, the new version is served and the notice is gone.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from safetykit import clean, cli, mkdocs, project_copy

ANSWER_WITHIN = 5.0  # seconds for one request: the server never hangs
REBUILT_WITHIN = 60.0  # seconds for a rebuild to show, on a machine shared with other builds
BAR = re.compile(r"extracting \[[#.]{30}\] \d+/\d+")
SIDECAR = "title: Taliban faction open to ties with Israel, Afghan source says\n"
ARTICLE = "articles/taliban-israel/"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """A real `mkdocs serve` of a project, its log collected as it runs."""

    def __init__(self, project: Path) -> None:
        self.port = _free_port()
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{self.port}"],
            cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line.rstrip("\n"))

    @property
    def log(self) -> str:
        return "\n".join(self.lines)

    def wait_for_log(self, text: str, after: int = 0) -> None:
        until(lambda: any(text in line for line in self.lines[after:]), f"{text!r} in the log:\n{self.log}")

    def get(self, path: str) -> str:
        """The page, answered within ANSWER_WITHIN seconds (urllib raises on a hang)."""
        started = time.monotonic()
        url = f"http://127.0.0.1:{self.port}/{path}"
        with urllib.request.urlopen(url, timeout=ANSWER_WITHIN) as response:  # our own server
            body = response.read().decode("utf-8")
        assert time.monotonic() - started < ANSWER_WITHIN
        return body

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def until(condition: Callable[[], bool], what: str, within: float = REBUILT_WITHIN) -> None:
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, f"waited {within:.0f} s for {what}"
        time.sleep(0.3)


@pytest.fixture()
def served(tmp_path: Path) -> Iterator[tuple[Path, Server]]:
    project = project_copy(tmp_path / "p")
    server = Server(project)
    try:
        server.wait_for_log("Serving on")
        yield project, server
    finally:
        server.stop()


def test_mkdocs_serve_keeps_the_page_shows_the_error_and_never_hangs(served: tuple[Path, Server]) -> None:
    project, server = served
    assert BAR.search(server.log), server.log  # the cold build's progress, through MkDocs' logger
    home = server.get("")  # `/` leads to the site, as the README says to open http://127.0.0.1:8000/
    assert "Taliban faction open to ties with Israel" in home
    before = server.get(f"marginalia/{ARTICLE}")
    page_file = project / "content" / "taliban-israel.md"
    kept = page_file.read_bytes()
    assert "mg-build-problems" not in before

    sidecar = project / "seeds" / "taliban-israel.yml"
    sidecar.write_text(SIDECAR + "date: 14/03/2025\n", encoding="utf-8")  # a typo on line 2
    until(lambda: "mg-build-problems" in server.get(f"marginalia/{ARTICLE}"), "the error in the page")
    page = server.get(f"marginalia/{ARTICLE}")
    assert "taliban-israel.yml:2: `date: 14/03/2025` is not a date in the form YYYY-MM-DD" in page
    assert "Fix: write it as `date: 2025-03-14`" in page
    assert (
        "Taliban faction open to ties with Israel" in page and "What problem do we have with Israel?" in page
    )
    assert "mg-build-problems" in server.get("marginalia/people/")  # every page of the preview shows it
    server.wait_for_log("taliban-israel.yml:2")
    assert any(line.startswith("ERROR") and "taliban-israel.yml:2" in line for line in server.lines)
    assert "server will appear stuck" not in server.log
    assert page_file.read_bytes() == kept  # content/ keeps the article as last built

    mark = len(server.lines)
    sidecar.write_text(SIDECAR + "hide:\n  quotes: [9]\n", encoding="utf-8")  # a warning: strict mode
    until(lambda: "`hide.quotes` lists 9" in server.get(f"marginalia/{ARTICLE}"), "the warning in the page")
    server.wait_for_log("`hide.quotes` lists 9", after=mark)

    sidecar.write_text("title: The Taliban and Israel\n", encoding="utf-8")  # fixed
    until(lambda: "The Taliban and Israel" in server.get(f"marginalia/{ARTICLE}"), "the new version")
    assert "mg-build-problems" not in server.get(f"marginalia/{ARTICLE}")
    assert server.process.poll() is None


def test_a_hand_edit_during_serve_keeps_the_preview_and_says_why(served: tuple[Path, Server]) -> None:
    project, server = served
    page_file = project / "content" / "taliban-israel.md"
    page_file.write_text(page_file.read_text(encoding="utf-8") + "\nedited\n", encoding="utf-8")
    (project / "seeds" / "taliban-israel.yml").write_text("title: Another title\n", encoding="utf-8")
    until(lambda: "was edited by hand" in server.get(f"marginalia/{ARTICLE}"), "the hand-edit error")
    page = server.get(f"marginalia/{ARTICLE}")
    assert "Taliban faction open to ties with Israel" in page and "discard-edits" in page
    assert server.process.poll() is None


def test_mkdocs_build_shows_the_same_progress_bar_as_the_cli(tmp_path: Path) -> None:
    by_cli = clean(cli(project_copy(tmp_path / "cli"), "--no-cache"))
    by_mkdocs = clean(mkdocs(project_copy(tmp_path / "mkdocs")))
    assert by_cli.returncode == 0 and by_mkdocs.returncode == 0
    bars = [line for line in by_mkdocs.stderr.splitlines() if BAR.search(line)]
    assert bars and all(line.startswith("INFO    -  extracting [") for line in bars), by_mkdocs.stderr
    assert [m[0] for line in bars if (m := BAR.search(line))] == BAR.findall(by_cli.stderr)


def test_a_seed_saved_during_serve_is_rendered_by_the_preview_and_its_record_goes_with_it(
    served: tuple[Path, Server],
) -> None:
    """A body edit is the preview's own rebuild (build_tools/mkdocs_preview.py), not MkDocs'; and
    when the editor stops the server (Ctrl-C), the record of its temporary site folder is removed
    with the folder (a record per preview would pile up in .cache/)."""
    project, server = served
    seed = project / "seeds" / "taliban-israel.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + "\nA line the editor added.\n", encoding="utf-8")
    until(lambda: "A line the editor added." in server.get(f"marginalia/{ARTICLE}"), "the edit")
    assert any("marginalia: preview: " in line for line in server.lines), server.log
    assert "Documentation built" not in server.log.split("Serving on", 1)[1]  # no MkDocs rebuild
    records = project / ".cache" / "marginalia" / "sites"
    assert _record_folders(records)  # the served folder's, at least
    server.process.send_signal(signal.SIGINT)
    server.process.wait(timeout=30)
    assert all(Path(folder).is_dir() for folder in _record_folders(records)), _record_folders(records)


def _record_folders(records: Path) -> list[str]:
    """The site folder each record is of (a record is JSON after the cache's integrity header)."""
    found = [
        re.search(rb'"site_dir":("(?:[^"\\]|\\.)*")', p.read_bytes()) for p in sorted(records.glob("*.json"))
    ]
    return [json.loads(m[1]) for m in found if m]
