"""The Explore panels' published data: every setting is what its Reproduce script prints on the
library, in this process for every setting and in a clean interpreter for a sample, and a bad grid
in the catalog stops the build naming the scheduler, the control and the value."""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import io
import json
import warnings

import pytest

from clean_run import run_scripts
from gen import timm_import
from gen.build import generate
from gen.catalog import ENTRIES
from gen.explore import base_case, case_for, decode, encode, start_index
from gen.library import parameters
from gen.model import CatalogError, Code, Control, Explore
from gen.reproduce import script

# The file keeps 11 significant digits of each column's largest value: a value is off by at most
# half a unit of the 11th digit of that largest value.
TOLERANCE = 1e-10
COSINE = next(e for e in ENTRIES if e.name == "CosineAnnealingLR")
PLATEAU = next(e for e in ENTRIES if e.name == "ReduceLROnPlateau")
EXPLORED = [e for e in ENTRIES if e.explore]  # get_constant_schedule has nothing to move
IDS = [e.name for e in EXPLORED]


def published(site, entry) -> dict:
    return json.loads((site / "schedulers" / entry.slug / "explore.json").read_text())


def shown(entry, doc) -> int:
    """The setting the panel shows first, by the file's own start indices."""
    index = 0
    for control, listed in zip(entry.explore.controls, doc["controls"], strict=True):
        index = index * len(control.values) + listed["start"]
    return index


def sample(entry, doc) -> dict[str, int]:
    """The settings run in a clean interpreter (each pays for its own torch import, about 4 s): the
    one the panel shows first, and the last, the farthest from the first setting whose script the
    shared one is made from (the middle one instead of the last, if the shown one is the last)."""
    last = len(entry.explore.grid()) - 1
    start = shown(entry, doc)
    return {"shown": start, "last": last} if start != last else {"shown": start, "middle": last // 2}


def full_script(doc, index: int) -> str:
    """A setting's whole script, as the panel puts it together: the shared script with its call."""
    return doc["snippet"].replace(doc["mark"], doc["runs"][index]["call"])


def run_here(code: str, warns: str | None = None) -> str:
    """What the script prints, run in this process; what it raised or warned instead, in words.
    `warns`: the library warning the page's cases declare (timm's deprecation of PlateauLRScheduler)."""
    if "from timm" in code:
        timm_import.ensure()  # as the build does where `import timm` fails
    out = io.StringIO()
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stdout(out):
        warnings.simplefilter("always")
        try:
            exec(compile(code, "<explore setting>", "exec"), {"__name__": "__main__"})  # noqa: S102 - our own scripts
        except Exception as exc:  # one broken setting must not hide the others
            return f"raised {type(exc).__name__}: {exc}"
    caught = [w for w in caught if not (warns and warns in str(w.message))]
    if caught:
        return f"warned {caught[0].category.__name__}: {caught[0].message}"
    return out.getvalue()


def assert_printed_is_published(printed: str, doc, index: int, where) -> None:
    """The CSV a script printed against the setting's columns decoded from explore.json."""
    rows = list(csv.reader(io.StringIO(printed)))
    assert rows[0] == ["step", *doc["columns"]], where
    assert [int(r[0]) for r in rows[1:]] == list(range(doc["steps"])), where
    for k, (name, column) in enumerate(zip(doc["columns"], doc["runs"][index]["columns"], strict=True)):
        library = [float(r[k + 1]) for r in rows[1:]]
        got = decode(column)
        assert len(got) == len(library) == doc["steps"], (where, name)
        scale = max(abs(v) for v in library) or 1.0
        worst = max(abs(a - b) for a, b in zip(got, library, strict=True)) / scale
        assert worst <= TOLERANCE, (where, name, worst)


@pytest.fixture(scope="module")
def here(site):
    """Every setting's published script run in this process, on the library (not the build's cache)."""
    return {
        (entry.name, i): run_here(full_script(doc, i), base_case(entry).warns)
        for entry in EXPLORED
        for doc in [published(site, entry)]
        for i in range(len(doc["runs"]))
    }


@pytest.mark.parametrize("entry", EXPLORED, ids=IDS)
def test_every_setting_is_what_its_script_prints(site, here, entry):
    """Each setting's script is the one the build runs for it, and its published curves are what
    that script prints on the library."""
    doc = published(site, entry)
    grid = entry.explore.grid()
    assert len(doc["runs"]) == len(grid) <= 64
    assert [c["arg"] for c in doc["controls"]] == [c.arg for c in entry.explore.controls]
    assert doc["steps"] == case_for(entry, grid[0]).steps
    for i, (values, run) in enumerate(zip(grid, doc["runs"], strict=True)):
        assert full_script(doc, i) == script(entry, case_for(entry, values)), values
        printed = here[entry.name, i]
        assert printed.startswith("step,"), (values, printed[:500])
        assert_printed_is_published(printed, doc, i, values)
        if entry.explore.build is None:  # the call shows each control's value as an argument
            for arg, value in values.items():
                assert f"{arg}={value!r}" in run["call"], (run["call"], arg)


@pytest.fixture(scope="module")
def alone(site, tmp_path_factory):
    """Each page's sampled settings, each script in a fresh interpreter of its own (clean_run.run_scripts)."""
    folder = tmp_path_factory.mktemp("explore-scripts")
    paths = {}
    for entry in EXPLORED:
        doc = published(site, entry)
        for label, index in sample(entry, doc).items():
            (path := folder / f"{entry.slug}-{label}" / "script.py").parent.mkdir()
            path.write_text(full_script(doc, index))
            paths[entry.name, label] = path
    done = run_scripts(list(paths.values()))
    return {key: done[path] for key, path in paths.items()}


@pytest.mark.parametrize("entry", EXPLORED, ids=IDS)
def test_sampled_settings_run_alone_print_the_published_data(site, here, alone, entry):
    """`python <setting>.py`, as a reader runs the script the panel shows, prints the published
    curves, and exactly what the same script printed in this process."""
    doc = published(site, entry)
    grid = entry.explore.grid()
    for label, index in sample(entry, doc).items():
        done = alone[entry.name, label]
        where = (label, grid[index])
        assert done.returncode == 0, (where, done.stderr[-2000:])
        if warns := base_case(entry).warns:
            assert warns in done.stderr, where
        else:
            assert done.stderr == "", where  # no warning either
        assert done.stdout == here[entry.name, index], where
        assert_printed_is_published(done.stdout, doc, index, where)


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
        r"ReduceLROnPlateau field 'explore', setting factor=2\.0: the script raised before the first step, in "
        r"`.*ReduceLROnPlateau\(optimizer, factor=2\.0, .*`: ValueError: Factor should be < 1\.0\.",
    ),
}


