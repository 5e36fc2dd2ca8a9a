"""The archive benchmark: build times, memory, the preview's wait and search bytes at 1,000 and 10,000.

    python bench/run.py --sizes 1000 --runs 3            # about 15 minutes on 2 cores
    python bench/run.py --sizes 10000 --runs 2 --cold-runs 1
    python bench/run.py --readme                         # rewrite bench/README.md from bench/results.json

For each size it generates the corpus (bench/corpus.py) in bench/out/<size>/, then measures, each
build as its own process (bench/measure.py), with the commands users run:

- cold: `mkdocs build --strict` with no content/, no site/ and no cache: every seed extracted;
- full: `mkdocs build --strict` again, nothing changed (MkDocs renders every page);
- plain: `mkdocs build --strict` of the same Markdown pages without the marginalia plugin (stock
  Material with its search, and with no search at all), interleaved with ours so that both see
  the same machine;
- publish: one seed changed, then `mkdocs build --dirty --strict` into the existing site/;
- ci: what the Pages workflow does on a push that changes one seed: a fresh copy of the project
  (new files, no content/ cache, no site/) with only the extraction cache restored, then
  `mkdocs build --strict`;
- pipeline only: `python -m build_tools build`, warm;
- preview (bench/preview.py): `mkdocs serve --dirty`, then save -> the served page has the change,
  for an edited body, a new seed and a sidecar correction;
- the search bytes a reader downloads for a first query.

Results of every size measured are kept in bench/results.json (one entry per size, replaced
when the size is measured again), and bench/README.md is written from it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
RESULTS = BENCH / "results.json"
README = BENCH / "README.md"
sys.path.insert(0, str(BENCH))

import corpus  # noqa: E402  # bench/ is a folder of scripts, not a package
import preview  # noqa: E402
from measure import measured  # noqa: E402

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
CODE = ROOT / "build_tools"  # --code: measure another copy of the package (a branch, a proposed diff)


def measure(command: list[str], cwd: Path) -> dict[str, Any]:
    return measured(command, cwd, ENV)


def mkdocs(cwd: Path, *extra: str) -> dict[str, Any]:
    """`mkdocs build --strict`, as users and the Pages workflow run it: a warning fails the run."""
    return measure([sys.executable, "-m", "mkdocs", "build", "--strict", *extra], cwd)


def fresh_clone(root: Path, project: Path) -> Path:
    """What the Pages workflow has after checkout and the cache step: the project's files (new, as a
    clone makes them), content/ as committed, and only the extraction cache of the last run."""
    clone = root / "ci"
    shutil.rmtree(clone, ignore_errors=True)
    for part in ("build_tools", "docs", "overrides", "seeds", "content"):
        shutil.copytree(project / part, clone / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(project / "mkdocs.yml", clone / "mkdocs.yml")
    cache = Path(".cache") / "marginalia" / "extractions"
    shutil.copytree(project / cache, clone / cache)
    return clone


def make_project(root: Path, size: int) -> Path:
    project = root / "project"
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    copy_code(project)
    corpus.generate(size, project / "seeds")
    return project


def copy_code(project: Path) -> None:
    """A snapshot of the code, the theme and the config: mkdocs runs in project/, which comes first
    on sys.path, so an edit to the working tree during a long run cannot change the code (and the
    cache keys) half-way."""
    for part in ("docs", "overrides", "build_tools"):
        source = CODE if part == "build_tools" else ROOT / part
        shutil.rmtree(project / part, ignore_errors=True)
        shutil.copytree(source, project / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(ROOT / "mkdocs.yml", project / "mkdocs.yml")


def make_plain(root: Path, project: Path, *, search: bool = True) -> Path:
    """The same Markdown pages as a stock Material site: the plugin's pages copied into docs/, the
    plugin off, and Material's own search (`search=False`: no search at all) instead of ours."""
    plain = root / ("plain" if search else "plain-no-search")
    if plain.exists():
        shutil.rmtree(plain)
    shutil.copytree(project / "docs", plain / "docs")
    shutil.copytree(project / "overrides", plain / "overrides")
    for ours in ("partials/header.html", "partials/marginalia-search.html", "assets/search.js"):
        (plain / "overrides" / ours).unlink(missing_ok=True)  # Material's header and search box
    content = project / "content"
    for path in content.rglob("*.md"):
        rel = path.relative_to(content).as_posix()
        target = plain / "docs" / (rel if "/" in rel else f"articles/{rel}")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    shutil.copytree(content / "lists", plain / "content" / "lists")  # the home page's snippet
    (plain / "seeds").mkdir()  # mkdocs.yml watches it
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"(?m)^extra_javascript:\n(  - .*\n)*", "", config)
    plugins = "plugins:\n  - search\n" if search else "plugins: []\n"
    config = re.sub(r"(?m)^plugins:\n(  - .*\n(    .*\n)*)*", plugins, config)
    (plain / "mkdocs.yml").write_text(config, encoding="utf-8")
    return plain


