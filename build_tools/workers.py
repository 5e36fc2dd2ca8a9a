"""Extraction of many articles: a pool of processes on all cores, the model loaded once per worker.

Results come back in the order of the input, whatever order the workers finish in, so the
build's output never depends on scheduling. A handful of articles is extracted in this
process: starting a worker costs about a second (import spaCy, load the model), more than
a few articles take to parse.

A worker exits as soon as its parent is gone: a build killed outright (`kill -9`) leaves no
process behind. An article whose extraction raises anything is that article's error, never
the build's: the other articles are published.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

from build_tools import nlp
from build_tools.errors import MarginaliaError, SeedError, excerpt
from build_tools.model import Article, Extraction

MIN_PARALLEL = 8  # fewer cache misses than this are extracted in-process
PARENT_CHECK_SECONDS = 0.5  # how soon a worker notices that the build that started it is gone

Result = tuple[Extraction, str] | MarginaliaError  # (extraction, model version) or why it failed
Progress = Callable[[int, int, str], None]
Done = Callable[[int, Result], None]

_model: Any = None  # the worker's own model, set once by _start


def _start(model_name: str, parent: int) -> None:
    global _model
    threading.Thread(target=_exit_with, args=(parent,), daemon=True, name="parent-watch").start()
    _model = nlp.load(model_name)


def _exit_with(parent: int) -> None:
    """Exit when the parent is gone. A killed parent closes nothing a waiting worker would notice
    (the pool's pipes stay open in the other workers), so the worker asks: once its parent dies
    it is adopted by another process, and getppid() changes."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)  # at once, mid-parse too: nobody is left to take the result


def _one(article: Article, model: Any) -> Result:
    from build_tools.extract import extract  # imports spaCy: only where a seed is really extracted

    try:
        return extract(article, model), nlp.version(model)
    except MarginaliaError as error:
        return error
    except Exception as error:  # a bug on this one input: report it, and publish the other articles
        return SeedError(
            article.path,
            f"extraction failed ({type(error).__name__}: {excerpt(str(error))})",
            "this is a bug in Marginalia: report it with this seed; the other articles are published",
        )


def _in_worker(article: Article) -> Result:
    return _one(article, _model)


def cores() -> int:
    """The cores this process may run on: a container's limit, not the host's count."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def worker_count(misses: int, *, workers: int | None = None) -> int:
    """How many processes to use: 0 means in this process."""
    wanted = workers if workers is not None else cores()
    if misses < MIN_PARALLEL or wanted <= 1:
        return 0
    return min(wanted, misses)


def extract_all(
    articles: Sequence[Article],
    *,
    model_name: str,
    workers: int | None = None,
    progress: Progress | None = None,
    done: Done | None = None,
) -> list[Result]:
    """Each article's result, in input order. `done(i, result)` is called as each one arrives,
    so the caller can store it at once: a cold build cut short keeps what it extracted."""
    count = worker_count(len(articles), workers=workers)
    if count == 0:
        return _serial(articles, model_name, progress, done)
    results: list[Result | None] = [None] * len(articles)
    # spawn, not fork: `mkdocs serve` runs threads, and a forked child of a threaded process can hang.
    context = multiprocessing.get_context("spawn")
    start = (model_name, os.getpid())
    with ProcessPoolExecutor(count, mp_context=context, initializer=_start, initargs=start) as pool:
        futures = {pool.submit(_in_worker, article): i for i, article in enumerate(articles)}
        for n, future in enumerate(as_completed(futures), start=1):
            i = futures[future]
            result = results[i] = future.result()
            if done:
                done(i, result)
            if progress:
                progress(n, len(articles), articles[i].slug)
    return [r for r in results if r is not None]


def _serial(
    articles: Sequence[Article], model_name: str, progress: Progress | None, done: Done | None
) -> list[Result]:
    model = nlp.load(model_name) if articles else None
    results = []
    for n, article in enumerate(articles, start=1):
        if progress:
            progress(n, len(articles), article.slug)
        results.append(_one(article, model))
        if done:
            done(n - 1, results[-1])
    return results
