"""The published URL scheme and licence, in one place.

These paths are a promise to people who link to the atlas from lecture notes and course pages:
tests/published_urls.txt lists every one published so far and the tests fail if one disappears.
Paths here are relative to the site root (the `site_url`, which may be a sub-path).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urljoin

from gen.model import Case, Entry

# Same default as mkdocs.yml, for `python -m gen` without MkDocs.
DEFAULT_SITE_URL = "http://127.0.0.1:8000/"
# Every case publishes these files, `<case-id>.<suffix>`, keyed as in the JSON data index.
FILES = {"svg_light": "light.svg", "svg_dark": "dark.svg", "csv": "csv", "json": "json", "py": "py"}
FILES |= {"svg_narrow_light": "narrow.light.svg", "svg_narrow_dark": "narrow.dark.svg"}  # drawn for phones
FILES |= {"png_slide": "slide.png", "svg_slide": "slide.svg"}  # 16:9, for lecture slides
SUFFIXES = tuple(FILES.values())
DRAWN = tuple(s for s in SUFFIXES if s.endswith((".svg", ".png")))  # each edition draws its own, in its words
DATA_INDEX = "data/index.json"


@dataclass(frozen=True)
class License:
    figures: str  # SPDX id of the licence of figures and data
    figures_url: str
    code: str  # SPDX id of the licence of the code, the Reproduce scripts included

    def json(self) -> dict[str, str]:
        return {"figures_and_data": self.figures, "url": self.figures_url, "code": self.code}


LICENSE = License("CC-BY-4.0", "https://creativecommons.org/licenses/by/4.0/", "MIT")


def site_url_from_env() -> str:
    url = os.environ.get("ATLAS_SITE_URL") or DEFAULT_SITE_URL
    return url if url.endswith("/") else url + "/"


def folder(entry: Entry) -> str:
    return f"schedulers/{entry.slug}"


def page(entry: Entry) -> str:
    """The scheduler page's Markdown source; published as `schedulers/<slug>/`."""
    return f"{folder(entry)}/index.md"


def case_file(entry: Entry, case: Case, suffix: str) -> str:
    return f"{folder(entry)}/{case.id}.{suffix}"


def aliases(entries: tuple[Entry, ...]) -> dict[str, str]:
    """Short links, `/<ClassName>/` -> the scheduler page, as mkdocs-redirects' redirect_maps."""
    return {f"{e.name}/index.md": page(e) for e in entries}


def absolute(site_url: str, path: str) -> str:
    """`schedulers/x/` under the site URL; a directory page's `index.md` becomes its folder."""
    return urljoin(site_url, path.removesuffix("index.md"))
