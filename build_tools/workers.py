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
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

from build_tools import nlp
from build_tools.errors import MarginaliaError, SeedError, excerpt
from build_tools.model import Article, Extraction

MIN_PARALLEL = 8  # fewer cache misses than this are extracted in-process
# Articles a worker takes at once: their paragraphs share spaCy's batches (short articles alone
# leave them half empty), and a chunk is small enough that the work spreads over every core.
CHUNK = 8
PARENT_CHECK_SECONDS = 0.5  # how soon a worker notices that the build that started it is gone

Result = tuple[Extraction, str] | MarginaliaError  # (extraction, model version) or why it failed
Progress = Callable[[int, int, str], None]
Done = Callable[[int, Result], None]

_model: Any = None  # the worker's own model, set once by _start
_loading = threading.Lock()  # a preview loads the model in the background (preload) while it may build


def model(name: str) -> Any:
    """This process's model, loaded once (nlp.load keeps it): by the build, or ahead by preload()."""
    with _loading:
        return nlp.load(name)


def preload(name: str, done: Callable[[float], None]) -> threading.Thread:
    """Load the model in a background thread, so that the first seed a preview extracts does not
    wait for it (importing spaCy and loading the model take seconds); `done` gets the seconds."""

    def load() -> None:
        start = time.monotonic()
        try:
            model(name)
        except MarginaliaError:
            return  # not installed: the build that needs the model says so, with the fix
        done(time.monotonic() - start)

    thread = threading.Thread(target=load, daemon=True, name="marginalia-model")
    thread.start()
    return thread


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


def _many(articles: Sequence[Article], model: Any) -> Iterator[Result]:
    """Each article's result, in order; their paragraphs are parsed in one stream (parse_many)."""
    if not articles:
        return  # before the imports below: a warm build never imports spaCy
    from build_tools.extract import extract_parsed  # imports spaCy: only where a seed is really extracted
    from build_tools.extract.parse import parse_many

    version = nlp.version(model)
    for article, doc in parse_many(model, articles):
        if isinstance(doc, MarginaliaError):
            yield doc
            continue
        try:
            yield extract_parsed(article, doc), version
        except MarginaliaError as error:
            yield error
        except Exception as error:  # a bug on this one input: report it, and publish the other articles
            yield SeedError(
                article.path,
                f"extraction failed ({type(error).__name__}: {excerpt(str(error))})",
                "this is a bug in Marginalia: report it with this seed; the other articles are published",
            )


def _in_worker(chunk: Sequence[Article]) -> list[Result]:
    return list(_many(chunk, _model))


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
        starts = range(0, len(articles), CHUNK)
        futures = {pool.submit(_in_worker, articles[s : s + CHUNK]): s for s in starts}
        n = 0
        for future in as_completed(futures):
            first = futures[future]
            for i, result in enumerate(future.result(), start=first):
                results[i] = result
                n += 1
                if done:
                    done(i, result)
                if progress:
                    progress(n, len(articles), articles[i].slug)
    return [r for r in results if r is not None]


def _serial(
    articles: Sequence[Article], model_name: str, progress: Progress | None, done: Done | None
) -> list[Result]:
    loaded = model(model_name) if articles else None
    results = []
    for n, result in enumerate(_many(articles, loaded), start=1):
        results.append(result)
        if progress:
            progress(n, len(articles), articles[n - 1].slug)
        if done:
            done(n - 1, result)
    return results
