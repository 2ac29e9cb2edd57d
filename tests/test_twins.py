"""Every case of every scheduler: the twin formula against the run of its script, step by step."""

from __future__ import annotations

import csv
import dataclasses
import io
import math
import re

import pytest

import gen.script
from clean_run import run_script
from conftest import CASE_IDS, CASES
from gen.catalog import ENTRIES
from gen.model import CatalogError, Curve
from gen.run import is_cached, run_case
from gen.script import Output
from gen.twins import TWINS
from gen.verify import TOLERANCE, verify

BY_NAME = {e.name: e for e in ENTRIES}


@pytest.mark.parametrize(("entry", "case"), CASES, ids=CASE_IDS)
def test_twin_matches_torch(entry, case, traces):
    check = verify(traces[entry.name, case.id])
    assert check.error <= TOLERANCE
    assert check.steps == case.steps * len(traces[entry.name, case.id].runs)


@pytest.mark.parametrize(("entry", "case"), CASES, ids=CASE_IDS)
def test_trace_covers_every_step(entry, case, traces):
    trace = traces[entry.name, case.id]
    for run in trace.runs:
        for name, values in run.columns:
            assert len(values) == case.steps, name
            assert all(math.isfinite(v) for v in values), name


def test_every_catalog_scheduler_has_a_twin():
    assert {e.name for e in ENTRIES} <= set(TWINS)


def test_a_twin_off_by_one_step_fails_loudly(traces):
    """The check can fail: a twin that lags by one step is caught, naming the case and the column."""
    entry = BY_NAME["CosineAnnealingLR"]
    real = entry.twin

    def lagging(setting):
        curve = real(setting)
        return Curve(tuple((lrs[0], *lrs[:-1]) for lrs in curve.lrs))

    trace = traces[entry.name, entry.cases[0].id]
    broken = dataclasses.replace(trace, entry=dataclasses.replace(entry, twin=lagging))
    with pytest.raises(
        CatalogError,
        match=rf"CosineAnnealingLR case '{entry.cases[0].id}' column 'lr': the twin disagrees with the run at step 1",
    ):
        verify(broken)


def test_a_twin_slightly_off_is_caught(traces):
    """1e-9 relative is far below what a plot shows, and still fails the build."""
    entry = BY_NAME["OneCycleLR"]
    real = entry.twin

    def nudged(setting):
        curve = real(setting)
        return Curve(tuple(tuple(x * (1 + 1e-9) for x in lrs) for lrs in curve.lrs), curve.momentum)

    trace = traces[entry.name, entry.cases[0].id]
    with pytest.raises(CatalogError, match=r"OneCycleLR case 'basic' column 'lr'.*relative error"):
        verify(dataclasses.replace(trace, entry=dataclasses.replace(entry, twin=nudged)))


# NaN and infinity fail the check wherever they appear: (scheduler, case, column, step). The
# column is one run of a sweep, or the momentum OneCycleLR cycles, so the message must say which.
POISONED = [
    ("CosineAnnealingLR", "eta-min", "lr[eta_min=0.01]", 37),
    ("OneCycleLR", "basic", "momentum", 412),
]
BAD = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


def spoiled(output: Output, name: str, step: int, value: float) -> Output:
    """The output with one value replaced, its CSV text written again to match."""
    i = output.header.index(name)
    column = list(output.columns[i])
    column[step] = value
    columns = (*output.columns[:i], tuple(column), *output.columns[i + 1 :])
    text = io.StringIO()
    out = csv.writer(text, lineterminator="\n")
    out.writerow(output.header)
    for row in zip(*columns, strict=True):
        out.writerow([str(int(row[0])), *map(repr, row[1:])])
    return Output(text.getvalue(), output.header, columns, output.warnings)


