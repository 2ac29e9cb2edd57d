"""Annealing and restarts: cosine-shaped decays."""

from gen import twins
from gen.model import Arg, Case, Entry, Formula, Optim, Pitfall

COSINE = Entry(
    name="CosineAnnealingLR",
    family="annealing",
    summary="Half a cosine from the initial rate down to eta_min over T_max steps.",
    about="""
Sets each group's rate along half a cosine wave: it starts at the optimizer's rate, falls slowly,
then fast, then slowly again, and reaches `eta_min` after `T_max` calls to `step()`. It is the
smooth decay most training recipes use when the length of training is known in advance, often
after a short linear warm-up (see [SequentialLR](../sequential-lr/index.md)).

It does **not** stop at `T_max`: the cosine keeps going, so the rate climbs back up to the initial
rate at `2 * T_max`. Set `T_max` to the number of times you will call `step()`, or use
[CosineAnnealingWarmRestarts](https://docs.pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.CosineAnnealingWarmRestarts.html)
if restarts are what you want.
""",
    args=(
        Arg("optimizer", "The wrapped optimizer; its `lr` (per group) is the starting rate."),
        Arg("T_max", "Number of `step()` calls from the starting rate down to `eta_min` (half a period)."),
        Arg("eta_min", "The lowest rate, reached at step `T_max`."),
        Arg("last_epoch", "Index of the last step when resuming; `-1` starts a fresh schedule."),
    ),
    formula=Formula(
        closed=r"\eta_t = \eta_{\min} + \tfrac{1}{2}\,(\eta_0 - \eta_{\min})\left(1 + \cos\frac{\pi\, t}{T_{\max}}\right)",
        recursive=(
            r"\eta_t = \eta_{\min} + (\eta_{t-1} - \eta_{\min})\,"
            r"\frac{1 + \cos\frac{\pi\, t}{T_{\max}}}{1 + \cos\frac{\pi\,(t-1)}{T_{\max}}}"
        ),
        symbols=(
            (r"\eta_t", "the rate after `t` calls to `step()` (`scheduler.last_epoch == t`)"),
            (r"\eta_0", "the group's starting rate, `initial_lr` (the optimizer's `lr`)"),
            (r"\eta_{\min}", "`eta_min`"),
            (r"T_{\max}", "`T_max`"),
        ),
        note="""
torch computes the recursive form on each `step()`, so a rate changed by hand between steps
carries on from the new value; the closed form is what `step(epoch)` and the first step after
resuming use. The recursive form divides by zero at \\(t = T_{\\max} + 1\\) (and every
\\(2T_{\\max}\\) after), where torch adds \\(\\tfrac12(\\eta_0 - \\eta_{\\min})(1 - \\cos\\frac{\\pi}{T_{\\max}})\\) instead.
""",
    ),
    twin=twins.cosine_annealing,
    span=lambda a: a["T_max"] + 1,
    marks=lambda a: [(a["T_max"], "T_max")],
    cases=(
        Case("basic", "From 0.1 to 0 over 100 steps", {"T_max": 100}, steps=101),
        Case(
            "eta-min",
            "A floor with eta_min",
            {"T_max": 100},
            steps=101,
            vary="eta_min",
            values=(0.0, 0.01, 0.05),
            text="`eta_min` lifts the end of the curve; the shape between the ends stays a half cosine.",
        ),
        Case(
            "t-max",
            "T_max sets the length of the decay",
            {"T_max": 100},
            steps=101,
            vary="T_max",
            values=(25, 50, 100),
            text="A shorter `T_max` with the same number of steps reaches the floor early and climbs back up.",
        ),
        Case(
            "past-t-max",
            "Past T_max the rate rises again",
            {"T_max": 50, "eta_min": 0.001},
            steps=201,
            text="""
Stepping beyond `T_max` does not hold the rate at `eta_min`: the cosine continues, back to the
starting rate at `2 * T_max = 100` and down again at 150. This is the most common surprise with
this scheduler, usually from a `T_max` counted in epochs while `step()` is called every batch.
""",
        ),
        Case(
            "groups",
            "Two parameter groups, one schedule",
            {"T_max": 100, "eta_min": 1e-4},
            steps=101,
            optim=Optim("SGD", (0.1, 0.01), {"momentum": 0.9}),
            log=True,
            text="Each group anneals from its own rate to the shared `eta_min`; on a log axis the two curves converge.",
        ),
    ),
    pitfalls=(
        Pitfall(
            id="step-order",
            title="Calling scheduler.step() before optimizer.step()",
            code="""
import torch

params = [torch.nn.Parameter(torch.zeros(1))]
optimizer = torch.optim.SGD(params, lr=0.1)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=100)
scheduler.step()  # before any optimizer.step()
""",
            expect="UserWarning",
            explain="The first value of the schedule (the starting rate) is never used for an update.",
            fix="Call `optimizer.step()` first, then `scheduler.step()`, once per step.",
        ),
        Pitfall(
            id="step-epoch",
            title="Passing the epoch to step()",
            code="""
import torch

params = [torch.nn.Parameter(torch.zeros(1))]
optimizer = torch.optim.SGD(params, lr=0.1)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=100)
optimizer.step()
scheduler.step(10)
""",
            expect="UserWarning",
            explain="`step(epoch)` is deprecated: it jumps to the closed form at that epoch instead of chaining.",
            fix="Call `scheduler.step()` without arguments; restore position with `load_state_dict`.",
        ),
    ),
)

ENTRIES = (COSINE,)
