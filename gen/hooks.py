"""MkDocs hooks: server-side math on every page, and KaTeX's stylesheet and fonts in the site."""

from pathlib import Path

from mkdocs.structure.files import InclusionLevel

from gen.math import Renderer, copy_assets

_renderer: Renderer | None = None


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
    if _renderer is not None:
        _renderer.close()
