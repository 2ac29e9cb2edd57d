"""Cyclic schedules: the rate goes up as well as down, stepped every batch."""

from gen import twins
from gen.catalog.common import misuse
from gen.model import Arg, Case, Code, Control, Entry, Explore, Formula, Optim, Pitfall


def _total(a):
    return a.get("total_steps") or a["epochs"] * a["steps_per_epoch"]


def _peaks(a):
    total, pct = _total(a), a.get("pct_start", 0.3)
    marks = [(pct * total - 1, "peak")]
    if a.get("three_phase"):
        marks.append((2 * pct * total - 2, "end of phase 2"))
    return marks


SGD_MOMENTUM = Optim("SGD", (0.004,), {"momentum": 0.9})

ONE_CYCLE = Entry(
    name="OneCycleLR",
    family="cyclic",
    summary="One warm-up to max_lr and one long anneal far below the start, stepped every batch.",
    about="""
The 1cycle policy: the rate climbs from `max_lr / div_factor` to `max_lr` over the first
`pct_start` of training, then anneals to `max_lr / div_factor / final_div_factor`, thousands of
times below where it started. Momentum (or Adam's first beta) moves the opposite way, between
`max_momentum` and `base_momentum`. It is meant for training from scratch with a known budget and
is stepped **after every batch**: `total_steps` is a number of batches
(`epochs * steps_per_epoch`).

The optimizer's own `lr` is ignored: the schedule is set by `max_lr` and the two divisors. By
default the anneal has two phases (the fastai variant); `three_phase=True` follows the original
paper, going back down to the initial rate symmetrically before a final phase annihilates it.
""",
    args=(
        Arg("optimizer", "The wrapped optimizer; with `cycle_momentum` it needs `momentum` (SGD) or `betas` (Adam)."),
        Arg("max_lr", "Peak rate, one for all groups or a list with one per group."),
        Arg("total_steps", "Length of the cycle in `step()` calls; or give `epochs` and `steps_per_epoch`."),
        Arg("epochs", "With `steps_per_epoch`, sets `total_steps = epochs * steps_per_epoch`."),
        Arg("steps_per_epoch", "Batches per epoch; see `epochs`."),
        Arg("pct_start", "Fraction of the cycle spent rising to `max_lr` (a float in [0, 1])."),
        Arg("anneal_strategy", "`'cos'` or `'linear'`: the shape of every phase."),
        Arg("cycle_momentum", "If true, momentum (or beta1) moves inversely to the rate."),
        Arg("base_momentum", "Momentum at the peak rate (the low end of the momentum cycle)."),
        Arg("max_momentum", "Momentum at the start and end (the high end)."),
        Arg("div_factor", "Initial rate is `max_lr / div_factor`."),
        Arg("final_div_factor", "Final rate is `max_lr / div_factor / final_div_factor`."),
        Arg("three_phase", "If true, come back down to the initial rate, then annihilate it in a third phase."),
        Arg("last_epoch", "Index of the last batch when resuming; `-1` starts a fresh schedule."),
    ),
    formula=Formula(
        closed=(
            r"\begin{aligned} \eta_t &= \begin{cases}"
            r"A\!\left(\eta_{\text{init}},\ \eta_{\max},\ \frac{t}{e_1}\right) & t \le e_1 \\[4pt]"
            r"A\!\left(\eta_{\max},\ \eta_{\text{final}},\ \frac{t - e_1}{e_2 - e_1}\right) & t > e_1"
            r"\end{cases} \\"
            r" e_1 &= p\,N - 1,\quad e_2 = N - 1 \end{aligned}"
        ),
        symbols=(
            (r"\eta_t", "the rate after `t` calls to `step()`"),
            (r"\eta_{\max}", "`max_lr`"),
            (r"\eta_{\text{init}}", "`max_lr / div_factor`"),
            (r"\eta_{\text{final}}", "`max_lr / div_factor / final_div_factor`"),
            (r"N", "`total_steps` (or `epochs * steps_per_epoch`)"),
            (r"p", "`pct_start`"),
            (
                r"A(a, b, x)",
                r"`anneal_strategy`: \(b + \tfrac12(a - b)(1 + \cos \pi x)\) for `'cos'`, \(a + (b - a)\,x\) for `'linear'`",
            ),
            (r"\mu_t", r"momentum or beta1: the same phases from `max_momentum` to `base_momentum` and back"),
        ),
        note=r"""
With `three_phase=True` there are three phases, \(e_1 = pN - 1\), \(e_2 = 2pN - 2\), \(e_3 = N - 1\):
\(\eta_{\text{init}} \to \eta_{\max}\), \(\eta_{\max} \to \eta_{\text{init}}\), then
\(\eta_{\text{init}} \to \eta_{\text{final}}\); momentum goes down, back up, and stays at `max_momentum`.
The momentum follows \(\mu_t = A(\mu_{\max}, \mu_{\text{base}}, \cdot)\) in the first phase and the
reverse after, with the same \(A\) and phase boundaries. OneCycleLR is not chainable: every value
comes from this closed form.
""",
    ),
    twin=twins.one_cycle,
    explore=Explore(
        "basic",
        (
            Control("pct_start", (0.1, 0.2, 0.3, 0.4, 0.5)),
            Control("anneal_strategy", ("cos", "linear")),
            Control("div_factor", (5.0, 10.0, 25.0, 100.0)),
        ),
        # The shape over 200 batches is the shape over 1000, at a fifth of the data and run time.
        steps=200,
        build=lambda values: {"max_lr": 0.1, "total_steps": 200, **values},
    ),
    span=_total,
    marks=_peaks,
    cases=(
        Case(
            "basic",
            "1000 batches with SGD and momentum",
            {"max_lr": 0.1, "total_steps": 1000},
            steps=1000,
            optim=SGD_MOMENTUM,
            text="The momentum panel mirrors the rate: low momentum while the rate is high.",
        ),
        Case(
            "adam-beta1",
            "With Adam, beta1 is cycled",
            {"max_lr": 0.003, "epochs": 10, "steps_per_epoch": 50},
            steps=500,
            optim=Optim("Adam", (0.001,)),
            text="For Adam-like optimizers the first of `betas` takes the place of momentum.",
        ),
        Case(
            "log-tail",
            "The anneal spans five decades",
            {"max_lr": 0.1, "total_steps": 1000},
            steps=1000,
            optim=SGD_MOMENTUM,
            log=True,
            text="On a log axis the end of the schedule shows: the final rate is `max_lr / 25 / 1e4 = 4e-7`.",
        ),
        Case(
            "three-phase",
            "three_phase=True, as in the paper",
            {"max_lr": 0.1, "total_steps": 1000, "three_phase": True},
            steps=1000,
            optim=SGD_MOMENTUM,
        ),
        Case(
            "anneal-strategy",
            "Cosine or linear phases",
            {"max_lr": 0.1, "total_steps": 1000},
            steps=1000,
            optim=SGD_MOMENTUM,
            vary="anneal_strategy",
            values=("cos", "linear"),
        ),
        Case(
            "pct-start",
            "pct_start moves the peak",
            {"max_lr": 0.1, "total_steps": 1000},
            steps=1000,
            optim=SGD_MOMENTUM,
            vary="pct_start",
            values=(0.1, 0.3, 0.5),
        ),
        Case(
            "div-factor",
            "div_factor sets the starting rate",
            {"max_lr": 0.1, "total_steps": 1000},
            steps=1000,
            optim=SGD_MOMENTUM,
            vary="div_factor",
            values=(5.0, 25.0, 100.0),
            log=True,
        ),
        Case(
            "final-div-factor",
            "final_div_factor sets where the anneal ends",
            {"max_lr": 0.1, "total_steps": 1000},
            steps=1000,
            optim=SGD_MOMENTUM,
            vary="final_div_factor",
            values=(10.0, 1e4, 1e6),
            log=True,
            text="The last rate is `max_lr / div_factor / final_div_factor`: 4e-4, 4e-7 and 4e-9 here, five decades apart at the end of curves that agree until the last tenth of the run.",
        ),
    ),
    pitfalls=(
        Pitfall(
            id="past-total-steps",
            title="Stepping past total_steps",
            code="""
import torch

params = [torch.nn.Parameter(torch.zeros(1))]
optimizer = torch.optim.SGD(params, lr=0.1, momentum=0.9)
scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, epochs=2, steps_per_epoch=5)
for step in range(11):  # one batch more than epochs * steps_per_epoch
    optimizer.step()
    scheduler.step()
""",
            expect="ValueError",
            cause="The cycle has exactly `total_steps` batches; one more `step()` raises.",
            fix="Count batches, not epochs: `steps_per_epoch=len(train_loader)`, and step once per batch.",
        ),
        Pitfall(
            id="no-momentum",
            title="An optimizer without momentum",
            code="""
import torch

params = [torch.nn.Parameter(torch.zeros(1))]
optimizer = torch.optim.Adagrad(params, lr=0.1)
scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, total_steps=100)
""",
            expect="ValueError",
            cause="`cycle_momentum=True` is the default, and Adagrad has neither `momentum` nor `betas`.",
            fix="Pass `cycle_momentum=False` for optimizers without momentum.",
        ),
    ),
)


