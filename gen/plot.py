"""Trace -> light and dark SVG (and a PNG card): what is drawn, and how.

matplotlib is imported only when something has to be drawn: a warm rebuild never loads it.
"""

from __future__ import annotations

import functools
import io
import json
import logging
import math
import pickle
import re
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from gen import cache
from gen.model import Trace

THEMES = {
    "light": {
        "fg": "#1f2430",
        "muted": "#5c6370",
        "grid": "#e3e5ea",
        "lines": ("#3949ab", "#e8710a", "#0b8043", "#c2185b"),
    },
    "dark": {
        "fg": "#e2e4e9",
        "muted": "#a0a6b2",
        "grid": "#3a3f4b",
        "lines": ("#8c9eff", "#ffab40", "#69f0ae", "#ff80ab"),
    },
}
THEMES["card"] = THEMES["light"]  # the link-preview PNG: light colours on white
THUMB_SIZE = (3.0, 1.3)  # inches: the gallery's thumbnails
CARD_SIZE = (8.0, 4.2)  # inches; 1200 x 630 px at 150 dpi, the size link previews expect
CARD_DPI = 150
# A slide: 16:9, 1920 x 1080 px at 300 dpi, so 10 pt text is 42 px; white, with its title, its call
# and a credit line, all ink at least SLIDE_MARGIN of each side in from the edge (projectors crop).
SLIDE_SIZE = (6.4, 3.6)
SLIDE_DPI = 300
SLIDE_MARGIN = 0.05
LOWER = {"momentum": "momentum", "beta1": "Adam beta1", "metric": "validation loss"}


@dataclass(frozen=True)
class Series:
    label: str
    values: tuple[float, ...]
    lower: bool = False  # drawn in the lower panel (momentum, beta1, metric)
    reference: bool = False  # an overlay run for comparison: dashed, beneath the case's own curve
    every: int = 0  # drawn as a marker every `every` steps, above the lines: a run identical to another


# A figure's text is 10 pt (font.size) in a figure 7.2 in wide: at least 11 CSS px wherever it is
# shown 570 px wide or more. Narrower screens get the same figure drawn 4 in wide, its text at least
# 12 px on a 390 px phone (358 px of figure), with fewer ticks and a taller shape.
NARROW_WIDTH = 4.0
NARROW_HEIGHT = 0.85  # of the wide figure's height


@dataclass(frozen=True)
class Figure:
    title: str
    series: tuple[Series, ...]
    xlabel: str
    lower: str | None
    log: bool
    marks: tuple[tuple[float, str, int | None], ...]  # (x, label, colour of the run or None)
    size: tuple[float, float] = (7.2, 3.4)
    thumb: bool = False  # gallery thumbnail: the curve and a light grid, no text
    ylim: tuple[float, float] | None = None  # the upper panel's y range, shared by small multiples
    on_slide: bool = False  # drawn for a lecture slide: see SLIDE_SIZE
    call: str = ""  # a slide's exact call, under its title ("" for none)
    credit: str = ""  # a slide's credit line: the atlas, the licence, the figure's address
    ylabel: str = "learning rate"  # the upper panel's

    @functools.cached_property
    def digest(self) -> str:
        """Hash of everything drawn, computed once per figure (its points make it the slow part;
        `asdict` would deep-copy them first, three times slower)."""
        return cache.key(drawing_code(), _plain(self))

    def narrow(self) -> Figure:
        """The same figure for a phone: see NARROW_WIDTH."""
        return replace(self, size=(NARROW_WIDTH, round(self.size[1] * NARROW_HEIGHT, 2)))

    def slide(self, call: str, credit: str) -> Figure:
        """The figure for a lecture slide: see SLIDE_SIZE."""
        return replace(self, size=SLIDE_SIZE, on_slide=True, call=call, credit=credit)

    def cache_name(self, theme: str) -> str:
        suffix = "png" if theme == "card" else "svg"
        return f"{suffix}/{cache.key(self.digest, theme)}.{suffix}"


@functools.cache
def drawing_code() -> str:
    """This module's source: a drawing's cache key changes with the code that draws it."""
    return Path(__file__).read_text()


def _plain(value: Any) -> Any:
    """A figure as nested lists, its float tuples kept whole (JSON writes them as lists)."""
    if isinstance(value, (Figure, Series)):
        return [_plain(getattr(value, f.name)) for f in fields(value)]
    if isinstance(value, tuple) and not (value and isinstance(value[0], float)):
        return [_plain(v) for v in value]
    return value


