"""`generate()`: the whole site's generated part, in memory. gen.hooks hands it to MkDocs and
`python -m gen` writes it to a folder; both call this one function.

Everything is computed first (check, run, verify, template) and handed over only at the end, so a
failure leaves nothing half-written. Drawings are the one part that may still be under way: the
caller fetches them last.
"""

from __future__ import annotations

import functools
import logging
import platform
import time
from collections.abc import Callable
from dataclasses import astuple, dataclass, replace
from importlib.metadata import version

from gen import bundle, i18n, script
from gen.catalog import ENTRIES, FAMILIES, LIBRARIES
from gen.data import data_index
from gen.explore import FILE as EXPLORE_FILE
from gen.explore import data_file, grid_cases, index_item, run_grid
from gen.explore import view as explore_view
from gen.figure import HIGHLIGHT, Made, highlight_script, highlights
from gen.guides import GUIDES, PITFALLS
from gen.guides.pages import guide_figure, guide_page, guide_pitfall, pitfalls_page, scheduler_pitfall
from gen.guides.validate import check_guides
from gen.library import torch_version
from gen.math import katex_version
from gen.model import Entry, Pitfall
from gen.pages import Card, Versions, case_figure, data_page, home_page, links_page, nav, scheduler_page, status_page
from gen.plot import THUMB_SIZE, card, figure_for, thumbnail
from gen.publish import DATA_INDEX, DEFAULT_SITE_URL
from gen.reproduce import script as script_for
from gen.run import run_case
from gen.validate import check_catalog
from gen.verify import verify
from gen.workers import Drawings, Pool

log = logging.getLogger("mkdocs.plugins.atlas")

# Pages listed after the schedulers and guides in the nav: generated (data, status) or in docs/.
SITE_PAGES: tuple[tuple[str, str], ...] = (
    ("Data files", "data/index.md"),
    ("Stable links", "links.md"),
    ("Where it stands", "status.md"),
    ("How the atlas is built", "about.md"),
)


@dataclass(frozen=True)
class Summary:
    schedulers: int
    cases: int
    plots: int
    cached: int
    seconds: float
    max_error: float

    def line(self) -> str:
        return (
            f"atlas: {self.schedulers} schedulers, {self.cases} cases verified (max relative error "
            f"{self.max_error:.1e}); {self.plots} drawings ({self.cached} from cache) in {self.seconds:.1f} s"
        )


@dataclass(frozen=True)
class Site:
    """The generated files by their path under docs/, and the drawings: each path's name in the
    cache, its bytes from `fetch` (which waits for a drawing still under way)."""

    files: dict[str, bytes]
    drawings: dict[str, str]
    fetch: Callable[[str], bytes]
    summary: Summary
    close: Callable[[], None] = lambda: None  # stops the workers: call it once every drawing is fetched


def generate(
    entries: tuple[Entry, ...] = ENTRIES,
    workers: int | None = None,
    site_url: str = DEFAULT_SITE_URL,
    language: str = "en",
) -> Site:
    """`site_url` (ending in /) makes the absolute links of the embed snippets and the data index.
    `language`: the edition, "en" (at the site's root) or "zh" (under zh/; its pages show the
    English edition's data files and scripts). `site_url` is the site's root in both."""
    start = time.perf_counter()
    name = bundle.key(site_url, katex_version(), language) if entries is ENTRIES else None
    if name and (found := bundle.load(name)) is not None:  # nothing it reads has changed
        summary = replace(Summary(*found.summary), cached=found.summary[2], seconds=time.perf_counter() - start)
        log.info(summary.line())
        return Site(found.files, {}, found.files.__getitem__, summary)
    pool = Pool(workers)
    try:
        with i18n.edition(language):
            site = _generate(entries, pool, site_url, start)
    except BaseException:
        pool.close()  # a failed build leaves no worker behind (mkdocs serve lives on)
        raise
    if name:
        bundle.save(name, bundle.Bundle(site.files, site.drawings, astuple(site.summary)))
    return site


def missing_runs(entries: tuple[Entry, ...]) -> list[Callable[[], object]]:
    """Every script whose output the cache lacks (the Explore grids alone are hundreds), every
    pitfall whose message it lacks, and the highlighting of every Reproduce script, for the
    workers to put in the cache. This process then runs no library code: its first optimizer
    alone would cost it torch's two-second import of its compiler."""
    runs: list[tuple[str, str | None]] = []  # (script, warns)
    shown: list[str] = []  # the Reproduce scripts
    pitfalls: list[Pitfall] = []
    for entry in entries:
        grid = [case for _, case in grid_cases(entry)]
        for case in entry.cases:
            runs.append((code := script_for(entry, case), case.warns))
            shown.append(code)
        runs += [(script_for(entry, case), case.warns) for case in grid]
        pitfalls += entry.pitfalls
    for guide in (*GUIDES, PITFALLS):
        runs += [(plot.code, plot.warns) for plot in guide.plots]
        shown += [plot.code for plot in guide.plots]
        pitfalls += guide.pitfalls
    tasks = [
        functools.partial(script.run, "", code, warns) for code, warns in runs if not script.is_cached(code, warns)
    ]
    tasks += [functools.partial(script.capture, "", p) for p in pitfalls if not script.is_captured(p)]
    return tasks + [functools.partial(highlight_script, code) for code in shown] if tasks else []


