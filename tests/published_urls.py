"""The addresses the atlas has published: pages, short links, figures and data files.

People link to these from lecture notes, so none may vanish; tests/published_urls.txt keeps the
list and tests/test_publish.py fails when a build no longer has one. New addresses may appear
freely. To record them after adding a scheduler or a case (so that they are kept from then on):

    ATLAS_SITE_URL=http://127.0.0.1:8000/ .venv/bin/mkdocs build && .venv/bin/python tests/published_urls.py site

which adds every address of the built site to the list (it never removes one).
"""

from __future__ import annotations

import sys
from pathlib import Path

LIST = Path(__file__).with_name("published_urls.txt")
FILES = {".svg", ".png", ".csv", ".json", ".py"}  # under schedulers/, guides/ and data/


def published(site: Path) -> set[str]:
    """Paths from the site root: `/schedulers/step-lr/` for a page, `/data/index.json` for a file."""
    pages = {p.parent.relative_to(site).as_posix() for p in site.rglob("index.html")}
    urls = {"/" if f == "." else f"/{f}/" for f in pages}
    for folder in ("schedulers", "guides", "data"):
        urls |= {f"/{p.relative_to(site).as_posix()}" for p in (site / folder).rglob("*") if p.suffix in FILES}
    return urls


def recorded() -> set[str]:
    lines = (line.strip() for line in LIST.read_text().splitlines())
    return {line for line in lines if line and not line.startswith("#")}


HEADER = "# Every address the atlas has published; none may disappear. See tests/published_urls.py.\n"

if __name__ == "__main__":
    merged = recorded() | published(Path(sys.argv[1])) if LIST.exists() else published(Path(sys.argv[1]))
    LIST.write_text(HEADER + "".join(f"{u}\n" for u in sorted(merged)))
    print(f"{LIST}: {len(merged)} addresses")