def figure_for(trace: Trace, title: str) -> Figure:
    """The case's figure, its words in the current edition's language (gen.i18n)."""
    entry, case = trace.entry, trace.case
    series, lower = [], None
    for run in trace.runs:
        for name, values in run.columns:
            is_lower = name in LOWER
            lower = words(LOWER[name]) if is_lower else lower
            parts = [run.label] if run.label else []
            if name.startswith("lr_group"):
                group = words("group {n}").format(n=name[8:])
                parts.append(f"{group} (lr={case.optim.lrs[int(name[8:])]:g})")
            series.append(Series(", ".join(parts), values, is_lower, run.overlay))
    marks = marks_for(trace)
    height = 4.6 if lower else 3.4
    unit = words(entry.unit(case))
    return Figure(title, tuple(series), unit, lower, case.log, marks, (7.2, height), ylabel=words("learning rate"))


def words(text: str) -> str:
    """A word drawn in a figure, in the current edition's language."""
    from gen import i18n

    return i18n.t(text, "site", "figure")


def marks_for(trace: Trace) -> tuple[tuple[float, str, int | None], ...]:
    """Milestones, restarts, peaks: labelled for one run; for a sweep, each run's in its colour.

    A case stepped per batch draws batches, and a mark counted in epochs moves to its batch:
    torch's fractional epochs to `epoch * iters + 1`, since the documented loop passes batch i's
    epoch to the step() that sets the rate of batch i + 1; timm's `step(epoch)` at the end of the
    epoch before to `epoch * iters`. A timm scheduler with `t_in_epochs=False` counts batches."""
    entry, case = trace.entry, trace.case
    if entry.marks is None:
        return ()

    def at(x: float, args: Mapping[str, Any]) -> float:
        batches = case.epoch_batches(args)
        return x if batches is None else x * batches + (0 if entry.library == "timm" else 1)

    if case.vary is None:
        spots = [(at(x, case.args), label) for x, label in entry.marks(case.args)]
        return tuple((x, label, None) for x, label in spots if x < case.steps)
    per_run = [{at(x, args) for x, _ in entry.marks(args)} for _, args in case.runs()]
    per_run = [{x for x in xs if x < case.steps} for xs in per_run]
    shared = set.intersection(*per_run)  # the same for every run: one neutral line
    own = {(x, i) for i, xs in enumerate(per_run) for x in xs - shared}
    return tuple(sorted((x, "", None) for x in shared)) + tuple((x, "", i) for x, i in sorted(own))


def thumbnail(trace: Trace) -> Figure:
    """The upper panel, small and without text: of the first run, or of every run of a sweep."""
    runs = trace.runs if trace.case.vary else trace.runs[:1]
    series = tuple(Series("", v) for run in runs for k, v in run.columns if k not in LOWER)
    return Figure(trace.entry.name, series, "", None, trace.case.log, (), THUMB_SIZE, thumb=True)


def card(figure: Figure) -> Figure:
    """The figure at link-preview size, rendered with theme "card" as an opaque PNG."""
    return replace(figure, size=CARD_SIZE)


def render(figure: Figure, theme: str) -> bytes:
    """One drawing per figure: the dark SVG is the light one with its palette swapped."""
    if theme == "dark":
        return recolour(render(figure, "light"))
    return draw(figure, THEMES[theme], png=theme == "card")


# The light palette's colours, each mapped to its dark twin; ids in the SVG start with a letter.
SWAP = {THEMES["light"][k]: THEMES["dark"][k] for k in ("fg", "muted", "grid")} | dict(
    zip(THEMES["light"]["lines"], THEMES["dark"]["lines"], strict=True)
)
COLOUR = re.compile("|".join(SWAP))


def recolour(svg: bytes) -> bytes:
    return COLOUR.sub(lambda m: SWAP[m[0]], svg.decode()).encode()


CJK_FAMILY = "Noto Sans CJK SC"
CJK_FILE = "NotoSansCJKsc-Regular.otf"


