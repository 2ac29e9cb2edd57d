"""Smooth decays: the rate changes a little on every step."""

import math

from gen import twins
from gen.catalog.common import misuse
from gen.model import Arg, Case, Control, Entry, Explore, Formula, Optim, Pitfall

LAST_EPOCH = Arg("last_epoch", "Index of the last step when resuming; `-1` starts a fresh schedule.")

LINEAR = Entry(
    name="LinearLR",
    family="smooth",
    summary="Moves the rate's factor in a straight line from start_factor to end_factor over total_iters steps.",
    about="""
Multiplies each group's rate by a factor that moves linearly from `start_factor` to `end_factor`
over `total_iters` calls to `step()`, then stays at `end_factor`. With `start_factor` small and
`end_factor=1` it is the standard linear warm-up; with `start_factor=1` and a small `end_factor`
it is a linear decay. Both factors are fractions of the optimizer's rate: LinearLR cannot go above it.

torch computes each step as a ratio of the current rate (the chainable form), so it composes with
other schedulers; the warm-up before a cosine decay is a
[SequentialLR](../sequential-lr/index.md) of LinearLR and
[CosineAnnealingLR](../cosine-annealing-lr/index.md).
""",
    args=(
        Arg("optimizer", "The wrapped optimizer; its `lr` (per group) is the reference rate."),
        Arg("start_factor", "Factor at step 0; in (0, 1]."),
        Arg("end_factor", "Factor from step `total_iters` on; in [0, 1]."),
        Arg("total_iters", "Number of `step()` calls the factor takes to go from start to end."),
        LAST_EPOCH,
    ),
    formula=Formula(
        closed=r"\eta_t = \eta_0 \left(f_0 + (f_1 - f_0)\,\frac{\min(t, n)}{n}\right)",
        recursive=(
            r"\begin{aligned} \eta_t &= \eta_{t-1}\left(1 + \frac{f_1 - f_0}{n f_0 + (t - 1)(f_1 - f_0)}\right) \\"
            r" &\qquad (1 \le t \le n), \\"
            r" \eta_t &= \eta_{t-1} \quad (t > n) \end{aligned}"
        ),
        symbols=(
            (r"\eta_t", "the rate after `t` calls to `step()`"),
            (r"\eta_0", "the group's reference rate (the optimizer's `lr`)"),
            (r"f_0", "`start_factor`"),
            (r"f_1", "`end_factor`"),
            (r"n", "`total_iters`"),
        ),
        note="""
The recursion divides by \\(n f_0 + (t-1)(f_1 - f_0)\\), the previous factor times \\(n\\): that is why
`start_factor` must be strictly positive.
""",
    ),
    twin=twins.linear,
    explore=Explore(
        "start-factor",
        (
            Control("start_factor", (0.01, 0.1, 0.25, 0.5, 1.0)),
            Control("end_factor", (0.1, 0.5, 1.0)),
            Control("total_iters", (5, 10, 20, 30)),
        ),
    ),
    span=lambda a: a.get("total_iters", 5) + 10,
    marks=lambda a: [(a.get("total_iters", 5), "total_iters")],
    cases=(
        Case(
            "warmup",
            "Linear warm-up from 5% over 20 steps",
            {"start_factor": 0.05, "end_factor": 1.0, "total_iters": 20},
            steps=40,
        ),
        Case(
            "decay",
            "Linear decay to 1% over 100 steps",
            {"start_factor": 1.0, "end_factor": 0.01, "total_iters": 100},
            steps=120,
            text="Reversing the factors turns the warm-up into a decay; past `total_iters` the rate holds.",
        ),
        Case(
            "start-factor",
            "start_factor: where the warm-up starts",
            {"start_factor": 0.05, "total_iters": 20},
            steps=40,
            vary="start_factor",
            values=(0.01, 0.25, 0.5),
        ),
        Case(
            "total-iters",
            "total_iters: how long it takes",
            {"start_factor": 0.05, "total_iters": 20},
            steps=60,
            vary="total_iters",
            values=(10, 20, 40),
        ),
        Case(
            "end-factor",
            "end_factor: where a decay ends",
            {"start_factor": 1.0, "end_factor": 0.1, "total_iters": 100},
            steps=120,
            vary="end_factor",
            values=(0.0, 0.1, 0.5),
            text="From `start_factor=1.0` the rate falls in a straight line to `end_factor` times the initial rate and holds there; `end_factor=0.0` ends at zero.",
        ),
        Case(
            "groups",
            "Two parameter groups warm up together",
            {"start_factor": 0.1, "total_iters": 20},
            steps=40,
            optim=Optim("AdamW", (0.001, 0.0001)),
            log=True,
            text="Each group's rate is scaled by the same factor; on a log axis the two curves are parallel.",
        ),
    ),
    pitfalls=(
        Pitfall(
            id="start-factor-zero",
            title="Warming up from zero",
            code=misuse("scheduler = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=0.0)"),
            expect="ValueError",
            cause="The chainable form divides by the previous factor, so the first factor cannot be 0.",
            fix="Start from a small positive factor such as `1e-3`.",
        ),
        Pitfall(
            id="end-factor-range",
            title="An end_factor above 1",
            code=misuse("scheduler = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=0.5, end_factor=2.0)"),
            expect="ValueError",
            cause="Factors are fractions of the optimizer's rate; LinearLR cannot climb above it.",
            fix="Set the optimizer's `lr` to the peak and warm up to `end_factor=1.0`.",
        ),
    ),
)


