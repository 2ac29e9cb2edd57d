"""Every Reproduce snippet, run in a clean interpreter, prints exactly the published CSV."""

from __future__ import annotations

import ast
import csv
import io
import sys

import pytest

from clean_run import run_scripts
from conftest import CASE_IDS, CASES

ALLOWED_IMPORTS = {"torch", *sys.stdlib_module_names}


@pytest.fixture(scope="module")
def outputs(traces, tmp_path_factory):
    """Every snippet in a fresh interpreter of its own (clean_run.run_scripts)."""
    folder = tmp_path_factory.mktemp("snippets")
    paths = {}
    for key, trace in traces.items():
        path = paths[key] = folder / f"{key[0]}-{key[1]}" / "script.py"
        path.parent.mkdir()
        path.write_text(trace.code)
    done = run_scripts(list(paths.values()))
    return {key: done[path] for key, path in paths.items()}


@pytest.mark.parametrize(("entry", "case"), CASES, ids=CASE_IDS)
def test_snippet_prints_the_published_csv(entry, case, traces, outputs):
    done = outputs[entry.name, case.id]
    assert done.returncode == 0, done.stderr[-2000:]
    if case.warns:  # the library's own warning, which the case declares and its figure shows
        assert case.warns in done.stderr
    else:
        assert done.stderr == ""  # no warning either
    assert done.stdout == traces[entry.name, case.id].output.csv


@pytest.mark.parametrize(("entry", "case"), CASES, ids=CASE_IDS)
def test_snippet_needs_only_its_library(entry, case, traces):
    """torch and the standard library, and the schedule's own library (transformers)."""
    tree = ast.parse(traces[entry.name, case.id].code)
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            roots.add((node.module or "").split(".")[0])
    assert roots <= ALLOWED_IMPORTS | {entry.library}


def test_csv_header_names_runs(traces):
    """A sweep has one column per run, the header naming the run."""
    sweeps = [t for t in traces.values() if t.case.vary]
    assert sweeps
    for trace in sweeps:
        header = next(csv.reader(io.StringIO(trace.output.csv)))
        assert header[0] == "step"
        for label, _ in trace.case.runs():
            assert any(h.endswith(f"[{label}]") for h in header), (label, header)
