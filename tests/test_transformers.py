"""transformers' schedules: what a page says a Trainer user writes is what transformers does."""

import dataclasses
import math

import pytest
import torch
import transformers
from transformers.optimization import TYPE_TO_SCHEDULER_FUNCTION, SchedulerType

from gen.catalog import ENTRIES
from gen.catalog import transformers as catalog
from gen.library import scheduler_class
from gen.model import CatalogError
from gen.pages import trainer_view
from gen.validate import check_entry

HF = [e for e in ENTRIES if e.trainer]  # transformers' own, and torch's ReduceLROnPlateau


def rates(scheduler, optimizer, steps, metric):
    """The rate at each step; a metric-driven schedule is given the same falling, then noisy, loss."""
    out = []
    for t in range(steps):
        out.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step(1 / (t + 1) + 0.01 * math.sin(t)) if metric else scheduler.step()
    return out


def optimizer():
    return torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)


def test_every_transformers_entry_names_the_type_that_builds_it():
    assert any(e.library == "transformers" for e in HF), "the catalog has no transformers entry"
    for entry in HF:
        made = scheduler_class(entry.name, entry.module)
        function = TYPE_TO_SCHEDULER_FUNCTION[SchedulerType(entry.trainer)]
        if isinstance(made, type):  # a factory that passes **kwargs on: it must make this class
            assert isinstance(function(optimizer()), made)
        else:
            assert function is made


@pytest.mark.parametrize("entry", HF, ids=lambda e: e.name)
def test_the_pages_get_scheduler_call_gives_the_first_plot(entry):
    """The call the "In a Trainer" section prints, run as printed, against the function itself."""
    view = trainer_view(entry)
    case = entry.cases[0]
    opt = optimizer()
    shown = eval(view.call, {"get_scheduler": transformers.get_scheduler, "optimizer": opt})  # noqa: S307
    direct_opt = optimizer()
    made = scheduler_class(entry.name, entry.module)
    direct = made(direct_opt, **case.args)
    got, want = rates(shown, opt, case.steps, entry.metric), rates(direct, direct_opt, case.steps, entry.metric)
    assert all(math.isfinite(x) for x in got)
    assert got == want


def test_trainer_warmup_steps_below_one_is_a_ratio():
    """The page's rule for warmup_steps, checked against TrainingArguments' own method."""
    get = transformers.TrainingArguments.get_warmup_steps
    for warmup, total, expect in ((0.1, 100, 10), (0.05, 30, 2), (10, 100, 10), (0.0, 100, 0)):
        args = type("Args", (), {"warmup_steps": warmup})()
        assert get(args, total) == expect == (int(warmup) if warmup >= 1 else math.ceil(warmup * total))


def test_an_unknown_trainer_type_is_named():
    bad = dataclasses.replace(catalog.COSINE, trainer="cosine_annealing")
    families = ["hf-decay"]
    with pytest.raises(CatalogError, match=r"get_cosine_schedule_with_warmup: field 'trainer' is 'cosine_annealing'"):
        check_entry(bad, families)


def test_a_trainer_type_of_another_schedule_is_named():
    bad = dataclasses.replace(catalog.COSINE, trainer="linear")
    with pytest.raises(
        CatalogError, match=r"field 'trainer' is 'linear', which builds get_linear_schedule_with_warmup"
    ):
        check_entry(bad, ["hf-decay"])
