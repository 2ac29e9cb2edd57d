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

from gen.build import generate
from gen.model import CatalogError
from gen.publish import site_url_from_env


class FolderWriter:
    def __init__(self, root: Path | None) -> None:
        self.root = root

    def write(self, path: str, data: bytes) -> None:
        if self.root is not None:
            target = self.root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)

    def edit_path(self, path: str, source: str) -> None:
        pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gen", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="write the generated docs files here (replaced whole)")
    parser.add_argument("--workers", type=int, help="render processes (default: one per core)")
    opts = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    staging = Path(tempfile.mkdtemp(prefix="atlas-")) if opts.out else None
    try:
        generate(FolderWriter(staging), workers=opts.workers, site_url=site_url_from_env())
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
