"""No input takes the site down (issue 12): hostile text, odd files and a failing disk, through the build.

Every case goes through both front doors, the CLI's `build` and a real `mkdocs build --no-strict`,
each in its own process, and the checks are those of the issue: the build finishes within a
bound, every other article is published, the bad input is named with the fix, and there is no
traceback; `mkdocs build --strict` fails on it. docs/safety.md lists every case with its test.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import frontmatter
import pytest
from projectkit import copy_project
from safetykit import (
    BOUND,
    Run,
    clean,
    cli,
    mkdocs,
    named,
    project_copy,
    published,
)

from build_tools import routes
from build_tools.extract.entities import MAX_NAME_CHARS
from build_tools.filenames import MAX_SEGMENT_BYTES

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "articles"
GOOD = (
    "KABUL — The market reopened on Monday after the fire.\n\n"
    "“We will rebuild every stall,” said Gul Ahmad, a trader.\n"
)
CYRILLIC = "Ж" * 120  # 240 bytes in UTF-8: with `.md` and a temporary file's suffix, past 255
CYRILLIC_SLUG = CYRILLIC.lower()
LONG_WORD = "Internationalorganisationforcooperation" * 7  # spaCy reads "The <it> Foundation" as one ORG
LONG_ORG_LEDE = f"KABUL — The {LONG_WORD} Foundation said on Monday that aid would arrive in Kabul.\n\n{GOOD}"
NOTE = "---\nmatch: [Gul Ahmad]\n---\nKabul is the **capital** of <b>Afghanistan</b> and [a link](https://x.org).\n"
BIG_NUMBER = "9" * 5000  # PyYAML's int() of it raises: Python refuses to convert more than 4,300 digits


def _hostile(project: Path) -> None:
    seeds = project / "seeds"
    for name, text in {
        "kabul-market.txt": GOOD,
        f"{CYRILLIC}.txt": GOOD,
        "Story.TXT": GOOD.replace("market", "bazaar"),
        "index.txt": GOOD.replace("Monday", "Tuesday"),
        "long-org.txt": LONG_ORG_LEDE,
        "speaker-index.txt": GOOD.replace("Gul Ahmad", "a trader"),
        "long-speaker.txt": GOOD,
        "surrogate.txt": GOOD,
        "a\nERROR forged line.txt": GOOD,
    }.items():
        (seeds / name).write_text(text, encoding="utf-8")
    (seeds / os.fsdecode(b"caf\xe9 latin1.txt")).write_text(GOOD, encoding="utf-8")  # not a UTF-8 name
    (seeds / "speaker-index.yml").write_text("speakers: {1: Index}\n", encoding="utf-8")
    (seeds / "long-speaker.yml").write_text(f"speakers:\n  1: {'Abc ' * 75}\n", encoding="utf-8")
    (seeds / "surrogate.yml").write_text('title: "\\ud800"\n', encoding="utf-8")
    (seeds / "gone.yml").write_text("title: Its article was deleted\n", encoding="utf-8")
    (seeds / "kabul market.yml").write_text("title: Meant for kabul-market.txt\n", encoding="utf-8")
    (seeds / "story.yaml").write_text("title: Wrong extension\n", encoding="utf-8")
    (seeds / "twin.txt").write_text(GOOD, encoding="utf-8")
    (seeds / "twin.yml").write_text("title: One\n", encoding="utf-8")
    (seeds / "twin.YML").write_text("title: Two\n", encoding="utf-8")
    (seeds / "folder.txt").mkdir()
    os.mkfifo(seeds / "fifo.txt")
    notes = seeds / "_notes"
    notes.mkdir()
    (notes / "kabul.md").write_text(NOTE, encoding="utf-8")
    os.mkfifo(notes / "fifo.md")
    (notes / "folder.md").mkdir()
    (notes / "loop.md").symlink_to("loop-b.md")
    (notes / "loop-b.md").symlink_to("loop.md")
    (notes / "escape.md").write_text("---\nmatch: [Kabul]\n---\nRed \x1b[31mtext.\n", encoding="utf-8")
    (notes / "number.md").write_text(f"---\nmatch: {BIG_NUMBER}\n---\nA number.\n", encoding="utf-8")
    (notes / "readme.txt").write_text("Not a note.\n", encoding="utf-8")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Run]]:
    project = project_copy(tmp_path_factory.mktemp("hostile") / "p", _hostile)
    runs = {"cli": clean(cli(project, "--workers", "1"))}
    runs["mkdocs"] = clean(mkdocs(project))
    runs["strict"] = clean(mkdocs(project, strict=True))
    runs["cli-strict"] = clean(cli(project, "--strict"))
    return project, runs


def _both(hostile: tuple[Path, dict[str, Run]]) -> list[tuple[Run, str, str]]:
    """(run, error prefix, warning prefix) of the CLI build and of mkdocs build --no-strict."""
    runs = hostile[1]
    return [(runs["cli"], "error:", "warning:"), (runs["mkdocs"], "ERROR", "WARNING")]


def test_the_lenient_builds_finish_and_publish_every_good_article(
    hostile: tuple[Path, dict[str, Run]],
) -> None:
    project, runs = hostile
    assert runs["cli"].returncode == 1 and runs["mkdocs"].returncode == 0  # errors reported, site built
    for slug in (
        "taliban-israel",
        "kabul-market",
        CYRILLIC_SLUG,
        "story",
        "index",
        "long-org",
        "speaker-index",
    ):
        assert published(project, routes.article_url(slug)), slug
    assert published(project, "articles/")  # the list of all articles is still the list


def test_a_strict_build_fails_naming_the_bad_inputs(hostile: tuple[Path, dict[str, Run]]) -> None:
    _, runs = hostile
    assert runs["strict"].returncode != 0 and "folder.txt" in runs["strict"].stderr
    assert runs["cli-strict"].returncode == 2 and "error: " in runs["cli-strict"].stderr


# -- class 1: names that become file names ----------------------------------------------------------
def test_a_240_byte_seed_name_gets_a_short_stable_page_name(hostile: tuple[Path, dict[str, Run]]) -> None:
    project, _ = hostile
    url = routes.article_url(CYRILLIC_SLUG)
    segment = url.split("/")[1]
    assert len(segment.encode()) <= MAX_SEGMENT_BYTES and segment.startswith("жжж")
    assert (project / "content" / routes.article_file(CYRILLIC_SLUG)).is_file() and published(project, url)


def test_every_file_the_build_writes_has_a_name_any_file_system_takes(
    hostile: tuple[Path, dict[str, Run]],
) -> None:
    project, _ = hostile
    for folder in ("content", "site", ".cache"):
        for path in (project / folder).rglob("*"):
            assert len(path.name.encode()) <= 200, path.name


def test_a_run_of_words_the_model_reads_as_one_organisation_is_no_name(
    hostile: tuple[Path, dict[str, Run]],
) -> None:
    """What the issue saw: spaCy reads a 288-character run as one organisation. No real name is
    that long (extract/entities.py caps names): the article is published, that run is not listed,
    and every organisation that is listed has its page."""
    project, _ = hostile
    meta = frontmatter.loads((project / "content" / "long-org.md").read_text(encoding="utf-8")).metadata
    assert published(project, "articles/long-org/")
    assert all(len(o["name"]) <= MAX_NAME_CHARS for o in meta["organizations"])
    for org in meta["organizations"]:
        assert published(project, routes.entity_url("organization", org["id"])), org["name"][:40]


@pytest.mark.parametrize("side", [0, 1])
def test_a_300_character_speaker_in_a_sidecar_is_refused_with_its_line(
    hostile: tuple[Path, dict[str, Run]], side: int
) -> None:
    run, error, _ = _both(hostile)[side]
    line = named(
        run, error, "long-speaker.yml:2", "`speakers.1` is 299 characters long", "not published until"
    )
    assert len(line) < 600


# -- class 2: every read through the guarded reader -------------------------------------------------
@pytest.mark.parametrize("side", [0, 1])
@pytest.mark.parametrize(
    ("where", "what"),
    [
        ("seeds/folder.txt", "is a folder, not a file"),
        ("seeds/fifo.txt", "is a named pipe (FIFO), not a file"),
        ("_notes/fifo.md", "is a named pipe (FIFO), not a file"),
        ("_notes/folder.md", "is a folder, not a file"),
        ("_notes/loop.md", "symbolic link that leads round in a loop"),
        ("surrogate.yml:1", "lone surrogate U+D800"),
        ("_notes/number.md:2", "is 5,000 characters long"),
        ("_notes/escape.md:4", "control character or noncharacter U+001B"),
        ("twin.YML", "is one of 2 sidecars of twin.txt"),
    ],
)
def test_what_cannot_be_read_is_an_error_naming_it(
    hostile: tuple[Path, dict[str, Run]], side: int, where: str, what: str
) -> None:
    run, error, _ = _both(hostile)[side]
    named(run, error, where, what)


# -- class 6: pages lost ------------------------------------------------------------------------------
def test_a_speaker_and_a_seed_called_index_keep_their_pages_and_the_section_index(
    hostile: tuple[Path, dict[str, Run]],
) -> None:
    project, _ = hostile
    people = (project / "site" / "people" / "index.html").read_text(encoding="utf-8")
    assert "mg-index" in people, "people/ is still the list of people"
    person = (project / "site" / "people" / "index_" / "index.html").read_text(encoding="utf-8")
    assert "We will rebuild every stall" in person
    article = (project / "site" / "articles" / "speaker-index" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../people/index_/"' in article
    assert "mg-years" in (project / "site" / "articles" / "index.html").read_text(encoding="utf-8")
    assert published(project, "articles/index_/")


# -- class 7: silent mistakes -------------------------------------------------------------------------
def test_story_txt_in_capitals_is_an_article(hostile: tuple[Path, dict[str, Run]]) -> None:
    project, _ = hostile
    assert "bazaar" in (project / "site" / "articles" / "story" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("side", [0, 1])
def test_files_that_are_not_read_are_warnings_naming_them(
    hostile: tuple[Path, dict[str, Run]], side: int
) -> None:
    run, _, warning = _both(hostile)[side]
    named(run, warning, "gone.yml", "has no article `gone.txt`")
    assert "rename it `kabul-market.yml`" in named(run, warning, "kabul market.yml", "corrects nothing")
    named(run, warning, "story.yaml", "is not read", "rename it `story.yml`")
    named(run, warning, "_notes/readme.txt", "is not read")


@pytest.mark.parametrize("side", [0, 1])
def test_a_file_name_with_a_newline_is_refused_and_forges_no_log_line(
    hostile: tuple[Path, dict[str, Run]], side: int
) -> None:
    run, error, _ = _both(hostile)[side]
    named(run, error, "a\\nERROR forged line.txt", "U+000A, a control")
    named(run, error, "caf\\udce9 latin1.txt", "not valid UTF-8")
    assert not [line for line in run.stderr.splitlines() if line.startswith("ERROR forged")]


def test_markdown_and_html_in_a_curated_note_are_shown_as_text(hostile: tuple[Path, dict[str, Run]]) -> None:
    project, _ = hostile
    page = (project / "site" / "articles" / "kabul-market" / "index.html").read_text(encoding="utf-8")
    assert "Kabul is the **capital** of &lt;b&gt;Afghanistan&lt;/b&gt; and [a link](https://x.org)." in page
    assert "\x1b" not in page and "Red " not in page  # the note with an escape code is refused, not shown


# -- people files: one per project -------------------------------------------------------------------
def _bomb(levels: int) -> str:
    """An alias bomb: each level names the one before nine times (the issue's 439 bytes, 9**levels)."""
    lines = ["split:", "  - a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for n in range(1, levels):
        lines.append(f"    a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]")
    lines.append(f"    name: *a{levels - 1}")
    return "\n".join(lines) + "\n"


PEOPLE_FILES = {
    "alias bomb": (_bomb(8), "_people.yml:2", "a `split` entry needs a `name`"),
    "5,000 digits": (f"split:\n  - name: Gul Ahmad\n    articles: {BIG_NUMBER}\n", "_people.yml:3", "5,000"),
    "no letters": ("merge:\n  '!!!': [Gul Ahmad]\n", "_people.yml:2", "no letters or digits"),
    "merge twice": (
        "merge:\n  Gul Ahmad: [G. Ahmad]\nmerge:\n  Amir Khan: [A. Khan]\n",
        "_people.yml:3",
        "twice",
    ),
    "one form, two people": (
        "merge:\n  Gul Ahmad: [Ahmad]\n  Amir Ahmad: [Ahmad]\n",
        "_people.yml:3",
        "both",
    ),
}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built project with a second article and a warm cache: a case's build then only extracts its own."""
    project = project_copy(tmp_path_factory.mktemp("base") / "p")
    (project / "seeds" / "kabul-market.txt").write_text(GOOD, encoding="utf-8")
    assert clean(cli(project)).returncode == 0
    return project


@pytest.mark.parametrize("case", list(PEOPLE_FILES))
def test_a_bad_people_file_is_named_with_its_line_quickly_and_briefly(
    base: Path, tmp_path: Path, case: str
) -> None:
    text, where, what = PEOPLE_FILES[case]
    project = project_copy(tmp_path / "p", base=base)
    (project / "seeds" / "_people.yml").write_text(text, encoding="utf-8")
    for run, error in ((cli(project), "error:"), (mkdocs(project), "ERROR")):
        clean(run, bound=20)
        line = named(run, error, where, what)
        assert len(run.stderr) < 20_000 and len(line) < 1_000  # an excerpt, never the expanded value
    assert published(project, "articles/kabul-market/") and published(project, "articles/taliban-israel/")
    assert published(project, "people/gul-ahmad/") and not (project / "content" / "people" / ".md").exists()


# -- class 5: a cache that cannot be written or was tampered with --------------------------------------
def test_a_read_only_cache_costs_speed_never_the_build(base: Path, tmp_path: Path) -> None:
    project = project_copy(tmp_path / "p", base=base)
    (project / "seeds" / "second.txt").write_text(GOOD.replace("fire", "flood"), encoding="utf-8")
    for folder, _, files in os.walk(project / ".cache"):
        os.chmod(folder, 0o555)
        for name in files:
            os.chmod(Path(folder) / name, 0o444)
    run = clean(cli(project, unprivileged=True))
    assert run.returncode == 0, run.stderr
    assert "note: the cache cannot be written" in run.stderr and "Fix: " in run.stderr
    strict = clean(mkdocs(project, strict=True, unprivileged=True))
    assert strict.returncode == 0, strict.stderr  # not even a warning: a lost entry is only a miss
    assert "the cache cannot be written" in strict.stderr
    assert published(project, "articles/second/") and published(project, "articles/kabul-market/")


def test_a_cache_folder_that_is_a_file_costs_speed_never_the_build(base: Path, tmp_path: Path) -> None:
    project = project_copy(tmp_path / "p", base=base)
    shutil.rmtree(project / ".cache" / "marginalia")
    (project / ".cache" / "marginalia").write_text("not a folder\n", encoding="utf-8")
    run = clean(cli(project))
    assert run.returncode == 0 and "note: the cache cannot be written" in run.stderr
    assert clean(mkdocs(project, strict=True)).returncode == 0
    assert published(project, "articles/kabul-market/")


def _entry(body: bytes) -> bytes:
    """A cache file as the cache writes it (build_tools.cache.Disk): a forger who recomputes the digest."""
    return b"marginalia-cache 1\n" + hashlib.sha256(body).hexdigest().encode() + b"\n" + body


def test_a_tampered_cache_entry_is_a_miss(base: Path, tmp_path: Path) -> None:
    project = project_copy(tmp_path / "p", base=base)
    root = project / ".cache" / "marginalia"
    before = {p.relative_to(project): p.read_bytes() for p in (project / "content").rglob("*.md")}
    shutil.rmtree(root / "seeds")  # the extraction entries are read
    entries = sorted((root / "extractions").rglob("*.json"))
    data = json.loads(entries[0].read_bytes().split(b"\n", 2)[2])
    data["extraction"]["quotes"][0]["span"] = [1]  # was an IndexError
    entries[0].write_bytes(_entry(json.dumps(data).encode()))
    entries[1].write_bytes(entries[1].read_bytes()[:-40])  # truncated: its digest no longer matches
    for page in (root / "pages").glob("*.json"):  # the right key, a value of the wrong type
        entry = json.loads(page.read_bytes().split(b"\n", 2)[2])
        page.write_bytes(_entry(json.dumps({"key": entry["key"], "text": 12}).encode()))
    run = clean(cli(project))
    assert run.returncode == 0 and "2 extracted" in run.stderr, run.stderr
    assert {p.relative_to(project): p.read_bytes() for p in (project / "content").rglob("*.md")} == before
    assert clean(mkdocs(project, strict=True)).returncode == 0


# -- class 2, permissions: a seed or sidecar the build may not read --------------------------------------
def test_a_seed_and_a_sidecar_the_build_may_not_read_are_errors_naming_them(
    base: Path, tmp_path: Path
) -> None:
    project = project_copy(tmp_path / "p", base=base)
    seeds = project / "seeds"
    (seeds / "locked.txt").write_text(GOOD, encoding="utf-8")
    (seeds / "locked-sidecar.txt").write_text(GOOD, encoding="utf-8")
    (seeds / "locked-sidecar.yml").write_text("title: Secret\n", encoding="utf-8")
    (seeds / "locked.txt").chmod(0)
    (seeds / "locked-sidecar.yml").chmod(0)
    for run, error in (
        (cli(project, unprivileged=True), "error:"),
        (mkdocs(project, unprivileged=True), "ERROR"),
    ):
        clean(run)
        named(run, error, "locked.txt", "cannot be read (permission denied)", "chmod a+r")
        named(run, error, "locked-sidecar.yml", "cannot be read (permission denied)")
    assert published(project, "articles/kabul-market/") and not published(project, "articles/locked/")


# -- class 6: the manifest's documented recovery ---------------------------------------------------------
def test_after_the_manifest_recovery_a_removed_seeds_page_is_not_published(
    base: Path, tmp_path: Path
) -> None:
    project = project_copy(tmp_path / "p", base=base)
    (project / "seeds" / "kabul-market.txt").unlink()
    manifest = project / "content" / ".manifest.json"
    manifest.write_text("{damaged", encoding="utf-8")
    run = clean(cli(project))
    assert run.returncode == 2
    named(
        run, "error:", ".manifest.json", "cannot be read", "delete it and build once with `--discard-edits`"
    )
    manifest.unlink()  # the documented recovery
    run = clean(cli(project, "--discard-edits"))
    assert run.returncode == 0
    named(run, "warning:", "content/kabul-market.md", "is not made by this build", "not published")
    for run in (clean(mkdocs(project)), clean(mkdocs(project))):
        named(run, "WARNING", "kabul-market.md", "not published")
        assert not published(project, "articles/kabul-market/")
        assert not published(project, "people/gul-ahmad/") and published(project, "articles/taliban-israel/")
    assert (project / "content" / "kabul-market.md").is_file()  # left for the editor to delete: no data lost


# -- class 9: a lenient build keeps the last good version --------------------------------------------------
def test_a_broken_sidecar_keeps_the_last_good_version_of_its_article(base: Path, tmp_path: Path) -> None:
    project = project_copy(tmp_path / "p", base=base)
    sidecar = project / "seeds" / "kabul-market.yml"
    sidecar.write_text("title: The market reopens\ntags: [Markets]\n", encoding="utf-8")
    assert clean(cli(project)).returncode == 0
    sidecar.write_text("title: The market reopens\ndate: 14/03/2025\n", encoding="utf-8")  # a typo
    for run, error in ((cli(project), "error:"), (mkdocs(project), "ERROR")):
        clean(run)
        named(run, error, "kabul-market.yml:2", "stays published as last built", "2025-03-14")
        page = (project / "site" / "articles" / "kabul-market" / "index.html").read_text(encoding="utf-8")
        assert "The market reopens" in page and published(project, "tags/markets/")
    strict = clean(mkdocs(project, strict=True))
    assert strict.returncode != 0 and "kabul-market.yml" in strict.stderr
    sidecar.write_text("title: The market reopens again\n", encoding="utf-8")  # fixed: the new version
    assert clean(cli(project)).returncode == 0
    assert "reopens again" in (project / "content" / "kabul-market.md").read_text(encoding="utf-8")


# -- class 8: two builds at once, and a killed build's workers ---------------------------------------------
def _many(project: Path) -> Path:
    """Twelve seeds: a cold build extracts them in worker processes, for several seconds."""
    for n in (1, 2):
        for path in sorted(FIXTURES.glob("*.txt")):
            shutil.copy(path, project / "seeds" / f"{path.stem}-{n}.txt")
    return project


def _children(pid: int) -> set[int]:
    found = set()
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(pid):
            found.add(int(status.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")  # a zombie has exited; only its parent's record is left


def test_two_builds_at_once_wait_for_each_other_and_both_finish(tmp_path: Path) -> None:
    project = _many(copy_project(tmp_path / "p"))
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    first = subprocess.Popen(
        [sys.executable, "-m", "build_tools", "build", "--workers", "2"],
        cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + BOUND
    while not _children(first.pid) and time.monotonic() < deadline:  # the first is extracting
        time.sleep(0.1)
    second = clean(mkdocs(project, bound=BOUND * 2))
    _, first_err = first.communicate(timeout=BOUND * 2)
    assert first.returncode == 0, first_err
    assert second.returncode == 0, second.stderr
    assert "another build of this folder is running; waiting for it to finish" in second.stderr
    assert not list((project / "content").rglob("*.tmp"))
    assert published(project, "articles/voa-burns-iran-2/")


def test_a_killed_build_leaves_no_worker_running(tmp_path: Path) -> None:
    project = _many(copy_project(tmp_path / "p"))
    build = subprocess.Popen(
        [sys.executable, "-m", "build_tools", "build", "--workers", "2"],
        cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + BOUND
    workers: set[int] = set()
    while len(workers) < 2 and time.monotonic() < deadline:
        workers = {pid for pid in _children(build.pid) if b"multiprocessing" in _cmdline(pid)}
        time.sleep(0.1)
    assert len(workers) >= 2, "the build started no workers"
    build.send_signal(signal.SIGKILL)
    build.wait()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in workers if _alive(pid)], "workers outlived their build"
    run = clean(cli(project), bound=BOUND * 2)  # and the next build finishes
    assert run.returncode == 0 and (project / "content" / "voa-burns-iran-2.md").is_file()


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""
