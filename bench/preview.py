"""What an editor waits for: save a file, then see the change in the browser.

Starts the preview command the README gives editors (`mkdocs serve --dirty`) on a project, waits
for its first build, then, for each run: edits one seed's body (waits until the served article page
shows the edit), adds a new seed (until the home page and the page of every person of the new
article link to it), and corrects a title in a sidecar (until the article page shows it). Each wait
is timed from the moment the file is written to the first answer of the server that has the
change, polling every 20 ms; MkDocs' own watcher looks at the files every half second, and that is
part of the wait. The server's memory (the sum of its processes) is sampled throughout.

    python bench/preview.py bench/out/1000/project --runs 3
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import corpus  # noqa: E402  # bench/ is a folder of scripts, not a package
from measure import _tree_rss_kib  # noqa: E402

COMMAND = ["-m", "mkdocs", "serve", "--dirty"]  # README: what editors run to preview
MOUNT = "/marginalia/"  # the path of site_url in mkdocs.yml, where `mkdocs serve` mounts the site
POLL = 0.02
TIMEOUT = 600.0  # the first build of 10,000 articles takes minutes; a rebuild, seconds
NEW_DAY = "2031-01-01"  # newer than every article of the corpus: a new seed heads the home page


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    url: str
    log: Path
    peak_kib: int = 0
    done: threading.Event = field(default_factory=threading.Event)

    def sample(self) -> None:
        while not self.done.is_set():
            self.peak_kib = max(self.peak_kib, _tree_rss_kib(self.process.pid))
            self.done.wait(0.1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(project: Path, log: Path) -> Server:
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, *COMMAND, "-a", f"127.0.0.1:{port}"],
            cwd=project,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped with everything it started
        )
    server = Server(process, f"http://127.0.0.1:{port}{MOUNT}", log)
    threading.Thread(target=server.sample, daemon=True).start()
    wait(lambda: "Serving on" in log.read_text(errors="replace") and fetch(server.url) is not None)
    return server


def stop(server: Server) -> None:
    server.done.set()
    os.killpg(server.process.pid, signal.SIGINT)  # the group this script started, and only it
    try:
        server.process.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait()


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return str(answer.read().decode("utf-8"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait(ready: Any, timeout: float = TIMEOUT) -> float:
    """Seconds until ready() is true, polled every POLL seconds."""
    start_ = time.perf_counter()
    while not ready():
        if time.perf_counter() - start_ > timeout:
            raise SystemExit(f"the preview did not show the change within {timeout:.0f} s")
        time.sleep(POLL)
    return time.perf_counter() - start_


def shows(url: str, text: str) -> bool:
    page = fetch(url)
    return page is not None and text in page


def edit(server: Server, seeds: Path, revision: int) -> float:
    """One seed's body edited (a correction appended): until its article page shows it."""
    corpus.change_one(seeds, revision)
    page = server.url + f"articles/{corpus.slug(0)}/"
    return wait(lambda: shows(page, f"Correction {revision}"))


def new_seed(server: Server, project: Path, n: int, size: int) -> float:
    """A new seed, dated after every other: until the home page and each of its people's pages link
    to it (its people are read from its page in content/ as soon as the pipeline writes it)."""
    slug = f"bench-new-{n}"
    text, _ = corpus.article(size + 10_000 + n)
    sidecar = project / "seeds" / f"{slug}.yml"
    sidecar.write_text(f"date: {NEW_DAY}\ntags: [Bench]\n", encoding="utf-8")
    (project / "seeds" / f"{slug}.txt").write_text(text, encoding="utf-8")
    start_ = time.perf_counter()
    link = f"articles/{slug}/"
    wait(lambda: shows(server.url, link))
    front = (project / "content" / f"{slug}.md").read_text(encoding="utf-8").split("\n---\n", 1)[0]
    people = yaml.safe_load(front.removeprefix("---\n"))["people"]
    named = [p["id"] for p in people if p.get("named", True)]
    for person in named:
        wait(lambda person=person: shows(server.url + f"people/{person}/", link))
    return time.perf_counter() - start_


def sidecar(server: Server, seeds: Path, revision: int) -> float:
    """A title corrected in one seed's sidecar: until the article page shows it."""
    path = seeds / f"{corpus.slug(1)}.yml"
    kept = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("title:")]
    title = f"Bench correction {revision}"
    path.write_text("\n".join([f"title: {title}", *kept]) + "\n", encoding="utf-8")
    return wait(lambda: shows(server.url + f"articles/{corpus.slug(1)}/", title))


def remove_new(project: Path) -> None:
    for path in (project / "seeds").glob("bench-new-*"):
        path.unlink()


def measure(project: Path, runs: int, size: int) -> dict[str, Any]:
    """Seconds from save to served page, per kind of change, and the server's peak memory."""
    log = project.parent / "preview.log"
    remove_new(project)
    started = time.perf_counter()
    server = start(project, log)
    first = time.perf_counter() - started
    found: dict[str, Any] = {"first_build": round(first, 2), "edit": [], "new": [], "sidecar": []}
    try:
        for n in range(runs):
            revision = int(time.time()) * 100 + n
            time.sleep(1.0)  # between changes, as an editor types: each is its own rebuild
            found["edit"].append(round(edit(server, project / "seeds", revision), 3))
            time.sleep(1.0)
            found["new"].append(round(new_seed(server, project, revision, size), 3))
            time.sleep(1.0)
            found["sidecar"].append(round(sidecar(server, project / "seeds", revision), 3))
            print(
                f"   preview {n + 1}/{runs}: "
                + ", ".join(f"{k} {found[k][-1]}s" for k in ("edit", "new", "sidecar")),
                file=sys.stderr,
                flush=True,
            )
    finally:
        stop(server)
        remove_new(project)
    found["peak_mib"] = round(server.peak_kib / 1024, 1)
    found["loads"] = log.read_text(errors="replace").count("spaCy model loaded")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--size", type=int, default=1000)
    args = parser.parse_args()
    print(json.dumps(measure(args.project.resolve(), args.runs, args.size)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
