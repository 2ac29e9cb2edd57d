"""The build's one pool of worker processes, and the drawings it makes.

A build with anything to compute forks the pool once, after the catalog is checked (the workers
inherit the torch it imported): the workers import matplotlib, then run every script the cache
lacks (each result is stored in the cache, where the build's own call reads it back) and draw
every figure the cache lacks while this process writes the pages. A warm build starts none.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable
from typing import Any

from gen import cache
from gen.plot import Figure, draw_job, finish


def _import_matplotlib() -> None:
    import matplotlib.pyplot  # noqa: F401


def _quietly(task: Callable[[], object]) -> None:
    """A task that fails is left alone: the build's own call runs it again and reports it."""
    try:
        task()
    except Exception:
        pass


class Pool:
    """Forked on first use; with one worker everything runs here, when asked for."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or os.cpu_count() or 1
        self.pool: Any = None

    def start(self) -> None:
        if self.pool is None and self.workers > 1:
            context = multiprocessing.get_context("fork")
            self.pool = context.Pool(self.workers, initializer=_import_matplotlib)

    def fill(self, tasks: Iterable[Callable[[], object]]) -> None:
        """Run tasks that put their results in the cache, and wait for them."""
        tasks = list(tasks)
        if self.workers > 1 and tasks:
            self.start()
            self.pool.map(_quietly, tasks, chunksize=4)

    def submit(self, fn: Callable[..., Any], *args: Any) -> Callable[[], Any]:
        """`fn(*args)` in a worker; the returned function waits for its result."""
        if self.workers == 1:
            return lambda: fn(*args)
        self.start()
        return self.pool.apply_async(fn, args).get

    def close(self) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None


class Drawings:
    """Every drawing of a build by its path in the site: read from the cache, or drawn in the
    pool while the pages are written. Each figure is drawn once; its dark SVG is the light one
    with the palette swapped."""

    def __init__(self, pool: Pool) -> None:
        self.pool = pool
        self.names: dict[str, str] = {}  # site path -> cache name
        self.themes: dict[str, str] = {}
        self.waiting: dict[tuple[Figure, bool], Callable[[], bytes]] = {}
        self.jobs: dict[str, tuple[Figure, bool]] = {}
        self.cached = 0

    def add(self, path: str, figure: Figure, theme: str) -> None:
        name = figure.cache_name(theme)
        self.names[path], self.themes[path] = name, theme
        if cache.has(name):
            self.cached += 1
            return
        job = (figure, theme == "card")
        self.jobs[path] = job
        if job not in self.waiting:
            self.waiting[job] = self.pool.submit(draw_job, job)

    def get(self, path: str) -> bytes:
        name = self.names[path]
        if (stored := cache.get(name)) is not None:
            return stored
        data = finish(self.waiting[self.jobs[path]](), self.themes[path])
        cache.put(name, data)
        return data

    def __len__(self) -> int:
        return len(self.names)
