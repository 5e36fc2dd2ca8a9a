"""Screenshot a page of a built site, served as GitHub Pages would serve it.

    python tests/browser/screenshot.py site docs/assets/screenshot-article.png

makes the README's picture of the article page (1400 px wide, light scheme). Build the site
first (`mkdocs build --strict`); options choose another page, width, height or scheme.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browserkit import CHROMIUM_ARGS, chromium_path  # found through the path set above
from siteserver import serve


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="the built site folder")
    parser.add_argument("out", type=Path, help="the PNG to write")
    parser.add_argument("--page", default="articles/taliban-israel/", help="site path of the page")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=1000)
    parser.add_argument("--scheme", choices=["light", "dark"], default="light")
    parser.add_argument("--full-page", action="store_true", help="the whole page, not only the first screen")
    parser.add_argument("--target", default="", help="a fragment to open, e.g. p-7 (highlights a paragraph)")
    args = parser.parse_args(argv)
    with serve(args.site) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": args.width, "height": args.height},
            color_scheme=args.scheme,
            reduced_motion="reduce",
        )
        page = context.new_page()
        page.goto(base + args.page + (f"#{args.target}" if args.target else ""), wait_until="networkidle")
        args.out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(args.out), full_page=args.full_page)
        browser.close()
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
