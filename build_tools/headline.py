"""A headline and a summary for an article that has none: derived from the lede, never invented.

The seed has no headline. We take the lede's first sentence, drop asides set off by dashes or
parentheses and the trailing attribution (`, i24NEWS reported Tuesday, citing …`), and cut a
long remainder at a clause boundary, so the title reads as a sentence, not a truncation.
"""

from __future__ import annotations

from build_tools import patterns

MAX_TITLE_WORDS = 14
MIN_CLAUSE_WORDS = 5
MAX_SUMMARY_WORDS = 60
# Words before which a headline can stop and still read as a sentence.
CUT_BEFORE = {"at", "in", "on", "of", "for", "with", "after", "before", "over", "during", "from", "by", "and"}


def first_sentence(text: str) -> str:
    return patterns.SENTENCE_END.split(text, maxsplit=1)[0].strip()


def derive_title(lede: str) -> str:
    sentence = patterns.DATELINE.sub("", first_sentence(lede))
    sentence = patterns.LEADING_ADVERBIAL.sub("", sentence)
    title = patterns.DASHED_ASIDE.sub(" ", sentence)
    title = patterns.TRAILING_ATTRIBUTION.sub("", title).strip()
    words = title.split()
    if len(words) > MAX_TITLE_WORDS:
        title = _cut_at_clause(words)
    title = " ".join(title.split()).rstrip(" ,;:–—-")
    if title.endswith(".") and "." not in title.split()[-1][:-1]:
        title = title[:-1]  # a full stop ends the sentence; 'U.S.' keeps its dots
    return title[:1].upper() + title[1:] if title else "Untitled article"


def _cut_at_clause(words: list[str]) -> str:
    """Cut before the last preposition within the limit, so the title still reads as a sentence."""
    for i in range(MAX_TITLE_WORDS, MIN_CLAUSE_WORDS - 1, -1):
        if words[i].lower() in CUT_BEFORE:
            return " ".join(words[:i])
    return " ".join(words[:MAX_TITLE_WORDS]) + " …"


def summary(lede: str) -> str:
    sentence = first_sentence(lede)
    words = sentence.split()
    if len(words) <= MAX_SUMMARY_WORDS:
        return sentence
    return " ".join(words[:MAX_SUMMARY_WORDS]) + " …"
