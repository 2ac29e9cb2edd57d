"""Guides -> their figures (through gen.figure, as every figure is made) and Markdown pages."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from gen import i18n, script
from gen.figure import FigureView, Made, Small, label, make, short
from gen.guides.model import Guide, Plot
from gen.library import release, releases, torch_version
from gen.model import CatalogError, Entry, Pitfall
from gen.pages import ENV
from gen.plot import Figure, Series, words
from gen.publish import FILES, LICENSE, absolute
from gen.verify import Check, compare, sentence

LOWER = "momentum"  # a guide's columns named momentum[...] go to the lower panel


@dataclass(frozen=True)
class Also:
    """Another place that explains a pitfall the pitfalls page shows once (see `merge_pitfalls`)."""

    name: str  # the scheduler, for a scheduler page's pitfall; "" for a guide's
    title: str  # the page, in words
    url: str  # from the docs root, with its #anchor
    anchor: str  # the id it would have had on the pitfalls page: old links still land on it


@dataclass(frozen=True)
class PitfallView:
    """A pitfall with the message the library gave, as its page and the pitfalls page show it."""

    pitfall: Pitfall
    message: str  # `<Class>: <text>` as the library gave it, or a silent pitfall's printed evidence
    page: str  # the page it is explained on, from the docs root
    title: str  # that page, in words
    name: str = ""  # the scheduler, for a scheduler page's pitfall
    anchor: str = ""  # its id on the pitfalls page (a scheduler's: `<slug>-<id>`, unique there)
    see_title: str = ""  # what `pitfall.see` links to, in words
    also: tuple[Also, ...] = ()  # the same pitfall elsewhere, merged into this one on the pitfalls page
    library: str = ""  # who gave the message, `transformers 5.23.0`; empty: torch, like every guide's

    def place(self) -> Also:
        return Also(self.name, self.title, self.pitfall.see or f"{self.page}#{self.pitfall.id}", self.anchor)


def scheduler_pitfall(entry: Entry, pitfall: Pitfall) -> PitfallView:
    message = script.capture(entry.name, pitfall)
    page = f"schedulers/{entry.slug}/index.md"
    library = "" if entry.library == "torch" else release(entry.module)
    title = i18n.tr("{name} page", "pitfalls", name=entry.name)
    return PitfallView(pitfall, message, page, title, entry.name, f"{entry.slug}-{pitfall.id}", library=library)


def guide_pitfall(guide: Guide, pitfall: Pitfall) -> PitfallView:
    message = script.capture(f"guide {guide.slug!r}", pitfall)
    return PitfallView(pitfall, message, f"guides/{guide.slug}/index.md", guide.title, anchor=pitfall.id)


def same_message(message: str) -> str:
    """What makes two pitfalls one: the class and text the library gave (or the evidence printed),
    with whitespace and the quotes `str()` of a KeyError adds left out."""
    kind, _, text = message.partition(": ")
    text = " ".join(text.split())
    if len(text) > 1 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1]
    return f"{kind}: {text}"


def merge_pitfalls(*groups: Sequence[PitfallView]) -> list[list[PitfallView]]:
    """Each pitfall once. An item whose message an earlier one already shows (earlier groups
    first) is folded into that one, which then links to both places and keeps the folded item's
    anchor."""
    first: dict[str, tuple[int, int]] = {}  # message -> (group, index) of the item that shows it
    out: list[list[PitfallView]] = [[] for _ in groups]
    for which, items in enumerate(groups):
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
class GuideFigure:
    """A guide figure, made: what the page, the data page and the data index show of it."""

    guide: Guide
    plot: Plot
    made: Made
    check: Check
    columns: tuple[str, ...]

    @property
    def view(self) -> FigureView:
        return self.made.view

    @property
    def page(self) -> str:  # the guide's Markdown page, from the docs root
        return f"guides/{self.guide.slug}/index.md"

    @property
    def base(self) -> str:  # the figure's files without suffix, from the site root
        return f"guides/{self.guide.slug}/{self.plot.id}"

    def item(self, site_url: str) -> dict[str, Any]:
        """Its line in /data/index.json: absolute URLs, the file keys of a case's files."""
        urls = dict(zip(FILES, self.view.embed.urls, strict=True))
        out: dict[str, Any] = {
            "guide": self.guide.title,
            "page": self.view.embed.permalink,
            "figure": self.plot.id,
            "title": self.plot.title,
            "steps": self.check.steps,
            "columns": list(self.columns),
            "files": urls,
        }
        if self.view.multiples:  # each column drawn alone: SVGs only, their data is the figure's CSV
            folder = absolute(site_url, f"guides/{self.guide.slug}/")
            out["multiples"] = [
                {"svg_light": f"{folder}{s.stem}.light.svg", "svg_dark": f"{folder}{s.stem}.dark.svg"}
                for s in self.view.multiples
            ]
        return out


