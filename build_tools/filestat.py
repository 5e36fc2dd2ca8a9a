"""What stat() says of a file, and when that alone shows the file unchanged since a build read it.

A warm build must not read 10,000 seeds and 20,000 pages of content/ to find the one that changed.
A file whose inode, size, modification and change times are the ones recorded when a build last
read it is taken as unchanged, and its recorded digest (or key) is used without reading it. The
change time cannot be set by a program (`touch -d` sets the modification time, and changes it), so
a file restored with an old modification time still looks changed.

File systems keep times in ticks of a few milliseconds, so a file saved twice within one tick can
keep its times and size with other bytes. As git does with its "racily clean" entries, a file
modified shortly before the build looked at it is not recorded (trusted() gives None): the next
build reads it again, which costs one file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

RACY_NS = 2_000_000_000  # 2 s: above every file system's time granularity (FAT's is 2 s)


@dataclass(frozen=True)
class Signature:
    ino: int
    size: int
    mtime_ns: int
    ctime_ns: int


def signature(path: Path | str) -> Signature | None:
    """The file's signature, or None when it cannot be seen (missing, unreadable folder)."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return Signature(info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def trusted(sig: Signature | None, seen_ns: int) -> Signature | None:
    """The signature to record for a file read at `seen_ns` (time.time_ns()), or None when the file
    was modified too shortly before to tell a later modification within the same tick."""
    if sig is None or max(sig.mtime_ns, sig.ctime_ns) > seen_ns - RACY_NS:
        return None
    return sig
