"""What the atlas asks of MkDocs beyond mkdocs-gen-files, through the public API of MkDocs 1.6:
the generator imported afresh for every build, the short links, server-side math, Material's
script deferred, the search index in UTF-8, the other editions, and no half-built site. The
generated files themselves go in through gen-files' script, gen/files.py; no other module knows
MkDocs.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType

from jinja2 import FileSystemBytecodeCache
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import InclusionLevel

_command = "build"
_math = None  # gen.math.Renderer of this build
_site_dir = ""
# The MkDocs 2 notice the plugins print: once is enough, the other editions' builds leave it out.
QUIET = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
_aliases_added: set[str] = set()  # the catalog's short links put in redirect_maps by the last on_config


def fresh(module: str) -> ModuleType:
    """`module` as it is on disk now. `mkdocs serve` rebuilds in one long-lived process whose
    imported modules would keep the generator of its first build; Python re-imports a module
    only once it is gone from `sys.modules`, so every `gen` module is dropped first."""
    for name in [m for m in sys.modules if m == "gen" or m.startswith("gen.")]:
        del sys.modules[name]
    return importlib.import_module(module)


def on_startup(command, dirty) -> None:
    global _command
    _command = command


# A site built to be hosted writes its address into permalinks, embed snippets, canonical tags and
# the sitemap: `mkdocs build` without it would publish the local one that `mkdocs serve` uses.
NO_SITE_URL = (
    "ATLAS_SITE_URL is not set: `mkdocs build` makes the site for where it will be hosted, and "
    "writes that address into its permalinks, embed snippets, canonical tags and sitemap. Set it "
    "to the address, ending in /, e.g. `ATLAS_SITE_URL=https://user.github.io/atlas/ make build`; "
    "`make serve` (mkdocs serve) needs none. To build for this machine: ATLAS_SITE_URL=http://127.0.0.1:8000/"
)


def on_config(config):
    """The generator as it is on disk now, imported before gen-files runs its script. Short links
    (/CosineAnnealingLR/) come from the catalog, not from a list in mkdocs.yml that would fall out
    of step: they are added to mkdocs-redirects' map, which it reads in on_files. They lead to
    the English pages, so the other editions add none."""
    global _site_dir
    if _command in ("build", "gh-deploy") and not os.environ.get("ATLAS_SITE_URL"):
        raise PluginError(NO_SITE_URL)
    _site_dir = config["site_dir"]
    i18n = fresh("gen.i18n")
    # Every edition's root address, for the sitemap's hreflang alternates (overrides/sitemap.xml).
    root = config.site_url.removesuffix(i18n.folder(config.theme["language"]))
    config.extra["editions"] = {code: root + i18n.folder(code) for code in i18n.LANGUAGES}
    if config.theme["language"] != "en":
        import jieba  # Material's search cuts Chinese into words with it; each glossary term is one

        jieba.setLogLevel(logging.WARNING)
        for word in i18n.terms():
            jieba.add_word(word)
        return config
    aliases = importlib.import_module("gen.publish").aliases(importlib.import_module("gen.catalog").ENTRIES)
    redirects = config.plugins["redirects"].config["redirect_maps"]
    if clash := (redirects.keys() - _aliases_added) & aliases.keys():
        raise PluginError(f"mkdocs.yml redirect_maps repeats catalog aliases: {sorted(clash)}")
    for old in _aliases_added - aliases.keys():  # a short link whose entry is gone (mkdocs serve)
        redirects.pop(old, None)
    redirects.update(aliases)
    _aliases_added.clear()
    _aliases_added.update(aliases)
    return config


def on_files(files, config):
    """After gen-files' script: SUMMARY.md feeds literate-nav; it is not a page itself."""
    global _math
    _math = importlib.import_module("gen.math").Renderer()
    summary = files.get_file_from_path("SUMMARY.md")
    if summary is not None:
        summary.inclusion = InclusionLevel.EXCLUDED
    return files


def on_env(env, config, files):
    """Material's ~50 templates were compiled on every build (a tenth of a warm rebuild): Jinja
    keeps their bytecode in the cache, checked against each template's source when loaded."""
    folder = importlib.import_module("gen.cache").folder() / "jinja"
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
    assert _math is not None
    return defer_bundle(_math.page(output, page.file.src_uri))


def on_post_template(output: str, template_name: str, config) -> str:
    return defer_bundle(output) if template_name == "404.html" else output


def on_post_build(config) -> None:
    if _math is not None:
        _math.close()
    importlib.import_module("gen.math").copy_assets(Path(config["site_dir"]))
    search_index_in_utf8(Path(config["site_dir"]) / "search" / "search_index.json")
    if config.theme["language"] == "en":
        tidy_redirects(config)
        finish_editions(Path(config.site_dir))


def search_index_in_utf8(path: Path) -> None:
    """Material's search plugin (its on_post_build, run before the hooks') writes every character
    past ASCII as an escape: six bytes for a Chinese character's three, and six for each zero-width
    space jieba puts between words. The same JSON in UTF-8 is a fifth smaller gzipped for the
    Chinese edition (178 KB to 143 KB), the English one's is all but unchanged."""
    if path.is_file():
        index = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


EDITIONS = {"zh": "mkdocs.zh.yml"}  # each other edition's config, beside mkdocs.yml
_editions: list[tuple[str, subprocess.Popen, Path]] = []  # this build's other editions, under way


def on_pre_build(config) -> None:
    """Each other edition is a whole MkDocs build of its own config (its nav, search index,
    interface language and sitemap are its own), started with this one by the same command
    (`mkdocs build`, `serve`, `gh-deploy`), in a process of its own: a build's page work is one
    core's, and the two run side by side. It builds into a folder of its own, moved into
    <site_dir>/<code>/ once this build is done (this one cleans its site folder after this event)."""
    if config.theme["language"] != "en":
        return
    stop_editions()
    here = Path(config.config_file_path).parent
    for code, name in EDITIONS.items():
        out = Path(tempfile.mkdtemp(prefix=f"atlas-{code}-"))
        cmd = [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--config-file",
            str(here / name),
            "--site-dir",
            str(out / "site"),
        ]
        env = os.environ | QUIET | {"ATLAS_SITE_URL": f"{config.site_url}{code}/"}
        _editions.append((code, subprocess.Popen([*cmd, *(["--strict"] if config.strict else [])], env=env), out))


def finish_editions(site_dir: Path) -> None:
    """Waits for the other editions and puts each in its folder; one that failed fails this build
    (its own log, above, says why)."""
    for code, process, _ in _editions:
        if process.wait() != 0:
            raise PluginError(
                f"the {code} edition's build failed (mkdocs build --config-file {EDITIONS[code]}): see its log above"
            )
    for code, _, out in _editions:
        shutil.rmtree(site_dir / code, ignore_errors=True)
        shutil.move(out / "site", site_dir / code)
    stop_editions()


def stop_editions() -> None:
    for _, process, out in _editions:
        if process.poll() is None:
            process.kill()
            process.wait()
        shutil.rmtree(out, ignore_errors=True)
    _editions.clear()


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


def on_build_error(error) -> None:
    """A failed build (strict warnings included, which abort only after every page is written)
    leaves no worker and no site behind: a half-valid site must not be mistaken for a good one."""
    if _math is not None:
        _math.close()
    stop_editions()
    if _command == "build" and _site_dir:
        shutil.rmtree(_site_dir, ignore_errors=True)
