"""The errors Marginalia raises. Each names the file, the line when there is one, and the fix.

A message quotes what a person wrote (a file name, a value), and that text is untrusted: it is
shown through printable(), so a newline in a file name cannot forge a log line and an escape
code cannot recolour the terminal, and through excerpt(), so a megabyte-long value (or an
expanded YAML alias bomb) costs a short message, never a huge one.
"""

from __future__ import annotations

import re

from build_tools import patterns

EXCERPT_CHARS = 80  # what a message quotes of a value
MAX_PROBLEM_CHARS = 1_000  # a message's problem, whatever it quotes


def printable(text: str) -> str:
    """`text` on one line with nothing a terminal acts on: control characters, line breaks, bidi
    controls and lone surrogates become escapes (`\\n`, `\\x1b`, `\\u202e`)."""
    return patterns.UNPRINTABLE_IN_MESSAGES.sub(_escape, text)


def _escape(found: re.Match[str]) -> str:
    char = found[0]
    code = ord(char)
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    if char in named:
        return named[char]
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """At most `limit` characters of `text`, printable, with `…` where it was cut."""
    short = text if len(text) <= limit else text[: limit - 1] + "…"
    return printable(short)


class MarginaliaError(Exception):
    """Base class: a problem with input a person wrote, reported so they can fix it."""

    def __init__(self, path: str, problem: str, fix: str, *, line: int | None = None) -> None:
        self.path = path
        self.problem = problem
        self.fix = fix
        self.line = line
        shown = printable(path)
        where = f"{shown}:{line}" if line is not None else shown
        said = excerpt(problem, MAX_PROBLEM_CHARS)
        super().__init__(f"{where}: {said}. Fix: {printable(fix)}")


class SeedError(MarginaliaError):
    """A seed article (.txt) cannot be read or is unusable."""


class SidecarError(MarginaliaError):
    """An editor's sidecar (.yml) is not valid."""


class HandEditError(MarginaliaError):
    """A file in content/ was changed by hand since the pipeline wrote it."""


class ModelError(MarginaliaError):
    """The configured spaCy model is not installed."""


class ContentError(MarginaliaError):
    """content/ cannot be written safely: an unreadable manifest, or a path outside content/."""


class BuildLockError(MarginaliaError):
    """Another build of the same content/ is running and did not finish in time."""
