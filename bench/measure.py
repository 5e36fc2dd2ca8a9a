"""Run one command and print, as JSON, its wall time and peak memory.

    python bench/measure.py -- mkdocs build

Run as a process of its own, so that `resource.getrusage(RUSAGE_CHILDREN)` covers this one
command: `maxrss_mib` is the largest resident set of any process of it (the main process or
one extraction worker). `tree_peak_mib` is the largest sum of the resident sets of all its
processes at once, sampled from /proc every 50 ms: what the machine must have free.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any


def _tree_rss_kib(root: int) -> int:
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            total += next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
            for task in Path(f"/proc/{pid}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration, ValueError):
            continue  # the process ended between two reads
    return total


def measured(command: list[str], cwd: Path, env: dict[str, str]) -> dict[str, Any]:
    """Run `command` in `cwd` under this script; its figures (wall time, peak memory, return code).
    A failed command stops the benchmark with the end of its stderr."""
    result = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--", *command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    data: dict[str, Any] = json.loads(lines[-1])
    if data["returncode"] != 0:
        raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{result.stderr[-3000:]}")
    return data


def main(argv: list[str]) -> int:
    command = argv[argv.index("--") + 1 :] if "--" in argv else argv
    start = time.perf_counter()
    process = subprocess.Popen(command)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kib(process.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    code = process.wait()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        json.dumps(
            {
                "seconds": round(seconds, 3),
                "maxrss_mib": round(usage.ru_maxrss / 1024, 1),
                "tree_peak_mib": round(peak / 1024, 1),
                "returncode": code,
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