def _generate(entries: tuple[Entry, ...], pool: Pool, site_url: str, start: float) -> Site:
    """The current edition's pages and drawings. The data files and scripts, which both editions
    show, are the English edition's: only it writes them, the other pages link to them."""
    check_catalog(entries, [f for f, _ in FAMILIES])
    check_guides((*GUIDES, PITFALLS))
    pool.fill(missing_runs(entries))
    drawings = Drawings(pool)
    english = i18n.language() == "en"
    files: dict[str, bytes] = {}
    pages, cards, every_trace, every_check, catalog_pitfalls = [], [], [], [], []

    def publish(made: Made) -> None:  # a scheduler case's figure and a guide's, the same way
        if english:
            files.update(made.files)
        for path, figure, theme in made.drawings:
            drawings.add(path, figure, theme)

    up = "" if english else "../"  # from this edition's root to the English one, whose files it shows
    for entry in entries:
        folder = f"schedulers/{entry.slug}"
        local = i18n.entry(entry)  # its prose in this edition's language; the scripts run are the same
        traces = [run_case(entry, case) for case in entry.cases]
        checks = [verify(t) for t in traces]
        traces = [i18n.trace(t) for t in traces]
        every_trace += traces
        every_check += checks
        made = [case_figure(t, c, site_url) for t, c in zip(traces, checks, strict=True)]
        for m in made:
            publish(m)
        views = [m.view for m in made]
        if english:
            files[f"{folder}/{HIGHLIGHT}"] = highlights(views)
        pitfalls = [scheduler_pitfall(local, p) for p in local.pitfalls]
        catalog_pitfalls += pitfalls
        panel = None
        if entry.explore:  # the Explore panel: one run per setting, published as data
            grid = run_grid(entry)
            explore = data_file(entry, grid)
            if english:
                files[f"{folder}/{EXPLORE_FILE}"] = explore.encode()
            panel = explore_view(local, grid, explore)
        pages.append((f"{folder}/index.md", scheduler_page(local, views, checks, pitfalls, panel)))
        # The link-preview image: the first figure as a PNG, which every card renderer shows.
        drawings.add(f"{folder}/card.png", card(figure_for(traces[0], f"{entry.name}: {local.cases[0].title}")), "card")
        if english:  # no text in it: one for both editions
            thumb = thumbnail(next(t for t in traces if t.case.id == entry.thumb_case))
            for theme in ("light", "dark"):
                drawings.add(f"{folder}/thumb.{theme}.svg", thumb, theme)
        alt = i18n.tr("Thumbnail: the learning rate under {name}", "gallery", name=entry.name)
        cards.append(Card(local, f"{folder}/index.md", f"{up}{folder}/thumb", alt, *THUMB_PX))
    for path, text in pages:
        files[path] = text.encode()
    catalog = {f"{v.name}/{v.pitfall.id}": v for v in catalog_pitfalls}
    guides = [i18n.guide(g) for g in (*GUIDES, PITFALLS)]
    titles = {f"schedulers/{e.slug}": e.name for e in entries} | {f"guides/{g.slug}": g.title for g in guides[:-1]}
    guide_figures, gathered = [], []
    for guide in guides:
        figures = [guide_figure(guide, plot, site_url) for plot in guide.plots]
        guide_figures += figures
        for f in figures:
            publish(f.made)
        folder = f"guides/{guide.slug}"
        if figures and english:
            files[f"{folder}/{HIGHLIGHT}"] = highlights([f.view for f in figures])
        pitfalls = [guide_pitfall(guide, p) for p in guide.pitfalls]
        if guide.slug == PITFALLS.slug:  # the page that gathers every pitfall, each once
            own = [replace(v, see_title=titles.get(v.pitfall.see.rsplit("/", 1)[0], "")) for v in pitfalls]
            files[f"{folder}/index.md"] = pitfalls_page(guide, gathered, own, catalog_pitfalls).encode()
        else:
            gathered += pitfalls
            files[f"{folder}/index.md"] = guide_page(guide, figures, pitfalls, catalog).encode()
    files["index.md"] = home_page(LIBRARIES, FAMILIES, cards, guides).encode()
    guide_nav = [(g.title, f"guides/{g.slug}/index.md") for g in guides]
    files["SUMMARY.md"] = nav(LIBRARIES, FAMILIES, entries, SITE_PAGES, guide_nav).encode()
    files["data/index.md"] = data_page(every_trace, guide_figures).encode()
    if not english:  # its own form of docs/about.md
        files["about.md"] = i18n.page("about.md")
    if english:
        explore = [index_item(e, site_url) for e in entries if e.explore]
        items = [f.item(site_url) for f in guide_figures]
        files[DATA_INDEX] = data_index(every_trace, site_url, explore, items).encode()
    versions = Versions(
        torch_version(),
        version("transformers"),
        version("timm"),
        platform.python_version(),
        version("matplotlib"),
        katex_version(),
        version("mkdocs-material"),
    )
    files["status.md"] = status_page(versions, every_check, len(entries)).encode()
    files["links.md"] = links_page(guides, SITE_PAGES).encode()
    worst = max(c.error for c in every_check)
    summary = Summary(
        len(entries), len(every_check), len(drawings), drawings.cached, time.perf_counter() - start, worst
    )
    log.info(summary.line())
    if not drawings.jobs:
        pool.close()
    return Site(files, drawings.names, drawings.get, summary, pool.close)


# The thumbnail's size in CSS px (gen.plot.thumbnail draws every one at this size).
THUMB_PX = tuple(round(x * 96) for x in THUMB_SIZE)
