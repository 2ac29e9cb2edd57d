"""The vocabulary every other module speaks: catalog entries, cases, and the traces torch gives."""

from __future__ import annotations

import decimal
import itertools
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


class CatalogError(ValueError):
    """A catalog entry is wrong; the message names the scheduler, the case and the field."""


@dataclass(frozen=True)
class Sched:
    """A scheduler given as an argument to another (the parts of SequentialLR)."""

    name: str
    args: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Code:
    """A Python expression passed as an argument, e.g. a lambda; shown and run as written."""

    source: str

    def __repr__(self) -> str:  # sweep labels and legends show the expression itself
        return self.source


def jsonable(value: Any) -> Any:
    """Catalog values as JSON: nested schedulers by class and arguments, code by its source."""
    if isinstance(value, Sched):
        return {"scheduler": f"torch.optim.lr_scheduler.{value.name}", "arguments": jsonable(dict(value.args))}
    if isinstance(value, Code):
        return {"code": value.source}
    if isinstance(value, Mapping):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def shown(value: Any) -> str:
    """A value as readers see it in legends, CSV headers, captions and alt text: a float in its
    shortest exact form (1e6 for 1000000.0, 100 for 100.0, 1e-5 for 1e-05, 0.1 as it is), lists of
    them likewise, anything else as Python writes it."""
    if isinstance(value, list):
        return "[" + ", ".join(shown(v) for v in value) + "]"
    if not isinstance(value, float) or not math.isfinite(value):
        return repr(value)
    plain = repr(value)
    if "e" in plain:
        plain = format(decimal.Decimal(plain), "f")
    plain = plain.removesuffix(".0")
    for digits in range(17):  # the fewest significant digits that read back as the same float
        mantissa, exponent = f"{value:.{digits}e}".split("e")
        if float(f"{mantissa}e{exponent}") == value:
            break
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    scientific = f"{mantissa}e{int(exponent)}"
    return scientific if len(scientific) < len(plain) else plain


@dataclass(frozen=True)
class Optim:
    """The optimizer a case builds: one parameter group per entry of `lrs`."""

    name: str = "SGD"
    lrs: tuple[float, ...] = (0.1,)
    args: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Spec:
    """One run of a case: the entry's own scheduler, or an overlay run alone on its own optimizer."""

    label: str  # the CSV column suffix and legend entry; '' for a lone run
    name: str  # scheduler class
    args: Mapping[str, Any]
    overlay: bool = False


@dataclass(frozen=True)
class Case:
    """One figure: a scheduler run with set arguments, or a sweep of one argument.

    A sweep runs `args | {vary: value} | derive(value)` for each value and overlays the runs.
    `overlay` adds other schedulers, each run alone (plain `step()`) on a fresh optimizer, drawn on
    the same axes and checked by their own twins. `iters` steps with fractional epochs, as torch
    documents for warm restarts: `step(epoch + i / iters)` after batch `i` of each epoch.
    `before` is the SWA setting: that scheduler is stepped until step `handover`, then the entry's
    scheduler (built right after it, as torch's SWA example does) takes over from the current rate.
    """

    id: str
    title: str
    args: Mapping[str, Any]
    steps: int
    optim: Optim = Optim()
    vary: str | None = None
    values: tuple[Any, ...] = ()
    derive: Callable[[Any], Mapping[str, Any]] | None = None
    log: bool = False
    seed: int = 0  # seeds the synthetic validation loss of metric-driven schedulers
    warns: str | None = None  # a deliberate demonstration of the torch warning containing this
    text: str = ""  # Markdown under the figure
    overlay: tuple[Sched, ...] = ()
    iters: int | None = None
    before: Sched | None = None
    handover: int = 0
    imports: tuple[
        str, ...
    ] = ()  # schedulers its script imports beyond those it calls: an Explore grid shares one script

    def runs(self) -> tuple[tuple[str, dict[str, Any]], ...]:
        """(label, arguments) of every run; a single case has one run labelled ''."""
        if self.vary is None:
            return (("", dict(self.args)),)
        out = []
        for value in self.values:
            extra = self.derive(value) if self.derive else {}
            out.append((f"{self.vary}={shown(value)}", {**self.args, self.vary: value, **extra}))
        return tuple(out)

    def epoch_batches(self, args: Mapping[str, Any]) -> int | None:
        """Batches per epoch where the run steps per batch but the scheduler counts epochs (torch's
        fractional epochs, timm's default `t_in_epochs=True`); None where a row is one unit of time."""
        return self.iters if self.iters and args.get("t_in_epochs", True) else None

    def plan(self, name: str) -> tuple[Spec, ...]:
        """Every run: the entry's (labelled by its name once overlays share the axes), then the overlays."""
        own = tuple(Spec(label or (name if self.overlay else ""), name, args) for label, args in self.runs())
        return own + tuple(Spec(s.name, s.name, s.args, overlay=True) for s in self.overlay)


@dataclass(frozen=True)
class Control:
    """One input of a page's Explore panel: an argument moved over values chosen in the catalog.

    Without `Explore.build`, `arg` is a constructor argument; with it, a name `build` reads (and
    the URL uses), such as the length of a warm-up that sets both a milestone and a `total_iters`."""

    arg: str
    values: tuple[Any, ...]
    label: str = ""  # what the control says; `arg` if empty

    def key(self, value: Any) -> str:
        """The value as the URL and the panel show it: `cos`, `0.1`, `[30, 60]`."""
        return value if isinstance(value, str) else repr(value)


