"""Command line: the same pipeline as `mkdocs build`, without MkDocs.

python -m build_tools build [--seeds seeds] [--content content] [--strict] [--discard-edits]
                           [--no-cache] [--workers N]
python -m build_tools extract PATH.txt... [--out DIR]  # the JSON contract; one file per article with --out
python -m build_tools eval GOLD_DIR [--seed-gold JSON TXT] [--explain]
python -m build_tools cache-key                      # what the extraction cache depends on (for CI)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from build_tools import contract, evaluate, explain, nlp, pipeline
from build_tools.errors import MarginaliaError, printable
from build_tools.progress import ProgressBar

NOTICES = 20  # ambiguous names printed; an archive can have thousands


def cmd_build(args: argparse.Namespace) -> int:
    report = pipeline.build(
        Path(args.seeds),
        Path(args.content),
        strict=args.strict,
        discard_edits=args.discard_edits,
        progress=ProgressBar(),
        use_cache=not args.no_cache,
        workers=args.workers,
        waiting=lambda message: print(f"note: {printable(message)}", file=sys.stderr, flush=True),
    )
    # Every line is printable(): a newline in a file name must not forge a line of the log.
    for warning in report.warnings:
        print(f"warning: {printable(warning)}", file=sys.stderr)
    for failure in report.failures:
        print(f"error: {failure}", file=sys.stderr)
    if report.cache_problem:
        print(f"note: {printable(report.cache_problem)}", file=sys.stderr)
    for notice in report.notices[:NOTICES]:
        print(f"note: {printable(notice)}", file=sys.stderr)
    if len(report.notices) > NOTICES:
        print(f"note: and {len(report.notices) - NOTICES} more like these", file=sys.stderr)
    print(f"{report.extracted} extracted, {report.cached} from the cache", file=sys.stderr)
    changes = report.changes
    print(
        f"{len(report.documents)} articles; {len(changes.written)} files written, "
        f"{changes.unchanged} unchanged, {len(changes.deleted)} removed"
    )
    return 1 if report.failures or (args.strict and report.warnings) else 0


def cmd_extract(args: argparse.Namespace) -> int:
    """One JSON object on stdout for one path; with --out, one ID.json per article in DIR."""
    paths = [Path(p) for p in args.paths]
    if len(paths) > 1 and not args.out:
        raise MarginaliaError(
            "extract",
            f"{len(paths)} articles and no --out",
            "add --out DIR to write one JSON file per article",
        )
    out = Path(args.out) if args.out else None
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    progress = ProgressBar() if out is not None else None
    for n, doc in enumerate(pipeline.read_many(paths, nlp.load()), start=1):
        text = json.dumps(contract.to_json(doc), ensure_ascii=False, indent=2) + "\n"
        if out is None:
            print(text, end="")
            continue
        (out / f"{doc.article.slug}.json").write_text(text, encoding="utf-8")
        if progress is not None:
            progress(n, len(paths), doc.article.slug)
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    entries = evaluate.load_gold_dir(Path(args.gold_dir)) if args.gold_dir else []
    if args.seed_gold:
        entries.append(evaluate.load_gold_file(Path(args.seed_gold[0]), Path(args.seed_gold[1])))
    docs = pipeline.read_many([txt for _, txt, _ in entries], nlp.load())
    scores, findings, judged = [], [], []
    for (article_id, _, gold), doc in zip(entries, docs, strict=True):
        predicted = contract.to_json(doc)
        scores.append(evaluate.score_article(article_id, gold, predicted))
        judged += explain.judged(gold, predicted)
        if args.explain:
            findings += explain.explain(article_id, doc.article.text, gold, predicted)
    print(evaluate.format_report(scores), end="")
    print("\n" + explain.format_calibration(judged), end="")
    if args.explain:
        print("\n" + explain.format_findings(findings), end="")
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    from build_tools import review

    items = review.review_items(Path(args.content), Path(args.seeds), seeds_name=args.seeds)
    print(review.format_items(items), end="")
    return 0


def cmd_cache_key(args: argparse.Namespace) -> int:
    """The fingerprint of everything an extraction depends on besides its seed: CI keys the cache by it."""
    from build_tools.cache import extraction_fingerprint

    print(extraction_fingerprint(nlp.model_name()))
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m build_tools", description=__doc__.split("\n")[0])
    sub = top.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="seeds/ -> content/")
    b.add_argument("--seeds", default="seeds")
    b.add_argument("--content", default="content")
    b.add_argument("--strict", action="store_true", help="fail on any bad seed or warning")
    b.add_argument("--discard-edits", action="store_true", help="overwrite hand edits in content/")
    b.add_argument("--no-cache", action="store_true", help="extract every seed again; write no cache")
    b.add_argument("--workers", type=int, default=None, help="processes for extraction (default: all cores)")
    b.set_defaults(run=cmd_build)
    e = sub.add_parser("extract", help="the JSON extraction of articles (the model loads once)")
    e.add_argument("paths", nargs="+", metavar="PATH")
    e.add_argument("--out", metavar="DIR", help="write DIR/<slug>.json for each article")
    e.set_defaults(run=cmd_extract)
    v = sub.add_parser("eval", help="score extraction against gold files")
    v.add_argument("gold_dir", nargs="?")
    v.add_argument("--seed-gold", nargs=2, metavar=("JSON", "TXT"), help="a gold file and its article")
    v.add_argument("--explain", action="store_true", help="list every miss and false find with its sentence")
    v.set_defaults(run=cmd_eval)
    r = sub.add_parser("review", help="everything an editor should look at, with the line that fixes each")
    r.add_argument("--content", default="content")
    r.add_argument("--seeds", default="seeds")
    r.set_defaults(run=cmd_review)
    k = sub.add_parser(
        "cache-key", help="the fingerprint of the extraction code, rules and model (CI's cache key)"
    )
    k.set_defaults(run=cmd_cache_key)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.run(args))
    except MarginaliaError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    code = main()
    pipeline.exiting()
    raise SystemExit(code)
