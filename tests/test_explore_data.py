"""The Explore panels' published data: every setting is torch's trace, the script reproduces it,
and a bad grid in the catalog stops the build naming the scheduler, the control and the value."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
from test_bad_input import Recorder

from gen.build import generate
from gen.catalog import ENTRIES
from gen.explore import case_for, decode, encode, start_index
from gen.model import CatalogError, Code, Control, Explore
from gen.run import run_torch

TOLERANCE = 1e-9
COSINE = next(e for e in ENTRIES if e.name == "CosineAnnealingLR")
PLATEAU = next(e for e in ENTRIES if e.name == "ReduceLROnPlateau")
IDS = [e.name for e in ENTRIES]


def published(site, entry) -> dict:
    return json.loads((site / "schedulers" / entry.slug / "explore.json").read_text())


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_every_setting_is_torchs_trace(site, entry):
    """Each published curve against a fresh torch run in this process (not the build's cache)."""
    doc = published(site, entry)
    grid = entry.explore.grid()
    assert len(doc["runs"]) == len(grid) <= 64
    assert [c["arg"] for c in doc["controls"]] == [c.arg for c in entry.explore.controls]
    for values, run in zip(grid, doc["runs"], strict=True):
        (own,) = run_torch(entry, case_for(entry, values)).runs
        assert doc["columns"] == [name for name, _ in own.columns]
        for (name, torch_values), column in zip(own.columns, run["columns"], strict=True):
            got = decode(column)
            assert len(got) == len(torch_values) == doc["steps"]
            worst = max(abs(a - b) for a, b in zip(got, torch_values, strict=True))
            assert worst <= TOLERANCE, (values, name, worst)
        if entry.explore.build is None:  # the call shows each control's value as an argument
            for arg, value in values.items():
                assert f"{arg}={value!r}" in run["call"], (run["call"], arg)


@pytest.fixture(scope="module")
def scripts(site, tmp_path_factory):
    """Each page's full script for its first setting, run in a clean interpreter, two at a time."""
    folder = tmp_path_factory.mktemp("explore-scripts")

    def run(entry):
        doc = published(site, entry)
        index = 0
        for control, shown in zip(entry.explore.controls, doc["controls"], strict=True):
            index = index * len(control.values) + shown["start"]
        code = doc["snippet"].replace(doc["mark"], doc["runs"][index]["call"])
        path = folder / f"{entry.slug}.py"
        path.write_text(code)
        done = subprocess.run([sys.executable, "-I", str(path)], capture_output=True, text=True, timeout=300)
        return entry.name, (doc, index, done)

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(run, ENTRIES))


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_the_script_prints_the_shown_setting(entry, scripts):
    doc, index, done = scripts[entry.name]
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stderr == ""
    rows = list(csv.reader(io.StringIO(done.stdout)))
    assert rows[0] == ["step", *doc["columns"]]
    for k, column in enumerate(doc["runs"][index]["columns"]):
        printed = [float(r[k + 1]) for r in rows[1:]]
        assert max(abs(a - b) for a, b in zip(printed, decode(column), strict=True)) <= TOLERANCE


def test_start_is_the_base_case_or_torchs_default():
    cyclic = next(e for e in ENTRIES if e.name == "CyclicLR")
    assert cyclic.explore.controls[0].values[start_index(cyclic, "mode")] == "triangular"  # torch's default
    assert cyclic.explore.controls[1].values[start_index(cyclic, "step_size_up")] == 20  # the base case's


def test_encoding_round_trips_within_tolerance():
    for values in ([0.1, 0.05, 1e-7, 0.0], [0.0] * 5, [1.7, -0.2, 3e-4], [5e-12, 4e-12]):
        got = decode(encode(values))
        assert max(abs(a - b) for a, b in zip(got, values, strict=True)) <= 1e-12 * max(1.0, *map(abs, values))


def explore(entry, **changes):
    return dataclasses.replace(entry, explore=dataclasses.replace(entry.explore, **changes))


ETA = Control("eta_min", (0.0, 0.01))
BROKEN = {
    "no panel": (
        dataclasses.replace(COSINE, explore=None),
        r"CosineAnnealingLR: field 'explore' is missing; expected Explore\(base=<case id>",
    ),
    "unknown base case": (
        explore(COSINE, base="nope"),
        r"CosineAnnealingLR field 'explore': base 'nope' is not a case; expected one of basic, eta-min",
    ),
    "unknown argument": (
        explore(COSINE, controls=(Control("T_maxx", (10, 20)),)),
        r"CosineAnnealingLR explore control 'T_maxx': unknown argument 'T_maxx' for CosineAnnealingLR; expected one of T_max",
    ),
    "value of the wrong type": (
        explore(COSINE, controls=(Control("T_max", (10, "25")), ETA)),
        r"CosineAnnealingLR explore control 'T_max' value '25': argument T_max='25' has type str; expected int",
    ),
    "value that is code": (
        explore(COSINE, controls=(Control("T_max", (10, Code("lambda: 5"))),)),
        r"CosineAnnealingLR explore control 'T_max' value lambda: 5: has type Code; expected a number",
    ),
    "value listed twice": (
        explore(COSINE, controls=(Control("T_max", (10, 10)),)),
        r"CosineAnnealingLR explore control 'T_max' value 10: listed twice",
    ),
    "no values": (
        explore(COSINE, controls=(Control("T_max", ()),)),
        r"CosineAnnealingLR explore control 'T_max': field 'values' is empty",
    ),
    "four controls": (
        explore(COSINE, controls=(Control("T_max", (10,)), ETA, Control("last_epoch", (-1,)), Control("x", (1,)))),
        r"CosineAnnealingLR field 'explore': 4 controls; expected one to three",
    ),
    "too many settings": (
        explore(COSINE, controls=(Control("T_max", tuple(range(10, 101))), ETA)),
        r"CosineAnnealingLR field 'explore': 91 x 2 values make 182 settings; expected at most 64",
    ),
    "too few steps for a value": (
        explore(COSINE, controls=(Control("T_max", (10, 200)), ETA)),
        r"CosineAnnealingLR field 'explore', setting T_max=200, eta_min=0\.0: 101 steps are too short to show the whole schedule; expected at least 201",
    ),
    "torch rejects a value": (
        explore(PLATEAU, controls=(Control("factor", (0.5, 2.0)),)),
        r"ReduceLROnPlateau field 'explore', setting factor=2\.0: torch rejected the arguments .* ValueError: Factor should be < 1\.0\.",
    ),
}


@pytest.mark.parametrize("what", list(BROKEN))
def test_bad_grid_is_named_and_nothing_is_written(what):
    entry, message = BROKEN[what]
    writer = Recorder()
    with pytest.raises(CatalogError, match=message):
        generate(writer, entries=(entry,))
    assert writer.files == {}


def test_build_reads_controls_that_are_not_arguments():
    """With `build`, a control is a name the catalog maps to arguments (here a lambda's factor)."""
    lam = next(e for e in ENTRIES if e.name == "MultiplicativeLR")
    assert isinstance(lam.explore, Explore) and lam.explore.build is not None
    case = case_for(lam, {"factor": 0.9, "every": 5})
    assert case.args["lr_lambda"] == Code("lambda epoch: 0.9 if epoch % 5 == 0 else 1.0")
