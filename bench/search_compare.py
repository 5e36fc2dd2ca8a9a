"""Our search against Pagefind, on the same built site, with the same queries, in real Chromium.

    python bench/search_compare.py --archive            # the query set (tests/search/queries.yml)
    python bench/search_compare.py --sizes 1000 10000   # bytes, build time and memory at scale
    python bench/search_compare.py --readme             # rewrite bench/search.md from the results

--archive builds the search's test archive (the seed and the six fixture articles, as the browser
tests do), indexes its site with Pagefind (`pagefind[extended]`, the bench extra) and runs every
query of the set on both: our search page, and Pagefind's own JavaScript API (the first 10
results, each result's data loaded as its UI does). A query passes when it finds what the set
expects (tests/searchkit.py's verdict; quotes as results are counted for ours only: Pagefind has
none).

--sizes uses bench/out/<size>/project from `bench/run.py` (its corpus and built site): it measures
building our index (the pipeline with the search caches removed, and with them), Pagefind
indexing the same site, how many files of search-data/ one changed article rewrites, and the bytes
each query of the set downloads (raw, as counted before compression): first, in a fresh browser,
and typical, after another query in the same page. Each build is its own process (measure.py).
Results go to bench/search-results.json; bench/search.md is written from it.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
RESULTS = BENCH / "search-results.json"
REPORT = BENCH / "search.md"
for path in (ROOT / "tests", ROOT / "tests" / "browser", BENCH):
    sys.path.insert(0, str(path))

import corpus  # noqa: E402  # bench/ and tests/ are folders of scripts, not packages
from browserkit import CHROMIUM_ARGS, chromium_path  # noqa: E402
from measure import measured  # noqa: E402
from projectkit import copy_project, mkdocs_build  # noqa: E402
from searchkit import Found, Query, add_fixture_articles, queries, search_page, verdict  # noqa: E402
from siteserver import serve  # noqa: E402

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
PAGEFIND = [sys.executable, "-m", "pagefind", "--root-selector", "article", "--quiet"]
OURS = ("/search-data/", "/assets/search/", "/assets/vendor/", "/assets/search.js")
PAGE_SIZE = 10

# Pagefind's JavaScript API, as its UI uses it: the first results' data, loaded.
PAGEFIND_JS = """async ([bundle, query, n]) => {
  if (!window.__pf) { window.__pf = await import(bundle); await window.__pf.init(); }
  const search = await window.__pf.search(query);
  const data = await Promise.all(search.results.slice(0, n).map((r) => r.data()));
  return { count: search.results.length, urls: data.map((d) => d.url) };
}"""


def measure(command: list[str], cwd: Path) -> dict[str, Any]:
    return measured(command, cwd, ENV)


def pagefind_index(site: Path) -> dict[str, Any]:
    shutil.rmtree(site / "pagefind", ignore_errors=True)
    return measure([*PAGEFIND, "--site", str(site)], site.parent)


# -- in the browser ---------------------------------------------------------------------------------
class Browser:
    """One Chromium; a fresh context per `fresh()`, counting the bytes of every response."""

    def __init__(self) -> None:
        from playwright.sync_api import sync_playwright

        self.pw = sync_playwright().start()
        self.browser = self.pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        self.context: Any = None
        self.bytes: list[tuple[str, int]] = []

    def fresh(self) -> Any:
        if self.context:
            self.context.close()
        self.context = self.browser.new_context()
        self.context.route(
            "**/*", lambda route: route.continue_() if "127.0.0.1" in route.request.url else route.abort()
        )
        page = self.context.new_page()
        page.on("response", self._count)
        return page

    def _count(self, response: Any) -> None:
        with contextlib.suppress(Exception):  # a response without a body (a redirect, an abort)
            self.bytes.append((response.url, len(response.body())))

    def take(self, parts: tuple[str, ...]) -> int:
        """The bytes of the responses since the last take whose URL holds one of parts."""
        total = sum(n for url, n in self.bytes if any(p in urlsplit(url).path for p in parts))
        self.bytes.clear()
        return total

    def close(self) -> None:
        if self.context:
            self.context.close()
        self.browser.close()
        self.pw.stop()


def pagefind_found(page: Any, base_url: str, query: str) -> Found:
    shown = page.evaluate(PAGEFIND_JS, [f"{base_url}pagefind/pagefind.js", query, PAGE_SIZE * 3])
    prefix = "/" + base_url.split("/", 3)[3]
    pages = tuple(url.removeprefix(prefix).lstrip("/") for url in shown["urls"])
    return Found(f"{shown['count']} results", pages, ())


def run_queries(site: Path, qs: list[Query]) -> dict[str, Any]:
    """Every query on both searches: hits, and the bytes of a first and of a typical query."""
    out: dict[str, Any] = {"ours": [], "pagefind": []}
    browser = Browser()
    try:
        with serve(site) as base_url:
            for i, q in enumerate(qs):
                warm = qs[i - 1].query  # the query before it, as what a reader typed first
                for name in ("ours", "pagefind"):
                    out[name].append(one_query(browser, base_url, name, q, warm))
    finally:
        browser.close()
    return out


def typed(page: Any, query: str) -> None:
    """A second query typed into our search page (the page's fetched files stay cached)."""
    page.fill("#mg-search-page-input", query)
    page.press("#mg-search-page-input", "Enter")
    page.wait_for_function(
        "q => { const s = document.querySelector('.mg-search-page .mg-search__status').textContent;"
        " return s.includes('“' + q.trim() + '”') && !s.startsWith('Searching'); }",
        arg=query,
    )


def one_query(browser: Browser, base_url: str, name: str, q: Query, warm: str) -> dict[str, Any]:
    parts = OURS if name == "ours" else ("/pagefind/",)
    page = browser.fresh()
    if name == "ours":
        found = search_page(page, base_url, q.query, pages=1)
    else:
        page.goto(base_url)
        browser.take(())
        found = pagefind_found(page, base_url, q.query)
    first = browser.take(parts)
    page = browser.fresh()
    if name == "ours":
        search_page(page, base_url, warm, pages=1)
        browser.take(())
        typed(page, q.query)
    else:
        page.goto(base_url)
        pagefind_found(page, base_url, warm)
        browser.take(())
        pagefind_found(page, base_url, q.query)
    typical = browser.take(parts)
    if name == "ours":  # every result, not only the first page, for the checks
        found = search_page(page, base_url, q.query)
    wrong = verdict(q, found, quotes=name == "ours")
    return {
        "query": q.query,
        "kind": q.kind,
        "pass": not wrong,
        "wrong": wrong,
        "first_bytes": first,
        "typical_bytes": typical,
    }


# -- the test archive ---------------------------------------------------------------------------------
def archive() -> dict[str, Any]:
    project = OUT / "search-archive" / "project"
    shutil.rmtree(project.parent, ignore_errors=True)
    project.mkdir(parents=True)
    copy_project(project)
    add_fixture_articles(project)
    result = mkdocs_build(project)
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    pagefind = pagefind_index(project / "site")
    return {"pagefind_build": pagefind, "queries": run_queries(project / "site", queries())}


# -- at scale ------------------------------------------------------------------------------------------
def digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file()
    }


