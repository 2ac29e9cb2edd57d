"""The mkdocs-gen-files script: a thin shim around `gen.build.generate`.

It drops cached `gen` modules first so that `mkdocs serve` picks up edits to gen/ and the catalog.
"""

import functools
import sys
from collections.abc import Callable

for name in [m for m in sys.modules if m == "gen" or m.startswith("gen.")]:
    del sys.modules[name]

from mkdocs.structure.files import File  # noqa: E402
from mkdocs_gen_files import FilesEditor  # noqa: E402

from gen.build import generate  # noqa: E402
from gen.plot import LATE  # noqa: E402


class GenFilesWriter:
    """Each file goes to MkDocs from memory (`File.generated`), not through gen-files' temporary
    folder: writing 600 files there, for MkDocs to copy them again, was a tenth of a rebuild."""

    def __init__(self, editor: FilesEditor) -> None:
        self.editor = editor

    def write(self, path: str, data: bytes) -> None:
        self.editor._files[path] = File.generated(self.editor.config, path, content=data)  # the editor's own table

    def write_later(self, path: str, fetch: Callable[[], bytes]) -> None:
        """A figure still being drawn: written by the post_build hook (gen/hooks.py), once MkDocs
        has converted, templated and written every page, so all its own work overlaps the drawing.
        (MkDocs copies static files between converting the pages and templating them.)"""
        file = File.generated(self.editor.config, path, content=b"")

        def copy_now(dirty: bool) -> None:
            file.content_bytes = fetch()
            File.copy_file(file, dirty)

        file.copy_file = lambda dirty=False: LATE.append(functools.partial(copy_now, dirty))  # type: ignore[method-assign]
        self.editor._files[path] = file

    def edit_path(self, path: str, source: str) -> None:
        self.editor.set_edit_path(path, source)


editor = FilesEditor.current()
generate(GenFilesWriter(editor), site_url=editor.config.site_url)
