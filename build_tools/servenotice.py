"""What `mkdocs serve` shows at the top of every page while the latest build has problems.

An editor previewing the site watches the page, not the terminal: a sidecar typo is listed where
they look, with its file, line and fix, and the page keeps the article as last built below it.
Only the preview shows it; a site that `mkdocs build` publishes never does.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

MAX_SHOWN = 10  # problems listed on the page; the log has them all


def banner(errors: Sequence[str], warnings: Sequence[str]) -> str:
    """An HTML block (Material's `failure` or `warning` admonition) listing the problems, escaped."""
    if not errors and not warnings:
        return ""
    shown = [("Error", e) for e in errors] + [("Warning", w) for w in warnings]
    items = [f"<li><strong>{kind}:</strong> <code>{escape(text)}</code></li>" for kind, text in shown]
    if len(items) > MAX_SHOWN:
        items = [
            *items[:MAX_SHOWN],
            f"<li>and {len(items) - MAX_SHOWN} more: see the log of mkdocs serve</li>",
        ]
    kind = "failure" if errors else "warning"
    title = (
        f"This preview has {_count(len(errors), 'error')} and {_count(len(warnings), 'warning')}: "
        "fix them and save, and the page reloads"
    )
    return (
        f'<div class="admonition {kind} mg-build-problems" role="alert">'
        f'<p class="admonition-title">{title}</p><ul>{"".join(items)}</ul></div>\n'
    )


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