def at_size(size: int, runs: int) -> dict[str, Any]:
    project = OUT / str(size) / "project"
    if not (project / "site" / "search-data").is_dir():
        raise SystemExit(f"no built site in {project}: run bench/run.py --sizes {size} first")
    cli = [sys.executable, "-m", "build_tools", "build"]
    cache = project / ".cache" / "marginalia"
    builds: dict[str, list[dict[str, Any]]] = {"index_cold": [], "index_cached": [], "pagefind": []}
    measure(cli, project)  # settle: today's code, its caches
    for _ in range(runs):
        for name in ("search.json", "search-entries.pickle"):
            (cache / name).unlink(missing_ok=True)
        builds["index_cold"].append(measure(cli, project))  # every page's words found again
        (cache / "search.json").unlink(missing_ok=True)
        builds["index_cached"].append(measure(cli, project))  # the files again, from cached words
        builds["pagefind"].append(pagefind_index(project / "site"))
    data = project / "content" / "search-data"
    before = digests(data)
    corpus.change_one(project / "seeds", revision=size * 7 + 1)
    builds["changed"] = [measure(cli, project)]
    after = digests(data)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet"], cwd=project, env=ENV, check=True)
    pagefind_index(project / "site")  # the site was rebuilt: index it again for the queries
    files = [p for p in (project / "site" / "search-data").rglob("*") if p.is_file()]
    pf_files = [p for p in (project / "site" / "pagefind").rglob("*") if p.is_file()]
    return {
        "size": size,
        "builds": builds,
        "one_changed": {"files": changed, "of": len(after)},
        "ours_total_bytes": sum(p.stat().st_size for p in files),
        "ours_files": len(files),
        "pagefind_total_bytes": sum(p.stat().st_size for p in pf_files),
        "pagefind_files": len(pf_files),
        "queries": run_queries(project / "site", queries()),
    }


# -- the report ---------------------------------------------------------------------------------------
def _stat(values: list[float], unit: str = "", scale: float = 1.0, digits: int = 0) -> str:
    if not values:
        return "–"
    v = [x / scale for x in values]
    med = statistics.median(v)
    if len(v) == 1:
        return f"{med:.{digits}f}{unit}"
    return f"{med:.{digits}f}{unit} ({min(v):.{digits}f}–{max(v):.{digits}f}, n={len(v)})"


def _hits(rows: list[dict[str, Any]]) -> str:
    return f"{sum(r['pass'] for r in rows)}/{len(rows)}"


