"""Annealing and restarts: cosine-shaped decays."""

from gen import twins
from gen.catalog.common import misuse
from gen.model import Arg, Case, Control, Entry, Explore, Formula, Optim, Pitfall

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
    explore=Explore(
        "eta-min",
        (Control("T_max", (10, 25, 50, 75, 100)), Control("eta_min", (0.0, 0.01, 0.02, 0.05))),
    ),
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
            cause="The first value of the schedule (the starting rate) is never used for an update.",
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
            cause="`step(epoch)` is deprecated: it jumps to the closed form at that epoch instead of chaining.",
            fix="Call `scheduler.step()` without arguments; restore position with `load_state_dict`.",
        ),
    ),
)


def _restarts(a):
    """Restarts at T_0, T_0 (1 + T_mult), T_0 (1 + T_mult + T_mult^2), ... (the plot keeps those in range)."""
    t0, m = a["T_0"], a.get("T_mult", 1)
    return [(t0 * sum(m**k for k in range(n)), "restart") for n in range(1, 21)]


WARM_RESTARTS = Entry(
    name="CosineAnnealingWarmRestarts",
    family="annealing",
    summary="Cosine decays from the initial rate to eta_min, restarting every T_0 steps (growing by T_mult).",
    about="""
SGDR, stochastic gradient descent with warm restarts: the rate follows half a cosine from the
initial rate down towards `eta_min`, then jumps back to the initial rate and starts again. The
first period lasts `T_0` calls to `step()`; each following period is `T_mult` times longer. Short
early periods explore, long late ones settle; the model at the end of each period (just before a
restart) is a natural snapshot for ensembles.

Unlike [CosineAnnealingLR](../cosine-annealing-lr/index.md), every value comes from the closed
form, so the restarts are exact. `step()` also accepts a fractional epoch,
`scheduler.step(epoch + i / iters)` after batch `i`, to anneal within epochs (see the last case);
in torch 2.13 this form gives no deprecation warning for this scheduler.
""",
    args=(
        Arg("optimizer", "The wrapped optimizer; its `lr` (per group) is the rate after each restart."),
        Arg("T_0", "Length of the first period, in `step()` calls (or epochs, stepping fractionally); a positive int."),
        Arg("T_mult", "Each period is this many times longer than the previous one; an int, at least 1."),
        Arg("eta_min", "The rate approached at the end of each period."),
        Arg("last_epoch", "Index of the last step when resuming; `-1` starts a fresh schedule."),
    ),
    formula=Formula(
        closed=(
            r"\begin{aligned} \eta_t &= \eta_{\min} + \tfrac12\,(\eta_0 - \eta_{\min}) \\"
            r" &\qquad \times \left(1 + \cos\frac{\pi\, T_{cur}}{T_i}\right), \\"
            r" T_i &= T_0\, m^{i}, \\"
            r" T_{cur} &= t - T_0\,\frac{m^{i} - 1}{m - 1} \end{aligned}"
        ),
        symbols=(
            (r"\eta_t", "the rate after `t` calls to `step()`, or at epoch `t` passed to `step(t)`"),
            (r"\eta_0", "the group's starting rate (the optimizer's `lr`)"),
            (r"\eta_{\min}", "`eta_min`"),
            (r"T_0", "`T_0`"),
            (r"m", "`T_mult`"),
            (r"i", "the index of the current period: the largest with \\(T_0 (m^{i} - 1)/(m - 1) \\le t\\)"),
            (
                r"T_{cur}",
                "steps (or epochs) since the last restart (`scheduler.T_cur`); \\(t \\bmod T_0\\) when \\(m = 1\\)",
            ),
            (r"T_i", "the length of the current period (`scheduler.T_i`)"),
        ),
        note="""
The rate never quite reaches \\(\\eta_{\\min}\\): the step where it would is the restart. torch
keeps \\(T_{cur}\\) and \\(T_i\\) as counters when stepped without an argument, and finds the
period with a floating-point logarithm when given an epoch. That logarithm lands one period short
at some restarts, where the rate is then \\(\\eta_{\\min}\\) instead of the initial rate: with
`T_mult=3` at the fifth restart, epoch `121 * T_0`, and with `T_mult=10` at the third, epoch
`111 * T_0`. The atlas refuses a run with fractional epochs that reaches such a restart.
""",
    ),
    twin=twins.warm_restarts,
    explore=Explore(
        "basic",
        (Control("T_0", (5, 10, 15, 20)), Control("T_mult", (1, 2, 3)), Control("eta_min", (0.0, 0.001, 0.01))),
        steps=261,
    ),
    span=lambda a: a["T_0"] * (1 + a.get("T_mult", 1) + a.get("T_mult", 1) ** 2) + 1,
    marks=_restarts,
    cases=(
        Case(
            "basic",
            "T_0=10, T_mult=2: periods of 10, 20, 40, 80",
            {"T_0": 10, "T_mult": 2, "eta_min": 0.001},
            steps=150,
            text="Each restart jumps back to the initial rate; each period is twice as long as the one before.",
        ),
        Case(
            "t-0",
            "T_0: the length of the periods",
            {"T_0": 10},
            steps=151,
            vary="T_0",
            values=(10, 25, 50),
            text="With `T_mult=1` every period has the same length `T_0`: restarts at multiples of it.",
        ),
        Case(
            "t-mult",
            "T_mult: how fast the periods grow",
            {"T_0": 10},
            steps=131,
            vary="T_mult",
            values=(1, 2, 3),
            text="With `T_mult=3` the periods are 10, 30 and 90 steps: restarts at 10, 40 and 130.",
        ),
        Case(
            "eta-min",
            "eta_min on a log axis",
            {"T_0": 20, "T_mult": 1},
            steps=101,
            vary="eta_min",
            values=(1e-4, 1e-3, 1e-2),
            log=True,
            text="Near the end of a period the rate approaches `eta_min`; a log axis shows how close it gets.",
        ),
        Case(
            "fractional",
            "Fractional epochs: step(epoch + i / iters) after every batch",
            {"T_0": 2, "T_mult": 2},
            steps=150,
            iters=10,
            text="""
Stepped after each of 10 batches per epoch with `scheduler.step(epoch + i / iters)`, as torch's
documentation shows, the periods are counted in epochs (2, 4, 8) but the rate changes every
batch. The documented loop passes the epoch of the batch just finished, so each rate arrives one
batch late: the restarts land on batch `epoch * iters + 1` (21, 61, 141), where they are marked.
""",
        ),
    ),
    pitfalls=(
        Pitfall(
            id="t-mult-float",
            title="A fractional T_mult",
            code=misuse(
                "scheduler = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(optimizer, T_0=10, T_mult=1.5)"
            ),
            expect="ValueError",
            cause="Period lengths are whole numbers of steps, so the growth factor must be an int.",
            fix="Use `T_mult=1` or `2`; for other growth use a `SequentialLR` of `CosineAnnealingLR` parts.",
        ),
        Pitfall(
            id="t-0-float",
            title="A T_0 computed by division",
            code=misuse("""
epochs = 100
scheduler = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(optimizer, T_0=epochs / 4)
"""),
            expect="ValueError",
            cause="`epochs / 4` is the float 25.0, and `T_0` must be a positive int.",
            fix="Use integer division: `T_0=epochs // 4`.",
        ),
        Pitfall(
            id="eta-min-none",
            title="eta_min=None",
            code=misuse(
                "scheduler = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(optimizer, T_0=10, eta_min=None)"
            ),
            expect="ValueError",
            cause="`eta_min` must be a number; there is no 'no floor' value.",
            fix="Leave it out (the default is `0.0`) or pass a float.",
        ),
        Pitfall(
            id="negative-epoch",
            title="A negative epoch",
            code=misuse("""
scheduler = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(optimizer, T_0=10)
optimizer.step()
scheduler.step(-1)
"""),
            expect="ValueError",
            cause="An explicit epoch places the schedule; it cannot be before the start.",
            fix="Pass `epoch + i / iters` counted from 0, or call `step()` without an argument.",
        ),
    ),
)

ENTRIES = (COSINE, WARM_RESTARTS)
