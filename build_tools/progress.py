"""Extraction progress: a bar, the count, articles per second and the time left, for the CLI and MkDocs.

    extracting [#########.....................] 10/31   3.6/s     6s left wn-cia-base-bomber

On a terminal the bar is redrawn in place at most ten times a second; in a log (CI, or MkDocs'
logger, which prints whole lines) one line is printed at every tenth of the way, so the log
stays short at 10,000 articles. The same line either way: `mkdocs build` shows what the CLI does.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO


class ProgressBar:
    """Called with (articles done, articles to do, the latest one's name) as each is extracted.

    `write` takes whole lines (MkDocs' logger); without it the bar goes to `stream` (stderr)."""

    WIDTH = 30

    def __init__(self, stream: TextIO | None = None, *, write: Callable[[str], None] | None = None) -> None:
        self.stream = stream or sys.stderr
        self.write = write
        self.tty = write is None and self.stream.isatty()
        self.start = time.monotonic()
        self.drawn = 0.0
        self.step = -1

    def __call__(self, n: int, total: int, name: str) -> None:
        now = time.monotonic()
        if n == 1:
            self.start, self.step = now, -1
        line = self.line(n, total, name, now)
        if self.tty:
            if n == total or now - self.drawn >= 0.1:
                self.drawn = now
                print("\r" + line, end="\n" if n == total else "", file=self.stream, flush=True)
        elif (step := 10 * n // total) != self.step:
            self.step = step
            self._emit(line.rstrip())

    def line(self, n: int, total: int, name: str, now: float) -> str:
        # Timed from the first article done, so the workers' start-up (loading the model) is not counted.
        rate = (n - 1) / (now - self.start) if n > 1 and now > self.start else 0.0
        speed = f"{rate:5.1f}/s {(total - n) / rate:5.0f}s left" if rate else " " * 17
        done = self.WIDTH * n // total
        return f"extracting [{'#' * done}{'.' * (self.WIDTH - done)}] {n}/{total} {speed} {name[:30]:<30}"

    def _emit(self, line: str) -> None:
        if self.write is not None:
            self.write(line)
        else:
            print(line, file=self.stream, flush=True)