def report(results: dict[str, Any]) -> str:
    lines = [HEAD]
    a = results.get("archive")
    if a:
        ours, theirs = a["queries"]["ours"], a["queries"]["pagefind"]
        kinds = sorted({r["kind"] for r in ours}, key=[r["kind"] for r in ours].index)
        lines += [
            "## The query set on the test archive (seed + six fixture articles)",
            "",
            f"{len(ours)} queries (tests/search/queries.yml). A query passes when every page it expects is "
            "among its first results, no page it must not find is found, and (ours only) the quotes "
            "it expects are shown.",
            "",
            "| class | queries | ours | Pagefind 1.5 |",
            "|---|---|---|---|",
        ]
        for kind in kinds:
            mine = [r for r in ours if r["kind"] == kind]
            pf = [r for r in theirs if r["kind"] == kind]
            lines.append(f"| {kind} | {len(mine)} | {_hits(mine)} | {_hits(pf)} |")
        lines += [f"| **all** | {len(ours)} | **{_hits(ours)}** | **{_hits(theirs)}** |", ""]
        failed = [r for r in theirs if not r["pass"]]
        if failed:
            lines += ["Pagefind's misses:", ""]
            lines += [f"- `{r['query']}` ({r['kind']}): {'; '.join(r['wrong'])}" for r in failed]
            lines.append("")
        mine_failed = [r for r in ours if not r["pass"]]
        if mine_failed:
            lines += ["Our misses:", ""]
            lines += [f"- `{r['query']}` ({r['kind']}): {'; '.join(r['wrong'])}" for r in mine_failed]
            lines.append("")
    for key in sorted((k for k in results if k.isdigit()), key=int):
        r = results[key]
        b = r["builds"]
        q = r["queries"]
        lines += [
            f"## {int(key):,} articles",
            "",
            "| | ours | Pagefind 1.5 |",
            "|---|---|---|",
            f"| index build, seconds | {_stat(_series(b['index_cold']), digits=2)} (the pipeline, every "
            f"page's words found again); {_stat(_series(b['index_cached']), digits=2)} with each "
            f"page's words cached | {_stat(_series(b['pagefind']), digits=2)} |",
            f"| index build, peak memory (MiB) | {_stat(_series(b['index_cold'], 'tree_peak_mib'))} "
            f"(the whole pipeline) | {_stat(_series(b['pagefind'], 'tree_peak_mib'))} |",
            f"| one changed article | {len(r['one_changed']['files'])} of {r['one_changed']['of']:,} "
            f"files rewritten | re-indexes every page |",
            f"| first query, raw bytes (median, max over the set) | {_kb(q['ours'], 'first_bytes')} "
            f"| {_kb(q['pagefind'], 'first_bytes')} |",
            f"| typical query, raw bytes (median, max) | {_kb(q['ours'], 'typical_bytes')} "
            f"| {_kb(q['pagefind'], 'typical_bytes')} |",
            f"| whole index | {r['ours_total_bytes'] / 1e6:.1f} MB in {r['ours_files']:,} files "
            f"| {r['pagefind_total_bytes'] / 1e6:.1f} MB in {r['pagefind_files']:,} files |",
            "",
        ]
    return "\n".join([*lines, NOTES])


def _series(rows: list[dict[str, Any]], key: str = "seconds") -> list[float]:
    return [float(x[key]) for x in rows]


def _kb(rows: list[dict[str, Any]], key: str) -> str:
    values = [r[key] for r in rows]
    return f"{statistics.median(values) / 1e3:.0f} kB, {max(values) / 1e3:.0f} kB"


HEAD = """# Search: ours and Pagefind, side by side

Written by `python bench/search_compare.py --readme` from `bench/search-results.json`; how it
measures is in that script's docstring. Bytes are raw (before compression; GitHub Pages serves
JSON gzipped, about a tenth). Our bytes count the search code (search.js, engine.js, words.js,
the stemmer) and search-data/; Pagefind's, everything under pagefind/ (its script, WebAssembly,
index chunks, fragments). Both show 10 results a page.
"""

NOTES = """## The decision

Kept our own index, on these figures. What readers get: on the query set Pagefind misses the
classes it has no feature for, typos (it has no typo tolerance) and abbreviations in their forms
(`U.S.`, `US`, `U.N.`, `UN`), and it has no quotes as results and no filter by kind or year
without markup added to every page; its first query downloads about twice our bytes. The build:
Pagefind needs several times the memory of our whole pipeline and re-indexes every page when one
changes, where ours rewrites the few files that one article touches. Pagefind's whole index is
somewhat smaller. If it gains typo tolerance and incremental builds, run this again.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--archive", action="store_true")
    parser.add_argument("--sizes", type=int, nargs="*", default=[])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--readme", action="store_true")
    args = parser.parse_args(argv)
    results = json.loads(RESULTS.read_text()) if RESULTS.is_file() else {}
    if args.archive and not args.readme:
        results["archive"] = archive()
        RESULTS.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
    for size in [] if args.readme else args.sizes:
        results[str(size)] = at_size(size, args.runs)
        RESULTS.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
    REPORT.write_text(report(results), encoding="utf-8")
    print(REPORT.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
