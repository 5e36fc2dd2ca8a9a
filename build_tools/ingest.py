"""seeds/<slug>.txt -> Article: decoding, normalisation, paragraphs with offsets, slug, source.

The text is kept as received: normalisation changes encodings, line endings, Unicode forms
and runs of spaces, never a word. A lede that starts in lower case stays in lower case.

What is refused, each with a SeedError naming the file (and the line): bytes no encoding
explains, NUL and other control characters (binary files, escape codes, Markdown's own
STX/ETX markers), an empty file, a file over MAX_SEED_BYTES or an article over
MAX_ARTICLE_CHARS; build_tools.reader refuses what is not a regular file in seeds/. docs/safety.md
lists every case.
"""

from __future__ import annotations

import codecs
import hashlib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from build_tools import dateline, patterns, reader
from build_tools.errors import SeedError
from build_tools.model import Article, Corrections, Paragraph, Span
from build_tools.textutil import slugify

MAX_SEED_BYTES = 20_000_000  # far beyond any article; refuses a mistaken data dump before reading it
# The longest feature articles run to ~30,000 words (~200,000 characters). Above a million
# characters (spaCy's default max_length) a seed is a data dump or several articles pasted
# together, and parsing it would take minutes: refuse it with the size and the fix.
MAX_ARTICLE_CHARS = 1_000_000
PARAGRAPH_SEPARATOR = "\n\n"
NO_CORRECTIONS = Corrections()


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
        return Decoded(_checked(_strict(raw, "utf-16", path), path), ())
    if b"\x00" in raw:
        raise SeedError(
            path,
            "the file contains NUL bytes, so it is binary or UTF-16 without a byte order mark",
            "save the article as UTF-8 text",
            line=_line_of(raw.decode("latin-1"), raw.index(b"\x00")),
        )
    try:
        return Decoded(_checked(raw.decode("utf-8-sig"), path), ())
    except UnicodeDecodeError:
        pass
    text = _checked(_strict(raw, "cp1252", path), path)
    return Decoded(text, (f"{path}: not UTF-8; decoded as Windows-1252 (save it as UTF-8)",))


def _strict(raw: bytes, encoding: str, path: str) -> str:
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as error:
        raise SeedError(
            path,
            f"cannot decode as {encoding} (byte {error.start}), so it is binary or in an unknown encoding",
            "save the article as UTF-8 text",
        ) from error
    return text[1:] if text.startswith("\ufeff") else text


def _checked(text: str, path: str) -> str:
    """Refuse control characters: never part of an article, and STX/ETX are Markdown's own markers."""
    for pattern, why in (
        (patterns.CONTROL_CHARS, "a control character"),
        (patterns.C1_CONTROL_CHARS, "a C1 control character, a sign of text decoded with the wrong encoding"),
        (patterns.NONCHARACTERS, "a Unicode noncharacter"),
    ):
        found = pattern.search(text)
        if found:
            raise SeedError(
                path,
                f"the file contains {why} (U+{ord(found[0]):04X}), so it is not plain text",
                "save the article as UTF-8 text, or delete the character",
                line=_line_of(text, found.start()),
            )
    return text


def _line_of(text: str, offset: int) -> int:
    """1-based line of an offset, counting CRLF, CR and LF line ends as an editor's program does."""
    return len(text[:offset].replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def split_paragraphs(text: str) -> list[str]:
    """Blank-line separated blocks; a text without blank lines has one paragraph per line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = patterns.PARAGRAPH_SEPARATOR_CHAR.sub("\n\n", patterns.LINE_SEPARATOR.sub("\n", text))
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
    text = PARAGRAPH_SEPARATOR.join(texts)
    if len(text) > MAX_ARTICLE_CHARS:
        raise SeedError(
            path,
            f"the article has {len(text):,} characters, more than the limit of {MAX_ARTICLE_CHARS:,}",
            "split it into separate articles (one seed each); a news article is far shorter",
        )
    paragraphs, offset = [], 0
    for index, paragraph in enumerate(texts, start=1):
        paragraphs.append(Paragraph(index, paragraph, Span(offset, offset + len(paragraph))))
        offset += len(paragraph) + len(PARAGRAPH_SEPARATOR)
    article = Article(
        slug=slug,
        path=path,
        text=text,
        paragraphs=tuple(paragraphs),
        sha256=hashlib.sha256(raw).hexdigest(),
        source=corrections.source or source,
        corrections=corrections,
        dateline=dateline.parse(texts[0]),
    )
    return article, decoded.warnings


def read_raw(path: Path) -> bytes:
    """A seed's bytes through the guarded reader: a regular file in its folder, at most MAX_SEED_BYTES."""
    return reader.read_bytes(path, limit=MAX_SEED_BYTES, error=SeedError, inside=path.parent)


def read_seed(path: Path, corrections: Corrections = NO_CORRECTIONS) -> tuple[Article, tuple[str, ...]]:
    """Read one seed file into an Article, with any decoding warnings."""
    return build_article(slug_for(path), str(path), read_raw(path), corrections)
