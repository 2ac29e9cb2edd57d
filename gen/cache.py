"""A content-hash store on disk: a key names everything that shapes the bytes stored under it."""

from __future__ import annotations

import functools
import hashlib
import json
import os
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


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


def put(name: str, data: bytes) -> None:
    """Write then rename, so a reader never sees half a file."""
    path = folder() / name
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
