"""Article -> one spaCy Doc, parsed paragraph by paragraph, offsets those of Article.text."""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc

from build_tools.errors import SeedError
from build_tools.ingest import PARAGRAPH_SEPARATOR
from build_tools.model import Article

MAX_PARAGRAPH_CHARS = 200_000  # the parser needs memory in proportion to one text's length
BATCH_SIZE = 32  # spaCy's default (256) is slower on article-sized texts (GUIDE §3)


def parse(nlp: Any, article: Article) -> Any:
    """One Doc for the whole article, parsed paragraph by paragraph.

    Parsing paragraphs separately keeps memory flat for a very long article (spaCy refuses
    texts over a million characters), and Doc.from_docs joins them so that character offsets
    are those of Article.text.
    """
    for paragraph in article.paragraphs:
        if len(paragraph.text) > MAX_PARAGRAPH_CHARS:
            raise SeedError(
                article.path,
                f"paragraph {paragraph.index} has {len(paragraph.text)} characters",
                f"split it into paragraphs of fewer than {MAX_PARAGRAPH_CHARS} characters",
            )
    last = len(article.paragraphs) - 1
    texts = [p.text + ("" if i == last else PARAGRAPH_SEPARATOR) for i, p in enumerate(article.paragraphs)]
    docs = list(nlp.pipe(texts, batch_size=BATCH_SIZE))
    doc = Doc.from_docs(docs, ensure_whitespace=False)
    assert doc.text == article.text, "paragraph docs must join into the article text"
    return doc
