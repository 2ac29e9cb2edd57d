"""The mkdocs-gen-files script: a thin shim around `gen.build.generate`.

It drops cached `gen` modules first so that `mkdocs serve` picks up edits to gen/ and the catalog.
"""

import sys

for name in [m for m in sys.modules if m == "gen" or m.startswith("gen.")]:
    del sys.modules[name]

import mkdocs_gen_files  # noqa: E402

from gen.build import generate  # noqa: E402


class GenFilesWriter:
    def write(self, path: str, data: bytes) -> None:
        with mkdocs_gen_files.open(path, "wb") as f:
            f.write(data)

    def edit_path(self, path: str, source: str) -> None:
        mkdocs_gen_files.set_edit_path(path, source)


generate(GenFilesWriter(), site_url=mkdocs_gen_files.FilesEditor.current().config.site_url)
