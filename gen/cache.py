"""A content-hash store on disk: a key names everything that shapes the bytes stored under it."""

from __future__ import annotations

import functools
import hashlib
import json
import multiprocessing
import os
import tempfile
from collections.abc import Callable, Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if not (ROOT / "mkdocs.yml").is_file():  # gen installed (site-packages): the project is the working directory
    ROOT = Path.cwd()


@functools.cache
def library_version(name: str) -> str:
    """Installed version of a library, read once: the metadata lookup is slow (ms per call)."""
    return version(name)


def folder() -> Path:
    return Path(os.environ.get("ATLAS_CACHE_DIR") or ROOT / ".cache" / "atlas")


def key(*parts: Any) -> str:
    """Hash of the parts plus the versions of the libraries that draw and compute."""
    blob = json.dumps([library_version("torch"), library_version("matplotlib"), *parts], sort_keys=True, default=repr)
    return hashlib.sha256(blob.encode()).hexdigest()


def get(name: str) -> bytes | None:
    try:
        return (folder() / name).read_bytes()
    except FileNotFoundError:
        return None


def has(name: str) -> bool:
    return (folder() / name).is_file()


def put(name: str, data: bytes) -> None:
    """Write a unique temporary file, then rename: a reader never sees half a file, and
    concurrent writers (forked workers, test threads) never share a temporary file."""
    path = folder() / name
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


_TASKS: Sequence[Callable[[], object]] = ()  # read by forked workers, which inherit them


def fill(tasks: Sequence[Callable[[], object]], workers: int) -> None:
    """Run tasks that store their results in this cache in forked workers, so that the build's
    own calls (still one by one, in order) read them back. The first task runs here first: what it
    imports, the workers inherit (torch's first optimizer imports its compiler stack, 1.5 s). A
    task that fails is left alone: the build's own call runs it again and reports it."""
    global _TASKS
    if workers < 2 or len(tasks) < 2 * workers:
        return
    _TASKS = tasks
    try:
        _run(0)
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            pool.map(_run, range(1, len(tasks)), chunksize=8)
    finally:
        _TASKS = ()


def _run(index: int) -> None:
    try:
        _TASKS[index]()
    except Exception:
        pass
