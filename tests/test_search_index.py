"""The archive's search index (build_tools/search/): the terms it keeps, its files, and how an edit
changes them. What a reader gets from it in a browser is tests/browser/test_search*.py."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path
from typing import Any

import pytest

from build_tools import pipeline, search_index
from build_tools.search import Entry, QuoteRef, files, page_file
from build_tools.search import index as index_module
from build_tools.search.words import name_words, stem, terms

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "articles"


def entry(url: str, title: str, text: str, kind: str = "article", **more: Any) -> Entry:
    return Entry(url, title, kind, more.pop("date", ""), text, **more)


def postings(flat: list[Any]) -> dict[int, tuple[int, int]]:
    """A term's [gap, weight, (mask), ...] -> {id: (weight, quote mask)}."""
    out, ident, i = {}, 0, 0
    while i < len(flat):
        ident += flat[i]
        weight = flat[i + 1]
        if weight < 0:
            mask = flat[i + 2]
            out[ident] = (-weight, int(mask, 16) if isinstance(mask, str) else mask)
            i += 3
        else:
            out[ident] = (weight, 0)
            i += 2
    return out


def shard_of(index: dict[str, str], term: str) -> dict[str, Any]:
    meta = json.loads(index["search-data/meta.json"])
    key = max((k for k in meta["shards"] if term.lower().startswith(k)), key=len)
    return dict(json.loads(index[f"search-data/t/{key}.json"]))


# -- terms ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Taliban’s statement", ["taliban", "statement"]),  # possessive dropped, stemmed
        ("don't DON’T", ["dont", "DONT"]),  # other apostrophes join the word; capitals are kept
        ("Café Zürich İstanbul", ["cafe", "zurich", "istanbul"]),  # accents folded, as NFKD in JS
        ("the talks of a 2021 deal", ["talk", "2021", "deal"]),  # stop words, one letter
        ("ﬁnal ΑΘΗΝΑ", ["final", "αθηνα"]),  # compatibility forms; capitals of other scripts folded
        ("x" * 41 + " ok", ["ok"]),  # not a word: a URL or noise
        ("negotiations negotiate negotiating", ["negoti", "negoti", "negoti"]),
        ("rescued rescues rescue", ["rescu", "rescu", "rescu"]),
        ("disappointed disappointment", ["disappoint", "disappoint"]),
    ],
)
def test_terms(text: str, expected: list[str]) -> None:
    assert terms(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the U.S.-led coalition", ["US", "led", "coalit"]),
        ("U.S. US U. S. and U.S", ["US", "US", "US", "US"]),  # dotted, undotted, spaced, no last dot
        ("U.N. UN E.U. N.Y. U.S.A.", ["UN", "UN", "EU", "NY", "USA"]),
        ("us US Us", ["US"]),  # "us" is a stop word, "US" is not "us"
        ("Xi met the UN", ["xi", "met", "UN"]),  # two letters are enough
        ("NASA Nasa nasa", ["NASA", "nasa", "nasa"]),
        ("Steven F. Udvar-Hazy and Plan B. I think", ["steven", "udvar", "hazi", "plan", "think"]),
    ],
)
def test_abbreviations_are_words_of_their_own(text: str, expected: list[str]) -> None:
    assert terms(text) == expected


def test_names_are_not_stemmed_into_each_other() -> None:
    assert stem("mohamed") == stem("mohammed") == "moham"  # why names are kept as written
    names = name_words(["Ahmed Mohamed", "Nicholas Burns"])
    assert names == {"ahmed", "mohamed", "nicholas", "burns"}
    assert terms("Ahmed Mohamed met Burns; the fire burns", names) == [
        "ahmed",
        "mohamed",
        "met",
        "burns",
        "fire",
        "burn",  # a name as written, the verb stemmed
    ]
    assert "mohammed" not in terms("Mohamed", names) + terms("Mohamed")


# -- the files ------------------------------------------------------------------------------------------
SAID = "Mujahid said the talks were a dialogue with Mars. “We want talks,” Mujahid said."
QUOTE = (SAID.index("We want"), SAID.index("talks,”") + len("talks"))
ENTRIES = [
    entry(
        "people/zabihullah-mujahid/",
        "Zabihullah Mujahid",
        "Taliban spokesman",
        "person",
        names=frozenset({"zabihullah", "mujahid"}),
    ),
    entry(
        "articles/b/",
        "Taliban and Israel",
        SAID,
        date="2021-09-01",
        quotes=(QuoteRef(*QUOTE, 1, "Zabihullah Mujahid", "people/zabihullah-mujahid/"),),
        names=frozenset({"zabihullah", "mujahid"}),
    ),
    entry("articles/a/", "Flooding in Jakarta", "Residents of Jakarta fled the floods.", date="2020-01-02"),
    entry("places/jakarta/", "Jakarta", "1 article", "place"),
]


