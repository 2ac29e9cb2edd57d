"""What a guide is made of: prose in a template, figures from torch scripts, and traps.

A guide figure is a `Plot`: a self-contained script (torch and the standard library only) that
prints its data as CSV. The build runs that very script, draws the CSV, checks every column
against a twin, and publishes the script as the figure's Reproduce snippet: what the reader
copies is what drew the curve.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

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
class Trap:
    """A pitfall a guide explains. With `expect`, `code` must raise or warn that class and its
    message is shown; without, the behaviour is silent and what `code` prints is the evidence."""

    id: str  # the anchor, on the guide and on the pitfalls page
    title: str
    symptom: str  # what the reader sees
    code: str
    cause: str
    fix: str
    expect: str | None = None
    see: str = ""  # a page (from the docs root, with #anchor) that shows it in a figure


@dataclass(frozen=True)
class Guide:
    slug: str  # URL: /guides/<slug>/
    title: str
    summary: str  # one line: the page description and the home page's list
    template: str  # gen/templates/<template>
    plots: tuple[Plot, ...] = ()
    traps: tuple[Trap, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)  # anything else the template shows
    source: str = ""  # the module that holds it, for "edit this page"
