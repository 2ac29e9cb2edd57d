"""Guide: resuming from a checkpoint, what last_epoch means, and why step(epoch) is deprecated."""

from __future__ import annotations

from gen.guides.common import half_cosine, script
from gen.guides.model import Guide, Plot
from gen.model import Pitfall

LR, WARMUP, STEPS, STOP = 0.1, 10, 60, 25


def schedule(t: int) -> float:
    """Linear warm-up from LR/10 over WARMUP steps, then a half cosine to 0 at STEPS."""
    if t < WARMUP:
        return LR * (0.1 + 0.9 * t / WARMUP)
    return LR * half_cosine((t - WARMUP) / (STEPS - WARMUP))


RESUME = Plot(
    id="resume",
    title="Resumed from a checkpoint, and restarted without one",
    caption=(
        f"Linear warm-up then cosine (`SequentialLR` of `LinearLR` and `CosineAnnealingLR`, SGD with momentum, "
        f"lr={LR}) over {STEPS} steps, three ways: uninterrupted; interrupted after {STOP} steps and resumed by "
        "building optimizer and scheduler as before and loading both state dicts from the checkpoint (drawn as a "
        "dot every 5 steps: every dot lies exactly on the uninterrupted curve); and restarted with a new scheduler and no checkpoint, which "
        "begins the warm-up again."
    ),
    code=script(f'''
import io

from torch.optim.lr_scheduler import CosineAnnealingLR, LinearLR, SequentialLR

STEPS, STOP = {STEPS}, {STOP}  # the first training run is interrupted after STOP steps


def build():
    """The same code in every run: the optimizer, then the scheduler."""
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr={LR}, momentum=0.9)
    warmup = LinearLR(optimizer, start_factor=0.1, total_iters={WARMUP})
    cosine = CosineAnnealingLR(optimizer, T_max=STEPS - {WARMUP})
    return optimizer, SequentialLR(optimizer, [warmup, cosine], milestones=[{WARMUP}])


def train(optimizer, scheduler, steps, used):
    for _ in range(steps):
        used.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()


optimizer, scheduler = build()
uninterrupted = []
train(optimizer, scheduler, STEPS, uninterrupted)

# Train STOP steps and save a checkpoint of both states...
optimizer, scheduler = build()
resumed = []
train(optimizer, scheduler, STOP, resumed)
checkpoint = io.BytesIO()  # a file in real training
torch.save({{"optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict()}}, checkpoint)

# ...then, as a new process would: build as before, and load both states.
checkpoint.seek(0)
state = torch.load(checkpoint)
optimizer, scheduler = build()
optimizer.load_state_dict(state["optimizer"])
scheduler.load_state_dict(state["scheduler"])
train(optimizer, scheduler, STEPS - STOP, resumed)

# Without the checkpoint, a new scheduler starts the schedule over.
restarted = uninterrupted[:STOP]
optimizer, scheduler = build()
train(optimizer, scheduler, STEPS - STOP, restarted)

runs = {{
    "lr[uninterrupted]": uninterrupted,
    "lr[resumed from the checkpoint: identical]": resumed,
    "lr[restarted without it]": restarted,
}}
'''),
    twin=lambda n: {
        "lr[uninterrupted]": [schedule(t) for t in range(n)],
        "lr[restarted without it]": [schedule(t if t < STOP else t - STOP) for t in range(n)],
    },
    same=(("lr[uninterrupted]", "lr[resumed from the checkpoint: identical]"),),
    dashed=("lr[restarted without it]",),
    marked=(("lr[resumed from the checkpoint: identical]", 5),),  # on the uninterrupted line, yet visible
    formula=(
        r"\eta_t = \eta_0\,(0.1 + 0.9\,t/10)\ \text{for}\ t < 10,\quad "
        r"\eta_t = \eta_0 \cdot \tfrac12\bigl(1 + \cos(\pi (t - 10)/50)\bigr)\ \text{after}"
    ),
)

INITIAL_LR = Pitfall(
    id="initial-lr",
    title="last_epoch on a fresh optimizer",
    symptom="Resuming stops at the scheduler's constructor with a `KeyError` about `initial_lr`.",
    code="""
import torch

optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)  # fresh: no state loaded
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=100, last_epoch=24)
""",
    expect="KeyError",
    cause=(
        "With `last_epoch >= 0` the constructor believes it is resuming and reads each group's `initial_lr`, "
        "which a scheduler writes into the optimizer the first time it is built (and which the optimizer's "
        "state dict carries). A fresh optimizer has none."
    ),
    fix=(
        "Leave `last_epoch` at its default; build the scheduler, then call `optimizer.load_state_dict(...)` "
        "and `scheduler.load_state_dict(...)` with the states saved in the checkpoint."
    ),
)

GUIDE = Guide(
    slug="resume",
    title="Resuming from a checkpoint",
    summary="What last_epoch means, the initial_lr KeyError, and the way to resume that gives exactly the uninterrupted curve.",
    template="guide_resume.md.j2",
    plots=(RESUME,),
    pitfalls=(INITIAL_LR,),
    extra={"stop": STOP, "steps": STEPS},
)
