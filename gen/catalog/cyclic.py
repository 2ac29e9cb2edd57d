"""Cyclic schedules: the rate goes up as well as down, stepped every batch."""

from gen import twins
from gen.model import Arg, Case, Entry, Formula, Optim, Pitfall


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
            r"\eta_t = \begin{cases}"
            r"A\!\left(\eta_{\text{init}},\ \eta_{\max},\ \frac{t}{e_1}\right) & t \le e_1 \\[4pt]"
            r"A\!\left(\eta_{\max},\ \eta_{\text{final}},\ \frac{t - e_1}{e_2 - e_1}\right) & t > e_1"
            r"\end{cases}"
            r"\qquad e_1 = p\,N - 1,\quad e_2 = N - 1"
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
            explain="The cycle has exactly `total_steps` batches; one more `step()` raises.",
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
            explain="`cycle_momentum=True` is the default, and Adagrad has neither `momentum` nor `betas`.",
            fix="Pass `cycle_momentum=False` for optimizers without momentum.",
        ),
    ),
)

ENTRIES = (ONE_CYCLE,)
