"""Quote and background ids are the extraction's numbers, so hiding one never renumbers the rest."""

from __future__ import annotations

import shutil
from pathlib import Path

import frontmatter

from build_tools import pipeline

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def test_hiding_a_quote_keeps_the_others_ids(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEEDS / "taliban-israel.txt", seeds)
    (seeds / "taliban-israel.yml").write_text("hide:\n  quotes: [1]\n  background: [1]\n", encoding="utf-8")
    pipeline.build(seeds, tmp_path / "content", use_cache=False)
    meta = frontmatter.load(tmp_path / "content" / "taliban-israel.md").metadata
    assert [q["id"] for q in meta["quotes"]] == ["q-2", "q-3", "q-4", "q-5"]
    assert meta["background"][0]["id"] == "b-2"
    assert any("`speakers: {2: Name}`" in item for item in meta["review"])
