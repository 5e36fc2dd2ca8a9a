"""Seeds as they arrive: encodings, line endings, sizes, file names and links (issue 5).

Each case gives either a correct Article or a SeedError that names the file (and the line
when there is one) and says what to do.
"""

from __future__ import annotations

import codecs
import time
from pathlib import Path

import pytest

from build_tools import ingest, pipeline
from build_tools.editorial import load_sidecar
from build_tools.errors import MarginaliaError, SeedError, SidecarError

TEXT = "“We will stay,” the minister said in Kabul.\n\nIt was a café in Zürich — “Ça va,” he said.\n"
PARAGRAPHS = ["“We will stay,” the minister said in Kabul.", "It was a café in Zürich — “Ça va,” he said."]


def read(tmp_path: Path, raw: bytes, name: str = "story.txt") -> tuple[ingest.Article, tuple[str, ...]]:
    path = tmp_path / name
    path.write_bytes(raw)
    return ingest.read_seed(path)


def texts(article: ingest.Article) -> list[str]:
    return [p.text for p in article.paragraphs]


def refused(tmp_path: Path, raw: bytes, name: str = "story.txt") -> SeedError:
    with pytest.raises(SeedError) as caught:
        read(tmp_path, raw, name)
    assert caught.value.path == str(tmp_path / name)  # every error names the file
    assert caught.value.fix
    return caught.value


# -- encodings ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "raw",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
    ],
    ids=["utf-8", "utf-8 with BOM", "utf-16-le with BOM", "utf-16-be with BOM"],
)
def test_unicode_encodings_decode_to_the_same_text_without_warnings(tmp_path: Path, raw: bytes) -> None:
    article, warnings = read(tmp_path, raw)
    assert texts(article) == PARAGRAPHS
    assert warnings == ()
    assert not article.text.startswith("\ufeff")


def test_windows_1252_is_decoded_with_a_warning_naming_the_file(tmp_path: Path) -> None:
    article, warnings = read(tmp_path, TEXT.encode("cp1252"))
    assert texts(article) == PARAGRAPHS
    assert len(warnings) == 1
    assert str(tmp_path / "story.txt") in warnings[0] and "Windows-1252" in warnings[0]


@pytest.mark.parametrize(
    "raw, expected",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "NUL"),
        (b"Good text\n\nthen a NUL\x00 byte", "NUL"),
        (TEXT.encode("utf-16-le"), "UTF-16"),  # UTF-16 without its byte order mark
        (b"caf\xe9 and \x81 undefined in Windows-1252", "cannot decode"),
        (b"text with an escape \x1b[31m colour", "control character"),
        (b"Markdown's own marker \x02wzxhzdk:0\x03", "U+0002"),
        ("double-decoded \u0093quote\u0094".encode(), "C1 control"),
        ("a noncharacter \uffff here".encode(), "noncharacter"),
    ],
    ids=["png", "nul", "utf-16 without BOM", "undecodable", "escape", "stx", "c1", "noncharacter"],
)
def test_binary_and_control_characters_are_refused(tmp_path: Path, raw: bytes, expected: str) -> None:
    error = refused(tmp_path, raw)
    assert expected in str(error)
    assert "UTF-8" in error.fix


def test_a_refused_character_is_reported_with_its_line(tmp_path: Path) -> None:
    assert refused(tmp_path, b"one\r\ntwo\r\nthree \x00").line == 3
    assert refused(tmp_path, b"one\rtwo\x07").line == 2


@pytest.mark.parametrize("raw", [b"", b"   ", b"\n\n\r\n\t \n", "\u00a0\u3000\n".encode(), codecs.BOM_UTF8])
def test_an_empty_or_blank_file_is_refused(tmp_path: Path, raw: bytes) -> None:
    assert "empty" in str(refused(tmp_path, raw))


# -- line endings --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "One.\n\nTwo\nwrapped.\n",
        "One.\r\n\r\nTwo\r\nwrapped.\r\n",
        "One.\r\rTwo\rwrapped.\r",
        "One.\n\r\nTwo\rwrapped.",  # mixed, and no final newline
        "One.\u2029Two\u2028wrapped.",  # Unicode paragraph and line separators
        "One.\n\n\n\n  \nTwo\x85wrapped.",
    ],
    ids=["lf", "crlf", "cr", "mixed without final newline", "u2028-u2029", "nel"],
)
def test_line_endings_give_the_same_paragraphs(tmp_path: Path, text: str) -> None:
    article, _ = read(tmp_path, text.encode("utf-8"))
    assert texts(article) == ["One.", "Two wrapped."]
    assert "\r" not in article.text and "\u2028" not in article.text and "\x85" not in article.text


def test_paragraph_spans_index_the_article_text(tmp_path: Path) -> None:
    article, _ = read(tmp_path, ("Reuters/ First.\r\n\r\n  Second  \t line.\r\n\r\nThird\u00a0one.").encode())
    assert article.source == "Reuters"
    for p in article.paragraphs:
        assert article.text[p.span.start : p.span.end] == p.text
    assert texts(article) == ["First.", "Second line.", "Third one."]


