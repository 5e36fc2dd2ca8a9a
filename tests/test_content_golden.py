"""content/taliban-israel.md is a golden file: the pipeline must reproduce it byte for byte.

`pytest --update-goldens` rewrites it (and the rest of content/) from seeds/; review the diff.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from build_tools import pipeline

ROOT = Path(__file__).resolve().parent.parent


def test_seed_article_matches_golden(tmp_path: Path, update_goldens: bool) -> None:
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    pipeline.build(tmp_path / "seeds", tmp_path / "content")
    got = (tmp_path / "content" / "taliban-israel.md").read_bytes()
    golden = ROOT / "content" / "taliban-israel.md"
    if update_goldens:
        pipeline.build(ROOT / "seeds", ROOT / "content", discard_edits=True)
    assert got == golden.read_bytes()


def test_rebuild_is_byte_identical(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    pipeline.build(tmp_path / "seeds", tmp_path / "content")
    first = {p: p.read_bytes() for p in sorted((tmp_path / "content").rglob("*")) if p.is_file()}
    report = pipeline.build(tmp_path / "seeds", tmp_path / "content")
    second = {p: p.read_bytes() for p in sorted((tmp_path / "content").rglob("*")) if p.is_file()}
    assert first == second
    assert report.changes.written == ()
