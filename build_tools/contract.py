"""The JSON extraction contract (GUIDE §4): the shape of the gold files, extra keys welcome."""

from __future__ import annotations

from typing import Any

from build_tools.model import Document, Entity


def _names(entities: tuple[Entity, ...]) -> list[str]:
    # The gold lists every variant used in the text as its own string ('United States', 'U.S.').
    return [name for e in entities for name in (e.name, *e.variants)]


def to_json(doc: Document) -> dict[str, Any]:
    x = doc.extraction
    return {
        "id": doc.article.slug,
        "title": doc.title,
        "date": doc.date.isoformat() if doc.date else None,
        "place": doc.article.dateline.place if doc.article.dateline else None,
        "source": doc.article.source,
        "quotes": [
            {
                "text": q.text,
                "speaker": q.speaker,
                "cue": q.cue,
                "confidence": q.confidence,
                "paragraph": q.paragraph,
            }
            for q in x.quotes
        ],
        "people": [
            {"name": p.name, "role": p.role, "aliases": list(p.aliases), "named": p.named} for p in x.people
        ],
        "organizations": _names(x.organizations),
        "places": _names(x.places),
        "background": [b.text for b in x.background if b.span is not None],
        "warnings": list(x.warnings),
    }