def test_unicode_is_normalised_to_nfc_without_changing_the_words(tmp_path: Path) -> None:
    article, _ = read(tmp_path, "Cafe\u0301 and Zu\u0308rich, 👩🏽‍💻 and עברית.".encode())
    assert article.text == "Café and Zürich, 👩🏽‍💻 and עברית."


# -- sizes ---------------------------------------------------------------------------------------
def test_one_line_of_fifty_thousand_characters_is_one_paragraph(tmp_path: Path) -> None:
    line = ("The minister spoke at length about the budget. " * 1100)[:50_000]
    article, _ = read(tmp_path, line.encode())
    assert len(article.paragraphs) == 1
    assert len(article.text) == len(line.strip())


def test_a_five_megabyte_article_is_refused_quickly_with_the_limit(tmp_path: Path) -> None:
    raw = ("A long paragraph of an archive dump. " * 40 + "\n\n").encode() * 3400
    assert len(raw) > 5_000_000
    started = time.monotonic()
    error = refused(tmp_path, raw, "dump.txt")
    assert time.monotonic() - started < 10
    assert f"{ingest.MAX_ARTICLE_CHARS:,}" in str(error)
    assert "split" in error.fix


def test_a_file_beyond_the_byte_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # sparse: costs no disk
        handle.truncate(ingest.MAX_SEED_BYTES + 1)
    with pytest.raises(SeedError, match="bytes"):
        ingest.read_seed(path)


# -- file names ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name, slug",
    [
        ("Taliban Israel (2).txt", "taliban-israel-2"),
        ("UPPER case.txt", "upper-case"),
        ("Café Société.txt", "cafe-societe"),
        ("Новости дня.txt", "новости-дня"),
        ("東京 ニュース.txt", "東京-ニュース"),
        ("  spaced   out  .txt", "spaced-out"),
    ],
)
def test_file_names_give_url_safe_slugs(tmp_path: Path, name: str, slug: str) -> None:
    article, _ = read(tmp_path, TEXT.encode(), name)
    assert article.slug == slug
    assert "/" not in slug and " " not in slug and slug == slug.lower()


def test_a_file_name_without_letters_is_refused(tmp_path: Path) -> None:
    assert "slug" in str(refused(tmp_path, TEXT.encode(), "!!! ---.txt"))


def test_two_seeds_with_the_same_slug_are_an_error_naming_both(tmp_path: Path) -> None:
    (tmp_path / "Kabul Market.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "kabul-market.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "other.txt").write_text(TEXT, encoding="utf-8")
    files, errors = pipeline.seed_files(tmp_path)
    assert [f.name for f in files] == ["Kabul Market.txt", "other.txt"]
    assert len(errors) == 1
    message = str(errors[0])
    assert "Kabul Market.txt" in message and "kabul-market.txt" in message and "kabul-market" in message


# -- links and unreadable files -------------------------------------------------------------------
@pytest.fixture()
def seeds(tmp_path: Path) -> Path:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "outside.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "outside.yml").write_text("title: Borrowed\n", encoding="utf-8")
    return tmp_path / "seeds"


def test_a_symlink_leading_outside_seeds_is_refused(seeds: Path) -> None:
    link = seeds / "borrowed.txt"
    link.symlink_to(seeds.parent / "outside.txt")
    files, errors = pipeline.seed_files(seeds)
    assert files == [] and len(errors) == 1 and "outside" in str(errors[0])
    with pytest.raises(SeedError, match="symbolic link"):  # and ingest refuses it on its own
        ingest.read_seed(link)


def test_a_symlink_inside_seeds_is_read(seeds: Path) -> None:
    (seeds / "real.txt").write_text(TEXT, encoding="utf-8")
    (seeds / "alias.txt").symlink_to(seeds / "real.txt")
    article, _ = ingest.read_seed(seeds / "alias.txt")
    assert article.slug == "alias" and texts(article) == PARAGRAPHS


def test_a_sidecar_linking_outside_seeds_is_refused(seeds: Path) -> None:
    (seeds / "story.txt").write_text(TEXT, encoding="utf-8")
    (seeds / "story.yml").symlink_to(seeds.parent / "outside.yml")
    with pytest.raises(SidecarError, match="symbolic link"):
        load_sidecar(seeds / "story.txt")


@pytest.mark.parametrize("kind", ["dangling link", "link loop", "folder"])
def test_an_unreadable_seed_is_an_error_not_a_traceback(seeds: Path, kind: str) -> None:
    path = seeds / "bad.txt"
    if kind == "dangling link":
        path.symlink_to(seeds / "missing.txt")
    elif kind == "link loop":
        path.symlink_to(seeds / "loop.txt")
        (seeds / "loop.txt").symlink_to(path)
    else:
        path.mkdir()
    with pytest.raises(MarginaliaError) as caught:
        ingest.read_seed(path)
    assert caught.value.path == str(path)


def test_seed_files_reports_a_link_loop_instead_of_crashing(seeds: Path) -> None:
    (seeds / "a.txt").symlink_to(seeds / "b.txt")
    (seeds / "b.txt").symlink_to(seeds / "a.txt")
    files, errors = pipeline.seed_files(seeds)
    assert files == [] and len(errors) == 2
