"""One parsed article as attribution reads it: where the quotes are and where sentences end.

Sentences are found on the text, not taken from the parser: spaCy's small model cuts inside
quotations and at `U.S.`. A sentence ends at `.`, `!` or `?` followed by a space, outside
every quote and not after an abbreviation; a quote whose text ends with a full stop ends its
sentence too (`"We won." Then …`), while `"Why?" she asked` goes on. Every boundary is
computed once per article and looked up by binary search, so long texts with thousands of
quotes stay linear.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from functools import cached_property

from spacy.tokens import Doc, Span, Token

from build_tools import patterns
from build_tools.extract.quotes import QuoteSpan
from build_tools.model import Article

SENTENCE_END = ".!?"
# A sentence is read at most this far on each side of a point: news sentences are far shorter,
# and text with no full stop (a crafted run of thousands of quotes) stays linear to read.
MAX_SENTENCE_CHARS = 600
CLOSING_MARKS = "\"”»’'″"


class Reading:
    def __init__(self, doc: Doc, article: Article, quotes: tuple[QuoteSpan, ...]) -> None:
        self.doc, self.article, self.quotes = doc, article, quotes
        self._starts = [q.span.start for q in quotes]
        self._ends = [q.span.end for q in quotes]

    # -- quotes -------------------------------------------------------------------
    def quote_at(self, offset: int) -> QuoteSpan | None:
        """The quote whose text holds offset (quotes never overlap and come in text order)."""
        i = bisect.bisect_right(self._starts, offset) - 1
        return self.quotes[i] if i >= 0 and offset < self._ends[i] else None

    def in_quote(self, offset: int) -> bool:
        return self.quote_at(offset) is not None

    def outside(self, token: Token) -> bool:
        """Outside every quote, marks included: a closing mark is not part of the sentence around it."""
        return not self.in_quote(token.idx) and token.text not in '"“”«»'

    def quotes_between(self, start: int, end: int) -> list[QuoteSpan]:
        i = bisect.bisect_left(self._ends, start + 1)
        j = bisect.bisect_left(self._starts, end)
        return list(self.quotes[i:j])

    def quote_tokens(self, quote: QuoteSpan) -> Span:
        span = self.doc.char_span(quote.span.start, quote.span.end, alignment_mode="expand")
        assert span is not None, "a quote span always covers whole characters of the text"
        return span

    # -- sentences ----------------------------------------------------------------
    @cached_property
    def _boundaries(self) -> list[int]:
        """Offsets where a sentence begins (after its end and the spaces that follow)."""
        text = self.article.text
        found = [p.span.start for p in self.article.paragraphs]
        for i, char in enumerate(text):
            if char in SENTENCE_END and self._ends_sentence(text, i):
                j = i + 1
                while j < len(text) and text[j] in CLOSING_MARKS:
                    j += 1
                while j < len(text) and text[j] == " ":
                    j += 1
                found.append(j)
        return sorted(set(found))

    def _ends_sentence(self, text: str, i: int) -> bool:
        quote = self.quote_at(i)
        after = text[i + 1 : i + 3]
        if quote is not None:
            # Inside a quote only its last full stop can end the sentence around it.
            return text[i] == "." and i + 1 == quote.span.end and _capital_follows(text, quote.span.end)
        if not after or after[0] not in " \n" + CLOSING_MARKS:
            return False
        if text[i] == "." and patterns.ABBREVIATION_BEFORE_DOT.search(text[max(0, i - 12) : i]):
            return False
        return _capital_follows(text, i + 1) or after[0] == "\n"

    def sentence_bounds(self, offset: int) -> tuple[int, int]:
        """(start, end) of the sentence holding offset, inside its paragraph."""
        paragraph = self.article.paragraph_at(offset)
        i = bisect.bisect_right(self._boundaries, offset) - 1
        start = max(self._boundaries[i] if i >= 0 else 0, paragraph.span.start, offset - MAX_SENTENCE_CHARS)
        end = self._boundaries[i + 1] if i + 1 < len(self._boundaries) else len(self.article.text)
        return start, min(end, paragraph.span.end, offset + MAX_SENTENCE_CHARS)

    def previous_sentence(self, offset: int) -> tuple[int, int] | None:
        start, _ = self.sentence_bounds(offset)
        return self.sentence_bounds(start - 2) if start >= 2 else None

    # -- tokens -------------------------------------------------------------------
    def tokens(self, start: int, end: int) -> list[Token]:
        """Tokens of the text between two offsets that lie outside every quote."""
        if start >= end:
            return []
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return []
        outside = self._outside
        return [self.doc[i] for i in range(span.start, span.end) if outside[i]]

    @cached_property
    def _outside(self) -> list[bool]:
        """For each token, whether it lies outside every quote (computed once: `tokens` is hot)."""
        return [self.outside(t) for t in self.doc]

    def token_at(self, offset: int) -> Token | None:
        span = self.doc.char_span(offset, offset + 1, alignment_mode="expand")
        return span[0] if span else None

    def sentences_back(self, offset: int, limit: int) -> Iterator[tuple[int, int]]:
        """The sentence holding offset (up to offset), then earlier ones, at most `limit`."""
        start, _ = self.sentence_bounds(offset)
        yield start, offset
        for _ in range(limit - 1):
            if start < 2:
                return
            start, end = self.sentence_bounds(start - 2)
            yield start, end


def _capital_follows(text: str, i: int) -> bool:
    """The next word starts with a capital, a digit or an opening mark: a new sentence."""
    while i < len(text) and text[i] in CLOSING_MARKS + " ":
        i += 1
    return i >= len(text) or text[i] == "\n" or text[i].isupper() or text[i].isdigit() or text[i] in '"“('
