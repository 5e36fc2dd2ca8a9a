"""Names that become file names: short enough for any file system, unique, and the same on every build.

A page's address comes from a name someone wrote or the extractor read: a seed's file name, a
person, an organisation, a tag. File systems allow 255 bytes per name (a Cyrillic letter is 2
bytes in UTF-8, a Chinese one 3), and the build adds to a name (`.md`, `.json`, a temporary
file's suffix), so segment() keeps every name within MAX_SEGMENT_BYTES: a longer one is cut at a
character boundary and ends with a digest of the whole name, so two long names that begin alike
still get two pages, and the same name gets the same page on every build.
"""

from __future__ import annotations

import hashlib

MAX_SEGMENT_BYTES = 120  # a page name; what the build adds to it stays far below 255 bytes
DIGEST_CHARS = 12  # 48 bits: two distinct long names sharing their first 107 bytes never meet in practice
# `index` is each section's own list (people/index.md); a page called that would replace it. slugify
# strips `_` from both ends, so `index_` is a name no slug can take.
RESERVED = {"index": "index_"}


def segment(name: str) -> str:
    """A slug as a file or folder name: unchanged when short and not reserved."""
    name = RESERVED.get(name, name)
    encoded = name.encode("utf-8", "surrogatepass")
    if len(encoded) <= MAX_SEGMENT_BYTES:
        return name
    digest = hashlib.sha256(encoded).hexdigest()[:DIGEST_CHARS]
    keep = encoded[: MAX_SEGMENT_BYTES - DIGEST_CHARS - 1].decode("utf-8", "ignore")  # whole characters
    return f"{keep.rstrip('-_')}-{digest}"


def short(name: str, limit: int = 40) -> str:
    """The first characters of a name for a temporary file's name, which must only be recognisable."""
    return name[:limit]