def _cycle(a):
    """Steps in one cycle: up, then down (as long as up unless given)."""
    up = a.get("step_size_up", 2000)
    return up + (a.get("step_size_down") or up)


CLR_SGD = Optim("SGD", (0.001,), {"momentum": 0.9})  # CyclicLR cycles its momentum
CLR = {"base_lr": 0.001, "max_lr": 0.01, "step_size_up": 20}

CYCLIC = Entry(
    name="CyclicLR",
    family="cyclic",
    summary="Triangle waves between base_lr and max_lr, with momentum cycled the other way; stepped every batch.",
    about="""
Cyclical learning rates (Smith, 2017): the rate climbs linearly from `base_lr` to `max_lr` over
`step_size_up` batches, falls back over `step_size_down`, and repeats. The three built-in `mode`s
scale the height of each wave: `'triangular'` keeps it, `'triangular2'` halves it every cycle,
`'exp_range'` multiplies it by `gamma ** step` on every batch. A custom `scale_fn` replaces the
mode, evaluated on the cycle number or the step count as `scale_mode` says. Momentum (or Adam's
first beta) moves the opposite way, between `max_momentum` and `base_momentum`.

CyclicLR is stepped **after every batch**, and it overwrites the optimizer's `lr` with `base_lr`
when built: the optimizer's own rate plays no part. It also sets momentum to `max_momentum` when
built, so with the default `cycle_momentum=True` a plain SGD optimizer (whose `momentum` is 0)
silently becomes SGD with momentum 0.8 to 0.9: pass `cycle_momentum=False` to keep it plain.
Every plot on this page shows at least two full cycles.
""",
    args=(
        Arg("optimizer", "The wrapped optimizer; with `cycle_momentum` it needs `momentum` (SGD) or `betas` (Adam)."),
        Arg(
            "base_lr",
            "Lower end of the cycle, one for all groups or a list with one per group; replaces the optimizer's `lr`.",
        ),
        Arg("max_lr", "Upper end of the cycle (one per group or one for all); reached only where the scale is 1."),
        Arg("step_size_up", "Batches from `base_lr` up to `max_lr`."),
        Arg("step_size_down", "Batches back down; `None` means the same as `step_size_up`."),
        Arg(
            "mode",
            "`'triangular'`, `'triangular2'` or `'exp_range'`: how the height is scaled; ignored with `scale_fn`.",
        ),
        Arg("gamma", "Base of the `'exp_range'` scale, `gamma ** step`."),
        Arg("scale_fn", "A custom scale of one argument, between 0 and 1; replaces `mode`."),
        Arg("scale_mode", "`'cycle'`: `scale_fn` gets the cycle number (from 1); `'iterations'`: the step count."),
        Arg("cycle_momentum", "If true, momentum (or beta1) moves inversely to the rate."),
        Arg("base_momentum", "Momentum at the peak rate (the low end of the momentum cycle)."),
        Arg("max_momentum", "Momentum at `base_lr` (the high end); also set when the scheduler is built."),
        Arg("last_epoch", "Index of the last batch when resuming; `-1` starts a fresh schedule."),
    ),
    formula=Formula(
        closed=(
            r"\begin{aligned} \eta_t &= \eta_{\text{base}} + (\eta_{\max} - \eta_{\text{base}})\, h(t)\, g, \\"
            r" h(t) &= \begin{cases} \dfrac{p}{u} & p \le u \\[6pt] \dfrac{u + d - p}{d} & p > u \end{cases} \\"
            r" p &= t \bmod (u + d) \end{aligned}"
        ),
        symbols=(
            (r"\eta_t", "the rate after `t` calls to `step()`"),
            (r"\eta_{\text{base}},\ \eta_{\max}", "`base_lr`, `max_lr`"),
            (r"u,\ d", "`step_size_up`, `step_size_down`"),
            (r"h(t)", "the triangle wave: 0 at the start of a cycle, 1 at its peak"),
            (r"c", "the cycle number, \\(1 + \\lfloor t / (u + d) \\rfloor\\)"),
            (
                r"g",
                "the scale: 1 (`'triangular'`), \\(2^{1-c}\\) (`'triangular2'`), \\(\\gamma^{t}\\) "
                "(`'exp_range'`), or `scale_fn(c)` / `scale_fn(t)` by `scale_mode`",
            ),
            (r"\mu_t", "momentum or beta1: \\(\\mu_{\\max} - (\\mu_{\\max} - \\mu_{\\text{base}})\\, h(t)\\, g\\)"),
        ),
        note="""
CyclicLR is not chainable: every value comes from this closed form, and momentum follows the
same wave upside down between `max_momentum` and `base_momentum`.
""",
    ),
    twin=twins.cyclic,
    explore=Explore(
        "basic",
        (
            Control("mode", ("triangular", "triangular2", "exp_range")),
            Control("step_size_up", (5, 10, 20, 30, 40)),
            Control("gamma", (0.9, 0.95, 0.99)),
        ),
        steps=161,
    ),
    span=lambda a: 2 * _cycle(a) + 1,  # two full cycles, back at base_lr
    marks=lambda a: [(_cycle(a), "cycle 1 ends"), (2 * _cycle(a), "cycle 2 ends")],
    cases=(
        Case(
            "basic",
            "triangular: between 0.001 and 0.01, 20 batches up, 20 down",
            CLR,
            steps=81,
            optim=CLR_SGD,
            text="Momentum (lower panel) is highest where the rate is lowest.",
        ),
        Case(
            "modes",
            "The three modes",
            CLR | {"gamma": 0.99},
            steps=161,
            optim=CLR_SGD,
            vary="mode",
            values=("triangular", "triangular2", "exp_range"),
            text="`triangular2` halves the height every cycle; `exp_range` shrinks it by `gamma` every batch (`gamma=0.99` here, ignored by the other two).",
        ),
        Case(
            "step-size-up",
            "step_size_up: the length of the cycle",
            CLR,
            steps=161,
            optim=CLR_SGD,
            vary="step_size_up",
            values=(10, 20, 40),
        ),
        Case(
            "gamma",
            "gamma: how fast exp_range shrinks the cycles",
            CLR | {"mode": "exp_range", "gamma": 0.99},
            steps=161,
            optim=CLR_SGD,
            vary="gamma",
            values=(0.97, 0.99, 0.999),
            text="In `exp_range` the height above `base_lr` is scaled by `gamma` to the power of the step count: 0.97 leaves almost nothing after two cycles, 0.999 barely changes the cycle. The other modes ignore `gamma`.",
        ),
        Case(
            "asymmetric",
            "A short climb and a long descent: step_size_down",
            CLR | {"step_size_up": 10, "step_size_down": 30},
            steps=81,
            optim=CLR_SGD,
        ),
        Case(
            "scale-fn-cycle",
            "A custom scale_fn on the cycle number",
            CLR | {"scale_fn": Code("lambda c: 1 / c"), "scale_mode": "cycle"},
            steps=161,
            optim=CLR_SGD,
            text="`scale_fn(c) = 1 / c` with `scale_mode='cycle'`: each cycle's height is a fraction of the first, constant within the cycle.",
        ),
        Case(
            "scale-fn-iterations",
            "A custom scale_fn on the step count",
            CLR | {"scale_fn": Code("lambda t: math.exp(-t / 80)"), "scale_mode": "iterations"},
            steps=161,
            optim=CLR_SGD,
            text="With `scale_mode='iterations'` the function sees the step count, so the height shrinks within each cycle too.",
        ),
        Case(
            "adam-beta1",
            "With Adam, beta1 is cycled",
            {"base_lr": 0.0001, "max_lr": 0.001, "step_size_up": 25},
            steps=101,
            optim=Optim("Adam", (0.001,)),
            text="For Adam-like optimizers the first of `betas` takes the place of momentum, between 0.8 and 0.9 by default.",
        ),
    ),
    pitfalls=(
        Pitfall(
            id="no-momentum",
            title="An optimizer without momentum",
            code=misuse(
                "scheduler = torch.optim.lr_scheduler.CyclicLR(optimizer, base_lr=0.001, max_lr=0.01)",
                optimizer="torch.optim.Adagrad(params, lr=0.01)",
            ),
            expect="ValueError",
            cause="`cycle_momentum=True` is the default, and Adagrad has neither `momentum` nor `betas`.",
            fix="Pass `cycle_momentum=False` for optimizers without momentum.",
        ),
        Pitfall(
            id="mode",
            title="A misspelt mode",
            code=misuse(
                "scheduler = torch.optim.lr_scheduler.CyclicLR(optimizer, base_lr=0.001, max_lr=0.01, mode='exp')",
                optimizer="torch.optim.SGD(params, lr=0.01, momentum=0.9)",
            ),
            expect="ValueError",
            cause="Only the three modes exist unless you pass a `scale_fn`.",
            fix="Use `'triangular'`, `'triangular2'` or `'exp_range'`, or pass `scale_fn`.",
        ),
        Pitfall(
            id="group-count",
            title="One base_lr per group, but the wrong number",
            code=misuse(
                "scheduler = torch.optim.lr_scheduler.CyclicLR(optimizer, base_lr=[0.001, 0.0001], max_lr=0.01)",
                optimizer="torch.optim.SGD(params, lr=0.01, momentum=0.9)",
            ),
            expect="ValueError",
            cause=(
                "A `base_lr` list gives one value per parameter group (so do `max_lr` and the momenta); "
                "this optimizer has one group."
            ),
            fix="Pass a single float for all groups, or exactly one per group.",
        ),
    ),
)

ENTRIES = (CYCLIC, ONE_CYCLE)