@pytest.mark.parametrize("value", BAD.values(), ids=BAD)
@pytest.mark.parametrize(("name", "case_id", "column", "step"), POISONED, ids=[p[0] for p in POISONED])
def test_a_non_finite_run_fails_naming_it(traces, name, case_id, column, step, value):
    """The run's side: a script that printed NaN or infinity fails, even where the twin says so too."""
    trace = traces[name, case_id]
    assert math.isfinite(trace.output.column(column)[step])
    broken = dataclasses.replace(trace, output=spoiled(trace.output, column, step, value))
    message = f"{name} case '{case_id}' column '{column}': the run gives {value!r} at step {step}"
    with pytest.raises(CatalogError, match=re.escape(message)):
        verify(broken)


@pytest.mark.parametrize("value", BAD.values(), ids=BAD)
@pytest.mark.parametrize(("name", "case_id", "column", "step"), POISONED, ids=[p[0] for p in POISONED])
def test_a_non_finite_twin_fails_naming_it(traces, name, case_id, column, step, value):
    """The twin's side: a twin giving NaN or infinity at one step of one run's column fails there."""
    entry, trace = BY_NAME[name], traces[name, case_id]
    real = entry.twin
    base, _, label = column.partition("[")
    run = next(r for r in trace.runs if r.label == label.removesuffix("]"))

    def poisoned(setting):
        curve = real(setting)
        if dict(setting.args) != dict(run.args):  # another run of the sweep: left as it is
            return curve
        if base == "momentum":
            momentum = list(curve.momentum)
            momentum[step] = value
            return Curve(curve.lrs, tuple(momentum))
        lrs = list(curve.lrs[0])
        lrs[step] = value
        return Curve((tuple(lrs), *curve.lrs[1:]), curve.momentum)

    broken = dataclasses.replace(trace, entry=dataclasses.replace(entry, twin=poisoned))
    got = trace.output.column(column)[step]
    message = (
        f"{name} case '{case_id}' column '{column}': the twin disagrees with the run at step {step}: "
        f"run {got!r}, twin {value!r}"
    )
    with pytest.raises(CatalogError, match=re.escape(message)):
        verify(broken)


def test_a_warm_cache_gives_the_cold_run(traces, tmp_path, monkeypatch):
    """A warm rebuild reads each case back from the cache and runs nothing: what it reads must
    equal the run from an empty cache (and the session's own run of the same case)."""
    monkeypatch.setenv("ATLAS_CACHE_DIR", str(tmp_path / "cache"))
    cases = [(e, c) for e in ENTRIES for c in e.cases[:2]]
    cold = {}
    for entry, case in cases:
        assert not is_cached(entry, case), (entry.name, case.id)
        cold[entry.name, case.id] = run_case(entry, case)
        assert is_cached(entry, case), (entry.name, case.id)

    def no_run(owner, code):
        raise AssertionError(f"{owner}: the script ran again, though its output is in the cache")

    monkeypatch.setattr(gen.script, "execute", no_run)
    for entry, case in cases:
        warm = run_case(entry, case)
        assert warm == cold[entry.name, case.id] == traces[entry.name, case.id], (entry.name, case.id)


def test_a_cached_case_is_the_script_run_alone(tmp_path, monkeypatch):
    """The cached output is what `python <case>.py` prints in a clean interpreter, and the runs
    the build splits out of it are that CSV's columns (a metric-driven case: a seeded loss)."""
    monkeypatch.setenv("ATLAS_CACHE_DIR", str(tmp_path / "cache"))
    entry = BY_NAME["ReduceLROnPlateau"]
    case = entry.cases[0]
    run_case(entry, case)
    warm = run_case(entry, case)
    path = tmp_path / f"{entry.slug}-{case.id}.py"
    path.write_text(warm.code)
    done = run_script(path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stderr == ""
    assert done.stdout == warm.output.csv
    rows = list(csv.reader(io.StringIO(done.stdout)))
    printed = {name: tuple(float(r[i]) for r in rows[1:]) for i, name in enumerate(rows[0])}
    assert printed["step"] == tuple(range(case.steps))
    for run in warm.runs:
        for name, values in run.columns:
            assert printed[f"{name}[{run.label}]" if run.label else name] == values, name
