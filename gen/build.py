"""`generate(writer)`: the one entry point. The gen-files shim and `python -m gen` both call it.

Everything is computed in memory first (validate, run, verify, render, template) and written
only at the end, so a failure leaves nothing half-written.
"""

from __future__ import annotations

import functools
import json
import logging
import platform
import time
from collections.abc import Callable
from dataclasses import astuple, dataclass, replace
from importlib.metadata import version
from typing import Protocol

from gen import bundle, cache
from gen.catalog import ENTRIES, FAMILIES, SOURCES
from gen.data import csv_text, data_index, sidecar, snippet
from gen.explore import FILE as EXPLORE_FILE
from gen.explore import case_for, data_file, index_item, run_grid
from gen.explore import view as explore_view
from gen.guides import GUIDES as GUIDE_PAGES
from gen.guides import PITFALLS
from gen.guides.pages import CatalogPitfall, build_guide, guide_figures, guide_page, pitfalls_page
from gen.guides.run import run_plot
from gen.guides.validate import check_guides
from gen.math import katex_version
from gen.model import Case, Entry
from gen.pages import (
    HIGHLIGHT,
    Card,
    PitfallView,
    Versions,
    data_page,
    figure_view,
    highlight_script,
    home_page,
    md_escape,
    nav,
    scheduler_page,
    status_page,
)
from gen.pitfalls import capture
from gen.plot import Renderer, card, figure_for, thumbnail
from gen.publish import DATA_INDEX, DEFAULT_SITE_URL
from gen.run import run_case, torch_version, trace_key
from gen.validate import check_catalog
from gen.verify import verify

log = logging.getLogger("mkdocs.plugins.atlas")

# Pages listed after the schedulers in the nav: generated (data, status) and hand-written in docs/.
GUIDES: tuple[tuple[str, str], ...] = (
    ("Data files", "data/index.md"),
    ("Stable links", "links.md"),
    ("Where it stands", "status.md"),
    ("How the atlas is built", "about.md"),
)


class Writer(Protocol):
    def write(self, path: str, data: bytes) -> None: ...
    def edit_path(self, path: str, source: str) -> None: ...


# A writer may also take a drawing still under way, `write_later(path, fetch)`, and call `fetch()`
# for its bytes when it needs them (gen_pages.py: MkDocs, after rendering the pages). Writers
# without it get the bytes at once.


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
            f"{self.max_error:.1e}); rendered {self.plots} plots ({self.cached} from cache) in {self.seconds:.1f} s"
        )


def generate(
    writer: Writer, entries: tuple[Entry, ...] = ENTRIES, workers: int | None = None, site_url: str = DEFAULT_SITE_URL
) -> Summary:
    """`site_url` (ending in /) makes the absolute links of the embed snippets and the data index."""
    start = time.perf_counter()
    name = bundle.key(site_url, katex_version()) if entries is ENTRIES else None
    if name and (found := bundle.load(name)) is not None:  # nothing it reads has changed
        hand_over(writer, found.files, found.edits)
        summary = replace(Summary(*found.summary), cached=found.summary[2], seconds=time.perf_counter() - start)
        log.info(summary.line())
        return summary
    jobs = Renderer(workers)  # draws in the background as figures are appended
    try:
        return _generate(writer, entries, jobs, site_url, name)
    except BaseException:
        jobs.close()  # a failed build leaves no worker behind (mkdocs serve lives on)
        raise


def warm_up(entries: tuple[Entry, ...], grids: dict[str, list[Case]]) -> list[Callable[[], object]]:
    """What a clean build computes before its pages, for forked workers to put in the cache: every
    torch run (the Explore grids alone are hundreds), the highlighting of each Reproduce script,
    and the guides' scripts. Nothing when the cache holds the runs."""
    tasks: list[Callable[[], object]] = []
    for entry in entries:
        for task, cases in ((_run_and_highlight, entry.cases), (run_case, grids.get(entry.name, ()))):
            tasks += [functools.partial(task, entry, c) for c in cases if not cache.has(trace_key(entry, c))]
    if tasks:
        tasks += [functools.partial(run_plot, g, p) for g in (*GUIDE_PAGES, PITFALLS) for p in g.plots]
    return tasks


def _run_and_highlight(entry: Entry, case: Case) -> None:
    highlight_script(snippet(run_case(entry, case)))


def hand_over(writer: Writer, files: dict[str, bytes], edits: dict[str, str]) -> None:
    """The finished files, then each generated page's source for its edit link."""
    for path, data in sorted(files.items()):
        writer.write(path, data)
    for path, source in edits.items():
        writer.edit_path(path, source)