def search_bytes(site: Path) -> dict[str, Any]:
    """What a first query downloads: Material's whole index, or ours at its worst for one word:
    the search code, meta.json, the largest shard, the ten largest URL chunks and the ten largest
    page files (ten results from ten chunks), counted raw and gzipped (GitHub Pages serves JSON
    gzipped). bench/search_compare.py measures real queries in a browser."""
    found: dict[str, Any] = {}
    index = site / "search" / "search_index.json"
    if index.is_file():
        data = index.read_bytes()
        found["material_index_bytes"] = len(data)
        found["material_index_gzip_bytes"] = len(gzip.compress(data, 6))
    ours = site / "search-data"
    if ours.is_dir():

        def largest(folder: Path, n: int) -> list[bytes]:
            return sorted((p.read_bytes() for p in folder.rglob("*.json")), key=len)[-n:]

        shards = largest(ours / "t", 1)
        code = [site / "assets" / "search.js", *sorted((site / "assets" / "search").glob("*.js"))]
        code += sorted((site / "assets" / "vendor").rglob("*.js"))
        first = [p.read_bytes() for p in code] + [(ours / "meta.json").read_bytes()]
        first += shards + largest(ours / "d", 10) + largest(ours / "p", 10)
        files = [p for p in ours.rglob("*") if p.is_file()]
        found |= {
            "index_first_query_bytes": sum(len(b) for b in first),
            "index_first_query_gzip_bytes": sum(len(gzip.compress(b, 6)) for b in first),
            "index_largest_shard_bytes": len(shards[-1]) if shards else 0,
            "index_files": len(files),
            "index_total_bytes": sum(p.stat().st_size for p in files),
        }
    return found


def entries(project: Path) -> int:
    """The extraction cache's entries: a build that extracts a seed adds one."""
    return len(list((project / ".cache" / "marginalia" / "extractions").rglob("*.json")))


def clean(project: Path) -> None:
    for name in ("content", "site", ".cache"):
        shutil.rmtree(project / name, ignore_errors=True)


