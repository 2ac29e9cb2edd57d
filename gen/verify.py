"""Twin against run: every column a script printed, predicted independently, at every step.

One check for every figure (a scheduler case, a sweep, an overlay, a guide plot, an Explore
setting): a column is predicted by a twin, or must equal another column exactly (`same`), or is
an input the twin reads (`inputs`, such as the seeded loss a metric-driven schedule is given).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from gen import i18n
from gen.model import Case, CatalogError, Curve, Entry, Run, Setting, Trace
from gen.script import Output
from gen.twins import twin_for

TOLERANCE = 1e-12


@dataclass(frozen=True)
class Check:
    error: float  # the largest |twin - run| / the column's largest |value|, over every column and step
    steps: int  # steps compared, summed over runs


def sentence(check: Check, library: str, cases: int | None = None) -> str:
    """What a page says of its check, from the check itself."""
    how = (
        i18n.tr("exactly", "check")
        if check.error == 0
        else i18n.tr("to {error} (largest relative error)", "check", error=f"{check.error:.1e}")
    )
    over = i18n.tr("{n} steps", "check", n=f"{check.steps:,}")
    if cases is not None:
        over += i18n.tr(" in {n} cases", "check", n=cases)
    return i18n.tr(
        "Matches {library} {how} over {over}: when this page was built, an independent Python twin of "
        "the formula predicted every step of every curve, and the build compared it with the run of the "
        "script published beside the figure; it fails past {tolerance} of a column's largest value, "
        "and on any NaN or infinity.",
        "check",
        library=library,
        how=how,
        over=over,
        tolerance=f"{TOLERANCE:g}",
    )


def compare(
    owner: str,
    output: Output,
    predicted: Mapping[str, Sequence[float]],
    same: Iterable[tuple[str, str]] = (),
    inputs: Iterable[str] = (),
) -> float:
    """The largest relative error; fails the build naming the column and the step."""
    same, inputs = list(same), set(inputs)
    paired = {c for pair in same for c in pair}
    for name in output.header[1:]:
        if name not in predicted and name not in paired and name not in inputs:
            raise CatalogError(
                f"{owner}: column {name!r} has no twin and no 'same' partner; expected every curve checked"
            )
    for name in predicted:
        if name not in output.header:
            raise CatalogError(f"{owner} field 'twin': predicts column {name!r}; the script printed {output.header}")
    for name in output.header[1:]:
        for t, v in enumerate(output.column(name)):
            if not math.isfinite(v):
                raise CatalogError(f"{owner} column {name!r}: the run gives {v!r} at step {t}; expected a finite rate")
    for a, b in same:
        for t, (x, y) in enumerate(zip(output.column(a), output.column(b), strict=True)):
            if x != y:
                raise CatalogError(
                    f"{owner} field 'same': {a!r} is {x!r} but {b!r} is {y!r} at step {t}; expected identical runs"
                )
    worst = 0.0
    for name, want in predicted.items():
        got = output.column(name)
        if len(want) != len(got):
            raise CatalogError(f"{owner} field 'twin': {len(want)} values for {name!r}, the script printed {len(got)}")
        scale = max(abs(v) for v in got) or 1.0
        for t, (g, w) in enumerate(zip(got, want, strict=True)):
            err = abs(g - w) / scale
            if not err <= TOLERANCE:  # NaN and infinity fail too
                raise CatalogError(
                    f"{owner} column {name!r}: the twin disagrees with the run at step {t}: run {g!r}, twin {w!r} "
                    f"(relative error {err:.3g}, tolerance {TOLERANCE:g}); expected the formula to match every step"
                )
            worst = max(worst, err)
    return worst


def verify(trace: Trace) -> Check:
    """A scheduler case: each run predicted by its twin (an overlay by its own)."""
    entry, case = trace.entry, trace.case
    predicted: dict[str, Sequence[float]] = {}
    for run in trace.runs:
        curve = predict(entry, case, run)
        names = [n for n, _ in run.columns if n.startswith("lr")]
        predicted |= {column(n, run.label): v for n, v in zip(names, curve.lrs, strict=True)}
        for name in ("momentum", "beta1"):
            if run.column(name) is None:
                continue
            if curve.momentum is None:
                raise CatalogError(f"{entry.name} case {case.id!r}: the run cycles {name}; the twin predicts none")
            predicted[column(name, run.label)] = curve.momentum
    error = compare(
        f"{entry.name} case {case.id!r}",
        trace.output,
        predicted,
        inputs=[column("metric", r.label) for r in trace.runs],
    )
    return Check(error, case.steps * len(trace.runs))


def column(name: str, label: str) -> str:
    """The CSV header of a run's column: `lr`, or `lr[T_max=50]` in a sweep."""
    return f"{name}[{label}]" if label else name


def predict(entry: Entry, case: Case, run: Run) -> Curve:
    """The twin's curve for one run: an overlay by its own twin; a handover spliced from two twins."""
    lrs, optim = case.optim.lrs, case.optim
    if run.overlay:
        return twin_for(run.scheduler)(Setting(run.args, lrs, optim, case.steps))
    if case.before is None:
        return entry.twin(Setting(run.args, lrs, optim, case.steps, run.column("metric"), case.iters))
    # The entry's scheduler takes over at `handover` from whatever rate the first one left.
    h = case.handover
    first = twin_for(case.before.name)(Setting(case.before.args, lrs, optim, h + 1))
    then = entry.twin(Setting(run.args, tuple(g[h] for g in first.lrs), optim, case.steps - h))
    return Curve(tuple(a[:h] + b for a, b in zip(first.lrs, then.lrs, strict=True)))
