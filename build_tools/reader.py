"""The one guarded reader: every file the build reads from seeds/, content/ and the cache comes through here.

A file named like an input is not always a file: a folder called `x.txt`, a FIFO (opening it
waits for a writer, forever), a device, a symbolic link that loops, leads nowhere or leads out
of the folder, a file the build may not read, or one of many gigabytes. Each is an error naming
the file and the fix, raised before anything is read:

- the file is opened without blocking and checked on the open descriptor (no race between the
  check and the read): only a regular file is read;
- its size is checked against the caller's limit, and no more than the limit is ever read;
- text is decoded strictly, and a failure names the byte and its line.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from build_tools.errors import MarginaliaError

READ_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
CHUNK = 1 << 20


def check_inside(path: Path, folder: Path, error: type[MarginaliaError]) -> None:
    """Refuse a symbolic link that leads out of `folder`, nowhere, or round in a loop.

    A link out of seeds/ would publish a file nobody put in the archive (and whose changes
    `mkdocs serve` does not watch).
    """
    if not path.is_symlink():
        return
    try:
        target = path.resolve(strict=True)
    except RuntimeError:  # Python < 3.13 reports a loop this way
        raise _loop(path, error) from None
    except OSError as problem:
        if problem.errno == errno.ELOOP:
            raise _loop(path, error) from None
        raise error(str(path), "is a broken symbolic link", "replace it with the file itself") from None
    if folder.resolve() not in target.parents:
        raise error(
            str(path),
            f"is a symbolic link to {target}, outside {folder}",
            f"copy the file into {folder} instead of linking to it",
        )


def _loop(path: Path, error: type[MarginaliaError]) -> MarginaliaError:
    return error(str(path), "is a symbolic link that leads round in a loop", "replace it with the file")


def read_bytes(path: Path, *, limit: int, error: type[MarginaliaError], inside: Path | None = None) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, or `error` naming it and the fix."""
    if inside is not None:
        check_inside(path, inside, error)
    try:
        fd = os.open(path, READ_FLAGS)
    except OSError as problem:
        raise _unreadable(path, problem, error) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise error(
                str(path),
                f"is {_kind(info.st_mode)}, not a file",
                f"remove it, or replace it with a file ({path.name} is read as one)",
            )
        if info.st_size > limit:
            raise _too_big(path, info.st_size, limit, error)
        data = _read_at_most(fd, limit + 1)
    except OSError as problem:
        raise _unreadable(path, problem, error) from None
    finally:
        os.close(fd)
    if len(data) > limit:  # it grew while it was read
        raise _too_big(path, len(data), limit, error)
    return data


def read_text(
    path: Path, *, limit: int, error: type[MarginaliaError], inside: Path | None = None, what: str = "file"
) -> str:
    """A UTF-8 text file (a byte order mark is allowed), decoded strictly."""
    return decode_text(read_bytes(path, limit=limit, error=error, inside=inside), str(path), error, what)


def decode_text(raw: bytes, path: str, error: type[MarginaliaError], what: str = "file") -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        line = raw[: problem.start].count(b"\n") + 1
        raise error(
            path, f"is not UTF-8 text (byte {problem.start})", f"save the {what} as UTF-8", line=line
        ) from None


def _read_at_most(fd: int, count: int) -> bytes:
    parts, left = [], count
    while left > 0:
        part = os.read(fd, min(CHUNK, left))
        if not part:
            break
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _too_big(path: Path, size: int, limit: int, error: type[MarginaliaError]) -> MarginaliaError:
    return error(
        str(path),
        f"the file is {size:,} bytes, more than the limit of {limit:,}",
        "check that it is the right file: an article or a sidecar is far smaller",
    )


def _unreadable(path: Path, problem: OSError, error: type[MarginaliaError]) -> MarginaliaError:
    code = problem.errno
    if code == errno.ELOOP:
        return _loop(path, error)
    if code == errno.ENOENT and path.is_symlink():
        return error(str(path), "is a broken symbolic link", "replace it with the file itself")
    if code in (errno.EACCES, errno.EPERM):
        return error(
            str(path),
            "cannot be read (permission denied)",
            f"let the build read it (`chmod a+r {path.name}`), or move it out of {path.parent}",
        )
    if code == errno.ENXIO:  # a socket, or a FIFO opened in a way the system refuses
        return error(
            str(path), "is not a file (a socket or a device)", "remove it, or replace it with a file"
        )
    if code == errno.ENAMETOOLONG:
        return error(str(path), "has a name too long for the file system", "rename it with a shorter name")
    return error(
        str(path),
        f"cannot be read ({problem.strerror or problem})",
        "check that it is a readable file and that the disk is healthy",
    )
