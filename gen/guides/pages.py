"""Guides -> figures (render jobs), data files and Markdown pages, like the scheduler pages get."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from gen.guides.model import Guide, Plot, Trap
from gen.guides.run import Table, check_plot, run_plot, run_trap
from gen.model import CatalogError, Entry, Pitfall
from gen.pages import ENV, PX_PER_INCH, md_escape, short
from gen.plot import Figure, Series
from gen.publish import FILES, LICENSE, SUFFIXES, absolute
from gen.run import torch_version

LOWER = "momentum"  # columns named momentum[...] go to the lower panel


@dataclass(frozen=True)
class PlotView:
    plot: Plot
    alt: str
    caption: str
    width: int
    height: int
    check: str  # the sentence stating the build-time check
    permalink: str
    urls: tuple[str, ...]
    warnings: tuple[str, ...]  # what torch warned while the script ran, word for word
    note: str  # Markdown the plot computes from its own run
    multiples: tuple[tuple[str, str, str], ...] = ()  # (file stem, alt, caption) of each small figure


@dataclass(frozen=True)
class Also:
    """Another place that explains a pitfall the pitfalls page shows once (see `merge_pitfalls`)."""

    name: str  # the scheduler, for a scheduler page's pitfall; "" for a guide's trap
    title: str  # the page, in words
    url: str  # from the docs root, with its #anchor
    anchor: str  # the id it would have had on the pitfalls page: old links still land on it


@dataclass(frozen=True)
class TrapView:
    trap: Trap
    message: str  # `<Class>: <text>` as torch gave it, or a silent trap's printed evidence
    page: str  # the guide page it is explained on, from the docs root
    title: str  # the guide's title
    see_title: str = ""  # what `trap.see` links to, in words
    also: tuple[Also, ...] = ()  # the same pitfall elsewhere, merged into this one on the pitfalls page

    def place(self) -> Also:
        return Also("", self.title, self.trap.see or self.page, self.trap.id)


@dataclass(frozen=True)
class CatalogPitfall:
    """A scheduler page's pitfall, as the pitfalls page gathers it."""

    entry: Entry
    pitfall: Pitfall
    message: str
    also: tuple[Also, ...] = ()

    def place(self) -> Also:
        page = f"schedulers/{self.entry.slug}/index.md#{self.pitfall.id}"
        return Also(self.entry.name, f"{self.entry.name} page", page, f"{self.entry.slug}-{self.pitfall.id}")


def same_message(message: str) -> str:
    """What makes two pitfalls one: the class and text torch gave (or the evidence printed), with
    whitespace and the quotes `str()` of a KeyError adds left out."""
    kind, _, text = message.partition(": ")
    text = " ".join(text.split())
    if len(text) > 1 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1]
    return f"{kind}: {text}"


def merge_pitfalls(
    traps: Sequence[TrapView], own: Sequence[TrapView], catalog: Sequence[CatalogPitfall]
) -> tuple[list[TrapView], list[TrapView], list[CatalogPitfall]]:
    """Each pitfall once. An item whose message an earlier one already shows (the guides' traps
    first, then the pitfalls page's own, then the scheduler pages in catalog order) is folded into
    that one, which then links to both places and keeps the folded item's anchor."""
    first: dict[str, tuple[int, int]] = {}  # message -> (list, index) of the item that shows it
    out: tuple[list, list, list] = ([], [], [])
    for which, items in enumerate((traps, own, catalog)):
        for item in items:
            key = same_message(item.message)
            if key in first:
                w, i = first[key]
                out[w][i] = replace(out[w][i], also=(*out[w][i].also, item.place()))
            else:
                first[key] = (which, len(out[which]))
                out[which].append(item)
    return out


@dataclass(frozen=True)
class Built:
    files: dict[str, bytes]
    jobs: list[tuple[Figure, str]]
    names: list[str]
    page: str  # the Markdown page's path
    traps: list[TrapView]
    tables: dict[str, Table]
    errors: dict[str, float]
    views: dict[str, PlotView]


def label(column: str) -> str:
    """`lr[per batch]` -> `per batch`: the legend entry."""
    return column.split("[", 1)[1][:-1] if "[" in column else column


def figure(plot: Plot, table: Table) -> Figure:
    series, every = [], dict(plot.marked)
    for name, values in zip(table.header[1:], table.columns[1:], strict=True):
        series.append(Series(label(name), values, name.startswith(LOWER), name in plot.dashed, every.get(name, 0)))
    lower = LOWER if any(s.lower for s in series) else None
    return Figure(plot.title, tuple(series), plot.xlabel, lower, plot.log, (), (7.2, 4.6 if lower else 3.4))


