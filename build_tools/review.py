"""The review listing: every attribution an editor should confirm, across content/.

Reads the front matter the pipeline wrote (the `review` key of each article), so it needs
no model and no rebuild: `python -m build_tools review`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import frontmatter


@dataclass(frozen=True)
class ReviewItem:
    article: str  # content/-relative file
    sidecar: str  # where the fix goes
    message: str


def review_items(content: Path, seeds_name: str = "seeds") -> list[ReviewItem]:
    items = []
    for path in sorted(content.glob("*.md")):
        meta = frontmatter.load(path).metadata
        sidecar = f"{seeds_name}/{meta.get('slug', path.stem)}.yml"
        review = meta.get("review")
        messages = review if isinstance(review, list) else []
        items += [ReviewItem(path.name, sidecar, str(message)) for message in messages]
    return items


def format_items(items: list[ReviewItem]) -> str:
    if not items:
        return "Nothing to review: every quote has a confident speaker.\n"
    lines = [f"{len(items)} item(s) to review:"]
    lines += [f"- {item.article}: {item.message} (in {item.sidecar})" for item in items]
    return "\n".join(lines) + "\n"
