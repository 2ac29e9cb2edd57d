"""`python -m gen`: run, verify and render the atlas without MkDocs.

python -m gen                 # check everything, render plots into the cache, write nothing
python -m gen --out DIR       # also write the generated pages and files into DIR
python -m gen --workers 1     # render in one process (for timing)
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import tempfile
from pathlib import Path

from gen.build import Site, generate
from gen.model import CatalogError
from gen.publish import site_url_from_env


def write(site: Site, root: Path | None) -> None:
    """Every file and drawing under `root`; with no root, the drawings are still made (and cached)."""
    try:
        out = {**site.files, **{path: site.fetch(path) for path in site.drawings}}
    finally:
        site.close()
    for path, data in sorted(out.items()) if root else ():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gen", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="write the generated docs files here (replaced whole)")
    parser.add_argument("--workers", type=int, help="render processes (default: one per core)")
    opts = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    staging = Path(tempfile.mkdtemp(prefix="atlas-")) if opts.out else None
    try:
        write(generate(workers=opts.workers, site_url=site_url_from_env()), staging)
    except BaseException as exc:
        if staging:
            shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, CatalogError):
            print(f"error: {exc}", file=sys.stderr)
            return 1
        raise
    if opts.out and staging:
        shutil.rmtree(opts.out, ignore_errors=True)
        shutil.move(staging, opts.out)  # whole or not at all
    return 0


if __name__ == "__main__":
    sys.exit(main())
