"""Constants and the browser's path for the browser tests: a module of its own, so test files
import it by a name that no other folder uses (every folder's conftest is called conftest)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WIDE = {"width": 1400, "height": 900}
PHONE = {"width": 390, "height": 844}
SLUG = "taliban-israel"
OUTSIDE = re.compile(r"^(?!http://127\.0\.0\.1[:/])")  # any URL but the local server's


def chromium_path() -> str:
    """Debian's Chromium, or the one named by $CHROMIUM; a missing browser fails, never skips."""
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    assert Path(path).is_file(), f"no Chromium at {path}: run `apt-get install -y chromium` (see GUIDE §3)"
    return path