def figure(plot: Plot, output: script.Output) -> Figure:
    series, every = [], dict(plot.marked)
    for name, values in zip(output.header[1:], output.columns[1:], strict=True):
        series.append(
            Series(words(label(name) or name), values, name.startswith(LOWER), name in plot.dashed, every.get(name, 0))
        )
    lower = words(LOWER) if any(s.lower for s in series) else None
    size = (7.2, 4.6 if lower else 3.4)
    return Figure(
        plot.title, tuple(series), words(plot.xlabel), lower, plot.log, (), size, ylabel=words("learning rate")
    )


SMALL = (3.6, 2.2)  # inches: two side by side on a desktop page, one per row on a phone


def shared_range(columns: Sequence[Sequence[float]], log: bool) -> tuple[float, float]:
    """One y range for every small multiple: all their values, with matplotlib's 5% margin (in
    log space on a log axis), so the small figures compare by eye."""
    values = [v for c in columns for v in c if v > 0 or not log]
    low, high = (math.log10(min(values)), math.log10(max(values))) if log else (min(values), max(values))
    pad = 0.05 * (high - low) or 0.05 * abs(high) or 0.05
    low, high = low - pad, high + pad
    return (10**low, 10**high) if log else (low, high)


def small_figures(plot: Plot, output: script.Output) -> list[Figure]:
    """Each column alone, on its own axes but all on the same y range: the small multiples of a comparison."""
    ylim = shared_range(output.columns[1:], plot.log)
    return [
        Figure(
            words(label(name) or name),
            (Series("", values),),
            words(plot.xlabel),
            None,
            plot.log,
            (),
            SMALL,
            ylim=ylim,
            ylabel=words("learning rate"),
        )
        for name, values in zip(output.header[1:], output.columns[1:], strict=True)
    ]


def small_multiples(guide: Guide, plot: Plot, output: script.Output) -> list[tuple[Small, Figure]]:
    """Each column drawn alone, if the plot asks for it."""
    if not plot.multiples:
        return []
    if len(plot.multiples) != len(output.header) - 1:
        raise CatalogError(
            f"guide {guide.slug!r} plot {plot.id!r} field 'multiples': {len(plot.multiples)} captions for "
            f"{len(output.header) - 1} columns; expected one per column"
        )
    out = []
    for i, (small, text) in enumerate(zip(small_figures(plot, output), plot.multiples, strict=True)):
        values = small.series[0].values
        alt = i18n.tr(
            "Line chart: {title} alone, from {first} to {last}, peak {peak}.", f"guide {guide.slug!r} plot {plot.id!r}",
            title=small.title, first=short(values[0]), last=short(values[-1]), peak=short(max(values)),
        )  # fmt: skip
        out.append((Small(f"{plot.id}-{i + 1}", alt, text), small))
    return out


def run_plot(guide: Guide, plot: Plot) -> script.Output:
    return script.run(f"guide {guide.slug!r} plot {plot.id!r}", plot.code, plot.warns)


