"""What a guide is made of: prose in a template, figures from torch scripts, and pitfalls.

A guide figure is a `Plot`: a self-contained script (torch and the standard library only) that
prints its data as CSV. The build runs that very script, draws the CSV, checks every column
against a twin, and publishes the script as the figure's Reproduce snippet: what the reader
copies is what drew the curve.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from gen.model import Pitfall

# A twin gets the number of rows the script printed and predicts columns by their CSV header.
PlotTwin = Callable[[int], Mapping[str, Sequence[float]]]


@dataclass(frozen=True)
class Plot:
    """One guide figure. Every column but `step` is checked: by the twin, or (for a column that
    must equal another exactly, like a resumed run and the uninterrupted one) by `same`."""

    id: str  # the figure's file names and anchor
    title: str
    caption: str  # stands on its own: a teacher may show the figure without the page
    code: str  # prints CSV: a `step` column, then `lr[<label>]` columns
    twin: PlotTwin
    same: tuple[tuple[str, str], ...] = ()  # (column, column) pairs that must be identical
    warns: str | None = None  # the script deliberately triggers the torch warning containing this
    log: bool = False
    xlabel: str = "step"
    dashed: tuple[str, ...] = ()  # columns drawn dashed, beneath the others
    marked: tuple[tuple[str, int], ...] = ()  # (column, k): drawn as a marker every k steps, above the lines
    formula: str = ""  # LaTeX of the twin, shown with the check
    multiples: tuple[str, ...] = ()  # a caption per column: each column also drawn alone, small
    note: Callable[[Mapping[str, Sequence[float]]], str] | None = None  # Markdown computed from the run


@dataclass(frozen=True)
class Guide:
    slug: str  # URL: /guides/<slug>/
    title: str
    summary: str  # one line: the page description and the home page's list
    template: str  # gen/templates/<template>
    plots: tuple[Plot, ...] = ()
    pitfalls: tuple[Pitfall, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)  # anything else the template shows
