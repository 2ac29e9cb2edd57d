"""timm's schedulers: the import workaround, and the two ways timm is stepped."""

import dataclasses
import random
import subprocess
import sys

import pytest

from gen.catalog import timm as catalog
from gen.metric import val_loss
from gen.model import CatalogError
from gen.validate import check_entry

FAMILIES = ["timm-cycles", "timm-step", "timm-wsd"]


def test_timm_scheduler_imports_in_a_fresh_interpreter():
    """Whatever `import timm` does on this machine, the build's way gives timm's own classes."""
    code = (
        "from gen import timm_import; timm_import.ensure()\n"
        "from timm.scheduler import CosineLRScheduler\n"
        "print(CosineLRScheduler.__module__)\n"
    )
    done = subprocess.run([sys.executable, "-I", "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "timm.scheduler.cosine_lr"


def test_the_workaround_is_a_no_op_where_timm_imports():
    """With a `timm` already imported (a reader's working install), ensure() changes nothing."""
    code = (
        "import sys, types\n"
        "real = types.ModuleType('timm'); sys.modules['timm'] = real\n"
        "from gen import timm_import; timm_import.ensure()\n"
        "print(sys.modules['timm'] is real)\n"
    )
    done = subprocess.run([sys.executable, "-I", "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "True", done.stderr[-2000:]


def test_a_per_update_case_counts_its_span_in_updates():
    """t_in_epochs=False: t_initial counts updates, so a run shorter than it is named."""
    case = next(c for c in catalog.COSINE.cases if c.id == "per-update")
    short = dataclasses.replace(case, steps=400)
    bad = dataclasses.replace(catalog.COSINE, cases=(catalog.COSINE.cases[0], short))
    with pytest.raises(
        CatalogError, match=r"CosineLRScheduler case 'per-update': field 'steps' is 400, .*at least 501"
    ):
        check_entry(bad, FAMILIES)


def test_a_per_epoch_case_in_a_batch_loop_counts_epochs_of_batches():
    case = next(c for c in catalog.COSINE.cases if c.id == "per-epoch-in-a-batch-loop")
    short = dataclasses.replace(case, steps=500)
    bad = dataclasses.replace(catalog.COSINE, cases=(catalog.COSINE.cases[0], short))
    with pytest.raises(CatalogError, match=r"field 'steps' is 500, .*at least 550"):
        check_entry(bad, FAMILIES)


@pytest.mark.parametrize("entry", catalog.ENTRIES, ids=lambda e: e.name)
def test_every_timm_script_steps_as_timms_train_py(entry):
    """Per epoch: step(epoch + 1); per batch: step_update after each update and step at each epoch's end."""
    from gen.reproduce import script

    for case in entry.cases:
        code = script(entry, case)
        assert f"from timm.scheduler import {entry.name}" in code
        epoch = "scheduler.step(step + 1, loss)" if entry.metric else "scheduler.step(step + 1)"
        assert epoch in code or (case.iters and "scheduler.step_update(num_updates=step + 1)" in code), case.id
        assert "scheduler.step()" not in code


@pytest.mark.parametrize("entry", catalog.ENTRIES, ids=lambda e: e.name)
def test_the_pages_create_scheduler_v2_call_gives_the_first_plot(entry):
    """The call the "In timm's train.py" section prints, run as printed, against the class itself."""
    import torch

    from gen import timm_import
    from gen.pages import timm_call

    timm_import.ensure()
    import timm.scheduler

    case = entry.cases[0]
    assert not case.iters, "the section shows a case stepped per epoch"

    def rates(scheduler, optimizer):
        out, rng = [], random.Random(case.seed)
        for epoch in range(case.steps):
            out.append(lr := optimizer.param_groups[0]["lr"])
            optimizer.step()
            if entry.metric:  # as train.py: the epoch, then the validation metric
                scheduler.step(epoch + 1, val_loss(epoch, lr, 0.1, rng))
            else:
                scheduler.step(epoch + 1)
        return out

    def optimizer():
        return torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)

    shown_opt, direct_opt = optimizer(), optimizer()
    namespace = {"create_scheduler_v2": timm.scheduler.create_scheduler_v2, "optimizer": shown_opt}
    shown, _ = eval(timm_call(entry), namespace)  # noqa: S307
    assert type(shown).__name__ == entry.name
    direct = getattr(timm.scheduler, entry.name)(direct_opt, **case.args)
    got, want = rates(shown, shown_opt), rates(direct, direct_opt)
    assert all(x == x for x in got)  # no NaN
    assert got == want


@pytest.mark.parametrize("seed", [0, 1, 42, 141, 2**31 + 5])
def test_the_twins_generator_draws_what_torch_draws(seed):
    """timm's noise comes from torch.Generator; the twin's replay must give the very same floats."""
    import torch

    from gen.torch_random import Generator

    g, mine = torch.Generator(), Generator(seed)
    g.manual_seed(seed)
    assert [mine.randn() for _ in range(7)] == [torch.randn(1, generator=g).item() for _ in range(7)]
    g.manual_seed(seed)
    mine = Generator(seed)
    assert [mine.rand() for _ in range(7)] == [torch.rand(1, generator=g).item() for _ in range(7)]


def test_the_noise_twin_is_timms_noise():
    """The twin's noise, added to the same rate, is what timm's scheduler sets, at every epoch in range."""
    import torch

    from gen import timm_import, twins
    from gen.model import Optim, Setting

    timm_import.ensure()
    from timm.scheduler import CosineLRScheduler

    args = {"t_initial": 30, "noise_range_t": [5, 25], "noise_std": 0.5, "noise_pct": 0.3, "noise_seed": 7}
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
    scheduler = CosineLRScheduler(optimizer, **args)
    expected = twins.timm_cosine(Setting(args, (0.1,), Optim(), 31)).lrs[0]
    for epoch in range(1, 31):
        scheduler.step(epoch)
        assert optimizer.param_groups[0]["lr"] == pytest.approx(expected[epoch], rel=1e-12, abs=0), epoch
    noisy = sum(
        expected[t] != twins.timm_cosine(Setting({"t_initial": 30}, (0.1,), Optim(), 31)).lrs[0][t] for t in range(31)
    )
    assert noisy == 20
