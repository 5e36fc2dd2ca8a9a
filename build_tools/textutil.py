"""Small text helpers shared by several modules."""

from __future__ import annotations

import bisect
import unicodedata

from build_tools import patterns


def slugify(text: str) -> str:
    """'Café Zabihullah Mujahid' -> 'cafe-zabihullah-mujahid'; other scripts are kept."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = unicodedata.normalize("NFC", stripped).lower()
    return patterns.NON_SLUG.sub("-", stripped).strip("-_")


def paragraph_starts(text: str, separator: str = "\n\n") -> list[int]:
    """Offsets where each paragraph of text begins, for paragraph_number()."""
    starts, at = [0], text.find(separator)
    while at != -1:
        starts.append(at + len(separator))
        at = text.find(separator, at + len(separator))
    return starts


def paragraph_number(starts: list[int], offset: int) -> int:
    """1-based paragraph holding offset, by binary search (articles may have thousands)."""
    return bisect.bisect_right(starts, offset)