@functools.cache
def cjk_font() -> None:
    """Register the font the Chinese figures are drawn and measured in. It comes from PyPI in the
    pinned mplfonts wheel (so every build draws with the same file); its CLI is not used."""
    from importlib.metadata import PackageNotFoundError, files

    from matplotlib import font_manager

    try:
        found = [f for f in files("mplfonts") or () if f.name == CJK_FILE]
    except PackageNotFoundError:
        found = []
    if not found:
        raise RuntimeError(f"{CJK_FILE} ({CJK_FAMILY}) is missing: it comes with mplfonts, installed by `make setup`")
    font_manager.fontManager.addfont(str(found[0].locate()))
    # It has one weight: a bold title's Chinese is drawn in it, and matplotlib says so per drawing.
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)


def draw(figure: Figure, t: dict, png: bool = False) -> bytes:
    import matplotlib

    matplotlib.use("svg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FixedLocator, LogLocator, NullLocator

    cjk_font()

    rc = {
        "svg.fonttype": "none",
        "svg.hashsalt": "lr-scheduler-atlas",
        # Chinese glyphs (the zh edition) fall back, glyph by glyph, to Noto Sans CJK SC (cjk_font).
        "font.family": ["DejaVu Sans", CJK_FAMILY, "sans-serif"],
        "font.sans-serif": ["DejaVu Sans"],
        "font.monospace": ["DejaVu Sans Mono"],
        "font.size": 10,
        "text.color": t["fg"],
        "axes.labelcolor": t["fg"],
        "axes.edgecolor": t["muted"],
        "xtick.color": t["muted"],
        "ytick.color": t["muted"],
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.color": t["grid"],
        "grid.linewidth": 0.8,
        "legend.frameon": False,
        "path.simplify": True,
    }
    if figure.thumb:
        rc |= {"axes.spines.left": False, "axes.spines.bottom": False}
    with plt.rc_context(rc):
        rows = 2 if figure.lower else 1
        fig = pickle.loads(_blank(rows, figure.size, json.dumps(rc, sort_keys=True)))
        axes = fig.axes
        fig.patch.set_alpha(0)
        heading, footer = [], []
        edge = margins(figure, fig.dpi)
        room = fig.bbox.width - 2 * edge[0]
        # A preview or a slide travels alone: it names what it shows, smaller, then wrapped, to fit.
        if png or figure.on_slide:
            fig.patch.set(facecolor="white", alpha=1)
            x, y = edge[0] / fig.bbox.width, 1 - edge[1] / fig.bbox.height
            title = fig.suptitle(figure.title, x=x, y=y, ha="left", va="top", fontsize=14, fontweight="bold")
            for size in (13, 12, 11):
                if title.get_window_extent(_renderer(fig)).width <= room:
                    break
                title.set_fontsize(size)
            wrap_to_fit(title, [(title, figure.title)], room, least=20)
            heading.append(title)
            if figure.call:  # under the title, in code type, wrapped to the width
                below = title.get_window_extent(_renderer(fig)).height + 2 * fig.dpi / 72
                call = fig.text(x, y - below / fig.bbox.height, figure.call, ha="left", va="top", family=["DejaVu Sans Mono", CJK_FAMILY, "monospace"], color=t["fg"])  # fmt: skip
                wrap_to_fit(call, [(call, figure.call)], room, least=20)
                heading.append(call)
        if figure.credit:  # small, at the foot
            credit = fig.text(edge[0] / fig.bbox.width, edge[1] / fig.bbox.height, figure.credit, ha="left", va="bottom", fontsize=7, color=t["muted"])  # fmt: skip
            wrap_to_fit(credit, [(credit, figure.credit)], room, least=20)
            footer.append(credit)
        labelled = {False: 0, True: 0}
        for s in _colored(figure.series):
            ax = axes[1] if s[0].lower else axes[0]
            ref, every = s[0].reference, s[0].every
            ax.plot(
                range(len(s[0].values)),
                s[0].values,
                color=t["lines"][s[1] % 4],
                linewidth=1.4 if ref else 2.0,
                linestyle="none" if every else (0, (5, 2.5)) if ref else "-",
                zorder=4 if every else 2 if ref else 3,
                label=s[0].label or None,
                **({"marker": "o", "markersize": 4.5, "markevery": every} if every else {}),
            )
            labelled[s[0].lower] += bool(s[0].label)
        if figure.log:  # minor ticks at 2 and 5 only: each tick is five artists, and the 8 per
            axes[0].set_yscale("log")  # decade matplotlib makes were a fifth of a log figure's time
            axes[0].yaxis.set_minor_locator(NullLocator() if figure.thumb else LogLocator(subs=(2.0, 5.0)))
            positive = [v for se in figure.series if not se.lower for v in se.values if v > 0]
            low, high = figure.ylim or (min(positive), max(positive))
            limits, decades = log_scale(low, high, high if figure.ylim else axes[0].get_ylim()[1])
            axes[0].set_ylim(*limits)
            axes[0].yaxis.set_major_locator(FixedLocator(decades))
        elif figure.ylim:
            axes[0].set_ylim(*figure.ylim)
        for ax in axes:
            ax.set_facecolor("none")
            ax.margins(x=0.01)
            ax.yaxis.set_major_formatter(lambda v, _: f"{v:g}")  # plain numbers, no mathtext
            ax.yaxis.set_minor_formatter("")
        if figure.thumb:
            fig.subplots_adjust(left=0.01, right=0.99, bottom=0.02, top=0.98)
            _ticks(axes, t, labels=False)
            return _save(fig, figure, png)
        axes[0].set_ylabel(figure.ylabel)
        if figure.lower:
            axes[1].set_ylabel(figure.lower)
        axes[-1].set_xlabel(figure.xlabel)
        notes = []
        for x, label, run in figure.marks:
            color = t["muted"] if run is None else t["lines"][run % 4]
            for ax in axes:
                ax.axvline(x, color=color, linewidth=1, linestyle=(0, (4, 3)), alpha=1 if run is None else 0.7)
            if label:  # above the plot, where no curve crosses it: fit() picks its side and row
                notes.append(axes[0].annotate(
                    f"{label} ({x:g})", (x, 1), xycoords=("data", "axes fraction"), xytext=(MARK_GAP, 0),
                    textcoords="offset points", va="bottom", color=t["muted"],
                ))  # fmt: skip
        legend = None
        if labelled[False] > 1:  # above the plot, where it never hides a curve; fewer columns until it fits
            labels = [se.label for se in figure.series if se.label and not se.lower]
            # it starts at the axes, which fit() puts up to about 72 pt in from the edge's margin
            legend_room = min(0.85 * fig.bbox.width, room - 72 * fig.dpi / 72)
            for columns in range(min(len(labels), 4), 0, -1):
                legend = axes[0].legend(
                    loc="lower left", bbox_to_anchor=(0, 1.02), borderaxespad=0,
                    ncol=columns, handlelength=1.6, columnspacing=1.4,
                )  # fmt: skip
                if legend.get_window_extent(_renderer(fig)).width <= legend_room:
                    break
            # one column is still too wide: wrap the labels
            wrap_to_fit(legend, list(zip(legend.get_texts(), labels, strict=True)), legend_room, least=12)
        fit(fig, axes, legend, notes, heading, footer, edge)
        _ticks(axes, t, labels=True)
        return _save(fig, figure, png)


def margins(figure: Figure, dpi: float) -> tuple[float, float]:
    """The empty edge of a drawing, across and down, in pixels: a slide's safe margin, else PAD."""
    if figure.on_slide:
        return SLIDE_MARGIN * figure.size[0] * dpi, SLIDE_MARGIN * figure.size[1] * dpi
    return PAD * dpi / 72, PAD * dpi / 72


def wrap_to_fit(box, texts: list[tuple[Any, str]], room: float, least: int) -> None:
    """Wraps each text (its source beside it) a character narrower at a time until `box`, the
    artist holding them, is at most `room` pixels wide, or lines are down to `least` characters:
    the lines break only where the width requires, and only at spaces (never inside an address)."""
    chars = max(len(source) for _, source in texts)
    while box.get_window_extent(_renderer(box.figure)).width > room and chars > least:
        chars -= 1
        for text, source in texts:
            text.set_text(textwrap.fill(source, chars, break_long_words=False, break_on_hyphens=False))


def log_scale(low: float, high: float, top: float) -> tuple[tuple[float, float], list[float]]:
    """The limits and labelled decades of a log axis over values from `low` to `high` (`top`: the
    upper limit matplotlib chose). The lowest label is the decade at or under every value, so no
    curve ends below it, and at least two labels are in view (matplotlib's own choice can leave one,
    or none, when the values span less than a decade); at most seven, every decade or a stride of them."""
    first = math.floor(math.log10(low) + 1e-9)
    last = max(math.ceil(math.log10(high) - 1e-9), first + 1)
    stride = max(1, math.ceil((last - first) / 6))
    decades = [10.0**e for e in range(first, last + 1, stride)]
    top = max(top, decades[1])
    pad = 10 ** (0.02 * math.log10(top / decades[0]))  # air between the lowest label and the spine
    return (decades[0] / pad, top * pad if top == decades[1] else top), decades


def in_view(axis) -> tuple[list[float], list[str], list[float]]:
    """The major ticks in view with their labels, and the minor ticks in view: what the
    locators and formatter give, as measured by `fit` and drawn by `_ticks`."""
    low, high = sorted(axis.get_view_interval())
    slack = 1e-9 * (high - low)
    major = [v for v in axis.get_majorticklocs() if low - slack <= v <= high + slack]
    minor = [v for v in axis.get_minorticklocs() if low - slack <= v <= high + slack]
    return major, axis.get_major_formatter().format_ticks(major), minor


def _ticks(axes: list, t: dict, labels: bool) -> None:
    """Ticks, their labels and the grid, drawn as a few artists per axis where matplotlib makes
    five per tick (its tick machinery was four fifths of a figure's drawing time). The positions
    and labels are still its locators' and formatters', read once the layout is final."""
    from matplotlib.collections import LineCollection
    from matplotlib.lines import TICKDOWN, TICKLEFT, Line2D
    from matplotlib.ticker import NullLocator

    muted, width = t["muted"], plt_rc("grid.linewidth")
    every = []
    for ax in axes:  # read every axis first: the panels share one x locator
        ax.set_xlim(ax.get_xlim())  # frozen: nothing below may move them
        ax.set_ylim(ax.get_ylim())
        every.append({"x": in_view(ax.xaxis), "y": in_view(ax.yaxis)})
    for ax in axes:
        for axis in (ax.xaxis, ax.yaxis):
            axis.set_major_locator(NullLocator())
            axis.set_minor_locator(NullLocator())
    for i, (ax, found) in enumerate(zip(axes, every, strict=True)):
        xs, xlabels, _ = found["x"]
        ys, ylabels, yminor = found["y"]
        grid = [[(x, 0), (x, 1)] for x in xs]
        ax.add_collection(LineCollection(grid, colors=t["grid"], linewidths=width, transform=ax.get_xaxis_transform(), zorder=1.5), autolim=False)  # fmt: skip
        grid = [[(0, y), (1, y)] for y in ys]
        ax.add_collection(LineCollection(grid, colors=t["grid"], linewidths=width, transform=ax.get_yaxis_transform(), zorder=1.5), autolim=False)  # fmt: skip
        if not labels:  # a thumbnail: the grid only
            continue
        marks = [  # matplotlib's own tick lengths and widths (rc), in points
            (xs, [0] * len(xs), TICKDOWN, "xtick.major", ax.get_xaxis_transform()),
            ([0] * len(ys), ys, TICKLEFT, "ytick.major", ax.get_yaxis_transform()),
            ([0] * len(yminor), yminor, TICKLEFT, "ytick.minor", ax.get_yaxis_transform()),
        ]
        for x, y, marker, kind, transform in filter(lambda m: m[0], marks):  # an empty line has a box at 0, 0
            ax.add_artist(Line2D(
                x, y, linestyle="none", marker=marker, markersize=plt_rc(f"{kind}.size"),
                markeredgewidth=plt_rc(f"{kind}.width"), color=muted, transform=transform, clip_on=False,
            ))  # fmt: skip
        off = plt_rc("xtick.major.size") + plt_rc("xtick.major.pad")  # the tick and the gap to its label
        if i == len(axes) - 1:  # the shared x axis is labelled under the lowest panel only
            for x, label in zip(xs, xlabels, strict=True):
                ax.annotate(label, (x, 0), xycoords=ax.get_xaxis_transform(), xytext=(0, -off), textcoords="offset points", ha="center", va="top", color=muted, fontproperties=tick_font())  # fmt: skip
        for y, label in zip(ys, ylabels, strict=True):
            ax.annotate(label, (0, y), xycoords=ax.get_yaxis_transform(), xytext=(-off, 0), textcoords="offset points", ha="right", va="center_baseline", color=muted, fontproperties=tick_font())  # fmt: skip


def tick_font():
    """The tick labels' font: `_ticks` draws them in it and `fit` measures them in it."""
    import matplotlib
    from matplotlib.font_manager import FontProperties

    return FontProperties(size=matplotlib.rcParams["ytick.labelsize"])


PAD = 4.0  # points of air around the plot, and between the panels
MARK_GAP = 3.0  # points between a mark's line and its label, and between two labels on a row


def fit(fig, axes: list, legend, notes: list, heading: list, footer: list, edge: tuple[float, float]) -> None:
    """Margins measured from the text that surrounds the axes: tick labels, axis labels, legend,
    title, and the rows of the marks' labels over the plot (`stack_marks`). It is what constrained
    layout does, without its two extra drawing passes (half the time of every render)."""
    pt = fig.dpi / 72  # pixels per point
    renderer = _renderer(fig)
    tick = (plt_rc("xtick.major.size") + plt_rc("xtick.major.pad")) * pt
    gap = plt_rc("axes.labelpad") * pt

    def extent(text) -> tuple[float, float]:
        box = text.get_window_extent(renderer)
        return box.width, box.height

    def ticklabels(axis) -> list[tuple[float, float, float]]:
        """(position, width, height) of each major tick label in view."""
        locs, labels, _ = in_view(axis)
        font = tick_font()
        return [
            (v, *renderer.get_text_width_height_descent(s, font, ismath=False)[:2])
            for v, s in zip(locs, labels, strict=True)
        ]

    width, height = fig.bbox.width, fig.bbox.height
    measured = None
    for _ in range(4):  # tick choice depends on the axes' length: measure again once resized, until it settles
        for ax in axes:  # a panel shorter than its label (a slide's two panels): two lines
            if extent(ax.yaxis.label)[1] > ax.bbox.height:
                ax.yaxis.label.set_text(ax.yaxis.label.get_text().replace(" ", "\n", 1))
        ys = [size for ax in axes for size in ticklabels(ax.yaxis)]
        xs = ticklabels(axes[-1].xaxis)
        labels = [ax.yaxis.label.get_text() for ax in axes]
        if (ys, xs, labels) == measured:  # the layout was made for these very ticks and labels
            break
        measured = (ys, xs, labels)
        widest, tall = max(w for _, w, _ in ys), max(h for _, _, h in ys + xs)
        label_h = max(extent(ax.yaxis.label)[0] for ax in axes)
        left = edge[0] + label_h + gap + widest + tick
        last, w, _ = xs[-1]  # the last x tick label may stick out past the axes' right end
        room = (1 - axes[-1].transLimits.transform((last, 0))[0]) * axes[-1].bbox.width
        right = edge[0] + max(0, w / 2 - room)
        bottom = edge[1] + extent(axes[-1].xaxis.label)[1] + gap + tall + tick
        for text in footer:  # a slide's credit line
            bottom += extent(text)[1] + PAD * pt
        strip = stack_marks(notes, axes[0], width - left - right, right - edge[0], renderer)
        top = edge[1] + max(tall / 2, strip)
        if legend is not None:
            top += extent(legend)[1] + 0.02 * axes[0].bbox.height
        for text in heading:  # a preview's or slide's title, a slide's call
            top += extent(text)[1] + PAD * pt
        space = 2 * PAD * pt + tall
        rows = len(axes)
        fig.subplots_adjust(
            left=left / width, right=1 - right / width, bottom=bottom / height, top=1 - top / height,
            hspace=space * rows / (height - top - bottom - space * (rows - 1)) if rows > 1 else 0,
        )  # fmt: skip
    for ax in axes:  # the panels' axis labels in one column, clear of the widest tick label
        ax.yaxis.set_label_coords(-(widest + tick + gap) / ax.bbox.width, 0.5)
    axes[-1].xaxis.set_label_coords(0.5, -(tick + tall + gap) / axes[-1].bbox.height)
    if legend is not None:  # above the marks' labels
        legend.set_bbox_to_anchor((0, 1 + 0.02 + strip / axes[0].bbox.height), transform=axes[0].transAxes)


def stack_marks(notes: list, ax, span: float, overhang: float, renderer) -> float:
    """Puts each mark's label over the plot beside its line, on the right of it or, where it would
    run more than `overhang` pixels past the plot's right end (`span` pixels wide), on its left;
    on the lowest row where it overlaps no other label. Returns the rows' height in pixels."""
    pt = ax.figure.dpi / 72
    rows: list[list[tuple[float, float]]] = []
    boxes = {note: note.get_window_extent(renderer) for note in notes}
    row_height = max((b.height for b in boxes.values()), default=0.0) + pt
    for note in sorted(notes, key=lambda n: n.xy[0]):
        box = boxes[note]
        x = ax.transLimits.transform((note.xy[0], 0))[0] * span
        if x + (MARK_GAP * pt + box.width) <= span + overhang:
            side, ends = 1, (x + MARK_GAP * pt, x + MARK_GAP * pt + box.width)
        else:
            side, ends = -1, (x - MARK_GAP * pt - box.width, x - MARK_GAP * pt)
        free = (i for i, row in enumerate(rows) if all(ends[1] + MARK_GAP * pt <= a or ends[0] >= b + MARK_GAP * pt for a, b in row))  # fmt: skip
        row = next(free, len(rows))
        if row == len(rows):
            rows.append([])
        rows[row].append(ends)
        note.set_horizontalalignment("left" if side > 0 else "right")
        note.xyann = (side * MARK_GAP, 1 + row * row_height / pt)
    return len(rows) * row_height + (pt if rows else 0)


@functools.cache
def _blank(rows: int, size: tuple[float, float], rc: str) -> bytes:
    """An empty figure with its axes, pickled: loading one is twice as fast as building it."""
    import matplotlib.pyplot as plt

    with plt.rc_context(json.loads(rc)):
        fig, _ = plt.subplots(
            rows, 1, figsize=size, sharex=True, gridspec_kw={"height_ratios": [3, 1.3]} if rows == 2 else None
        )
        plt.close(fig)
    return pickle.dumps(fig)


@functools.cache
def _measurer(dpi: float):
    """A renderer to measure text with: the same fonts and metrics the SVG gets, nothing drawn.
    One per process, so matplotlib's text-metrics cache (per renderer) serves every figure."""
    from matplotlib.backends.backend_agg import RendererAgg

    return RendererAgg(1, 1, dpi)


def _renderer(fig):
    return _measurer(fig.dpi)


def plt_rc(key: str) -> float:
    import matplotlib

    return float(matplotlib.rcParams[key])


def _save(fig, figure: Figure, png: bool) -> bytes:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    if png:  # previews are shown on any background: opaque white
        from PIL import Image

        fig.patch.set(facecolor="white", alpha=1)
        dpi = SLIDE_DPI if figure.on_slide else CARD_DPI
        fig.savefig(buf, format="raw", dpi=dpi)
        plt.close(fig)
        size = (round(figure.size[0] * dpi), round(figure.size[1] * dpi))
        image = Image.frombuffer("RGBA", size, buf.getvalue()).convert("RGB")
        # 64 colours look the same as millions on a plot with a few lines, and make a file a
        # quarter the size (about 20 KB), encoded faster than the full-colour one. They are chosen
        # on a copy a quarter the width (its pixels hold the same blends of ink and paper), and
        # each pixel then takes the nearest: a seventh of the time of choosing them on the whole.
        palette = image.reduce(4).quantize(64, method=Image.Quantize.FASTOCTREE)
        out = io.BytesIO()
        image.quantize(palette=palette, dither=Image.Dither.NONE).save(out, format="png")
        return out.getvalue()
    fig.savefig(buf, format="svg", metadata={"Title": figure.title, "Date": None})
    plt.close(fig)
    return slim(buf.getvalue().decode()).encode()


NUMBER = re.compile(r"-?\d+\.\d+")


def _round(match: re.Match) -> str:
    return f"{float(match[0]):.1f}".removesuffix(".0")


def slim(svg: str) -> str:
    """Drop the RDF metadata and round coordinates to 0.1 pt (well under a pixel): about -25%."""
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = re.sub(
        r' (d|x|y|x1|x2|y1|y2)="([^"]*)"', lambda m: f' {m[1]}="{" ".join(NUMBER.sub(_round, m[2]).split())}"', svg
    )
    return re.sub(r"\n\s+", "\n", svg)


def _colored(series: Sequence[Series]) -> list[tuple[Series, int]]:
    """A run keeps its colour in both panels: the n-th upper series and the n-th lower series match."""
    counters = {False: 0, True: 0}
    out = []
    for s in series:
        out.append((s, counters[s.lower]))
        counters[s.lower] += 1
    return out


def draw_job(job: tuple[Figure, bool]) -> bytes:
    """What a worker draws: the light SVG (the dark one is derived from it), or the PNG card."""
    figure, png = job
    return draw(figure, THEMES["card" if png else "light"], png)


def finish(drawn: bytes, theme: str) -> bytes:
    return recolour(drawn) if theme == "dark" else drawn
