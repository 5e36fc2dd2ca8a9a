"""One build at a time for each content/: a second build waits for the first, then runs.

Two builds of one checkout at once (`mkdocs serve` and a `mkdocs build`, two terminals) would
write the same files and the same cache. The build takes an exclusive lock on the content/
folder itself (flock on its descriptor: no lock file to commit, clean or leave behind), which
the system releases when the process ends, however it ends: a killed build never leaves a
stale lock. A second build says that it waits, and fails with the fix after WAIT_SECONDS.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from build_tools.errors import BuildLockError, ContentError

WAIT_SECONDS = 600.0  # a cold build of 10,000 articles on two cores takes about this long
POLL_SECONDS = 0.2


@contextmanager
def held(
    content: Path, *, wait: float = WAIT_SECONDS, waiting: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Hold the lock on `content` (created if missing) for the body of the `with`."""
    fd = _open(content)
    try:
        _acquire(fd, content, wait, waiting)
        yield
    finally:
        os.close(fd)  # releases the lock


def _open(content: Path) -> int:
    try:
        content.mkdir(parents=True, exist_ok=True)
        return os.open(content, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise ContentError(
            str(content),
            f"cannot be used as the output folder ({error.strerror or error})",
            "make it a folder the build can write, or set another `content` folder",
        ) from None


def _acquire(fd: int, content: Path, wait: float, waiting: Callable[[str], None] | None) -> None:
    deadline = time.monotonic() + wait
    told = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        if not told and waiting is not None:
            waiting(f"{content}: another build of this folder is running; waiting for it to finish")
            told = True
        if time.monotonic() >= deadline:
            raise BuildLockError(
                str(content),
                f"another build of this folder has been running for more than {wait:.0f} seconds",
                "wait for it to finish (or stop it), then build again",
            )
        time.sleep(POLL_SECONDS)
