"""Find quoted stretches in an article: pairing of quotation marks, across paragraphs.

Marks are judged by their neighbours, not only their shape, because wire copy mixes
straight and curly marks and sometimes closes with an opening “. Single marks (‘ ’ ')
are apostrophes or nested quotes and never open a top-level quote, so `peoples’` and
`’90s` cannot derail the pairing. An unbalanced mark costs only its own quote, with a
warning; the rest of the article is still read.
"""

from __future__ import annotations

from dataclasses import dataclass

from build_tools import patterns
from build_tools.model import Article, Paragraph, Span

OPENERS = "“„«"
CLOSERS = "”»"
NEUTRAL = '"″'  # a double prime stands in for a straight mark in some copy: `He continued: ″What …`
MARKS = OPENERS + CLOSERS + NEUTRAL
OPEN_BEFORE = " \t([{—–-/:"  # characters after which a mark opens
CLOSE_AFTER = " \t.,;:!?)]}—–-…"  # characters before which a mark closes


@dataclass(frozen=True)
class QuoteSpan:
    """A quoted stretch of one paragraph."""

    span: Span
    paragraph: int
    continued: bool  # continues a quote from the previous paragraph
    leads: bool  # opens its sentence: a quote that can stand without a cue of its own


@dataclass(frozen=True)
class Found:
    spans: tuple[QuoteSpan, ...]
    warnings: tuple[str, ...]


def _can_open(text: str, i: int) -> bool:
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before in OPEN_BEFORE or before in MARKS or before in "‘'") and not after.isspace()


def _can_close(text: str, i: int) -> bool:
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and (after in CLOSE_AFTER or after in MARKS or after in "’'")


def _role(text: str, i: int, inside: bool) -> str:
    """'open', 'close' or 'stray' for the mark at i, given whether a quote is open."""
    mark = text[i]
    opens, closes = _can_open(text, i), _can_close(text, i)
    if inside:
        if closes or (mark in CLOSERS and not opens):
            return "close"
        return "open" if opens else "stray"
    if opens or (mark in OPENERS and not closes):
        return "open"
    return "stray"


def _trim(paragraph: Paragraph, start: int, end: int) -> Span | None:
    """Span of paragraph.text[start:end] without surrounding spaces, in article offsets."""
    text = paragraph.text
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        return None
    return Span(paragraph.span.start + start, paragraph.span.start + end)


def _starts_with_open(paragraph: Paragraph) -> bool:
    text = paragraph.text
    return bool(text) and text[0] in MARKS and _can_open(text, 0)


def find_quotes(article: Article) -> Found:
    spans: list[QuoteSpan] = []
    warnings: list[str] = []
    carried = False  # a quote from the previous paragraph is still open
    paragraphs = article.paragraphs
    for n, paragraph in enumerate(paragraphs):
        text = paragraph.text
        start: int | None = None
        continued = False
        if carried and not _starts_with_open(paragraph):
            start, continued = 0, True  # continuation without an opening mark (rule 4)
        for i, mark in enumerate(text):
            if mark not in MARKS:
                continue
            role = _role(text, i, inside=start is not None)
            if role == "close" and start is not None:
                span = _trim(paragraph, start, i)
                if span:
                    spans.append(QuoteSpan(span, paragraph.index, continued, _leads(text, start)))
                start, continued = None, False
            elif role == "open":
                if start is not None:
                    warnings.append(_unbalanced(article, paragraph, start))
                start = i + 1
                continued = continued or (carried and i == 0)
            else:
                warnings.append(_stray(article, paragraph, i))
        carried = False
        if start is not None:
            following = paragraphs[n + 1] if n + 1 < len(paragraphs) else None
            if following is not None and _continues(following) and not _forgot_close(text[start:]):
                span = _trim(paragraph, start, len(text))
                if span:
                    spans.append(QuoteSpan(span, paragraph.index, continued, _leads(text, start)))
                carried = True
            else:
                warnings.append(_unbalanced(article, paragraph, start))
    return Found(tuple(spans), tuple(warnings))


def _leads(text: str, start: int) -> bool:
    """The quote opens its sentence: only a mark, or a sentence end or colon, comes before it."""
    before = text[: max(0, start - 1)].rstrip()
    return not before or before[-1] in ".!?:" + MARKS


def _forgot_close(quoted: str) -> bool:
    """An attribution inside an open quote means the closing mark was forgotten before it."""
    return bool(patterns.ATTRIBUTION_INSIDE.search(quoted))


def _continues(paragraph: Paragraph) -> bool:
    """A quote left open at a paragraph's end continues if the next one reopens or closes it."""
    if _starts_with_open(paragraph):
        return True
    text = paragraph.text
    first = next((i for i, c in enumerate(text) if c in MARKS), None)
    return first is not None and _can_close(text, first) and not _can_open(text, first)


def _unbalanced(article: Article, paragraph: Paragraph, start: int) -> str:
    excerpt = paragraph.text[start : start + 40]
    return (
        f"{article.path}: paragraph {paragraph.index}: quotation mark opened before "
        f"“{excerpt}…” is never closed; that quote is left out (add the closing mark)"
    )


def _stray(article: Article, paragraph: Paragraph, i: int) -> str:
    excerpt = paragraph.text[max(0, i - 20) : i + 20]
    return f"{article.path}: paragraph {paragraph.index}: stray quotation mark in “{excerpt}”; ignored"
