"""seeds/<slug>.txt -> Article: decoding, normalisation, paragraphs with offsets, slug, source.

The text is kept as received: normalisation changes encodings, line endings, Unicode forms
and runs of spaces, never a word. A lede that starts in lower case stays in lower case.
"""

from __future__ import annotations

import codecs
import hashlib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from build_tools import patterns
from build_tools.errors import SeedError
from build_tools.model import Article, Corrections, Paragraph, Span
from build_tools.textutil import slugify

MAX_SEED_BYTES = 20_000_000  # far beyond any article; refuses a mistaken data dump
PARAGRAPH_SEPARATOR = "\n\n"


@dataclass(frozen=True)
class Decoded:
    text: str
    warnings: tuple[str, ...]


def slug_for(path: Path) -> str:
    """The URL-safe name of a seed: 'Taliban Israel (2).txt' -> 'taliban-israel-2'."""
    slug = slugify(path.stem)
    if not slug:
        raise SeedError(str(path), "the file name gives an empty slug", "rename it with letters")
    return slug


def decode(raw: bytes, path: str) -> Decoded:
    """Bytes -> str. UTF-8 (BOM tolerated), UTF-16 with BOM, else Windows-1252 with a warning."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Decoded(_strict(raw, "utf-16", path), ())
    if b"\x00" in raw:
        raise SeedError(
            path,
            "the file contains NUL bytes, so it is binary or UTF-16 without BOM",
            "save it as UTF-8 text",
        )
    try:
        return Decoded(raw.decode("utf-8-sig"), ())
    except UnicodeDecodeError:
        pass
    text = _strict(raw, "cp1252", path)
    return Decoded(text, (f"{path}: not UTF-8; decoded as Windows-1252 (save it as UTF-8)",))


def _strict(raw: bytes, encoding: str, path: str) -> str:
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as error:
        raise SeedError(
            path, f"cannot decode as {encoding} (byte {error.start})", "save the article as UTF-8 text"
        ) from error
    if text.startswith("\ufeff"):
        text = text[1:]
    if patterns.CONTROL_CHARS.search(text):
        raise SeedError(
            path,
            "the file contains control characters, so it is not plain text",
            "save the article as UTF-8 text",
        )
    return text


def split_paragraphs(text: str) -> list[str]:
    """Blank-line separated blocks; a text without blank lines has one paragraph per line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    blocks = patterns.BLANK_LINE.split(text) if patterns.BLANK_LINE.search(text) else text.split("\n")
    paragraphs = []
    for block in blocks:
        # Lines inside a block are soft wraps: join them with one space.
        joined = " ".join(line.strip() for line in block.split("\n") if line.strip())
        joined = patterns.HORIZONTAL_SPACE.sub(" ", joined).strip()
        if joined:
            paragraphs.append(joined)
    return paragraphs


def strip_source(lede: str) -> tuple[str | None, str]:
    """Take a wire/publisher prefix off the lede: ('Shafaq News', "Afghanistan's Taliban …")."""
    match = patterns.WIRE_SLASH_PREFIX.match(lede)
    if match:
        return match["source"].strip(), lede[match.end() :]
    match = patterns.WIRE_PAREN_PREFIX.match(lede)
    if match:
        return match["source"].strip(), match["place"].strip() + " " + lede[match.end() :]
    return None, lede


def build_article(
    slug: str, path: str, raw: bytes, corrections: Corrections
) -> tuple[Article, tuple[str, ...]]:
    decoded = decode(raw, path)
    texts = split_paragraphs(decoded.text)
    if not texts:
        raise SeedError(path, "the article is empty", "put the article text in the file or delete it")
    source, texts[0] = strip_source(texts[0])
    paragraphs, offset = [], 0
    for index, text in enumerate(texts, start=1):
        paragraphs.append(Paragraph(index, text, Span(offset, offset + len(text))))
        offset += len(text) + len(PARAGRAPH_SEPARATOR)
    article = Article(
        slug=slug,
        path=path,
        text=PARAGRAPH_SEPARATOR.join(texts),
        paragraphs=tuple(paragraphs),
        sha256=hashlib.sha256(raw).hexdigest(),
        source=corrections.source or source,
        corrections=corrections,
    )
    return article, decoded.warnings


def read_seed(path: Path, corrections: Corrections = Corrections()) -> tuple[Article, tuple[str, ...]]:
    """Read one seed file into an Article, with any decoding warnings."""
    size = path.stat().st_size
    if size > MAX_SEED_BYTES:
        raise SeedError(str(path), f"the file is {size} bytes", "split it; an article is far smaller")
    return build_article(slug_for(path), str(path), path.read_bytes(), corrections)
