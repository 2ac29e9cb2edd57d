"""Twin against trace: the largest error of every case, relative to the case's largest rate."""

from __future__ import annotations

from dataclasses import dataclass

from gen.model import Case, CatalogError, Curve, Entry, Run, Setting, Trace
from gen.twins import twin_for

TOLERANCE = 1e-12


@dataclass(frozen=True)
class Check:
    error: float  # max |twin - torch| / max rate, over every run, group and step
    steps: int  # steps compared, summed over runs


def verify(trace: Trace) -> Check:
    entry, case = trace.entry, trace.case  # validate.check_entry has made sure the twin exists
    scale = max(max(abs(x) for x in lrs) for run in trace.runs for lrs in run.lrs) or 1.0
    worst, steps = 0.0, 0
    for run in trace.runs:
        curve = predict(entry, case, run)
        pairs = list(zip(run.lrs, curve.lrs, strict=True))
        moment = run.column("momentum") or run.column("beta1")
        if moment is not None:
            if curve.momentum is None:
                raise CatalogError(f"{entry.name} case {case.id!r}: torch cycles momentum; the twin predicts none")
            pairs.append((moment, curve.momentum))
        for got, want in pairs:
            for t, (g, w) in enumerate(zip(got, want, strict=True)):
                err = abs(g - w) / (1.0 if (got is moment) else scale)
                if err > TOLERANCE:
                    where = f" run {run.label!r}" if run.label else ""
                    raise CatalogError(
                        f"{entry.name} case {case.id!r}{where}: the twin disagrees with torch at "
                        f"step {t}: torch {g!r}, twin {w!r} (relative error {err:.3g}, tolerance "
                        f"{TOLERANCE:g}); expected the formula to match torch at every step"
                    )
                worst = max(worst, err)
        steps += case.steps
    return Check(error=worst, steps=steps)


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