def run_size(size: int, runs: int, cold_runs: int, *, reuse: bool = False) -> dict[str, Any]:
    root = OUT / str(size)
    project = root / "project"
    if reuse and (project / "content").is_dir():
        # --reuse: the corpus and the caches of the last run, today's code. One build, not measured,
        # first: a change to the code re-renders pages (or re-extracts) once, and that is not "warm".
        cold_runs = 0
        print(f"== {size} articles: reusing {project}", file=sys.stderr, flush=True)
        copy_code(project)
        print(f"   settling the caches: {mkdocs(project)}", file=sys.stderr, flush=True)
    else:
        print(f"== {size} articles: generating", file=sys.stderr, flush=True)
        project = make_project(root, size)
    times: dict[str, list[dict[str, Any]]] = {
        "cold": [],
        "warm": [],
        "publish": [],
        "plain": [],
        "plain_no_search": [],
        "cli_warm": [],
        "ci": [],
    }
    for n in range(cold_runs):
        clean(project)
        times["cold"].append(mkdocs(project))
        print(f"   cold {n + 1}/{cold_runs}: {times['cold'][-1]}", file=sys.stderr, flush=True)
    plain, bare = make_plain(root, project), make_plain(root, project, search=False)
    for n in range(runs):
        for label, cwd in (("warm", project), ("plain", plain), ("plain_no_search", bare)):
            times[label].append(mkdocs(cwd))
        times["cli_warm"].append(measure([sys.executable, "-m", "build_tools", "build"], project))
        # A revision never used before: an edit seen in an earlier run would be a cache hit, not a change.
        corpus.change_one(project / "seeds", revision=int(time.time()) * 100 + n)
        times["publish"].append(mkdocs(project, "--dirty"))
        # The push's build: one seed changed since the cache was saved (the workflow saves it
        # after each build).
        clone = fresh_clone(root, project)
        corpus.change_one(clone / "seeds", revision=int(time.time()) * 100 + 50 + n)
        before = entries(clone)
        times["ci"].append(mkdocs(clone) | {"extracted": entries(clone) - before})
        print(
            f"   run {n + 1}/{runs}: " + ", ".join(f"{k} {v[-1]['seconds']}s" for k, v in times.items() if v),
            file=sys.stderr,
            flush=True,
        )
    shutil.rmtree(root / "ci", ignore_errors=True)
    waits = preview.measure(project, runs, size)
    # Material's search index, measured on a stock build of the same pages.
    search = search_bytes(plain / "site") | search_bytes(project / "site")
    pages = sum(1 for _ in (project / "site").rglob("index.html"))
    return {
        # relative to the repository, so results.json names no path of this machine
        "code": str(CODE.relative_to(ROOT)) if CODE.is_relative_to(ROOT) else CODE.name,
        "size": size,
        "pages": pages,
        "runs": times,
        "preview": waits,
        "search": search,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
    }


def preview_only(size: int, runs: int, last: dict[str, Any] | None) -> dict[str, Any]:
    """The preview measured alone on the last run's project, its seeds made again by today's
    corpus.py and today's code copied in; the last run's build figures are kept beside it, marked."""
    project = OUT / str(size) / "project"
    copy_code(project)
    corpus.generate(size, project / "seeds")
    result = dict(last or {"size": size, "pages": 0, "runs": {}, "search": {}})
    result["preview"] = preview.measure(project, runs, size)
    result["preview_only"] = True
    result["machine"] = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    return result


# -- the report --------------------------------------------------------------------------------------
def _stats(values: list[float]) -> str:
    if not values:
        return "–"
    med = statistics.median(values)
    if len(values) == 1:
        return f"{med:.2f}"
    return f"{med:.2f} ({min(values):.2f}–{max(values):.2f}, n={len(values)})"


def _series(result: dict[str, Any], label: str, key: str = "seconds") -> list[float]:
    return [float(r[key]) for r in result["runs"].get(label, [])]


# The floors by archive size (issue 13): publish after one change, save -> served page.
PUBLISH_LIMIT = {1000: 5.0, 10000: 15.0}
PREVIEW_LIMIT = {1000: 2.0, 10000: 5.0}
PREVIEW_KINDS = (
    ("edit", "a seed's body edited"),
    ("new", "a new seed (home page and its people's pages)"),
    ("sidecar", "a sidecar's title corrected"),
)


def _verdict(ok: bool) -> str:
    return "pass" if ok else "FAIL"


