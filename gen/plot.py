"""Trace -> light and dark SVG, rendered in forked workers and cached by content hash.

matplotlib is imported only when something has to be drawn: a warm rebuild never loads it.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace

from gen import cache
from gen.model import Trace

STYLE_VERSION = 8  # bump when the drawing code changes, to invalidate cached SVGs
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
CARD_SIZE = (8.0, 4.2)  # inches; 1200 x 630 px at 150 dpi, the size link previews expect
LOWER = {"momentum": "momentum", "beta1": "Adam beta1", "metric": "validation loss"}


@dataclass(frozen=True)
class Series:
    label: str
    values: tuple[float, ...]
    lower: bool = False  # drawn in the lower panel (momentum, beta1, metric)
    reference: bool = False  # an overlay run for comparison: dashed, beneath the case's own curve


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

    def cache_name(self, theme: str) -> str:
        suffix = "png" if theme == "card" else "svg"
        return f"{suffix}/{cache.key(STYLE_VERSION, theme, asdict(self))}.{suffix}"


def figure_for(trace: Trace, title: str) -> Figure:
    entry, case = trace.entry, trace.case
    series, lower = [], None
    for run in trace.runs:
        for name, values in run.columns:
            is_lower = name in LOWER
            lower = LOWER[name] if is_lower else lower
            parts = [run.label] if run.label else []
            if name.startswith("lr_group"):
                parts.append(f"group {name[8:]} (lr={case.optim.lrs[int(name[8:])]:g})")
            series.append(Series(", ".join(parts), values, is_lower, run.overlay))
    marks = marks_for(trace)
    height = 4.6 if lower else 3.4
    return Figure(title, tuple(series), "epoch" if entry.metric else "step", lower, case.log, marks, (7.2, height))


def marks_for(trace: Trace) -> tuple[tuple[float, str, int | None], ...]:
    """Milestones, restarts, peaks: labelled for one run; for a sweep, each run's in its colour.

    A case stepped by fractional epochs draws batches: an epoch's mark moves to batch
    `epoch * iters + 1`, since the documented loop passes batch i's epoch to the step() that
    sets the rate of batch i + 1."""
    entry, case = trace.entry, trace.case
    if entry.marks is None:
        return ()
    at = (lambda x: x * case.iters + 1) if case.iters else (lambda x: x)
    if case.vary is None:
        return tuple((at(x), label, None) for x, label in entry.marks(case.args) if at(x) < case.steps)
    per_run = [{at(x) for x, _ in entry.marks(args) if at(x) < case.steps} for _, args in case.runs()]
    shared = set.intersection(*per_run)  # the same for every run: one neutral line
    own = {(x, i) for i, xs in enumerate(per_run) for x in xs - shared}
    return tuple(sorted((x, "", None) for x in shared)) + tuple((x, "", i) for x, i in sorted(own))


def thumbnail(trace: Trace) -> Figure:
    """The upper panel of the first run only, small and without text."""
    run = trace.runs[0]
    series = tuple(Series("", v) for k, v in run.columns if k not in LOWER)
    return Figure(trace.entry.name, series, "", None, trace.case.log, (), (3.0, 1.3), thumb=True)


def card(figure: Figure) -> Figure:
    """The figure at link-preview size, rendered with theme "card" as an opaque PNG."""
    return replace(figure, size=CARD_SIZE)


def render(figure: Figure, theme: str) -> bytes:
    import matplotlib

    matplotlib.use("svg")
    import matplotlib.pyplot as plt

    t = THEMES[theme]
    rc = {
        "svg.fonttype": "none",
        "svg.hashsalt": "lr-scheduler-atlas",
        "font.family": "sans-serif",
        "font.sans-serif": ["DejaVu Sans"],
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
        fig, axes = plt.subplots(
            rows, 1, figsize=figure.size, sharex=True, layout="constrained",
            gridspec_kw={"height_ratios": [3, 1.3]} if rows == 2 else None,
        )  # fmt: skip
        axes = list(axes) if rows == 2 else [axes]
        fig.patch.set_alpha(0)
        if theme == "card":  # a preview travels alone: it names what it shows
            fig.suptitle(figure.title, x=0.01, ha="left", fontsize=14, fontweight="bold")
        labelled = {False: 0, True: 0}
        for s in _colored(figure.series):
            ax = axes[1] if s[0].lower else axes[0]
            ref = s[0].reference
            ax.plot(
                range(len(s[0].values)),
                s[0].values,
                color=t["lines"][s[1] % 4],
                linewidth=1.4 if ref else 2.0,
                linestyle=(0, (5, 2.5)) if ref else "-",
                zorder=2 if ref else 3,
                label=s[0].label or None,
            )
            labelled[s[0].lower] += bool(s[0].label)
        for ax in axes:
            ax.set_facecolor("none")
            ax.margins(x=0.01)
        if figure.log:
            axes[0].set_yscale("log")
        axes[0].yaxis.set_major_formatter(lambda v, _: f"{v:g}")  # plain numbers, no mathtext
        axes[0].yaxis.set_minor_formatter("")
        if figure.thumb:
            axes[0].tick_params(which="both", labelleft=False, labelbottom=False, length=0)
            return _save(fig, figure, theme)
        axes[0].set_ylabel("learning rate")
        if figure.lower:
            axes[1].set_ylabel(figure.lower)
        axes[-1].set_xlabel(figure.xlabel)
        for x, label, run in figure.marks:
            color = t["muted"] if run is None else t["lines"][run % 4]
            for ax in axes:
                ax.axvline(x, color=color, linewidth=1, linestyle=(0, (4, 3)), alpha=1 if run is None else 0.7)
            if label:
                axes[0].annotate(
                    f"{label} ({x:g})", (x, 1), xycoords=("data", "axes fraction"), xytext=(4, -2),
                    textcoords="offset points", va="top", fontsize=8.5, color=t["muted"],
                )  # fmt: skip
        if labelled[False] > 1:  # above the plot, where it never hides a curve
            labels = [se.label for se in figure.series if se.label and not se.lower]
            wide = max(map(len, labels)) > 32
            axes[0].legend(
                loc="lower left", bbox_to_anchor=(0, 1.02), borderaxespad=0, fontsize=8.5,
                ncol=1 if wide else min(len(labels), 4), handlelength=1.6, columnspacing=1.4,
            )  # fmt: skip
        return _save(fig, figure, theme)


def _save(fig, figure: Figure, theme: str) -> bytes:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    if theme == "card":  # previews are shown on any background: opaque white
        fig.patch.set(facecolor="white", alpha=1)
        fig.savefig(buf, format="png", dpi=150, metadata={"Software": None})
        plt.close(fig)
        return buf.getvalue()
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


def _render_job(job: tuple[Figure, str]) -> bytes:
    return render(*job)


def render_all(jobs: Sequence[tuple[Figure, str]], workers: int | None = None) -> tuple[list[bytes], int]:
    """SVG bytes for every (figure, theme), and how many came from the cache."""
    out: list[bytes | None] = [cache.get(f.cache_name(theme)) for f, theme in jobs]
    missing = [i for i, svg in enumerate(out) if svg is None]
    if missing:
        import matplotlib.pyplot  # noqa: F401 - imported once here, inherited by forked workers

        workers = workers or min(len(missing), os.cpu_count() or 1)
        todo = [jobs[i] for i in missing]
        if workers > 1:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                drawn = pool.map(_render_job, todo, chunksize=1)
        else:
            drawn = [_render_job(j) for j in todo]
        for i, svg in zip(missing, drawn, strict=True):
            cache.put(jobs[i][0].cache_name(jobs[i][1]), svg)
            out[i] = svg
    return [svg for svg in out if svg is not None], len(jobs) - len(missing)
