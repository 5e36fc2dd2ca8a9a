"""The extraction cache and parallel extraction: a warm build does no NLP, one changed seed
re-extracts only itself, and the pool gives the same results, in the same order, as one process."""

from __future__ import annotations

import dataclasses
import importlib
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from build_tools import cache, ingest, nlp, pipeline, workers
from build_tools.extract import extract
from build_tools.model import Background, Extraction, Person, PersonId, Quote, Span

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "articles"
ARTICLES = ("voa-burns-iran", "wn-indonesia-asylum", "wn-greek-deities-court")


@pytest.fixture()
def seeds(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    folder.mkdir()
    for name in ARTICLES:
        shutil.copy(FIXTURES / f"{name}.txt", folder / f"{name}.txt")
    return folder


@pytest.fixture(scope="module")
def extraction(nlp: Any) -> Extraction:
    article, _ = ingest.read_seed(FIXTURES / "voa-burns-iran.txt")
    return extract(article, nlp)


def _no_model(*args: object, **kwargs: object) -> None:
    raise AssertionError("the model was loaded")


# -- the typed values as JSON -----------------------------------------------------------------------
def test_extraction_round_trips_through_json(extraction: Extraction) -> None:
    assert extraction.quotes and extraction.people and extraction.places
    text = json.dumps(cache.to_json(extraction), ensure_ascii=False)
    assert cache.from_json(json.loads(text)) == extraction


def test_every_kind_of_value_round_trips() -> None:
    x = Extraction(
        quotes=(
            Quote("a b c", Span(0, 5), 1, None, None, None, None, 0.3),
            Quote(
                "d e f", Span(7, 12), 2, "Al Jazeera", PersonId("al-jazeera"), "organization", "said", 0.95
            ),
        ),
        people=(
            Person(PersonId("x--slug"), "Afghan source", None, (), 3, named=False),
            Person(PersonId("jo-bo"), "Jo Bo", "mayor", ("Bo", "Mayor Bo"), 1),
        ),
        organizations=(),
        places=(),
        background=(Background("An editor's note.", None, None), Background("Extracted.", Span(1, 11), 2)),
        warnings=("seeds/x.txt: paragraph 2: stray mark",),
    )
    assert cache.from_json(json.loads(json.dumps(cache.to_json(x)))) == x


def test_the_key_follows_the_seed_and_model_but_not_the_folder(seeds: Path) -> None:
    article, _ = ingest.read_seed(seeds / "voa-burns-iran.txt")
    moved = dataclasses.replace(article, path="/elsewhere/seeds/voa-burns-iran.txt")
    assert cache.key(article, "m") == cache.key(moved, "m")
    assert cache.key(article, "m") != cache.key(article, "other_model")
    assert cache.key(article, "m") != cache.key(dataclasses.replace(article, sha256="1" * 64), "m")


def test_cached_warnings_name_the_seed_as_this_build_gives_it(tmp_path: Path, seeds: Path) -> None:
    article, _ = ingest.read_seed(seeds / "voa-burns-iran.txt")
    store = cache.ExtractionCache(tmp_path / "cache")
    x = Extraction((), (), (), (), (), warnings=(f"{article.path}: paragraph 2: stray mark",))
    store.put("k" * 64, article, cache.Entry(x, "v"))
    moved = dataclasses.replace(article, path="elsewhere/voa-burns-iran.txt")
    got = store.get("k" * 64, moved)
    assert got is not None and got.extraction.warnings == (
        "elsewhere/voa-burns-iran.txt: paragraph 2: stray mark",
    )


# -- builds -----------------------------------------------------------------------------------------
def test_a_warm_build_loads_no_model_and_writes_nothing(
    seeds: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    content = tmp_path / "content"
    cold = pipeline.build(seeds, content)
    assert (cold.extracted, cold.cached) == (3, 0)
    assert len(list((tmp_path / ".cache" / "marginalia" / "extractions").rglob("*.json"))) == 3
    monkeypatch.setattr(nlp, "load", _no_model)
    monkeypatch.setattr(workers.nlp, "load", _no_model)
    warm = pipeline.build(seeds, content)
    assert (warm.extracted, warm.cached) == (0, 3)
    assert warm.changes.written == ()
    assert [d.extraction for d in warm.documents] == [d.extraction for d in cold.documents]


def test_one_changed_seed_is_the_only_one_extracted(seeds: Path, tmp_path: Path) -> None:
    content = tmp_path / "content"
    pipeline.build(seeds, content)
    seed = seeds / "wn-greek-deities-court.txt"
    seed.write_text(
        seed.read_text(encoding="utf-8") + '\n\nJohn Doe, a lawyer, said "we will appeal".\n',
        encoding="utf-8",
    )
    report = pipeline.build(seeds, content)
    assert (report.extracted, report.cached) == (1, 2)
    assert "wn-greek-deities-court.md" in report.changes.written
    person = content / "people" / "john-doe.md"  # the cross-article pages follow
    assert person.is_file() and "we will appeal" in person.read_text(encoding="utf-8")


def test_a_damaged_entry_is_a_miss_not_a_failure(seeds: Path, tmp_path: Path) -> None:
    pipeline.build(seeds, tmp_path / "content")
    root = tmp_path / ".cache" / "marginalia"
    for seed in sorted((root / "seeds").glob("*.pickle"))[:2]:
        seed.write_bytes(b"\x80\x05not a pickle")  # read the seed again; its extraction is still cached
    report = pipeline.build(seeds, tmp_path / "content")
    assert (report.extracted, report.cached, report.failures) == (0, 3, ())
    shutil.rmtree(root / "seeds")
    shutil.rmtree(root / "state")  # the last build's snapshot would spare reading the seeds at all
    entry = sorted((root / "extractions").rglob("*.json"))[0]
    entry.write_text('{"format": 1, "key": "tru', encoding="utf-8")
    report = pipeline.build(seeds, tmp_path / "content")
    assert (report.extracted, report.cached, report.failures) == (1, 2, ())
    assert report.changes.written == ()


def test_without_the_cache_every_seed_is_extracted_and_nothing_is_stored(seeds: Path, tmp_path: Path) -> None:
    report = pipeline.build(seeds, tmp_path / "content", use_cache=False)
    assert report.extracted == 3
    assert not (tmp_path / ".cache").exists()


def test_editing_a_sidecar_needs_no_nlp(seeds: Path, tmp_path: Path, monkeypatch: Any) -> None:
    pipeline.build(seeds, tmp_path / "content")
    (seeds / "voa-burns-iran.yml").write_text("date: 2008-02-12\ntags: [Iran]\n", encoding="utf-8")
    monkeypatch.setattr(workers.nlp, "load", _no_model)
    report = pipeline.build(seeds, tmp_path / "content")
    assert report.extracted == 0
    assert (tmp_path / "content" / "tags" / "iran.md").is_file()


# -- the pool ---------------------------------------------------------------------------------------
def test_the_pool_matches_one_process_in_order(seeds: Path, monkeypatch: Any) -> None:
    articles = [ingest.read_seed(p)[0] for p in sorted(seeds.glob("*.txt"))]
    serial = workers.extract_all(articles, model_name=nlp.model_name(), workers=1)
    monkeypatch.setattr(workers, "MIN_PARALLEL", 2)
    seen: list[int] = []
    pooled = workers.extract_all(
        articles, model_name=nlp.model_name(), workers=2, progress=lambda n, total, name: seen.append(n)
    )
    assert workers.worker_count(3, workers=2) == 2
    assert pooled == serial
    assert seen == [1, 2, 3]


def test_few_misses_stay_in_this_process() -> None:
    assert workers.worker_count(workers.MIN_PARALLEL - 1, workers=8) == 0
    assert workers.worker_count(100, workers=1) == 0
    assert workers.worker_count(100, workers=2) == 2


def test_a_warm_build_does_not_even_import_spacy(seeds: Path, tmp_path: Path) -> None:
    pipeline.build(seeds, tmp_path / "content")
    probe = (
        "import sys, pathlib; from build_tools import pipeline; "
        f"r = pipeline.build(pathlib.Path({str(seeds)!r}), pathlib.Path({str(tmp_path / 'content')!r})); "
        "print(r.extracted, 'spacy' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert result.stdout.split() == ["0", "False"]


def test_the_cli_and_mkdocs_share_the_cache(seeds: Path, tmp_path: Path, monkeypatch: Any) -> None:
    seed = seeds / "voa-burns-iran.txt"
    seed.write_bytes(seed.read_bytes() + "\n\nCaf\u00e9 talks.\n".encode("cp1252"))  # not UTF-8: a warning
    absolute = pipeline.build(seeds.resolve(), (tmp_path / "content").resolve())  # as MkDocs gives it
    assert any(w.startswith(str(seed.resolve())) for w in absolute.warnings)
    monkeypatch.chdir(tmp_path)
    relative = pipeline.build(Path("seeds"), Path("content"))  # as the CLI gives it
    assert (relative.extracted, relative.changes.written) == (0, ())
    assert any(w.startswith("seeds/voa-burns-iran.txt") for w in relative.warnings)
    assert not any(str(tmp_path) in w for w in relative.warnings)


def test_a_build_cut_short_keeps_what_it_extracted(seeds: Path, tmp_path: Path, monkeypatch: Any) -> None:
    import build_tools.extract as extraction

    real = extraction.extract_parsed

    def crash_on_the_last(article: Any, doc: Any) -> Any:
        if article.slug == "wn-indonesia-asylum":
            raise KeyboardInterrupt
        return real(article, doc)

    monkeypatch.setattr(extraction, "extract_parsed", crash_on_the_last)
    with pytest.raises(KeyboardInterrupt):
        pipeline.build(seeds, tmp_path / "content")
    monkeypatch.setattr(extraction, "extract_parsed", real)
    report = pipeline.build(seeds, tmp_path / "content")
    assert (report.extracted, report.cached) == (1, 2)


def _tokens(doc: Any) -> list[tuple[object, ...]]:
    return [(t.idx, t.text, t.tag_, t.dep_, t.head.i, t.lemma_, t.ent_iob_, t.ent_type_) for t in doc]


def test_paragraphs_remembered_parse_as_they_did_the_first_time(nlp: Any, tmp_path: Path) -> None:
    """A preview's rebuild parses only the paragraphs it has not seen (extract/parse.py): after one
    paragraph of an article is changed, its Doc is token for token the one a fresh parse makes."""
    parse = importlib.import_module("build_tools.extract.parse")  # the package's `parse` is a function
    seed = tmp_path / "story.txt"
    text = (FIXTURES / "voa-burns-iran.txt").read_text(encoding="utf-8")
    seed.write_text(text, encoding="utf-8")
    first, _ = ingest.read_seed(seed)
    list(parse.parse_many(nlp, [first]))
    paragraphs = text.strip("\n").split("\n\n")
    paragraphs[2] = paragraphs[2].replace(" the ", " that ", 1)
    seed.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    edited, _ = ingest.read_seed(seed)
    [(_, remembered)] = parse.parse_many(nlp, [edited])
    assert len(parse._memo(nlp)) >= len(paragraphs)
    parse._PARSED.clear()
    [(_, fresh)] = parse.parse_many(nlp, [edited])
    assert _tokens(remembered) == _tokens(fresh)
    assert [(e.start_char, e.end_char, e.label_) for e in remembered.ents] == [
        (e.start_char, e.end_char, e.label_) for e in fresh.ents
    ]
