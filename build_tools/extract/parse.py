"""Article -> one spaCy Doc, parsed paragraph by paragraph, offsets those of Article.text."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator
from typing import Any

from spacy.tokens import Doc

from build_tools import patterns
from build_tools.errors import SeedError
from build_tools.ingest import PARAGRAPH_SEPARATOR
from build_tools.model import Article

MAX_PARAGRAPH_CHARS = 200_000  # the parser needs memory in proportion to one text's length
MAX_WORD_CHARS = 100  # longer runs without a space are cut before the tokenizer (see _inputs)
BATCH_SIZE = 32  # spaCy's default (256) is slower on article-sized texts (GUIDE §3)


def _check(article: Article) -> None:
    for paragraph in article.paragraphs:
        if len(paragraph.text) > MAX_PARAGRAPH_CHARS:
            raise SeedError(
                article.path,
                f"paragraph {paragraph.index} has {len(paragraph.text)} characters",
                f"split it into paragraphs of fewer than {MAX_PARAGRAPH_CHARS} characters",
            )


def _texts(article: Article) -> list[str]:
    """The texts to parse, in order: each paragraph, and a dateline apart from its lede (`SPRINGFIELD,
    Ill. — Mayor Jane Roe said`: parsed together, the model reads `Ill. — Mayor Jane Roe` as one name)."""
    last = len(article.paragraphs) - 1
    texts = [p.text + ("" if i == last else PARAGRAPH_SEPARATOR) for i, p in enumerate(article.paragraphs)]
    if article.dateline is not None and 0 < article.dateline.end < len(texts[0]):
        texts[:1] = [texts[0][: article.dateline.end], texts[0][article.dateline.end :]]
    return texts


def _inputs(nlp: Any, article: Article) -> list[str | Doc]:
    """What nlp.pipe takes for each text: the text, or, when it holds a run of characters with
    no space longer than MAX_WORD_CHARS, a Doc of words we cut ourselves. spaCy's tokenizer
    splits the affixes of one long word one at a time (40,000 `)` take minutes); a real word
    is never that long."""
    return [_pretokenized(nlp, t) if _has_long_word(t) else t for t in _texts(article)]


def _has_long_word(text: str) -> bool:
    return any(len(m.group()) > MAX_WORD_CHARS for m in patterns.NON_SPACE_RUN.finditer(text))


def _pretokenized(nlp: Any, text: str) -> Doc:
    words: list[str] = []
    spaces: list[bool] = []
    for match in patterns.NON_SPACE_RUN_AND_SPACE.finditer(text):
        chunk, gap = match.group("word"), match.group("space")
        if len(chunk) > MAX_WORD_CHARS:
            pieces = [chunk[i : i + MAX_WORD_CHARS] for i in range(0, len(chunk), MAX_WORD_CHARS)]
        elif chunk:
            pieces = [t.text for t in nlp.tokenizer(chunk)]  # a chunk has no space inside
        else:
            pieces = []
        words += pieces
        spaces += [False] * len(pieces)
        if gap:
            if words and gap.startswith(" ") and not spaces[-1]:
                spaces[-1], gap = True, gap[1:]
            if gap:
                words.append(gap)
                spaces.append(False)
    doc = Doc(nlp.vocab, words=words, spaces=spaces)
    assert doc.text == text, "pre-tokenized words must join into the text"
    return doc


def _joined(article: Article, docs: list[Doc]) -> Doc:
    doc = Doc.from_docs(docs, ensure_whitespace=False)
    assert doc.text == article.text, "paragraph docs must join into the article text"
    return doc


def parse(nlp: Any, article: Article) -> Any:
    """One Doc for the whole article, parsed paragraph by paragraph.

    Parsing paragraphs separately keeps memory flat for a very long article (spaCy refuses
    texts over a million characters), and Doc.from_docs joins them so that character offsets
    are those of Article.text.
    """
    _check(article)
    return _joined(article, list(nlp.pipe(_inputs(nlp, article), batch_size=BATCH_SIZE)))


def parse_many(nlp: Any, articles: Iterable[Article]) -> Iterator[tuple[Article, Any]]:
    """Each article with its Doc, or the SeedError that says why it cannot be parsed.

    The paragraphs of all articles go through one `nlp.pipe`: one stream keeps spaCy's
    batches full across short articles, and only the current article's paragraphs are held.
    A few articles (a preview's rebuild) are parsed through the paragraphs remembered instead.
    """
    queue = list(articles)
    errors: dict[int, SeedError] = {}
    for n, article in enumerate(queue):
        try:
            _check(article)
        except SeedError as error:
            errors[n] = error
    if len(queue) <= REMEMBERED_ARTICLES:
        yield from _remembered(nlp, queue, errors)
        return
    texts = ((t, n) for n, a in enumerate(queue) if n not in errors for t in _inputs(nlp, a))
    stream = nlp.pipe(texts, batch_size=BATCH_SIZE, as_tuples=True)
    for n, article in enumerate(queue):
        if n in errors:
            yield article, errors[n]
            continue
        docs = []
        for _ in _texts(article):
            doc, source = next(stream)
            assert source == n, "paragraphs come back in the order they went in"
            docs.append(doc)
        yield article, _joined(article, docs)


# -- paragraphs remembered --------------------------------------------------------------------------
# An editor previewing an article saves it again and again, changing a paragraph at a time: the
# paragraphs it did not change are the Docs parsed the last time (each paragraph is parsed on its
# own, and Doc.from_docs copies them, so a Doc remembered is never changed). Only for a build that
# extracts a few articles; at most REMEMBERED_PARAGRAPHS, the least recently used forgotten.
REMEMBERED_ARTICLES = 4
REMEMBERED_PARAGRAPHS = 1_000
_PARSED: dict[int, tuple[Any, OrderedDict[str, Doc]]] = {}  # id(nlp) -> (nlp, text -> Doc)


def _memo(nlp: Any) -> OrderedDict[str, Doc]:
    kept = _PARSED.get(id(nlp))
    if kept is None or kept[0] is not nlp:
        _PARSED.clear()  # another pipeline: its Docs are not this one's
        kept = _PARSED[id(nlp)] = (nlp, OrderedDict())
    return kept[1]


def _remembered(
    nlp: Any, queue: list[Article], errors: dict[int, SeedError]
) -> Iterator[tuple[Article, Any]]:
    memo = _memo(nlp)
    for n, article in enumerate(queue):
        if n in errors:
            yield article, errors[n]
            continue
        inputs = _inputs(nlp, article)
        new = [t for t in inputs if not isinstance(t, str) or t not in memo]
        parsed = iter(list(nlp.pipe(new, batch_size=BATCH_SIZE)))
        docs = []
        for text in inputs:
            doc = memo.get(text) if isinstance(text, str) else None
            if doc is None:
                doc = next(parsed)
            if isinstance(text, str):
                memo[text] = doc
                memo.move_to_end(text)
            docs.append(doc)
        while len(memo) > REMEMBERED_PARAGRAPHS:
            memo.popitem(last=False)
        yield article, _joined(article, docs)