def floors(result: dict[str, Any]) -> list[str]:
    warm, plain = _series(result, "warm"), _series(result, "plain")
    rows = []
    if warm and plain:
        ratio = statistics.median(warm) / statistics.median(plain)
        rows.append(f"| full build ≤ 1.10 × plain | {ratio:.2f} × | {_verdict(ratio <= 1.10)} |")
    rows += _change_floors(result)
    ours = (rs for label, rs in result["runs"].items() if not label.startswith("plain"))
    peak = max((float(r["tree_peak_mib"]) for rs in ours for r in rs), default=0.0)
    peak = max(peak, float(result.get("preview", {}).get("peak_mib", 0.0)))
    rows.append(f"| peak memory < 2 GiB | {peak:.0f} MiB | {_verdict(peak < 2048)} |")
    first = result["search"].get("index_first_query_bytes")
    if first is not None:
        rows.append(f"| first search < 1 MB | {first / 1e6:.2f} MB (raw) | {_verdict(first < 1e6)} |")
    return rows


def _change_floors(result: dict[str, Any]) -> list[str]:
    """The floors of one change: the publish build, the CI build (one seed extracted), the preview."""
    size, rows = int(result["size"]), []
    publish = _series(result, "publish")
    if publish and size in PUBLISH_LIMIT:
        med, limit = statistics.median(publish), PUBLISH_LIMIT[size]
        rows.append(f"| publish after one change ≤ {limit:.0f} s | {med:.2f} s | {_verdict(med <= limit)} |")
    extracted = [int(r["extracted"]) for r in result["runs"].get("ci", [])]
    if extracted:
        rows.append(
            f"| CI push of one seed re-extracts one | {max(extracted)} | {_verdict(max(extracted) <= 1)} |"
        )
    waits = result.get("preview", {})
    for kind, title in PREVIEW_KINDS:
        if waits.get(kind) and size in PREVIEW_LIMIT:
            med, limit = statistics.median(waits[kind]), PREVIEW_LIMIT[size]
            rows.append(f"| preview, {title} ≤ {limit:.0f} s | {med:.2f} s | {_verdict(med <= limit)} |")
    return rows


BUILDS = (
    ("cold", "cold: extract every seed + site"),
    ("warm", "full `mkdocs build`, nothing changed (every page rendered)"),
    ("publish", "publish: one seed changed, `mkdocs build --dirty` into the existing site/"),
    ("ci", "CI: fresh copy, extraction cache restored, one seed changed, `mkdocs build`"),
    ("plain", "plain `mkdocs build`, same pages, stock Material with its search"),
    ("plain_no_search", "plain `mkdocs build`, same pages, no search at all"),
    ("cli_warm", "pipeline only, warm (`python -m build_tools build`)"),
    ("changed", "one seed changed, full `mkdocs build` (older code)"),
)


def _older(result: dict[str, Any]) -> list[str]:
    if result.get("preview_only"):
        return [
            "The builds below were measured by the code before issue 13 (its one-changed-seed build "
            "was a full build); the preview alone was measured by today's code, on today's corpus.",
            "",
        ]
    if "preview" in result:
        return []
    return [
        "Measured by the code before issue 13 (no publish, CI or preview measurement): "
        "its one-changed-seed build was a full build.",
        "",
    ]


def _preview_lines(waits: dict[str, Any]) -> list[str]:
    if not waits:
        return []
    lines = [
        "",
        "Preview (`mkdocs serve --dirty`), seconds from saving a file to the served page having the change,",
        f"median (min–max, runs); first build {waits['first_build']:.1f} s, server peak "
        f"{waits['peak_mib']:.0f} MiB, spaCy model loaded {waits['loads']} time(s):",
        "",
        "| change | seconds |",
        "|---|---|",
    ]
    lines += [
        f"| {title} | {_stats([float(v) for v in waits[k]])} |" for k, title in PREVIEW_KINDS if waits.get(k)
    ]
    return lines


