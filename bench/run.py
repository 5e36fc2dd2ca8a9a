"""The archive benchmark: build times, memory and search bytes at 1,000 and 10,000 articles.

    python bench/run.py --sizes 1000 --runs 3            # about 10 minutes on 2 cores
    python bench/run.py --sizes 10000 --runs 2 --cold-runs 1
    python bench/run.py --readme                         # rewrite bench/README.md from bench/results.json

For each size it generates the corpus (bench/corpus.py) in bench/out/<size>/, then measures,
each as its own process (bench/measure.py):

- cold: `mkdocs build` with no content/, no site/ and no cache: every seed extracted;
- warm: `mkdocs build` again, nothing changed;
- one seed changed: one seed edited, then `mkdocs build`;
- plain: `mkdocs build` of the same Markdown pages (docs/ + the generated pages) without the
  marginalia plugin, in the same run, interleaved with the warm and changed builds so both
  see the same machine;
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
import subprocess
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

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
CODE = ROOT / "build_tools"  # --code: measure another copy of the package (a branch, a proposed diff)


def measure(command: list[str], cwd: Path) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, str(BENCH / "measure.py"), "--", *command],
        cwd=cwd,
        env=ENV,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    data: dict[str, Any] = json.loads(lines[-1])
    if data["returncode"] != 0:
        raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{result.stderr[-3000:]}")
    return data


def mkdocs(cwd: Path) -> dict[str, Any]:
    return measure([sys.executable, "-m", "mkdocs", "build", "--quiet"], cwd)


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
        "changed": [],
        "plain": [],
        "plain_no_search": [],
        "cli_warm": [],
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
        times["changed"].append(mkdocs(project))
        print(
            f"   run {n + 1}/{runs}: " + ", ".join(f"{k} {v[-1]['seconds']}s" for k, v in times.items() if v),
            file=sys.stderr,
            flush=True,
        )
    # Material's search index, measured on a stock build of the same pages.
    search = search_bytes(plain / "site") | search_bytes(project / "site")
    pages = sum(1 for _ in (project / "site").rglob("index.html"))
    return {
        # relative to the repository, so results.json names no path of this machine
        "code": str(CODE.relative_to(ROOT)) if CODE.is_relative_to(ROOT) else CODE.name,
        "size": size,
        "pages": pages,
        "runs": times,
        "search": search,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
    }


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


def floors(result: dict[str, Any]) -> list[str]:
    warm, plain = _series(result, "warm"), _series(result, "plain")
    changed = _series(result, "changed")
    rows = []
    if warm and plain:
        ratio = statistics.median(warm) / statistics.median(plain)
        rows.append(
            f"| warm rebuild ≤ 1.10 × plain | {ratio:.2f} × | {'pass' if ratio <= 1.10 else 'FAIL'} |"
        )
    if changed and plain:
        extra = statistics.median(changed) - statistics.median(plain)
        rows.append(
            f"| one seed changed ≤ plain + 2 s | plain {'+' if extra >= 0 else '−'} {abs(extra):.2f} s "
            f"| {'pass' if extra <= 2 else 'FAIL'} |"
        )
    ours = (rs for label, rs in result["runs"].items() if not label.startswith("plain"))
    peak = max((float(r["tree_peak_mib"]) for rs in ours for r in rs), default=0.0)
    rows.append(f"| peak memory < 2 GiB | {peak:.0f} MiB | {'pass' if peak < 2048 else 'FAIL'} |")
    first = result["search"].get("index_first_query_bytes")
    if first is not None:
        verdict = "pass" if first < 1e6 else "FAIL"
        rows.append(f"| first search < 1 MB | {first / 1e6:.2f} MB (raw) | {verdict} |")
    return rows


def report(results: dict[str, Any]) -> str:
    lines = [README_HEAD]
    for key in sorted(results, key=int):
        r = results[key]
        lines += [
            f"## {int(key):,} articles ({r['pages']:,} pages; {r['machine']})",
            "",
            "Seconds, median (min–max, runs):",
            "",
            "| build | seconds | peak memory (sum of processes, MiB) |",
            "|---|---|---|",
        ]
        for label, title in (
            ("cold", "cold: extract every seed + site"),
            ("warm", "warm: nothing changed"),
            ("changed", "one seed changed"),
            ("plain", "plain `mkdocs build`, same pages, stock Material with its search"),
            ("plain_no_search", "plain `mkdocs build`, same pages, no search at all"),
            ("cli_warm", "pipeline only, warm (`python -m build_tools build`)"),
        ):
            if r["runs"].get(label):
                lines.append(
                    f"| {title} | {_stats(_series(r, label))} | "
                    f"{max(_series(r, label, 'tree_peak_mib')):.0f} |"
                )
        s = r["search"]
        lines += ["", "Search, bytes a reader downloads for a first query:", ""]
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
        lines += ["", "| floor | measured | |", "|---|---|---|", *floors(r), ""]
    return "\n".join([*lines, README_NOTES])


README_HEAD = """# Benchmark

