"""MkDocs hooks: server-side math on every page, KaTeX's assets in the site, and no half-built site."""

import shutil
from pathlib import Path

from mkdocs.structure.files import InclusionLevel

from gen.math import Renderer, copy_assets

_renderer: Renderer | None = None
_command = "build"
_site_dir: Path | None = None


def on_startup(command, dirty) -> None:
    global _command
    _command = command


def on_config(config):
    global _site_dir
    _site_dir = Path(config["site_dir"])
    return config


def on_pre_build(config) -> None:
    global _renderer
    _renderer = Renderer()


def on_files(files, config):
    """The generated SUMMARY.md feeds literate-nav; it is not a page (gen-files leaves it included)."""
    summary = files.get_file_from_path("SUMMARY.md")
    if summary is not None:
        summary.inclusion = InclusionLevel.EXCLUDED
    return files


def on_page_content(html: str, page, config, files) -> str:
    assert _renderer is not None
    return _renderer.page(html, page.file.src_uri)


def on_post_build(config) -> None:
    if _renderer is not None:
        _renderer.close()
    copy_assets(Path(config["site_dir"]))


def on_build_error(error) -> None:
    """A failed build (strict warnings included, which abort only after every page is written)
    leaves no site behind: a half-valid site must not be mistaken for a good one."""
    if _renderer is not None:
        _renderer.close()
    if _command == "build" and _site_dir is not None:
        shutil.rmtree(_site_dir, ignore_errors=True)
