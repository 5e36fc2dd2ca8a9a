"""Small text helpers shared by several modules."""

from __future__ import annotations

import unicodedata

from build_tools import patterns


def slugify(text: str) -> str:
    """'Café Zabihullah Mujahid' -> 'cafe-zabihullah-mujahid'; other scripts are kept."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = unicodedata.normalize("NFC", stripped).lower()
    return patterns.NON_SLUG.sub("-", stripped).strip("-_")


def words(text: str) -> int:
    return len(patterns.WORD.findall(text))
