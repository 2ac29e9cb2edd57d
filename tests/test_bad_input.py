"""A broken catalog entry stops the build with the scheduler, case and field named, and writes nothing."""

from __future__ import annotations

import dataclasses
import tempfile
from functools import partial
from pathlib import Path

import jinja2
import pytest

import gen.__main__ as cli
from gen.build import generate
from gen.catalog import ENTRIES, FAMILIES
from gen.model import Arg, CatalogError, Curve, Optim, Pitfall, Sched
from gen.pages import ENV
from gen.validate import check_catalog

COSINE = next(e for e in ENTRIES if e.name == "CosineAnnealingLR")
ONE_CYCLE = next(e for e in ENTRIES if e.name == "OneCycleLR")
PLATEAU = next(e for e in ENTRIES if e.name == "ReduceLROnPlateau")
SEQUENTIAL = next(e for e in ENTRIES if e.name == "SequentialLR")
SWALR = next(e for e in ENTRIES if e.name == "SWALR")
CHAINED = next(e for e in ENTRIES if e.name == "ChainedScheduler")
WARM_RESTARTS = next(e for e in ENTRIES if e.name == "CosineAnnealingWarmRestarts")
TIMM_COSINE = next(e for e in ENTRIES if e.name == "CosineLRScheduler")
BASIC = COSINE.cases[0]


def with_case(entry, **changes):
    """The entry with its first case changed."""
    return dataclasses.replace(entry, cases=(dataclasses.replace(entry.cases[0], **changes), *entry.cases[1:]))


def wrong_twin(setting):
    return Curve(tuple(tuple(b * 0.5 for _ in range(setting.steps)) for b in setting.base_lrs))


