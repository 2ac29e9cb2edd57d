"""Every case of every scheduler: the twin formula against torch's own trace, step by step."""

from __future__ import annotations

import dataclasses
import math

import pytest

from conftest import CASE_IDS, CASES
from gen.model import CatalogError, Curve
from gen.twins import TWINS
from gen.verify import TOLERANCE, verify


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
    from gen.catalog import ENTRIES

    assert {e.name for e in ENTRIES} <= set(TWINS)


def test_a_twin_off_by_one_step_fails_loudly(traces):
    """The check can fail: a twin that lags by one step is caught and the case is named."""
    from gen.catalog import ENTRIES

    entry = next(e for e in ENTRIES if e.name == "CosineAnnealingLR")
    real = entry.twin

    def lagging(setting):
        curve = real(setting)
        return Curve(tuple((lrs[0], *lrs[:-1]) for lrs in curve.lrs))

    trace = traces[entry.name, entry.cases[0].id]
    broken = dataclasses.replace(trace, entry=dataclasses.replace(entry, twin=lagging))
    with pytest.raises(
        CatalogError, match=rf"CosineAnnealingLR case '{entry.cases[0].id}': the twin disagrees with torch at step 1"
    ):
        verify(broken)


def test_a_twin_slightly_off_is_caught(traces):
    """1e-9 relative is far below what a plot shows, and still fails the build."""
    from gen.catalog import ENTRIES

    entry = next(e for e in ENTRIES if e.name == "OneCycleLR")
    real = entry.twin

    def nudged(setting):
        curve = real(setting)
        return Curve(tuple(tuple(x * (1 + 1e-9) for x in lrs) for lrs in curve.lrs), curve.momentum)

    trace = traces[entry.name, entry.cases[0].id]
    with pytest.raises(CatalogError, match=r"OneCycleLR case 'basic'.*relative error"):
        verify(dataclasses.replace(trace, entry=dataclasses.replace(entry, twin=nudged)))


def test_a_cached_trace_is_the_torch_run(tmp_path, monkeypatch):
    """A warm rebuild reads traces back from the cache: they must equal a fresh torch run."""
    from gen.catalog import ENTRIES
    from gen.run import run_case, run_torch, trace_key

    monkeypatch.setenv("ATLAS_CACHE_DIR", str(tmp_path))
    for entry in ENTRIES:
        for case in entry.cases[:2]:
            first = run_case(entry, case)
            assert (tmp_path / trace_key(entry, case)).exists()
            again = run_case(entry, case)
            assert again == first == run_torch(entry, case)