`bench/run.py` generates a deterministic corpus from the fixtures (`bench/corpus.py`; sources
and licences in `bench/fixtures/SOURCES.md`), builds it with `mkdocs build`, and measures
each build as a process of its own (`bench/measure.py`): wall time, and peak memory as the
largest sum of the resident sets of the build's processes (main process and extraction
workers), sampled every 50 ms. The plain build is `mkdocs build` of the very same Markdown
pages as a stock Material site: without the marginalia plugin, with Material's header and its
own search plugin instead of ours. A plain build with no search at all is shown beside it.
All are measured in the same run, interleaved.

    python bench/run.py --sizes 1000 --runs 3
    python bench/run.py --sizes 10000 --runs 2 --cold-runs 1
    python bench/run.py --readme        # rewrite this file from bench/results.json

Floors (issue 4): warm rebuild within 1.10 × the plain build; one changed seed at most 2 s
more than the plain build; peak memory under 2 GiB at 10,000 articles; a first search under
1 MB at 10,000 articles.
"""


README_NOTES = """## Reading the figures

- **The machine** has 2 cores; single builds vary by ±10 % (more when other work shares it).
  Warm, plain and changed builds are interleaved so that each sees the same conditions;
  medians and ranges are given.
- **Search replaces Material's**: Material's search plugin parses every page again in Python
  and writes one `search_index.json` of the whole archive, which a reader downloads before the
  first result (7 MB gzipped at 10,000 articles). Marginalia turns the plugin off and the
  pipeline writes `content/search-data/` from the articles it already holds: shards by the
  first letters of each word, URL chunks of 100 and one small file per page
  (docs/front-matter.md). A query fetches one shard per word, and the chunk and page file of
  each result it shows. The index is cached by the searchable text of every page, so a warm
  build does not tokenise anything, and each page's
  terms are cached, so one changed article re-reads one article. Our search and Pagefind are
  compared on the same site and the same queries in [search.md](search.md)
  (`bench/search_compare.py`): hits, bytes, build time and memory.
- **Warm rebuild = the same pages without Material's search + the pipeline's own work**, shown
  on its own as "pipeline only": read every seed and sidecar (hashing them), take each seed's
  article and extraction from `.cache/marginalia/seeds/`, apply corrections, notes and the
  people registry, take each article page from the page cache and the search index from its
  cache, regenerate the cross-article pages and compare every file with `content/`. No spaCy.
- **One seed changed** costs the warm pipeline plus importing spaCy and loading the model
  (about 1.2 s on an idle machine), parsing that one article, and rebuilding the search index
  from every page's cached terms (about 0.3 s per 1,000 articles); cross-article pages follow.
- **Cold** builds are extraction: the rules and spaCy's small model take 0.15–0.25 s per
  650-word article per core, so 10,000 articles take 15–25 minutes on 2 cores. Each worker
  loads the model once (about 300 MB each).
- **Memory**: the largest sum of the build's processes. MkDocs keeps every page in memory, so
  the plain build grows with the archive too.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[])
    parser.add_argument("--runs", type=int, default=3, help="warm, changed and plain builds per size")
    parser.add_argument("--cold-runs", type=int, default=None, help="cold builds per size (default: --runs)")
    parser.add_argument("--readme", action="store_true", help="only rewrite README.md from results.json")
    parser.add_argument("--code", type=Path, default=None, help="the build_tools folder to measure")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the corpus of the last run again with today's code (no cold build); "
        "its cold figures are kept",
    )
    args = parser.parse_args(argv)
    global CODE
    CODE = (args.code or CODE).resolve()
    results = json.loads(RESULTS.read_text()) if RESULTS.is_file() else {}
    for size in [] if args.readme else args.sizes:
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