def report(results: dict[str, Any]) -> str:
    lines = [README_HEAD]
    for key in sorted(results, key=int):
        r = results[key]
        lines += [
            f"## {int(key):,} articles ({r['pages']:,} pages; {r['machine']})",
            "",
            *_older(r),
            *([r["note"], ""] if r.get("note") else []),
            "Seconds, median (min–max, runs):",
            "",
            "| build | seconds | peak memory (sum of processes, MiB) |",
            "|---|---|---|",
        ]
        for label, title in BUILDS:
            if r["runs"].get(label):
                lines.append(
                    f"| {title} | {_stats(_series(r, label))} | "
                    f"{max(_series(r, label, 'tree_peak_mib')):.0f} |"
                )
        lines += _preview_lines(r.get("preview", {}))
        lines += _search_lines(r["search"])
        lines += ["", "| floor | measured | |", "|---|---|---|", *floors(r), ""]
    return "\n".join([*lines, README_NOTES])


def _search_lines(s: dict[str, Any]) -> list[str]:
    lines = ["", "Search, bytes a reader downloads for a first query:", ""]
    if "material_index_bytes" in s:
        lines.append(
            f"- Material `search_index.json`: {s['material_index_bytes'] / 1e6:.1f} MB, "
            f"{s['material_index_gzip_bytes'] / 1e6:.2f} MB gzipped (all of it, before any result)"
        )
    if "index_first_query_bytes" in s:
        lines.append(
            f"- Ours (`search-data/`): at most {s['index_first_query_bytes'] / 1e3:.0f} kB, "
            f"{s['index_first_query_gzip_bytes'] / 1e3:.0f} kB gzipped (the search code, meta.json, "
            f"the largest shard ({s['index_largest_shard_bytes'] / 1e3:.0f} kB), the ten largest "
            f"URL chunks and page files); whole index {s['index_total_bytes'] / 1e6:.1f} MB in "
            f"{s['index_files']:,} files"
        )
    return lines


README_HEAD = """# Benchmark

`bench/run.py` generates a deterministic corpus from the fixtures (`bench/corpus.py`; sources
and licences in `bench/fixtures/SOURCES.md`), builds it with the commands users run
(`mkdocs build --strict`: the corpus builds with no warning), and measures each build as a
process of its own (`bench/measure.py`): wall time, and peak memory as the largest sum of the
resident sets of the build's processes (main process and extraction workers), sampled every
50 ms. The plain build is `mkdocs build` of the very same Markdown pages as a stock Material
site: without the marginalia plugin, with Material's header and its own search plugin instead
of ours. A plain build with no search at all is shown beside it. All are measured in the same
run, interleaved. The preview (`bench/preview.py`) runs the command the README gives editors,
`mkdocs serve --dirty`, saves a file and polls the served page every 20 ms until it has the change.

    python bench/run.py --sizes 1000 --runs 3 --cold-runs 1
    python bench/run.py --sizes 10000 --runs 2 --cold-runs 1
    python bench/run.py --readme        # rewrite this file from bench/results.json

Floors (issues 4 and 13): the full build within 1.10 × the plain build; a publish build after
one change ≤ 5 s at 1,000 and ≤ 15 s at 10,000 articles; save → served page ≤ 2 s at 1,000
and ≤ 5 s at 10,000; a CI build of a push that changes one seed extracts one seed; peak memory
under 2 GiB at 10,000 articles; a first search under 1 MB at 10,000 articles.
"""