SMALL = (3.6, 2.2)  # inches: two side by side on a desktop page, one per row on a phone


def shared_range(columns: Sequence[Sequence[float]], log: bool) -> tuple[float, float]:
    """One y range for every small multiple: all their values, with matplotlib's 5% margin (in
    log space on a log axis), so the small figures compare by eye."""
    values = [v for c in columns for v in c if v > 0 or not log]
    low, high = (math.log10(min(values)), math.log10(max(values))) if log else (min(values), max(values))
    pad = 0.05 * (high - low) or 0.05 * abs(high) or 0.05
    low, high = low - pad, high + pad
    return (10**low, 10**high) if log else (low, high)


def small_figures(plot: Plot, table: Table) -> list[Figure]:
    """Each column alone, on its own axes but all on the same y range: the small multiples of a comparison."""
    ylim = shared_range(table.columns[1:], plot.log)
    return [
        Figure(label(name), (Series("", values),), plot.xlabel, None, plot.log, (), SMALL, ylim=ylim)
        for name, values in zip(table.header[1:], table.columns[1:], strict=True)
    ]


def small_multiples(guide: Guide, plot: Plot, table: Table) -> list[tuple[str, Figure, str, str]]:
    """(file stem, figure, alt text, caption) of each column drawn alone, if the plot asks for it."""
    if not plot.multiples:
        return []
    if len(plot.multiples) != len(table.header) - 1:
        raise CatalogError(
            f"guide {guide.slug!r} plot {plot.id!r} field 'multiples': {len(plot.multiples)} captions for "
            f"{len(table.header) - 1} columns; expected one per column"
        )
    out = []
    for i, (small, text) in enumerate(zip(small_figures(plot, table), plot.multiples, strict=True)):
        values = small.series[0].values
        alt = f"Line chart: {small.title} alone, from {short(values[0])} to {short(values[-1])}, peak {short(max(values))}."
        out.append((f"{plot.id}-{i + 1}", small, md_escape(alt), text))
    return out


def alt_text(plot: Plot, table: Table) -> str:
    parts = []
    for name, values in zip(table.header[1:], table.columns[1:], strict=True):
        peak = max(range(len(values)), key=values.__getitem__)
        what = f"{name.split('[')[0].replace('lr', 'the rate')} ({label(name)})"
        parts.append(
            f"{what} starts at {short(values[0])}, peaks at {short(values[peak])} at {plot.xlabel} {peak}, "
            f"ends at {short(values[-1])}"
        )
    return f"Line chart: {plot.title}, over {len(table.columns[0])} {plot.xlabel}s; " + "; ".join(parts) + "."


def check_text(plot: Plot, table: Table, error: float) -> str:
    rows = len(table.columns[0])
    how = "exactly" if error == 0 else f"to {error:.1e} (max relative error)"
    same = "".join(
        f" The build also requires `{label(a)}` and `{label(b)}` to be identical at every step, and they are."
        for a, b in plot.same
    )
    return (
        f"Matches torch {torch_version()} {how} over {rows} steps: when this page was built, an "
        f"independent Python twin of the formula predicted every {plot.xlabel} of every curve "
        f"and the build compared it with the run of the script below (it fails past 1e-12).{same}"
    )