BROKEN = {
    "pitfall anchor taken by a plot": (
        dataclasses.replace(
            SWALR, pitfalls=(dataclasses.replace(SWALR.pitfalls[0], id=SWALR.cases[0].id), *SWALR.pitfalls[1:])
        ),
        rf"SWALR pitfall '{SWALR.cases[0].id}': field 'id' is already an anchor on the page; expected one used by no case",
    ),
    "pitfall anchor taken by a section": (
        dataclasses.replace(
            SWALR, pitfalls=(dataclasses.replace(SWALR.pitfalls[0], id="formula"), *SWALR.pitfalls[1:])
        ),
        r"SWALR pitfall 'formula': field 'id' is already an anchor on the page",
    ),
    "no Explore panel where an argument can move": (
        dataclasses.replace(COSINE, explore=None),
        r"CosineAnnealingLR: field 'explore' is missing; expected Explore\(base=<case id>",
    ),
    "silent pitfall without a symptom": (
        dataclasses.replace(SWALR, pitfalls=(dataclasses.replace(SWALR.pitfalls[0], expect=None, symptom=""),)),
        rf"SWALR pitfall '{SWALR.pitfalls[0].id}': field 'symptom' is empty; a silent pitfall",
    ),
    "a chain part whose recursive form the twin does not model": (
        with_case(CHAINED, args={"schedulers": [Sched("OneCycleLR", {"max_lr": 1.0, "total_steps": 80})]}),
        r"ChainedScheduler case 'warmup-decay': argument schedulers has a OneCycleLR, whose recursive form "
        r"the chain's twin does not model; expected parts among StepLR",
    ),
    "a thumbnail case that is not a case": (
        dataclasses.replace(COSINE, thumb="basics"),
        r"CosineAnnealingLR: field 'thumb' is 'basics', not a case; expected one of basic, ",
    ),
    "unknown scheduler": (
        dataclasses.replace(COSINE, name="CosineAnnealingLRR"),
        r"CosineAnnealingLRR: unknown scheduler; expected a class in torch\.optim\.lr_scheduler",
    ),
    "unknown argument": (
        with_case(COSINE, args={"T_maxx": 100}),
        r"CosineAnnealingLR case 'basic': unknown argument 'T_maxx' for CosineAnnealingLR; expected one of T_max, eta_min, last_epoch",
    ),
    "removed argument verbose": (
        with_case(COSINE, args={"T_max": 100, "verbose": True}),
        r"CosineAnnealingLR case 'basic': unknown argument 'verbose'",
    ),
    "unknown scheduler as a part": (
        with_case(
            SEQUENTIAL,
            args={"schedulers": [Sched("LinearLRR"), Sched("CosineAnnealingLR", {"T_max": 90})], "milestones": [10]},
        ),
        r"SequentialLR case 'warmup-cosine' \(part LinearLRR\): unknown scheduler 'LinearLRR'; expected a class in torch\.optim\.lr_scheduler",
    ),
    "missing argument": (
        with_case(COSINE, args={}),
        r"CosineAnnealingLR case 'basic': missing required argument 'T_max'",
    ),
    "wrong type": (
        with_case(COSINE, args={"T_max": "100"}),
        r"CosineAnnealingLR case 'basic': argument T_max='100' has type str; expected int",
    ),
    "wrong type in a sweep": (
        dataclasses.replace(COSINE, cases=(BASIC, dataclasses.replace(COSINE.cases[1], values=(0.0, "0.01")))),
        r"CosineAnnealingLR case 'eta-min' run \"eta_min='0.01'\": argument eta_min='0.01' has type str; expected float",
    ),
    "torch rejects the arguments": (
        with_case(PLATEAU, args={"factor": 2.0}),
        r"ReduceLROnPlateau case 'basic': the script raised before the first step, in `\"\": trace\(lambda optimizer: ReduceLROnPlateau\(optimizer, factor=2\.0\)\),`: ValueError: Factor should be < 1\.0\.",
    ),
    "torch rejects a step": (
        with_case(ONE_CYCLE, steps=1002),
        r"OneCycleLR case 'basic': the script raised at step 1000, in `.*OneCycleLR\(optimizer, .*`: ValueError: Tried to step 1001 times",
    ),
    "too few steps": (
        with_case(COSINE, steps=50),
        r"CosineAnnealingLR case 'basic': field 'steps' is 50, too short to show the whole schedule; expected at least 101",
    ),
    "torch's float log finds a period one short": (
        with_case(WARM_RESTARTS, args={"T_0": 1, "T_mult": 3}, iters=2, steps=300),
        r"CosineAnnealingWarmRestarts case 'basic': argument T_mult=3 with T_0=1: torch finds the period with a "
        r"float log that lands one period short at epoch 121 \(eta_min instead of a restart\); expected at most "
        r"243 steps \(a run that stops before epoch 121\), or another T_mult",
    ),
    "timm's float log finds a cycle one short": (
        with_case(
            TIMM_COSINE, args={"t_initial": 16, "cycle_limit": 4}, steps=131, vary="cycle_mul", values=(1.5, 1.25)
        ),
        r"CosineLRScheduler case 'basic' run 'cycle_mul=1\.25': argument cycle_mul=1\.25 with t_initial=16: timm "
        r"finds the cycle with a float log that lands one cycle short at t=61 \(the end of cycle i=2 instead of a "
        r"restart\); expected a run that stops before t=61 \(at most 61 steps\), or another cycle_mul",
    ),
    "missing twin": (
        dataclasses.replace(COSINE, twin=None),
        r"CosineAnnealingLR: field 'twin' is missing; expected a function Setting -> Curve",
    ),
    "twin disagrees": (
        dataclasses.replace(COSINE, twin=wrong_twin),
        r"CosineAnnealingLR case 'basic' column 'lr': the twin disagrees with the run at step 0: run 0\.1, twin 0\.05",
    ),
    "unknown optimizer": (
        with_case(COSINE, optim=Optim("SGDD")),
        r"CosineAnnealingLR case 'basic': field 'optim' names unknown optimizer 'SGDD'",
    ),
    "duplicate case id": (
        dataclasses.replace(COSINE, cases=(BASIC, BASIC)),
        r"CosineAnnealingLR case 'basic': field 'id' is used twice",
    ),
    "bad case id": (
        with_case(COSINE, id="Basic Case"),
        r"CosineAnnealingLR case 'Basic Case': field 'id' must be lowercase words joined by '-'",
    ),
    "promised warning never comes": (
        with_case(COSINE, warns="deprecated"),
        r"CosineAnnealingLR case 'basic': field 'warns' expects the warning 'deprecated', but none came",
    ),
    "argument table out of step with torch": (
        dataclasses.replace(COSINE, args=COSINE.args[:-1]),
        r"CosineAnnealingLR: field 'args' documents \['optimizer', 'T_max', 'eta_min'\]; expected torch 2\.13\.0",
    ),
    "argument documented under a wrong name": (
        dataclasses.replace(COSINE, args=(*COSINE.args[:-1], Arg("last_step", "x"))),
        r"CosineAnnealingLR: field 'args' documents .*'last_step'\]; expected",
    ),
    "unknown family": (
        dataclasses.replace(COSINE, family="decays"),
        r"CosineAnnealingLR: field 'family' is 'decays'; expected one of",
    ),
    "pitfall that does not fail": (
        dataclasses.replace(COSINE, pitfalls=(Pitfall("x", "x", "import torch", "ValueError", "", ""),)),
        r"CosineAnnealingLR pitfall 'x': field 'expect' is 'ValueError', but the code gave nothing",
    ),
    "pitfall failing otherwise": (
        dataclasses.replace(COSINE, pitfalls=(Pitfall("y", "y", "1 / 0", "ValueError", "", ""),)),
        r"CosineAnnealingLR pitfall 'y': field 'expect' is 'ValueError', but the code gave ZeroDivisionError: division by zero",
    ),
}