README_NOTES = """## Reading the figures

- **The machine** has 2 cores; single builds vary by ±10 % (more when other work shares it).
  Full, plain and publish builds are interleaved so that each sees the same conditions;
  medians and ranges are given. A size measured by older code (no preview or publish row) is
  kept as it was measured, and says so.
- **Publish (`--dirty`) is exact**: the plugin tells MkDocs which pages to render (those whose
  file of `content/` changed, by digest, against a record of what each file of `site/` was made
  from), renders the few hand-written pages of `docs/` every time (their titles make the
  navigation), and removes what a build no longer makes. `tests/test_incremental_site.py` builds
  random sequences of edits both ways and compares every byte of `site/` and `content/`.
- **The pipeline's warm pass is proportional to the change**: a seed whose size, times and
  inode are the ones recorded is not read (bench: "pipeline only"); an unchanged article's page
  and every untouched person's page are known by their digest; the search index re-analyses
  only the changed pages' words.
- **Preview** keeps, in the `mkdocs serve` process, the spaCy model (loaded once, in the
  background, as the server starts), the pipeline's snapshot, the search index's shards, the
  paragraphs it parsed last, and MkDocs' configuration, files, navigation and theme of the last
  build (`build_tools/mkdocs_preview.py`): a change in `seeds/` runs the pipeline and renders
  only the pages whose file changed, with MkDocs' own functions; anything else (mkdocs.yml,
  docs/, the theme, the code, a problem to show on every page) is MkDocs' own dirty rebuild.
  `seeds/` is watched by inotify, not polled every half second; the snapshot is saved to disk
  after the page is written. `tests/test_preview_site.py` compares the served folder with a
  clean full build after every kind of edit. What remains of a rebuild grows with the archive:
  the pipeline's cross-article index (site.Archive, the people registry), content/'s hand-edit
  check, and every page that shows what changed (a new article's people and those listed with
  them).
- **The pipeline's pages skip Python-Markdown**: they are HTML already (every text escaped by
  the pipeline), and Markdown only parsed each block twice to give it back; the site is
  byte-identical and a full build at 1,000 articles went from 29 s to 18.5 s.
- **Search replaces Material's**: Material's search plugin parses every page again in Python
  and writes one `search_index.json` of the whole archive, which a reader downloads before the
  first result (7 MB gzipped at 10,000 articles). Marginalia turns the plugin off and the
  pipeline writes `content/search-data/` from the articles it already holds: shards by the
  first letters of each word, URL chunks of 100 and one small file per page (docs/front-matter.md).
  A query fetches one shard per word, and the chunk and page file of each result it shows.
  Each page's entry and terms are kept in the build's snapshot, so a build re-reads only the
  pages that changed and rebuilds the shards from the kept terms. Our search and Pagefind are
  compared on the same site and the same queries in [search.md](search.md)
  (`bench/search_compare.py`): hits, bytes, build time and memory.
- **CI** is a fresh copy of the project (new files, so no recorded signature matches) with only
  the extraction cache restored, as the Pages workflow restores it; "extracted" counts the
  cache entries the build added.
- **Cold** builds are extraction: the rules and spaCy's small model take 0.15–0.25 s per
  650-word article per core, so 10,000 articles take 15–25 minutes on 2 cores. Each worker
  loads the model once (about 300 MB each).
- **Memory**: the largest sum of the build's processes. MkDocs keeps every page in memory, so
  the plain build grows with the archive too.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[])
    parser.add_argument(
        "--runs", type=int, default=3, help="full, publish, CI and plain builds and previews per size"
    )
    parser.add_argument("--cold-runs", type=int, default=None, help="cold builds per size (default: --runs)")
    parser.add_argument("--readme", action="store_true", help="only rewrite README.md from results.json")
    parser.add_argument("--code", type=Path, default=None, help="the build_tools folder to measure")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the corpus of the last run again with today's code (no cold build); "
        "its cold figures are kept",
    )
    parser.add_argument(
        "--preview-only",
        action="store_true",
        help="only the preview, on the corpus of the last run regenerated by today's corpus.py "
        "(when the whole run does not fit the time); the builds of the last run are kept",
    )
    args = parser.parse_args(argv)
    global CODE
    CODE = (args.code or CODE).resolve()
    results = json.loads(RESULTS.read_text()) if RESULTS.is_file() else {}
    for size in [] if args.readme else args.sizes:
        if args.preview_only:
            results[str(size)] = preview_only(size, args.runs, results.get(str(size)))
            RESULTS.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
            continue
        result = run_size(size, args.runs, args.cold_runs or args.runs, reuse=args.reuse)
        if args.reuse and str(size) in results:
            result["runs"]["cold"] = results[str(size)]["runs"].get("cold", [])
        results[str(size)] = result
        RESULTS.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
    README.write_text(report(results), encoding="utf-8")
    print(README.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
