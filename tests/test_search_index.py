"""The archive's search index: the words it keeps, its files, and a query run against them the
way overrides/assets/search.js runs it (prefix match, AND, ranked by weight)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from build_tools import pipeline, search_index
from build_tools.search_index import Entry, files, shard_key, words

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "articles"


def entry(url: str, title: str, text: str, kind: str = "article") -> Entry:
    return Entry(url, title, kind, "", text[:40], text)


def query(index: dict[str, str], text: str) -> list[str]:
    """The URLs a reader's query finds, best first: a Python twin of search.js's query."""
    folder = search_index.FOLDER
    meta = json.loads(index[f"{folder}/meta.json"])
    scores: dict[int, int] | None = None
    for word in words(text):
        if shard_key(word) not in meta["shards"]:
            return []
        shard = json.loads(index[f"{folder}/t/{shard_key(word)}.json"])
        found: dict[int, int] = {}
        for term, flat in shard.items():
            if term.startswith(word):
                ident = 0
                for gap, weight in zip(flat[::2], flat[1::2], strict=True):
                    ident += gap
                    score = weight * (2 if term == word else 1)
                    found[ident] = max(found.get(ident, 0), score)
        scores = found if scores is None else {i: s + found[i] for i, s in scores.items() if i in found}
    ranked = sorted((scores or {}).items(), key=lambda item: (-item[1], item[0]))
    rows = [json.loads(index[f"{folder}/d/{i // meta['chunk']}.json"])[i % meta["chunk"]] for i, _ in ranked]
    return [row[0] for row in rows]


# -- words ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Taliban’s statement", ["taliban", "statement"]),  # possessive dropped
        ("don't DON’T", ["dont", "dont"]),  # other apostrophes join the word
        ("Café Zürich İstanbul", ["cafe", "zurich", "istanbul"]),  # accents folded, as NFKD in JS
        ("the U.S.-led talks of a 2021 deal", ["led", "talks", "2021", "deal"]),  # stopwords, 1 letter
        ("ﬁnal ΑΘΗΝΑ", ["final", "αθηνα"]),  # compatibility forms, other scripts kept
        ("x" * 41 + " ok", ["ok"]),  # not a word: a URL or noise
    ],
)
def test_words(text: str, expected: list[str]) -> None:
    assert words(text) == expected


def test_shard_keys_are_file_names() -> None:
    assert shard_key("mujahid") == "mu"
    assert shard_key("2021") == "20"
    assert shard_key("αθηνα") == "_" + "αθ".encode().hex()


# -- the files ------------------------------------------------------------------------------------------
ENTRIES = [
    entry("people/zabihullah-mujahid/", "Zabihullah Mujahid", "Taliban spokesman", "person"),
    entry("articles/b/", "Taliban and Israel", "Mujahid said the talks were a dialogue with Mars."),
    entry("articles/a/", "Flooding in Jakarta", "Residents of Jakarta fled the floods."),
]


def test_a_query_finds_pages_by_prefix_all_words_and_weight() -> None:
    index = files(sorted(ENTRIES, key=lambda e: e.url))
    assert query(index, "Mujahid") == ["people/zabihullah-mujahid/", "articles/b/"]  # the name weighs more
    assert query(index, "dialogue with Mars") == ["articles/b/"]
    assert query(index, "jak") == ["articles/a/"]  # as the reader types
    assert query(index, "Mujahid Jakarta") == []  # every word must match
    assert query(index, "nothing") == []


def test_ids_are_gaps_and_weights_are_capped() -> None:
    many = [entry(f"articles/{n:02}/", "T", "word " * (n * 60)) for n in range(1, 4)]
    shard = json.loads(files(many)["search-data/t/wo.json"])
    assert shard == {"word": [0, 60, 1, 99, 1, 99]}


def test_the_index_is_deterministic_and_keeps_text_as_data() -> None:
    hostile = entry("articles/x/", '</script><img src=x onerror="alert(1)">', "<b>bold</b> & {{ x }}")
    first = files([*ENTRIES, hostile])
    assert files([*ENTRIES, hostile]) == first
    rows = json.loads(first["search-data/d/0.json"])
    assert rows[-1][1] == '</script><img src=x onerror="alert(1)">'  # a string for textContent, unchanged


def test_editing_one_article_rewrites_only_its_words_shards_and_its_chunk() -> None:
    before = files(ENTRIES)
    edited = [
        *ENTRIES[:2],
        entry("articles/a/", "Flooding in Jakarta", "Residents of Jakarta fled the water."),
    ]
    after = files(edited)
    changed = sorted(rel for rel in before.keys() | after.keys() if before.get(rel) != after.get(rel))
    assert changed == [
        "search-data/d/0.json",  # its summary
        "search-data/meta.json",  # a new shard
        "search-data/t/fl.json",  # lost "floods"
        "search-data/t/wa.json",  # gained "water"
    ]


def test_meta_lists_every_shard_and_carries_the_stopwords() -> None:
    index = files(ENTRIES)
    meta = json.loads(index["search-data/meta.json"])
    shards = sorted(rel.split("/")[-1].removesuffix(".json") for rel in index if "/t/" in rel)
    assert meta["shards"] == shards
    assert meta["docs"] == 3 and "the" in meta["stopwords"]


# -- in the pipeline ----------------------------------------------------------------------------------
def test_the_committed_index_finds_the_seed_article_and_its_people() -> None:
    folder = ROOT / "content"
    index = {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
        for p in (folder / search_index.FOLDER).rglob("*.json")
    }
    assert set(query(index, "Mujahid")) >= {"articles/taliban-israel/", "people/zabihullah-mujahid/"}
    assert "articles/taliban-israel/" in query(index, "dialogue with Mars")


def test_a_warm_build_takes_the_index_from_the_cache(tmp_path: Path, monkeypatch: Any) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(FIXTURES / "voa-burns-iran.txt", seeds)
    content = tmp_path / "content"
    pipeline.build(seeds, content)
    real = search_index.files

    def refuse(*args: object) -> dict[str, str]:
        raise AssertionError("the index was rebuilt with nothing changed")

    monkeypatch.setattr(search_index, "files", refuse)
    assert pipeline.build(seeds, content).changes.written == ()
    (seeds / "voa-burns-iran.yml").write_text("title: Burns returns from Tehran\n", encoding="utf-8")
    monkeypatch.setattr(search_index, "files", real)
    report = pipeline.build(seeds, content)
    assert "search-data/d/0.json" in report.changes.written
    assert "Burns returns from Tehran" in (content / "search-data" / "d" / "0.json").read_text("utf-8")