def _halving(a):
    """Steps for the rate to halve: enough to see the decay's shape."""
    return math.ceil(math.log(0.5) / math.log(a["gamma"])) + 1 if a["gamma"] < 1 else 20


EXPONENTIAL = Entry(
    name="ExponentialLR",
    family="smooth",
    summary="Multiplies the rate by gamma on every step: a straight line on a log axis.",
    about="""
Multiplies each group's rate by `gamma` on every call to `step()`. The decay is geometric: the
rate loses the same fraction each step, so on a log axis it is a straight line, and after `k`
steps it is `gamma ** k` of where it started. A `gamma` of 0.95 halves the rate in 14 steps and
divides it by 100 in 90, so choose it from the number of steps you will take.

torch multiplies the current rate (the chainable form), so it composes with other schedulers in a
[ChainedScheduler](../chained-scheduler/index.md). Nothing stops a `gamma` above 1, which grows
the rate without bound.
""",
    args=(
        Arg("optimizer", "The wrapped optimizer; its `lr` (per group) is the starting rate."),
        Arg("gamma", "Factor applied to the rate on every `step()`."),
        LAST_EPOCH,
    ),
    formula=Formula(
        closed=r"\eta_t = \eta_0\, \gamma^{t}",
        recursive=r"\eta_t = \gamma\, \eta_{t-1}",
        symbols=(
            (r"\eta_t", "the rate after `t` calls to `step()`"),
            (r"\eta_0", "the group's starting rate (the optimizer's `lr`)"),
            (r"\gamma", "`gamma`"),
        ),
    ),
    twin=twins.exponential,
    explore=Explore("gamma", (Control("gamma", (0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99)),)),
    span=_halving,
    cases=(
        Case("basic", "gamma=0.95 over 100 steps", {"gamma": 0.95}, steps=100, log=True),
        Case(
            "gamma",
            "gamma: how fast it decays",
            {"gamma": 0.95},
            steps=100,
            vary="gamma",
            values=(0.9, 0.95, 0.99),
            log=True,
            text="The slope on the log axis is `log(gamma)` per step.",
        ),
        Case(
            "linear-axis",
            "The same decay on a linear axis",
            {"gamma": 0.95},
            steps=100,
            text="On a linear axis the decay is front-loaded: most of the drop happens in the first 30 steps.",
        ),
        Case(
            "groups",
            "Two parameter groups, parallel lines",
            {"gamma": 0.97},
            steps=100,
            optim=Optim("SGD", (0.1, 0.01), {"momentum": 0.9}),
            log=True,
        ),
    ),
    pitfalls=(
        Pitfall(
            id="get-lr",
            title="Reading the rate with get_lr()",
            code=misuse("""
scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.5)
upcoming = scheduler.get_lr()  # 0.05: the next step's rate, not the current 0.1
"""),
            expect="UserWarning",
            cause="`get_lr()` computes the next step of the chainable form; outside `step()` it is one step ahead.",
            fix="Read the current rate with `scheduler.get_last_lr()` or `optimizer.param_groups[i]['lr']`.",
        ),
    ),
)

