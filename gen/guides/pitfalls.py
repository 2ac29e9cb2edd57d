"""The pitfalls page: every scheduler page's pitfalls and every guide's traps, plus these,
which belong to no single page. Silent ones print their evidence from a real run."""

from __future__ import annotations

from gen.guides.model import Guide
from gen.model import Pitfall

VERBOSE = Pitfall(
    id="verbose",
    title="The removed verbose argument",
    symptom="Code written for older torch stops at the scheduler's constructor.",
    code="""
import torch

optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=30, verbose=True)
""",
    expect="TypeError",
    cause="`verbose` was deprecated in torch 2.2 and has since been removed from every scheduler.",
    fix="Drop the argument; to log the rate, print `scheduler.get_last_lr()` after `scheduler.step()`.",
)

SHARED = Pitfall(
    id="shared-optimizer",
    title="Two schedulers on one optimizer",
    symptom="The rate follows neither schedule: it falls faster than either, or jumps. No message.",
    code="""
import torch
from torch.optim.lr_scheduler import CosineAnnealingLR, ExponentialLR

optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
cosine = CosineAnnealingLR(optimizer, T_max=10)
decay = ExponentialLR(optimizer, gamma=0.9)  # the same optimizer
for step in range(6):
    alone_cos = 0.05 * (1 + torch.cos(torch.tensor(step * torch.pi / 10))).item()
    print(f"step {step}: lr = {optimizer.param_groups[0]['lr']:.5f}  "
          f"(cosine alone {alone_cos:.5f}, exponential alone {0.1 * 0.9 ** step:.5f})")
    optimizer.step()
    cosine.step()
    decay.step()
""",
    cause=(
        "Most schedulers are chainable: each `step()` multiplies the optimizer's *current* rate by its own "
        "ratio, so two of them on one optimizer compose their factors, every step. That is what "
        "`ChainedScheduler` does on purpose; by accident it corrupts both schedules (and plots that step "
        "several schedulers on one optimizer to compare them are wrong)."
    ),
    fix=(
        "One scheduler per optimizer: compose with `SequentialLR` (one after another) or `ChainedScheduler` "
        "(at once, on purpose); to compare schedules, give each its own optimizer."
    ),
)

CYCLIC_OVERWRITE = Pitfall(
    id="cyclic-overwrite",
    title="CyclicLR replaces the optimizer's rate and momentum",
    symptom="The `lr` and `momentum` given to the optimizer are not what it trains with. No message.",
    code="""
import torch

optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.5, momentum=0.5)
print("before:", {k: optimizer.param_groups[0][k] for k in ("lr", "momentum")})
scheduler = torch.optim.lr_scheduler.CyclicLR(optimizer, base_lr=0.001, max_lr=0.01)
print("after: ", {k: optimizer.param_groups[0][k] for k in ("lr", "momentum")})
""",
    cause=(
        "`CyclicLR` sets `lr` to `base_lr` when it is built, and with `cycle_momentum=True` (the default) it "
        "sets `momentum` to `max_momentum` (0.9) and cycles it between `base_momentum` and `max_momentum`."
    ),
    fix="Give the rates to `CyclicLR`, not to the optimizer; pass `cycle_momentum=False` to keep the optimizer's momentum.",
    see="schedulers/cyclic-lr/index.md",
)

DUPLICATES = Pitfall(
    id="duplicate-milestones",
    title="A MultiStepLR milestone listed twice",
    symptom="The rate drops by gamma squared at one step. No message.",
    code="""
import torch

optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
scheduler = torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones=[30, 30, 70], gamma=0.1)
for step in range(71):
    if step in (29, 30, 69, 70):
        print(f"step {step}: lr = {optimizer.param_groups[0]['lr']:.0e}")
    optimizer.step()
    scheduler.step()
""",
    cause="`milestones` is counted as a multiset: a step listed twice applies `gamma` twice there.",
    fix="De-duplicate the list (`sorted(set(milestones))`) unless the double drop is what you want.",
    see="schedulers/multi-step-lr/index.md#duplicates",
)

PAST_T_MAX = Pitfall(
    id="past-t-max",
    title="CosineAnnealingLR stepped past T_max",
    symptom="After reaching `eta_min`, the rate climbs back towards the initial rate. No message.",
    code="""
import torch

optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=50)
for step in range(101):
    if step in (0, 50, 75, 100):
        print(f"step {step:3}: lr = {optimizer.param_groups[0]['lr']:.4f}")
    optimizer.step()
    scheduler.step()
""",
    cause="The formula is a cosine with period `2 * T_max`; nothing stops it at `T_max`.",
    fix="Set `T_max` to the number of `step()` calls in the whole run, or follow it with a constant part in `SequentialLR`.",
    see="schedulers/cosine-annealing-lr/index.md#past-t-max",
)

GUIDE = Guide(
    slug="pitfalls",
    title="Pitfalls",
    summary="Every known way to misuse a torch LR scheduler: the symptom, the message torch prints, the cause and the fix.",
    template="guide_pitfalls.md.j2",
    pitfalls=(VERBOSE, SHARED, CYCLIC_OVERWRITE, DUPLICATES, PAST_T_MAX),
)