def _generate(writer: Writer, entries: tuple[Entry, ...], jobs: Renderer, site_url: str, name: str | None) -> Summary:
    start = time.perf_counter()
    if not (cache.folder() / "trace").is_dir():  # a clean build: matplotlib loads there, torch here
        jobs.start()
    check_catalog(entries, [f for f, _ in FAMILIES])
    check_guides((*GUIDE_PAGES, PITFALLS))
    grids = {e.name: [case_for(e, values) for values in e.explore.grid()] for e in entries if e.explore}
    if tasks := warm_up(entries, grids):  # torch's runs in forked workers, while the plot workers start
        jobs.start()
        cache.fill(tasks, jobs.workers)
    files: dict[str, bytes] = {}
    names, pages, cards, every_trace, every_check = [], [], [], [], []
    gathered: list[CatalogPitfall] = []
    worst, cases = 0.0, 0
    for entry in entries:
        folder = f"schedulers/{entry.slug}"
        traces = [run_case(entry, case) for case in entry.cases]
        checks = [verify(t) for t in traces]
        every_trace += traces
        every_check += checks
        worst, cases = max([worst, *(c.error for c in checks)]), cases + len(checks)
        figures = []
        for trace in traces:
            case = trace.case
            figure = figure_for(trace, f"{entry.name}: {case.title}")
            code = snippet(trace)
            base = f"{folder}/{case.id}"
            for theme in ("light", "dark"):
                jobs.append((figure, theme))
                names.append(f"{base}.{theme}.svg")
            links = {k: f"{case.id}.{k}" for k in ("csv", "py")} | {
                f"svg_{t}": f"{case.id}.{t}.svg" for t in ("light", "dark")
            }
            files[f"{base}.csv"] = csv_text(trace).encode()
            files[f"{base}.py"] = code.encode()
            files[f"{base}.json"] = sidecar(trace, code, links).encode()
            figures.append(figure_view(trace, figure, code, site_url))
        spans = {f.case.id: f.code_html for f in figures}
        files[f"{folder}/{HIGHLIGHT}"] = json.dumps(spans, sort_keys=True, separators=(",", ":")).encode()
        pitfalls = [PitfallView(p, capture(entry, p)) for p in entry.pitfalls]
        grid = run_grid(entry)  # the Explore panel: one torch run per setting, published as data
        files[f"{folder}/{EXPLORE_FILE}"] = (explore := data_file(entry, grid)).encode()
        panel = explore_view(entry, grid, explore)
        gathered += [CatalogPitfall(entry, v.pitfall, v.message) for v in pitfalls]
        pages.append((f"{folder}/index.md", scheduler_page(entry, figures, checks, pitfalls, panel), entry))
        # The link-preview image: the first figure as a PNG, which every card renderer shows.
        jobs.append((card(figure_for(traces[0], f"{entry.name}: {entry.cases[0].title}")), "card"))
        names.append(f"{folder}/card.png")
        thumb = thumbnail(traces[0])
        for theme in ("light", "dark"):
            jobs.append((thumb, theme))
            names.append(f"{folder}/thumb.{theme}.svg")
        w, h = thumb.size
        alt = md_escape(f"Thumbnail: the learning rate under {entry.name}")
        cards.append(Card(entry, f"{folder}/index.md", f"{folder}/thumb", alt, round(w * 96), round(h * 96)))
    guides = [build_guide(g, site_url) for g in (*GUIDE_PAGES, PITFALLS)]
    for built in guides:  # their figures join the same render batch
        for job in built.jobs:
            jobs.append(job)
        names += built.names
        files.update(built.files)
    for path, text, _ in pages:
        files[path] = text.encode()
    catalog = {f"{c.entry.name}/{c.pitfall.id}": c for c in gathered}
    for guide, built in zip(GUIDE_PAGES, guides, strict=False):
        files[built.page] = guide_page(guide, built, catalog).encode()
    titles = {f"schedulers/{e.slug}": e.name for e in entries} | {f"guides/{g.slug}": g.title for g in GUIDE_PAGES}
    own = [replace(t, see_title=titles.get(t.trap.see.rsplit("/", 1)[0], "")) for t in guides[-1].traps]
    traps = [t for b in guides[:-1] for t in b.traps]
    files[guides[-1].page] = pitfalls_page(PITFALLS, traps, gathered, own).encode()
    files["index.md"] = home_page(FAMILIES, cards, (*GUIDE_PAGES, PITFALLS)).encode()
    guide_nav = [(g.title, f"guides/{g.slug}/index.md") for g in (*GUIDE_PAGES, PITFALLS)]
    files["SUMMARY.md"] = nav(FAMILIES, entries, GUIDES, guide_nav).encode()
    figs = guide_figures((*GUIDE_PAGES, PITFALLS), guides)
    files["data/index.md"] = data_page(every_trace, figs).encode()
    explore = [index_item(e, site_url) for e in entries]
    files[DATA_INDEX] = data_index(every_trace, site_url, explore, [f.item(site_url) for f in figs]).encode()
    versions = Versions(
        torch_version(), platform.python_version(), version("matplotlib"), katex_version(), version("mkdocs-material")
    )
    files["status.md"] = status_page(versions, every_check, len(entries)).encode()
    edits = {path: SOURCES[entry.name] for path, _, entry in pages}
    edits |= {built.page: guide.source for guide, built in zip((*GUIDE_PAGES, PITFALLS), guides, strict=True)}
    hand_over(writer, files, edits)
    later = getattr(writer, "write_later", None)
    for i, path in enumerate(names):
        if later:
            later(path, functools.partial(jobs.get, i))
        else:
            writer.write(path, jobs.get(i))
    if not names:
        jobs.close()
    summary = Summary(len(entries), cases, len(names), jobs.cached, time.perf_counter() - start, worst)
    if name:
        drawings = {path: job[2] for path, job in zip(names, jobs.jobs, strict=True)}
        bundle.save(name, bundle.Bundle(files, drawings, edits, astuple(summary)))
    log.info(summary.line())
    return summary
