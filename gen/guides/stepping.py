"""Guide: what scheduler.step() counts, per epoch or per batch, and in which order to call it."""

from __future__ import annotations

from gen.guides.common import half_cosine, script
from gen.guides.model import Guide, Plot
from gen.model import Pitfall

LR, EPOCHS, BATCHES = 0.1, 10, 20

EPOCH_VS_BATCH = Plot(
    id="epoch-vs-batch",
    title="One cosine schedule, stepped per epoch and per batch",
    caption=(
        f"`CosineAnnealingLR` over {EPOCHS} epochs of {BATCHES} batches, SGD at lr={LR}: stepped once per "
        f"epoch with `T_max={EPOCHS}` (a staircase), once per batch with `T_max={EPOCHS * BATCHES}` (smooth), "
        f"and once per batch with `T_max={EPOCHS}` left in epochs, which runs through ten full cosine cycles, "
        "rising back to the top every 20 batches. The rate each batch trained with, from real torch runs."
    ),
    code=script(f'''
from torch.optim.lr_scheduler import CosineAnnealingLR

EPOCHS, BATCHES = {EPOCHS}, {BATCHES}  # BATCHES is len(train_loader)


def train(T_max, per_batch):
    """The rate every batch trains with, when the scheduler steps per batch or per epoch."""
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr={LR})
    scheduler = CosineAnnealingLR(optimizer, T_max=T_max)
    used = []
    for epoch in range(EPOCHS):
        for batch in range(BATCHES):
            used.append(optimizer.param_groups[0]["lr"])
            optimizer.step()  # after loss.backward() in real training
            if per_batch:
                scheduler.step()
        if not per_batch:
            scheduler.step()
    return used


runs = {{
    "lr[per epoch, T_max=10]": train(T_max=EPOCHS, per_batch=False),
    "lr[per batch, T_max=200]": train(T_max=EPOCHS * BATCHES, per_batch=True),
    "lr[per batch, T_max=10 (wrong unit)]": train(T_max=EPOCHS, per_batch=True),
}}
'''),
    twin=lambda n: {
        "lr[per epoch, T_max=10]": [LR * half_cosine((t // BATCHES) / EPOCHS) for t in range(n)],
        "lr[per batch, T_max=200]": [LR * half_cosine(t / (EPOCHS * BATCHES)) for t in range(n)],
        "lr[per batch, T_max=10 (wrong unit)]": [LR * half_cosine(t / EPOCHS) for t in range(n)],
    },
    xlabel="batch",
    dashed=("lr[per batch, T_max=10 (wrong unit)]",),
    formula=r"\eta_t = \eta_0 \cdot \tfrac12\bigl(1 + \cos(\pi\, k / T_{max})\bigr),\quad k = t \text{ (per batch) or } \lfloor t / B \rfloor \text{ (per epoch)}",
)

ORDER_STEPS, ORDER_SIZE = 20, 5

ORDER = Plot(
    id="order",
    title="optimizer.step() then scheduler.step(), and the reverse",
    caption=(
        f"The rate each `optimizer.step()` used under `StepLR(step_size={ORDER_SIZE}, gamma=0.5)` from lr={LR}: "
        "in the right order (`optimizer.step()`, then `scheduler.step()`) the rate halves after 5, 10 and 15 "
        "updates; called the other way round, every drop comes one update early and the first value of the "
        "schedule is never used. torch warns once, at the first call."
    ),
    code=script(f'''
from torch.optim.lr_scheduler import StepLR

STEPS = {ORDER_STEPS}


def train(scheduler_first):
    """The rate each optimizer.step() uses."""
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr={LR})
    scheduler = StepLR(optimizer, step_size={ORDER_SIZE}, gamma=0.5)
    used = []
    for step in range(STEPS):
        if scheduler_first:
            scheduler.step()  # wrong: before the update it schedules
        used.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        if not scheduler_first:
            scheduler.step()  # right: after optimizer.step()
    return used


runs = {{
    "lr[optimizer.step(), then scheduler.step()]": train(scheduler_first=False),
    "lr[scheduler.step() first (wrong)]": train(scheduler_first=True),
}}
'''),
    twin=lambda n: {
        "lr[optimizer.step(), then scheduler.step()]": [LR * 0.5 ** (t // ORDER_SIZE) for t in range(n)],
        "lr[scheduler.step() first (wrong)]": [LR * 0.5 ** ((t + 1) // ORDER_SIZE) for t in range(n)],
    },
    warns="before `optimizer.step()`",
    xlabel="optimizer step",
    dashed=("lr[scheduler.step() first (wrong)]",),
    formula=r"\eta_t = \eta_0 \cdot 0.5^{\lfloor t / 5 \rfloor}\ \text{(right order)},\qquad \eta_t = \eta_0 \cdot 0.5^{\lfloor (t+1) / 5 \rfloor}\ \text{(reversed)}",
)

ORDER_TRAP = Pitfall(
    id="stepping-order",
    title="scheduler.step() before optimizer.step()",
    symptom="A warning at the first step, and every change of the rate comes one step early; the first value is skipped.",
    code="""
import torch

optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=5)
for step in range(3):
    scheduler.step()  # before the update
    optimizer.step()
""",
    expect="UserWarning",
    cause="The scheduler sets the rate for the *next* update; stepped first, it moves on before the first update uses the starting rate.",
    fix="In every iteration: `loss.backward()`, `optimizer.step()`, then `scheduler.step()`.",
    see="guides/stepping/index.md#order",
)

UNIT_TRAP = Pitfall(
    id="t-max-unit",
    title="T_max counted in epochs, scheduler stepped per batch",
    symptom="The cosine reaches its minimum after a few epochs' worth of batches, then climbs back up, over and over. No message.",
    code="""
import torch

EPOCHS, BATCHES = 10, 20
optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=EPOCHS)  # epochs...
for batch in range(EPOCHS * BATCHES):
    if batch in (0, 10, 20, 30, 199):
        print(f"batch {batch:3}: lr = {optimizer.param_groups[0]['lr']:.4f}")
    optimizer.step()
    scheduler.step()  # ...but stepped per batch
""",
    cause="`scheduler.step()` counts calls, not epochs. `T_max`, `step_size`, `milestones`, `total_iters` are all in calls.",
    fix="Step per batch with lengths in batches (`T_max=epochs * len(train_loader)`), or step once per epoch.",
    see="guides/stepping/index.md#epoch-vs-batch",
)

GUIDE = Guide(
    slug="stepping",
    title="Stepping: per epoch or per batch",
    summary="What scheduler.step() counts, how to convert lengths between epochs and batches, and the order of the two step() calls.",
    template="guide_stepping.md.j2",
    plots=(EPOCH_VS_BATCH, ORDER),
    pitfalls=(ORDER_TRAP, UNIT_TRAP),
    extra={"epochs": EPOCHS, "batches": BATCHES},
)
