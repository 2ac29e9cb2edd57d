"""timm's schedulers: the import workaround, and the two ways timm is stepped."""

import dataclasses
import math
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


def epoch_rates(scheduler, optimizer, steps: int, metric: bool, seed: int) -> list[float]:
    """The rate of each epoch, stepped as train.py steps: the epoch, then the validation metric."""
    out, rng = [], random.Random(seed)
    for epoch in range(steps):
        out.append(lr := optimizer.param_groups[0]["lr"])
        optimizer.step()
        if metric:
            scheduler.step(epoch + 1, val_loss(epoch, lr, 0.1, rng))
        else:
            scheduler.step(epoch + 1)
    return out


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

    def optimizer():
        return torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)

    shown_opt, direct_opt = optimizer(), optimizer()
    namespace = {"create_scheduler_v2": timm.scheduler.create_scheduler_v2, "optimizer": shown_opt}
    shown, _ = eval(timm_call(entry), namespace)  # noqa: S307
    assert type(shown).__name__ == entry.name
    direct = getattr(timm.scheduler, entry.name)(direct_opt, **case.args)
    got = epoch_rates(shown, shown_opt, case.steps, entry.metric, case.seed)
    want = epoch_rates(direct, direct_opt, case.steps, entry.metric, case.seed)
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


def train_py_args(line: str):
    """The flags of a `python train.py ...` line, parsed as train.py would (its defaults from
    gen/train_py.py, the flag names its argparse uses), and its rate as train.py computes it."""
    import argparse
    import shlex

    from gen import train_py

    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir")
    for name, default in train_py.DEFAULTS.items():
        flag = "--" + name.replace("_", "-")
        if isinstance(default, bool):
            parser.add_argument(flag, action="store_true", default=default)
        elif isinstance(default, list):
            parser.add_argument(flag, type=type(default[0]), nargs="+", default=default)
        else:
            parser.add_argument(flag, type=type(default) if default is not None else float, default=default)
    words = shlex.split(line)
    assert words[:2] == ["python", "train.py"], line
    ns = parser.parse_args(words[2:])
    if not ns.lr:  # train.py: lr = lr_base * global batch size / lr_base_size ("linear" for SGD)
        ns.lr = ns.lr_base * ns.batch_size / ns.lr_base_size
    return ns


def train_py_rates(ns, steps: int, metric: bool, seed: int) -> list[float]:
    import timm.scheduler
    import torch

    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=ns.lr)
    kwargs = timm.scheduler.scheduler_kwargs(ns, decreasing_metric=ns.eval_metric == "loss")
    scheduler, _ = timm.scheduler.create_scheduler_v2(optimizer, **kwargs, updates_per_epoch=10)
    return epoch_rates(scheduler, optimizer, steps, metric, seed)


@pytest.mark.parametrize("entry", [e for e in catalog.ENTRIES if e.sched], ids=lambda e: e.name)
def test_the_pages_train_py_command_gives_the_first_plot(entry):
    """The command line the "In timm's train.py" section prints, read with train.py's defaults and
    handed on as train.py does (timm's own scheduler_kwargs), against the class itself."""
    import torch

    from gen import timm_import
    from gen.pages import train_py_command

    timm_import.ensure()
    import timm.scheduler

    case = entry.cases[0]
    got = train_py_rates(train_py_args(train_py_command(entry)), case.steps, entry.metric, case.seed)
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=case.optim.lrs[0])
    direct = getattr(timm.scheduler, entry.name)(optimizer, **case.args)
    want = epoch_rates(direct, optimizer, case.steps, entry.metric, case.seed)
    assert all(x == x for x in got)  # no NaN
    assert got == want


def test_train_py_alone_warms_up_five_epochs_from_1e_5_to_0_05():
    """What the section says of train.py's defaults: `--sched cosine --epochs 100` alone climbs
    from 1e-5 towards 0.05 (0.1 x 128 / 256) over its first 5 epochs, then follows the cosine from
    0.05 (the warm-up is inside the 100 epochs: no --warmup-prefix)."""
    from gen import timm_import

    timm_import.ensure()
    rates = train_py_rates(train_py_args("python train.py --sched cosine --epochs 100"), 10, False, 0)
    peak = 0.1 * 128 / 256
    for epoch in range(5):
        assert math.isclose(rates[epoch], 1e-5 + epoch * (peak - 1e-5) / 5, rel_tol=1e-12), (epoch, rates)
    for epoch in range(5, 10):
        assert math.isclose(rates[epoch], peak * (1 + math.cos(math.pi * epoch / 100)) / 2, rel_tol=1e-12), (
            epoch,
            rates,
        )