@pytest.mark.parametrize("what", list(BROKEN))
def test_bad_grid_is_named(what):
    """generate() returns the site only once everything is checked: a failure hands over nothing."""
    entry, message = BROKEN[what]
    with pytest.raises(CatalogError, match=message):
        generate(entries=(entry,))


def test_build_reads_controls_that_are_not_arguments():
    """With `build`, a control is a name the catalog maps to arguments (here a lambda's factor)."""
    lam = next(e for e in ENTRIES if e.name == "MultiplicativeLR")
    assert isinstance(lam.explore, Explore) and lam.explore.build is not None
    case = case_for(lam, {"factor": 0.9, "every": 5})
    assert case.args["lr_lambda"] == Code("lambda epoch: 0.9 if epoch % 5 == 0 else 1.0")


def test_every_panel_opens_at_the_libraries_defaults():
    """Each control starts at its base case's value, else at the library's default where the grid
    has it (OneCycleLR's div_factor at 25, torch's, not the middle of its values)."""
    checked = 0
    for entry in ENTRIES:
        if entry.explore is None:
            continue
        base, defaults = base_case(entry), parameters(entry.name, entry.module)
        for control in entry.explore.controls:
            want = repr(base.args[control.arg]) if control.arg in base.args else defaults.get(control.arg)
            if want in [repr(v) for v in control.values]:
                assert repr(control.values[start_index(entry, control.arg)]) == want, (entry.name, control.arg)
                checked += 1
    one_cycle = next(e for e in ENTRIES if e.name == "OneCycleLR")
    assert one_cycle.explore.controls[2].values[start_index(one_cycle, "div_factor")] == 25.0
    assert checked > 20
