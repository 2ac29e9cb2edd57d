"""A content-hash store on disk: a key names everything that shapes the bytes stored under it."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
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