@pytest.mark.parametrize("what", list(BROKEN))
def test_broken_entry_is_named(what):
    """generate() returns the site only once everything is checked: a failure hands over nothing."""
    entry, message = BROKEN[what]
    with pytest.raises(CatalogError, match=message):
        generate(entries=(entry,))


def test_cli_leaves_no_output_behind(monkeypatch, tmp_path, capsys):
    entry, _ = BROKEN["twin disagrees"]
    monkeypatch.setattr(cli, "generate", partial(generate, entries=(entry,)))
    before = set(Path(tempfile.gettempdir()).glob("atlas-*"))
    out = tmp_path / "out"
    assert cli.main(["--out", str(out)]) == 1
    assert not out.exists()
    assert set(Path(tempfile.gettempdir()).glob("atlas-*")) == before
    assert "error: CosineAnnealingLR case 'basic' column 'lr': the twin disagrees" in capsys.readouterr().err


def test_missing_template_variable_is_named():
    with pytest.raises(jinja2.UndefinedError, match="'title' is undefined"):
        ENV.get_template("scheduler.md.j2").render()


def explore_base_with_two_groups(entry):
    base = entry.explore.base
    cases = tuple(
        dataclasses.replace(c, optim=Optim(c.optim.name, (0.1, 0.01), c.optim.args)) if c.id == base else c
        for c in entry.cases
    )
    return dataclasses.replace(entry, cases=cases)


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        BROKEN["pitfall anchor taken by a plot"],
        (explore_base_with_two_groups(COSINE), r"CosineAnnealingLR field 'explore': base '.*' has 2 parameter groups"),
    ],
    ids=["pitfall anchor", "explore base groups"],
)
def test_cached_validity_covers_every_field_the_checks_read(broken, message, monkeypatch, tmp_path):
    """A catalog that passed is remembered as valid; one that differs in any field is checked again."""
    monkeypatch.setenv("ATLAS_CACHE_DIR", str(tmp_path))
    good = next(e for e in ENTRIES if e.name == broken.name)
    families = [f for f, _ in FAMILIES]
    check_catalog((good,), families)
    assert list((tmp_path / "valid").iterdir())  # remembered
    with pytest.raises(CatalogError, match=message):
        check_catalog((broken,), families)
