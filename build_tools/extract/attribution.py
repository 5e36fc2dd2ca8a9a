"""Who said each quote, and how sure we are.

In order, the first that gives a speaker wins:
1. a quote that continues one from the previous paragraph keeps its speaker;
2. a cue in the quote's own sentence: the one that governs it in the parse, else the nearest;
3. a colon that introduces the quote, in its sentence or at the end of the paragraph before;
4. a cue in an earlier sentence of the same paragraph (`Smith said … . "…"`);
5. the speaker of the quote before, when this one opens its sentence (a follow-on quote).
Each way has a confidence (CONFIDENCE); an attribution below the review threshold
(model.py) is flagged for an editor.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from build_tools.extract.cues import Cue, CueFinder
from build_tools.extract.quotes import QuoteSpan
from build_tools.extract.reading import Reading
from build_tools.extract.resolve import Resolver, Speaker, names_in

# Confidence of each way of finding a speaker; below REVIEW_THRESHOLD (model.py) is flagged.
CONFIDENCE = {
    "named": 0.95,
    "organization": 0.9,
    "continued": 0.9,
    "unnamed": 0.85,
    "pronoun": 0.8,
    "plural pronoun": 0.55,  # `they` for an organisation: the agreement is loose
    "description": 0.75,
    "colon": 0.8,
    "earlier sentence": 0.7,
    "follow-on": 0.65,
    "earlier paragraph": 0.55,
    "previous quote": 0.5,
}
# Bounds that keep attribution linear in the text: cues tried per quote, and how far back in its
# paragraph (or the paragraph before) a quote looks for an earlier sentence's cue.
MAX_CUES = 8
MAX_LOOKBACK_CHARS = 2_000
# How a cue was found lowers the confidence of the resolution it leads to.
CUE_FACTOR = {
    "governs": 1.0,
    "adjacent": 0.97,
    "according to": 1.0,
    "noun": 0.95,
    "content": 0.65,  # the quote is what someone's grounds or arguments say: an inference
    "colon": 1.0,
    "roundup": 0.7,  # a colon after a name with no verb: `Jane Roe, The Daily Courier: "…"`
}


@dataclass(frozen=True)
class Attribution:
    span: QuoteSpan
    speaker: Speaker | None
    cue: str | None
    confidence: float
    own_sentence: bool  # the cue is in the quote's own sentence
    governed: bool = False  # the cue governs the quote in the parse (partial quotes need this)


class Attributor:
    def __init__(self, reading: Reading, resolver: Resolver, cues: CueFinder) -> None:
        self.reading, self.resolver, self.cues = reading, resolver, cues

    def attribute(self) -> list[Attribution]:
        results: list[Attribution] = []
        for quote in self.reading.quotes:
            results.append(self._attribute(quote, results[-1] if results else None))
        return results

    def _attribute(self, quote: QuoteSpan, previous: Attribution | None) -> Attribution:
        if quote.continued and previous is not None and previous.speaker is not None:
            return Attribution(quote, previous.speaker, previous.cue, CONFIDENCE["continued"], True)
        text = self.reading.article.text[quote.span.start : quote.span.end]
        named = names_in(text)
        governing = self.cues.governing(quote, partial=not quote.leads)
        # Lazily: the nearest cue that names a speaker ends the search.
        nearby = (c for c in self.cues.nearby(quote) if governing is None or c.token != governing.token)
        tried = itertools.chain([governing] if governing is not None else [], nearby)
        for cue in itertools.islice(tried, MAX_CUES):
            found = self._speaker(cue, named)
            if found is not None:
                speaker, how = found
                confidence = CONFIDENCE[how] * CUE_FACTOR[cue.how]
                # Governed even when its verb's subject is elided (`… and told the police, "…"`).
                return Attribution(
                    quote, speaker, self._cue_text(cue), confidence, True, governing is not None
                )
        return self._from_context(quote, previous, named)

    def _speaker(self, cue: Cue, named: frozenset[str]) -> tuple[Speaker, str] | None:
        for subject in cue.subjects:
            speaker, how = self.resolver.resolve(subject, named)
            if speaker is not None:
                return speaker, how
        return None

    def _from_context(
        self, quote: QuoteSpan, previous: Attribution | None, named: frozenset[str]
    ) -> Attribution:
        article = self.reading.article
        paragraph = article.paragraphs[quote.paragraph - 1]
        start, _ = self.reading.sentence_bounds(quote.span.start)
        colon = self._colon(quote, start)
        if colon is not None and (found := self._speaker(colon, named)) is not None:
            confidence = CONFIDENCE["colon"] * CUE_FACTOR[colon.how]
            return Attribution(quote, found[0], self._cue_text(colon), confidence, False, True)
        earlier = max(paragraph.span.start, start - MAX_LOOKBACK_CHARS)
        for cue in itertools.islice(self.cues.in_range(earlier, start), MAX_CUES):
            found = self._speaker(cue, named)
            if found is not None:
                return Attribution(
                    quote, found[0], self._cue_text(cue), CONFIDENCE["earlier sentence"], False
                )
        if (
            previous is not None
            and previous.speaker is not None
            and previous.span.paragraph >= quote.paragraph - 1
        ):
            how = "follow-on" if quote.leads else "previous quote"
            return Attribution(quote, previous.speaker, None, CONFIDENCE[how], False)
        prior = self._previous_paragraph_cue(quote, named)
        if prior is not None:
            return prior
        if previous is not None and previous.speaker is not None:
            return Attribution(quote, previous.speaker, None, CONFIDENCE["previous quote"], False)
        return Attribution(quote, None, None, 0.0, False)

    def _previous_paragraph_cue(self, quote: QuoteSpan, named: frozenset[str]) -> Attribution | None:
        """A quote paragraph with no cue of its own, after a paragraph that reports someone's words
        (`Paris claims …`): the last speaker of that paragraph."""
        paragraphs = self.reading.article.paragraphs
        if not quote.leads or quote.paragraph < 2:
            return None
        prior = paragraphs[quote.paragraph - 2]
        last, _ = self.reading.sentence_bounds(prior.span.end - 1)
        if next(self.cues.in_range(last, prior.span.end), None) is None:
            # `Coyle let his opinion known.` ending the paragraph: its subject introduces the quote.
            introducer = self.cues.colon(last, prior.span.end - 1)
            found = self._speaker(introducer, named) if introducer is not None else None
            if found is not None and found[0].kind == "person":
                return Attribution(quote, found[0], None, CONFIDENCE["earlier paragraph"], False)
        earlier = max(prior.span.start, prior.span.end - MAX_LOOKBACK_CHARS)
        for cue in itertools.islice(self.cues.in_range(earlier, prior.span.end), MAX_CUES):
            found = self._speaker(cue, named)
            if found is not None:
                return Attribution(
                    quote, found[0], self._cue_text(cue), CONFIDENCE["earlier paragraph"], False
                )
        return None

    def _colon(self, quote: QuoteSpan, start: int) -> Cue | None:
        """The colon right before the quote, or ending the paragraph before a quote paragraph."""
        text = self.reading.article.text
        before = text[start : quote.span.start].rstrip(" \"“”'‘")
        if before.endswith(":"):
            return self.cues.colon(start, start + len(before) - 1)
        paragraphs = self.reading.article.paragraphs
        if quote.paragraph > 1 and start == paragraphs[quote.paragraph - 1].span.start:
            prior = paragraphs[quote.paragraph - 2]
            ending = prior.text.rstrip()
            s, _ = self.reading.sentence_bounds(prior.span.end - 1)
            if ending.endswith(":"):
                return self.cues.colon(s, prior.span.end - 1)
            if ending.endswith(","):  # `Rathbun stated,` closing the paragraph before the quote
                return next(self.cues.in_range(s, prior.span.end - 1), None)
        return None

    def _cue_text(self, cue: Cue) -> str:
        token = cue.token
        subject = cue.subjects[0] if cue.subjects else token
        owner = next((c for c in subject.children if c.dep_ == "poss"), None)
        left = owner.left_edge.i if owner is not None else subject.i  # `his response`, `Cornyn's statement`
        first, last = min(left, token.i), max(subject.i, token.i)
        doc = self.reading.doc
        if last - first > 6:
            return (
                f"{subject.text} … {token.text}" if subject.i < token.i else f"{token.text} … {subject.text}"
            )
        return doc[first : last + 1].text
