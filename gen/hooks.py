"""MkDocs hooks: server-side math (after search indexing), KaTeX in the site, no half-built site."""

import logging
import os
import re
import shutil
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import InclusionLevel

from gen import cache
from gen.catalog import ENTRIES
from gen.math import Renderer, copy_assets
from gen.publish import aliases

_renderer: Renderer | None = None
_command = "build"
_site_dir: Path | None = None
_built = False  # on_post_build ran and no error followed (strict mode aborts after it)


def on_startup(command, dirty) -> None:
    global _command
    _command = command


def on_config(config):
    """Short links (/CosineAnnealingLR/) come from the catalog, not from a list in mkdocs.yml that
    would fall out of step: they are added to mkdocs-redirects' map, which it reads in on_files."""
    global _site_dir
    _site_dir = Path(config["site_dir"])
    redirects = config.plugins["redirects"].config["redirect_maps"]
    clash = redirects.keys() & aliases(ENTRIES).keys()
    if clash:
        raise PluginError(f"mkdocs.yml redirect_maps repeats catalog aliases: {sorted(clash)}")
    redirects.update(aliases(ENTRIES))
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


def on_env(env, config, files):
    """Material's ~50 templates were compiled on every build (a tenth of a warm rebuild): Jinja
    keeps their bytecode in the cache, checked against each template's source when loaded."""
    from jinja2 import FileSystemBytecodeCache

    folder = cache.folder() / "jinja"
    folder.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = FileSystemBytecodeCache(str(folder))
    return env


# Material loads its bundle with a plain <script> at the end of <body>; deferred, it no longer
# holds up the first paint (Lighthouse: about 0.9 s on a throttled phone). Order is kept: our
# deferred atlas.js still runs after it.
BUNDLE = re.compile(r'<script src="([^"]*assets/javascripts/bundle\.[0-9a-f]+\.min\.js)"></script>')


def defer_bundle(html: str) -> str:
    html, found = BUNDLE.subn(r'<script src="\1" defer></script>', html, count=1)
    if not found:
        raise PluginError("Material's bundle <script> was not found: update BUNDLE in gen/hooks.py")
    return html


def on_post_page(output: str, page, config) -> str:
    """Math is rendered after the search plugin has indexed the page: the index gets each
    formula's LaTeX once, not KaTeX's MathML, source annotation and glyphs (a third of its bytes,
    and of the indexing time)."""
    assert _renderer is not None
    return defer_bundle(_renderer.page(output, page.file.src_uri))


def on_post_template(output: str, template_name: str, config) -> str:
    return defer_bundle(output) if template_name == "404.html" else output


def stop_drawing() -> None:
    """Stop the plot workers of a build that ends before MkDocs fetched every figure. The gen-files
    script re-imports gen on every build: its current gen.plot holds them."""
    plot = sys.modules.get("gen.plot")
    if plot is not None:
        plot.LATE.clear()
        plot.close_all()


def on_post_build(config) -> None:
    """The figures last: each is waited for only now, when every page has been written."""
    global _built
    if _renderer is not None:
        _renderer.close()
    plot = sys.modules.get("gen.plot")
    if plot is not None:
        for copy in plot.LATE:
            copy()
    stop_drawing()
    copy_assets(Path(config["site_dir"]))
    tidy_redirects(config)
    _built = True


REDIRECT_HEAD = '<meta charset="utf-8">'


def tidy_redirects(config) -> None:
    """mkdocs-redirects' short-link pages (written in its post_build, before this one) get a
    viewport, so a phone does not show "You're being redirected" at desktop width while it
    follows the link, and noindex, so search engines index the page itself, not its alias."""
    from mkdocs_redirects.plugin import get_html_path

    for old in config.plugins["redirects"].config["redirect_maps"]:
        path = Path(config["site_dir"]) / get_html_path(old, config["use_directory_urls"])
        html = path.read_text()
        if REDIRECT_HEAD not in html:
            raise PluginError(f"{path}: mkdocs-redirects' page has no {REDIRECT_HEAD}; update tidy_redirects")
        extra = '\n    <meta name="viewport" content="width=device-width, initial-scale=1">\n    <meta name="robots" content="noindex">'
        path.write_text(html.replace(REDIRECT_HEAD, REDIRECT_HEAD + extra, 1))


def on_shutdown() -> None:
    """A finished `mkdocs build` leaves at once: unloading torch's two thousand modules at exit
    took 0.6 s, longer than MkDocs takes to render every page. Output is flushed first; a failed
    build, `mkdocs serve` and any other command end as usual."""
    if _command == "build" and _built:
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


def on_build_error(error) -> None:
    """A failed build (strict warnings included, which abort only after every page is written)
    leaves no site behind: a half-valid site must not be mistaken for a good one."""
    global _built
    _built = False
    if _renderer is not None:
        _renderer.close()
    stop_drawing()
    if _command == "build" and _site_dir is not None:
        shutil.rmtree(_site_dir, ignore_errors=True)
