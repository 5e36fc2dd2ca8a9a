"""The errors Marginalia raises. Each names the file, the line when there is one, and the fix."""

from __future__ import annotations


class MarginaliaError(Exception):
    """Base class: a problem with input a person wrote, reported so they can fix it."""

    def __init__(self, path: str, problem: str, fix: str, *, line: int | None = None) -> None:
        self.path = path
        self.problem = problem
        self.fix = fix
        self.line = line
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {problem}. Fix: {fix}")


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