def test_ids_follow_kind_then_year_so_filters_are_ranges() -> None:
    index = files(sorted(ENTRIES, key=Entry.order))
    meta = json.loads(index["search-data/meta.json"])
    urls = [u for n in range(2) for u in json.loads(index.get(f"search-data/d/{n}.json", "[]"))]
    assert urls == ["articles/a/", "articles/b/", "people/zabihullah-mujahid/", "places/jakarta/"]
    assert meta["kinds"] == {"article": [0, 2], "person": [2, 3], "place": [3, 4]}
    assert meta["years"] == {"2020": [0, 1], "2021": [1, 2]}
    assert meta["version"] == 2 and meta["docs"] == 4 and "the" in meta["stopwords"]


def test_postings_carry_weights_and_quote_masks() -> None:
    index = files(sorted(ENTRIES, key=Entry.order))
    mujahid = postings(shard_of(index, "mujahid")["mujahid"])
    # article b (id 1): twice in the text, and its quote holds it through the speaker's name;
    # the person (id 2): the name is the title (weight 10).
    assert mujahid == {1: (2, 1), 2: (10, 0)}
    assert postings(shard_of(index, "talk")["talk"]) == {1: (2, 1)}  # "talks" in the quote too
    assert postings(shard_of(index, "mar")["mar"]) == {1: (1, 0)}  # not in the quote


def test_a_page_file_holds_what_its_result_shows() -> None:
    index = files(sorted(ENTRIES, key=Entry.order))
    page = json.loads(index["search-data/" + page_file("articles/b/")])
    assert page["title"] == "Taliban and Israel" and page["date"] == "2021-09-01"
    (quote,) = page["quotes"]
    assert page["text"][quote[0] : quote[1]] == "We want talks"
    assert quote[2:] == [1, "Zabihullah Mujahid", "people/zabihullah-mujahid/"]
    assert page_file("people/x/") == "p/people/x.json"


def test_a_large_shard_is_split_by_one_more_letter(monkeypatch: Any) -> None:
    monkeypatch.setattr(index_module, "MAX_SHARD", 200)
    words = " ".join(f"co{a}{b}zz" for a in "mnu" for b in "abcdefgh")
    many = [entry(f"articles/{n:03}/", "T", f"{words} cold co") for n in range(8)]
    index = files(many)
    keys = json.loads(index["search-data/meta.json"])["shards"]
    assert "co" in keys and all(len(k) > 2 for k in keys if k != "co"), keys
    assert set(json.loads(index["search-data/t/co.json"])) == {"co"}  # no longer than the key
    found: dict[str, str] = {}
    for key in keys:
        shard = json.loads(index[f"search-data/t/{key}.json"])
        assert len(index[f"search-data/t/{key}.json"]) <= 200 or len(shard) == 1, key
        found |= dict.fromkeys(shard, key)
    # every term is in the shard of the longest key that starts it, and only there
    assert found == {t: max((k for k in keys if t.startswith(k)), key=len) for t in found}
    assert {"co", "cold", "comazz", "conhzz"} <= set(found) and len(found) == 24 + 2, sorted(found)


def test_the_index_is_deterministic_and_keeps_text_as_data() -> None:
    hostile = entry("articles/x/", '</script><img src=x onerror="alert(1)">', "<b>bold</b> & {{ x }}")
    first = files([*ENTRIES, hostile])
    assert files([*ENTRIES, hostile]) == first
    page = json.loads(first["search-data/p/articles/x.json"])
    assert page["title"] == '</script><img src=x onerror="alert(1)">'  # a string for textContent
    assert page["text"] == "<b>bold</b> & {{ x }}"


def test_editing_one_article_rewrites_only_its_page_and_the_shards_of_its_changed_words() -> None:
    before = files(sorted(ENTRIES, key=Entry.order))
    edited = [e for e in ENTRIES if e.url != "articles/a/"]
    edited.append(
        entry("articles/a/", "Flooding in Jakarta", "Residents of Jakarta fled the water.", date="2020-01-02")
    )
    after = files(sorted(edited, key=Entry.order))
    changed = sorted(rel for rel in before.keys() | after.keys() if before.get(rel) != after.get(rel))
    assert changed == [
        "search-data/p/articles/a.json",  # its text
        "search-data/t/fl.json",  # lost "floods": "flood" weighs less
        "search-data/t/wa.json",  # gained "water"
    ]


# -- in the pipeline ----------------------------------------------------------------------------------
def committed_index() -> dict[str, str]:
    folder = ROOT / "content"
    return {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
        for p in (folder / search_index.FOLDER).rglob("*.json")
    }


def test_the_committed_index_finds_the_seed_article_its_people_and_quotes() -> None:
    index = committed_index()
    urls = json.loads(index["search-data/d/0.json"])
    article = urls.index("articles/taliban-israel/")
    assert article in postings(shard_of(index, "mujahid")["mujahid"])
    assert urls.index("people/zabihullah-mujahid/") in postings(shard_of(index, "mujahid")["mujahid"])
    _, mask = postings(shard_of(index, "dialogu")["dialogu"])[article]
    page = json.loads(index["search-data/p/articles/taliban-israel.json"])
    (said,) = [q for i, q in enumerate(page["quotes"]) if mask >> i & 1]
    assert "dialogue with Mars" in page["text"][said[0] : said[1]] and said[3] == "Muhammad Naeem"


