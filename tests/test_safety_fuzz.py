"""Random projects through the build (issue 12): random file names, sidecar values and seed texts.

Each example is a small archive: one article known to be good, and up to three seeds with
random names (lengths, scripts, control characters, bytes that are not UTF-8, `.TXT`), random
texts (news words, markup, long runs of punctuation) and random sidecars (every key, values
that break YAML, huge numbers, escapes of lone surrogates, 300-character names, duplicate
keys). Both front doors build it, in this process: the CLI's `build` and MkDocs' own build
command with strict off. For every example:

- both builds finish within the bound, and raise nothing (no traceback);
- the good article is published, and every random seed is either published or named by an
  error that says the fix: nothing is dropped without a word;
- every line of the log is one line (no file name forges another), and no message is an
  internal error (an exception the pipeline caught on one article).

Extraction time linear in the input, at sizes up to the limits, is the extraction's own test.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import shutil
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from projectkit import ROOT

from build_tools import cli, routes
from build_tools.errors import printable
from build_tools.inputs import name_problem
from build_tools.textutil import slugify

BOUND = 60.0  # seconds per build of a handful of small articles
SETTINGS = settings(
    max_examples=int(os.environ.get("MARGINALIA_FUZZ_EXAMPLES", "15")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
GOOD = "KABUL — The market reopened on Monday.\n\n“We will rebuild every stall,” said Gul Ahmad, a trader.\n"
INTERNAL = "this is a bug in Marginalia"

# -- file names ----------------------------------------------------------------------------------------
SCRIPTS = "abcXYZ019 éüßЖжЯ東京ニュースمحمدשלום🎉-_.,'()&!~"
CONTROL = "\n\r\t\x1b\x07\x7f\x85\u2028\u202e"
readable = st.text(st.sampled_from(SCRIPTS), min_size=1, max_size=130)
hostile = st.text(st.sampled_from(SCRIPTS + CONTROL), min_size=1, max_size=40)
not_utf8 = st.binary(min_size=1, max_size=40).map(
    lambda b: os.fsdecode(b.replace(b"/", b"-").replace(b"\0", b"-"))
)
stems = st.one_of(readable, readable, readable, hostile, not_utf8)  # most names are usable: sidecars get read
suffixes = st.sampled_from([".txt", ".txt", ".TXT", ".Txt"])


def _usable(name: str) -> bool:
    """A name the file system takes: no slash or NUL, not `.`/`..`, at most 255 bytes."""
    raw = os.fsencode(name)
    return b"/" not in raw and b"\0" not in raw and len(raw) <= 255 and not name.startswith(".")


names = (
    st.tuples(stems, suffixes).map("".join).filter(_usable).filter(lambda n: slugify(Path(n).stem) != "good")
)

# -- texts ---------------------------------------------------------------------------------------------
WORDS = [
    "said", "Omar Haidari", "the minister", "told reporters", "Kabul", "the Taliban", "Dr.", "U.S.", "“",
    "”", "«", "»", '"', "’", "'", ". ", ", ", " ", "\n", "\n\n", "<script>x</script>", "# ",
    "[a](javascript:x)",
    "{{ x }}", "---", "&amp;", "Index", "שלום", "🎉", "e\u0301",
]  # fmt: skip
runs = st.tuples(st.sampled_from([")", "—", "-", "“", "'", '"', "(", "..."]), st.integers(1, 1500)).map(
    lambda pair: pair[0] * pair[1]
)
other = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=10)
texts = st.lists(st.one_of(st.sampled_from(WORDS), runs, other), min_size=1, max_size=30).map("".join)

# -- sidecars ------------------------------------------------------------------------------------------
VALUES = [
    "Gul Ahmad", "Index", "index", "2025-03-14", "14/03/2025", "https://example.org/a", "yes", "~", "",
    "9" * 5000, "\\ud800", "\\x1b[31m", "A" * 300, "'unclosed", "a: b", "[1, 2]", "{x: y}", "*alias", "&a x",
]  # fmt: skip
KEYS = [
    "title",
    "date",
    "byline",
    "url",
    "source",
    "tags",
    "speakers",
    "notes",
    "aliases",
    "hide",
    "headline",
]
values = st.one_of(
    st.sampled_from(VALUES), st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)
)


def _scalar(value: str, quoted: bool) -> str:
    if quoted:
        escaped = value.replace("\\\\", "\\").replace('"', '\\"').replace("\n", "\\n")
        return f'"{escaped}"'
    return value.replace("\n", " ")


@st.composite
def sidecars(draw: st.DrawFn) -> str:
    lines = []
    for key in draw(st.lists(st.sampled_from(KEYS), max_size=5)):
        value = _scalar(draw(values), draw(st.booleans()))
        if key in ("tags", "notes"):
            lines.append(f"{key}: [{value}]")
        elif key in ("speakers", "aliases"):
            lines.append(f"{key}:\n  {draw(st.sampled_from(['1', '2', 'Gul Ahmad', '0', '99']))}: {value}")
        elif key == "hide":
            lines.append(f"hide:\n  {draw(st.sampled_from(['quotes', 'people', 'x']))}: [{value}]")
        else:
            lines.append(f"{key}: {value}")
    return "\n".join(lines) + "\n"


seeds = st.lists(
    st.tuples(names, texts, st.none() | sidecars()), max_size=3, unique_by=lambda s: s[0].lower()
)


# -- the builds ----------------------------------------------------------------------------------------
class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname} {record.getMessage()}")


def _template(tmp: Path) -> Path:
    """A project without seeds: mkdocs.yml, the hand-written pages and the theme's overrides."""
    template = tmp / "template"
    if not template.exists():
        for part in ("docs", "overrides"):
            shutil.copytree(ROOT / part, template / part)
        shutil.copy2(ROOT / "mkdocs.yml", template / "mkdocs.yml")
    return template