@dataclass(frozen=True)
class Explore:
    """The Explore panel: every combination of the controls' values is a real torch run.

    The runs take the `base` case's optimizer and stepping (its overlays and sweep aside), over
    `steps` (default: the base case's). Each run's arguments are the base case's with the
    controls' values, or `build(values)` when the controls are not plain arguments."""

    base: str  # id of the case whose setting the panel varies
    controls: tuple[Control, ...]
    steps: int | None = None
    build: Callable[[Mapping[str, Any]], Mapping[str, Any]] | None = None

    def grid(self) -> tuple[dict[str, Any], ...]:
        """Every combination, the last control varying fastest (the order of the data file)."""
        names = [c.arg for c in self.controls]
        return tuple(
            dict(zip(names, combo, strict=True)) for combo in itertools.product(*(c.values for c in self.controls))
        )

    def arguments(self, base_args: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
        return dict(self.build(values)) if self.build else {**base_args, **values}


@dataclass(frozen=True)
class Arg:
    """A constructor argument; its default is read from torch's own signature."""

    name: str
    meaning: str


@dataclass(frozen=True)
class Formula:
    closed: str  # LaTeX, display
    symbols: tuple[tuple[str, str], ...]  # (LaTeX symbol, what it is / which argument)
    closed_title: str = "Closed form:"
    recursive: str | None = None  # LaTeX of the chainable form, where torch computes it so
    recursive_title: str = "Recursive (chainable) form, as torch computes it on each `step()`:"
    note: str = ""  # Markdown after the formulas


@dataclass(frozen=True)
class Pitfall:
    """A misuse, on a scheduler page or in a guide. With `expect`, `code` must raise or warn that
    class and its message is shown; without, the behaviour is silent and what `code` prints is the
    evidence."""

    id: str  # the anchor, on its page and on the pitfalls page
    title: str
    code: str
    expect: str | None = None  # exception or warning class name, e.g. "ValueError" or "UserWarning"
    cause: str = ""
    fix: str = ""
    symptom: str = ""  # what the reader sees; a scheduler page's pitfall says what the library raises
    see: str = ""  # a page (from the docs root, with #anchor) that shows it in a figure


@dataclass(frozen=True)
class Curve:
    """What a twin predicts for one run: lr per group per step, and momentum/beta1 where cycled."""

    lrs: tuple[tuple[float, ...], ...]
    momentum: tuple[float, ...] | None = None


@dataclass(frozen=True)
class Setting:
    """Everything a twin may look at: never the scheduler itself."""

    args: Mapping[str, Any]
    base_lrs: tuple[float, ...]
    optim: Optim
    steps: int
    metric: tuple[float, ...] | None = None
    iters: int | None = None  # fractional-epoch stepping, see Case.iters


Twin = Callable[[Setting], Curve]


@dataclass(frozen=True)
class Entry:
    """One scheduler: drives its page, plots, data files, nav entry and tests."""

    name: str
    family: str
    summary: str  # one line, for the gallery and the page's description
    about: str  # Markdown: what it does and when to use it
    args: tuple[Arg, ...]
    formula: Formula
    twin: Twin
    cases: tuple[Case, ...]
    span: Callable[[Mapping[str, Any]], int]  # least steps that show the whole schedule
    module: str = "torch.optim.lr_scheduler"
    metric: bool = False  # stepped with a validation loss
    marks: Callable[[Mapping[str, Any]], Sequence[tuple[float, str]]] | None = None
    pitfalls: tuple[Pitfall, ...] = ()
    extra: str = ""  # Markdown section(s) after the plots
    explore: Explore | None = None  # the page's interactive panel; required unless no argument can move
    trainer: str = ""  # transformers: the `lr_scheduler_type` a Trainer user writes for this schedule
    sched: str = ""  # timm: the `--sched` name its train.py (create_scheduler_v2) builds this class from
    thumb: str = ""  # the case the gallery thumbnail draws (every run of it), where the first looks like another's

    @property
    def slug(self) -> str:
        return slug(self.name)

    @property
    def thumb_case(self) -> str:
        """The id of the case the gallery thumbnail draws."""
        return self.thumb or self.cases[0].id

    def unit(self, case: Case) -> str:
        """What one row of a case's run is: an epoch where the schedule is stepped once per epoch
        (metric-driven schedules, and timm's without `iters`), else an optimizer step."""
        return "epoch" if self.metric or (self.library == "timm" and not case.iters) else "step"

    @property
    def library(self) -> str:
        """The distribution the schedule comes from: torch, transformers or timm."""
        return self.module.split(".")[0]


def slug(name: str) -> str:
    """CosineAnnealingLR -> cosine-annealing-lr; get_wsd_schedule -> get-wsd-schedule."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "-", name).lower().replace("_", "-")


@dataclass(frozen=True)
class Run:
    """One torch run: the columns its CSV gets (without the run label)."""

    label: str
    args: Mapping[str, Any]
    columns: tuple[tuple[str, tuple[float, ...]], ...]  # ("lr", values) or ("lr_group0", ...)
    scheduler: str = ""  # the class run
    overlay: bool = False  # run alone for comparison, not the entry's own run

    def column(self, name: str) -> tuple[float, ...] | None:
        return dict(self.columns).get(name)

    @property
    def lrs(self) -> tuple[tuple[float, ...], ...]:
        return tuple(v for k, v in self.columns if k == "lr" or k.startswith("lr_group"))


@dataclass(frozen=True)
class Trace:
    """A case's runs, as its script printed them (`output`, whose CSV is published as is)."""

    entry: Entry
    case: Case
    runs: tuple[Run, ...]
    output: Any  # gen.script.Output
    code: str  # the script that printed it: the figure's Reproduce script

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.output.warnings