def test_a_warm_build_takes_the_index_from_the_cache(tmp_path: Path, monkeypatch: Any) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(FIXTURES / "voa-burns-iran.txt", seeds)
    content = tmp_path / "content"
    pipeline.build(seeds, content)
    real = search_index.Shards.made

    def refuse(*args: object) -> search_index.Shards:
        raise AssertionError("the index was rebuilt with nothing changed")

    monkeypatch.setattr(search_index.Shards, "made", refuse)
    monkeypatch.setattr(search_index.Shards, "updated", refuse)
    assert pipeline.build(seeds, content).changes.written == ()
    (seeds / "voa-burns-iran.yml").write_text("title: Burns returns from Tehran\n", encoding="utf-8")
    monkeypatch.setattr(search_index.Shards, "made", real)
    report = pipeline.build(seeds, content)
    assert "search-data/p/articles/voa-burns-iran.json" in report.changes.written
    page = json.loads((content / "search-data/p/articles/voa-burns-iran.json").read_text("utf-8"))
    assert page["title"] == "Burns returns from Tehran"


def test_a_change_to_the_search_code_rebuilds_the_index(tmp_path: Path, monkeypatch: Any) -> None:
    """The cache's key holds the search package's own source (search.fingerprint()), not only
    search_index.py: an edit of words.py must not be answered from the cache."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(FIXTURES / "voa-burns-iran.txt", seeds)
    pipeline.build(seeds, tmp_path / "content")
    calls: list[int] = []
    real = search_index.Shards.made

    def counted(*args: Any) -> search_index.Shards:
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(search_index.Shards, "made", counted)
    pipeline.build(seeds, tmp_path / "content")
    assert calls == []
    monkeypatch.setattr(search_index, "fingerprint", lambda: "another version of the code")
    pipeline.build(seeds, tmp_path / "content")
    assert calls == [1]


def test_each_page_s_terms_are_cached_and_only_a_changed_page_is_read_again(
    tmp_path: Path, monkeypatch: Any
) -> None:
    from build_tools.search import analysis

    cache = analysis.AnalysisCache(tmp_path, "code 1")
    first = files(ENTRIES, cache)
    read: list[str] = []
    real = analysis.analyse

    def counted(e: Entry) -> analysis.Analysis:
        read.append(e.url)
        return real(e)

    monkeypatch.setattr(analysis, "analyse", counted)
    assert files(ENTRIES, cache) == first and read == []
    water = entry("articles/a/", "Flooding in Jakarta", "The water rose.", date="2020-01-02")
    edited = [water if e.url == "articles/a/" else e for e in ENTRIES]
    with_cache = files(edited, cache)
    assert read == ["articles/a/"]  # the changed page only
    assert with_cache == files(edited)  # the same files as without a cache
    read.clear()
    files(ENTRIES, analysis.AnalysisCache(tmp_path, "code 2"))  # other code: every page again
    assert sorted(read) == sorted(e.url for e in ENTRIES)
    (tmp_path / analysis.FILE).write_bytes(b"not a pickle")
    assert files(ENTRIES, analysis.AnalysisCache(tmp_path, "code 2")) == first  # a damaged file is a miss


def test_shards_updated_after_edits_are_the_shards_made_from_scratch(monkeypatch: Any) -> None:
    """A preview updates the last build's shards (search.index.Shards.updated) instead of making
    them from every page's terms: after each random sequence of edits (words added, removed,
    a page emptied, a page taking another's words), every file is the one made from scratch.
    Small shards, so that groups split and merge as terms come and go."""
    monkeypatch.setattr(index_module, "MAX_SHARD", 600)
    rng = random.Random(5)
    texts = [p.read_text(encoding="utf-8")[:1500] for p in sorted(FIXTURES.glob("*.txt"))[:12]]
    found = [entry(f"articles/a{n}/", f"Article {n}", text) for n, text in enumerate(texts)]
    analyses = [search_index.analyse(e) for e in found]
    shards = index_module.Shards.made(found, analyses)
    for _ in range(25):
        for n in rng.sample(range(len(found)), rng.randrange(1, 4)):
            words = found[n].text.split()
            edit = rng.choice(["add", "drop", "empty", "copy"])
            if edit == "add":
                words.insert(
                    rng.randrange(len(words) + 1), rng.choice(["Zyx", "quuxly", "Aardvark", "xenon"])
                )
            elif edit == "drop" and words:
                del words[rng.randrange(len(words))]
            elif edit == "empty":
                words = ["the"]
            else:
                words = rng.choice(found).text.split()
            found[n] = entry(found[n].url, found[n].title, " ".join(words))
            analyses[n] = search_index.analyse(found[n])
        shards = shards.updated(found, analyses)
        assert shards.files(found) == search_index.listing(found, analyses)