POLYNOMIAL = Entry(
    name="PolynomialLR",
    family="smooth",
    summary="Decays the rate to zero along (1 - t/total_iters) ** power, then holds it there.",
    about="""
Decays each group's rate to zero over `total_iters` calls to `step()` along a polynomial:
`power=1` is a straight line, a larger power falls fast early and flattens near zero, a power
below 1 stays high and drops steeply at the end. After `total_iters` the rate stays at zero. It is
the "poly" schedule of semantic segmentation (DeepLab uses `power=0.9`).

The default `total_iters=5` is almost never right: left at the default, the rate is zero after
five steps (see the last case). torch computes each step as a ratio of the current rate (the
chainable form).
""",
    args=(
        Arg("optimizer", "The wrapped optimizer; its `lr` (per group) is the starting rate."),
        Arg("total_iters", "Number of `step()` calls to reach zero."),
        Arg("power", "Exponent of the polynomial."),
        LAST_EPOCH,
    ),
    formula=Formula(
        closed=r"\eta_t = \eta_0 \left(1 - \frac{\min(t, n)}{n}\right)^{p}",
        recursive=(
            r"\begin{aligned} \eta_t &= \eta_{t-1} \left(\frac{1 - t/n}{1 - (t-1)/n}\right)^{p} \\"
            r" &\qquad (1 \le t \le n), \\"
            r" \eta_t &= \eta_{t-1} \quad (t > n) \end{aligned}"
        ),
        symbols=(
            (r"\eta_t", "the rate after `t` calls to `step()`"),
            (r"\eta_0", "the group's starting rate (the optimizer's `lr`)"),
            (r"n", "`total_iters`"),
            (r"p", "`power`"),
        ),
    ),
    twin=twins.polynomial,
    explore=Explore(
        "power",
        (Control("power", (0.3, 0.5, 0.9, 1.0, 2.0, 3.0)), Control("total_iters", (25, 50, 75, 100))),
    ),
    span=lambda a: a.get("total_iters", 5) + 10,
    marks=lambda a: [(a.get("total_iters", 5), "total_iters")],
    cases=(
        Case("basic", "power=2 over 100 steps", {"total_iters": 100, "power": 2.0}, steps=120),
        Case(
            "power",
            "power: the shape of the decay",
            {"total_iters": 100},
            steps=120,
            vary="power",
            values=(0.5, 0.9, 1.0, 2.0),
            text="Below 1 the curve bows up (stays high longer), above 1 it bows down.",
        ),
        Case(
            "total-iters",
            "total_iters: where it reaches zero",
            {"power": 1.0},
            steps=120,
            vary="total_iters",
            values=(25, 50, 100),
        ),
        Case(
            "default",
            "Left at the default total_iters=5",
            {},
            steps=20,
            text="With no arguments the rate reaches zero after five steps and stays there: training stops.",
        ),
    ),
    pitfalls=(
        Pitfall(
            id="negative-power",
            title="A negative power",
            code=misuse("""
scheduler = torch.optim.lr_scheduler.PolynomialLR(optimizer, total_iters=3, power=-1.0)  # accepted
for _ in range(3):
    optimizer.step()
    scheduler.step()
"""),
            expect="ZeroDivisionError",
            cause="The power is not checked; at `total_iters` the factor is zero raised to a negative power.",
            fix="Use a positive `power`; for a rising rate use `LinearLR` with `end_factor` above `start_factor`.",
        ),
    ),
)

ENTRIES = (LINEAR, EXPONENTIAL, POLYNOMIAL)