def build_guide(guide: Guide, site_url: str) -> Built:
    """Run, check and prepare everything of one guide; render jobs are left to the caller."""
    folder = f"guides/{guide.slug}"
    files: dict[str, bytes] = {}
    jobs, names, views, tables, errors = [], [], {}, {}, {}
    for plot in guide.plots:
        table = run_plot(guide, plot)
        error = check_plot(guide, plot, table)
        for name, columns in (("dashed", plot.dashed), ("marked", tuple(c for c, _ in plot.marked))):
            if unknown := [c for c in columns if c not in table.header]:
                raise CatalogError(
                    f"guide {guide.slug!r} plot {plot.id!r} field {name!r}: no column {unknown[0]!r}; "
                    f"the script printed {table.header}"
                )
        tables[plot.id], errors[plot.id] = table, error
        fig = figure(plot, table)
        base = f"{folder}/{plot.id}"
        for theme in ("light", "dark"):
            jobs.append((fig, theme))
            names.append(f"{base}.{theme}.svg")
        urls = tuple(absolute(site_url, f"{base}.{s}") for s in SUFFIXES)
        links = {"svg_light": f"{plot.id}.light.svg", "svg_dark": f"{plot.id}.dark.svg"} | {
            k: f"{plot.id}.{k}" for k in ("csv", "py")
        }
        doc = {
            "guide": absolute(site_url, f"{folder}/index.md"),
            "figure": plot.id,
            "title": plot.title,
            "caption": plot.caption,
            "steps": len(table.columns[0]),
            "columns": list(table.header),
            "torch": torch_version(),
            "max_relative_error": error,
            "files": links,
            "license": LICENSE.json(),
            "snippet": plot.code,
        }
        files[f"{base}.csv"] = table.csv.encode()
        files[f"{base}.py"] = plot.code.encode()
        files[f"{base}.json"] = (json.dumps(doc, indent=2) + "\n").encode()
        w, h = round(fig.size[0] * PX_PER_INCH), round(fig.size[1] * PX_PER_INCH)
        multiples = small_multiples(guide, plot, table)
        for stem, small, _, _ in multiples:
            for theme in ("light", "dark"):
                jobs.append((small, theme))
                names.append(f"{folder}/{stem}.{theme}.svg")
        permalink = f"{absolute(site_url, f'{folder}/index.md')}#{plot.id}"
        views[plot.id] = PlotView(
            plot,
            md_escape(alt_text(plot, table)),
            plot.caption,
            w,
            h,
            check_text(plot, table, error),
            permalink,
            urls,
            table.warnings,
            plot.note(dict(zip(table.header, table.columns, strict=True))) if plot.note else "",
            tuple((stem, alt, text) for stem, _, alt, text in multiples),
        )
    traps = [TrapView(t, run_trap(guide.slug, t), f"{folder}/index.md", guide.title) for t in guide.traps]
    page = f"{folder}/index.md"
    return Built(files, jobs, names, page, traps, tables, errors, views)


@dataclass(frozen=True)
class GuideFigure:
    """A guide figure as the data page and the data index list it: where it is, what its files are."""

    guide: Guide
    view: PlotView
    steps: int
    columns: tuple[str, ...]

    @property
    def page(self) -> str:  # the guide's Markdown page, from the docs root
        return f"guides/{self.guide.slug}/index.md"

    @property
    def base(self) -> str:  # the figure's files without suffix, from the site root
        return f"guides/{self.guide.slug}/{self.view.plot.id}"

    def item(self, site_url: str) -> dict[str, Any]:
        """Its line in /data/index.json: absolute URLs, the file keys of a case's files."""
        folder = self.base.rsplit("/", 1)[0]
        out: dict[str, Any] = {
            "guide": self.guide.title,
            "page": f"{absolute(site_url, self.page)}#{self.view.plot.id}",
            "figure": self.view.plot.id,
            "title": self.view.plot.title,
            "steps": self.steps,
            "columns": list(self.columns),
            "files": {k: absolute(site_url, f"{self.base}.{s}") for k, s in FILES.items()},
        }
        if self.view.multiples:  # each column drawn alone: SVGs only, their data is the figure's CSV
            out["multiples"] = [
                {k: absolute(site_url, f"{folder}/{stem}.{s}") for k, s in FILES.items() if k.startswith("svg")}
                for stem, _, _ in self.view.multiples
            ]
        return out


def guide_figures(guides: Sequence[Guide], built: Sequence[Built]) -> list[GuideFigure]:
    """Every guide figure, in nav order, for the data page and the data index."""
    return [
        GuideFigure(g, b.views[p.id], len(b.tables[p.id].columns[0]), b.tables[p.id].header)
        for g, b in zip(guides, built, strict=True)
        for p in g.plots
    ]


def guide_page(guide: Guide, built: Built, catalog: Mapping[str, CatalogPitfall]) -> str:
    """`catalog` holds the scheduler pages' pitfalls by `<Class>/<id>`, for a guide to show again."""
    return ENV.get_template(guide.template).render(
        guide=guide,
        fig=built.views,
        traps={v.trap.id: v for v in built.traps},
        catalog=catalog,
        torch=torch_version(),
        license=LICENSE,
        **guide.extra,
    )


def pitfalls_page(
    guide: Guide, gathered: Sequence[TrapView], catalog: Sequence[CatalogPitfall], own: Sequence[TrapView]
) -> str:
    gathered, own, catalog = merge_pitfalls(gathered, own, catalog)
    return ENV.get_template(guide.template).render(
        guide=guide, gathered=gathered, catalog=catalog, own=own, torch=torch_version(), license=LICENSE
    )
