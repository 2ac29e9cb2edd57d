"""The generator's whole output, cached under a hash of everything it reads.

`generate` is a pure function of the code and catalog in gen/ (every .py, template and script
there), the library versions it reports or draws with, and the site URL. When none of them has
changed (a rebuild after editing docs/, or `mkdocs build` run again) its files are read back here
in one go instead of being re-read piece by piece from the trace, figure and highlight caches.
Any edit under gen/ misses, and the build falls back on those finer caches.
"""

from __future__ import annotations

import hashlib
import pickle
import platform
from dataclasses import dataclass
from pathlib import Path

from gen import cache
from gen.cache import library_version

GEN = Path(__file__).resolve().parent
LIBRARIES = ("pygments", "mkdocs-material", "jinja2")  # beyond torch and matplotlib (in cache.key)


@dataclass(frozen=True)
class Bundle:
    files: dict[str, bytes]
    drawings: dict[str, str]  # path in the site -> the figure's name in the cache
    summary: tuple  # Summary's fields


def key(site_url: str, katex: str, language: str = "en") -> str:
    sources = hashlib.sha256()
    for path in sorted(p for p in GEN.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        sources.update(f"{path.relative_to(GEN).as_posix()}\0".encode() + path.read_bytes() + b"\0")
    versions = [library_version(name) for name in LIBRARIES]
    return f"bundle/{cache.key(sources.hexdigest(), versions, katex, platform.python_version(), site_url, language)}.pickle"


def load(name: str) -> Bundle | None:
    """The bundle, if it and every drawing it names are in the cache."""
    stored = cache.get(name)
    if stored is None:
        return None
    bundle = pickle.loads(stored)  # our own cache, written by save()
    files = dict(bundle.files)
    for path, drawing in bundle.drawings.items():
        if (data := cache.get(drawing)) is None:  # a build that failed while drawing
            return None
        files[path] = data
    return Bundle(files, {}, bundle.summary)


def save(name: str, bundle: Bundle) -> None:
    cache.put(name, pickle.dumps(bundle, protocol=pickle.HIGHEST_PROTOCOL))