def _cli(project: Path) -> tuple[int, list[str], float]:
    started = time.monotonic()
    out = io.StringIO()
    with contextlib.redirect_stderr(out), contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(["build", "--seeds", str(project / "seeds"), "--content", str(project / "content")])
    return code, out.getvalue().splitlines(), time.monotonic() - started


def _mkdocs(project: Path) -> tuple[list[str], float]:
    started = time.monotonic()
    handler = Lines()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        mkdocs_build(load_config(config_file=str(project / "mkdocs.yml"), strict=False))
    finally:
        logger.removeHandler(handler)
    return handler.lines, time.monotonic() - started


def _named_with_fix(lines: list[str], *paths: Path) -> bool:
    shown = [printable(str(path)) for path in paths]
    return any("Fix: " in line and any(s in line for s in shown) for line in lines)


@SETTINGS
@given(seeds)
def test_random_projects_build_publish_or_name_every_seed(tmp_path: Path, project_seeds: list) -> None:
    project = tmp_path / f"p{time.monotonic_ns()}"
    shutil.copytree(_template(tmp_path), project)
    (project / "seeds").mkdir()
    (project / "seeds" / "good.txt").write_text(GOOD, encoding="utf-8")
    for name, text, sidecar in project_seeds:
        path = project / "seeds" / name
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        if sidecar is not None:
            path.with_name(Path(name).stem + ".yml").write_text(sidecar, encoding="utf-8")
    code, cli_lines, cli_seconds = _cli(project)
    log, mkdocs_seconds = _mkdocs(project)
    assert code in (0, 1) and cli_seconds < BOUND and mkdocs_seconds < BOUND, (cli_seconds, mkdocs_seconds)
    assert (project / "site" / "articles" / "good" / "index.html").is_file()
    for lines in (cli_lines, log):
        assert not [line for line in lines if INTERNAL in line], lines
        assert all("\n" not in line for line in lines)
    for name, _, _ in project_seeds:
        slug = slugify(Path(name).stem)
        page = project / "site" / routes.article_url(slug) / "index.html"
        if slug and not name_problem(name) and page.is_file():
            continue
        seed = project / "seeds" / name
        sidecar = seed.with_name(seed.stem + ".yml")  # a broken sidecar keeps a new article out
        assert _named_with_fix(cli_lines, seed, sidecar), (name, cli_lines)
        assert _named_with_fix(log, seed, sidecar), (name, log)