def check_plot(guide: Guide, plot: Plot, output: script.Output) -> float:
    """Every column against the twin, or identical to its `same` partner; the largest error."""
    owner = f"guide {guide.slug!r} plot {plot.id!r}"
    for name, columns in (("dashed", plot.dashed), ("marked", tuple(c for c, _ in plot.marked))):
        if unknown := [c for c in columns if c not in output.header]:
            raise CatalogError(f"{owner} field {name!r}: no column {unknown[0]!r}; the script printed {output.header}")
    return compare(owner, output, plot.twin(output.rows), plot.same)


def then(text: str, more: str) -> str:
    """One sentence after another: a space after an English full stop, none after a Chinese one."""
    return text + ("" if text.endswith(tuple(i18n.FULL_WIDTH)) else " ") + more


def guide_figure(guide: Guide, plot: Plot, site_url: str) -> GuideFigure:
    """Run, check and make one guide figure, its small multiples included."""
    output = run_plot(guide, plot)
    check = Check(check_plot(guide, plot, output), output.rows)
    said = sentence(check, releases(plot.code))
    where = f"guide {guide.slug!r} plot {plot.id!r}"

    def legend(column: str) -> str:  # a run as the figure's legend names it
        return words(label(column))

    # quoted as code in English (the CSV's column), as words in Chinese (the legend's)
    quote = "`{}`" if i18n.language() == "en" else "“{}”"
    for a, b in plot.same:
        said = then(
            said,
            i18n.tr(
                "The build also requires {a} and {b} to be identical at every step, and they are.",
                where, a=quote.format(legend(a)), b=quote.format(legend(b)),
            ),
        )  # fmt: skip
    if plot.formula:
        said = then(said, i18n.tr("The twin computes {formula}.", where, formula=f"\\({plot.formula}\\)"))
    multiples = small_multiples(guide, plot, output)
    folder = f"guides/{guide.slug}"
    made = make(
        folder, plot.id, plot.title, plot.caption, plot.title, output, plot.code, figure(plot, output),
        {"guide": absolute(site_url, f"{folder}/index.md"), "figure": plot.id}, check.error, site_url, plot.title, "",
        text=plot.note(dict(zip(output.header, output.columns, strict=True))) if plot.note else "",
        check=said, library=releases(plot.code), warnings=output.warnings, multiples=tuple(s for s, _ in multiples), log=plot.log,
        unit=plot.xlabel, legend=legend,
    )  # fmt: skip
    smalls = tuple((f"{folder}/{s.stem}.{t}.svg", fig, t) for s, fig in multiples for t in ("light", "dark"))
    made = replace(made, drawings=made.drawings + smalls)
    return GuideFigure(guide, plot, made, check, output.header)


def guide_page(
    guide: Guide, figures: Sequence[GuideFigure], pitfalls: Sequence[PitfallView], catalog: Mapping[str, PitfallView]
) -> str:
    """`catalog` holds the scheduler pages' pitfalls by `<Class>/<id>`, for a guide to show again."""
    return ENV.get_template(guide.template).render(
        guide=guide,
        fig={f.plot.id: f.view for f in figures},
        pitfalls={v.pitfall.id: v for v in pitfalls},
        catalog=catalog,
        torch=torch_version(),
        library=f"torch {torch_version()}",
        license=LICENSE,
        **guide.extra,
    )


def pitfalls_page(
    guide: Guide, gathered: Sequence[PitfallView], own: Sequence[PitfallView], catalog: Sequence[PitfallView]
) -> str:
    """The guides' pitfalls first, then the pitfalls page's own, then the scheduler pages'."""
    gathered, own, catalog = merge_pitfalls(gathered, own, catalog)
    return ENV.get_template(guide.template).render(
        guide=guide, gathered=gathered, catalog=catalog, own=own, torch=torch_version(), license=LICENSE
    )
