"""A chunked static search index of the built site (Pagefind), for archives too big for one index.

Material's search downloads the whole index before the first result: 0.8 MB gzipped at
1,000 articles, about ten times that at 10,000 (bench/README.md). Pagefind splits the index
into chunks by word and fetches only the chunks of the words typed and the fragments of the
results shown. It runs after `mkdocs build`, offline, with the binary that the PyPI package
`pagefind[bin]` installs; nothing is downloaded.

Only the page's article (`.md-content`) is indexed, so the header, navigation and footer,
the same on every page, are not.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from build_tools.errors import MarginaliaError

OUTPUT = "pagefind"  # site/pagefind/: pagefind.js, pagefind-ui.js, the wasm, index and fragments
ROOT_SELECTOR = ".md-content"
EXCLUDE = (".headerlink", ".md-content__button", ".md-source-file")


class SearchIndexError(MarginaliaError):
    """Pagefind is missing or failed."""


def executable() -> Path:
    try:
        from pagefind_bin import get_executable  # the binary shipped by `pip install 'pagefind[bin]'`

        return Path(get_executable())
    except ImportError:
        found = shutil.which("pagefind")
        if found:
            return Path(found)
    raise SearchIndexError(
        "pagefind",
        "the Pagefind binary is not installed",
        "pip install 'pagefind[bin]', or turn the plugin's `pagefind` option off",
    )


def build(site_dir: Path) -> Path:
    """Index site_dir into site_dir/pagefind/; returns that folder."""
    command = [
        str(executable()),
        "--site",
        str(site_dir),
        "--output-subdir",
        OUTPUT,
        "--root-selector",
        ROOT_SELECTOR,
        "--exclude-selectors",
        ", ".join(EXCLUDE),
        "--force-language",
        "en",
        "--silent",
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SearchIndexError(
            str(site_dir),
            f"Pagefind failed: {result.stderr.strip()[-500:]}",
            "run the command again with --verbose to see which page it stopped on",
        )
    return site_dir / OUTPUT
