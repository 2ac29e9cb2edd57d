"""Averaging: the rate for stochastic weight averaging (SWA)."""

from gen import twins
from gen.catalog.common import misuse
from gen.model import Arg, Case, Control, Entry, Explore, Formula, Optim, Pitfall, Sched

COSINE = Sched("CosineAnnealingLR", {"T_max": 100})
SWA = {"swa_lr": 0.05, "anneal_epochs": 10}

SWALR_ENTRY = Entry(
    name="SWALR",
    module="torch.optim.swa_utils",
    family="averaging",
    summary="Anneals the rate from wherever it is to a constant swa_lr, for stochastic weight averaging.",
    about="""
Stochastic weight averaging (Izmailov et al., 2018) trains normally for a while, then keeps the
rate constant, or cycling, and averages the weights visited (`torch.optim.swa_utils.AveragedModel`).
SWALR provides the constant phase: from the rate it finds when it starts stepping, it anneals to
`swa_lr` over `anneal_epochs` calls to `step()`, along a cosine or a straight line, and holds it.

The usual setting, from torch's documentation: a base scheduler (here
[CosineAnnealingLR](../cosine-annealing-lr/index.md)) and SWALR are built on the same optimizer
at the start; each epoch, the base scheduler is stepped until the SWA start and SWALR after it.
The first case shows that loop with the base schedule run alone for comparison. SWALR starts from
the current rate, not the initial one, so the hand-over is smooth.
""",
    args=(
        Arg("optimizer", "The wrapped optimizer; SWALR starts from its current rate."),
        Arg("swa_lr", "The rate to anneal to and hold, for all groups (torch also takes a list, one per group)."),
        Arg("anneal_epochs", "Number of `step()` calls to reach `swa_lr`; a non-negative int, 0 jumps at once."),
        Arg("anneal_strategy", "`'cos'` or `'linear'`: the shape of the approach."),
        Arg("last_epoch", "Index of the last step when resuming; `-1` starts a fresh schedule."),
    ),
    formula=Formula(
        closed=(
            r"\begin{aligned} \eta_k &= \eta_s + (\eta_{\text{swa}} - \eta_s)\, \alpha\!\left(\min\!\left(1, \tfrac{k}{n}\right)\right), \\"
            r" \alpha(x) &= \begin{cases} \tfrac12 (1 - \cos \pi x) & \text{cos} \\ x & \text{linear} \end{cases} \end{aligned}"
        ),
        symbols=(
            (r"\eta_k", "the rate after SWALR's `k`-th `step()`"),
            (r"\eta_s", "the rate when SWALR starts stepping (the base schedule's last rate)"),
            (r"\eta_{\text{swa}}", "`swa_lr`"),
            (r"n", "`anneal_epochs` (with 0, \\(\\alpha = 1\\) from the start)"),
            (r"\alpha", "`anneal_strategy`"),
        ),
        note="""
torch recovers \\(\\eta_s\\) on each step from the current rate by inverting the previous step's
interpolation, then applies the next one: a chainable form, which is why SWALR continues from
whatever rate the base schedule left.
""",
    ),
    twin=twins.swa,
    explore=Explore(
        "swa-setting",
        (
            Control("swa_lr", (0.01, 0.02, 0.05, 0.1)),
            Control("anneal_epochs", (1, 5, 10, 20)),
            Control("anneal_strategy", ("cos", "linear")),
        ),
    ),
    span=lambda a: a.get("anneal_epochs", 10) + 10,
    cases=(
        Case(
            "swa-setting",
            "Cosine annealing, then SWALR from step 60",
            SWA,
            steps=100,
            before=COSINE,
            handover=60,
            overlay=(COSINE,),
            text="""
Until step 60 the cosine schedule sets the rate; from there SWALR anneals from the cosine's
0.035 up to `swa_lr=0.05` in 10 steps and holds it, while the cosine run alone goes on to 0.
""",
        ),
        Case(
            "swa-lr",
            "swa_lr: the rate averaging runs at",
            SWA,
            steps=100,
            before=COSINE,
            handover=60,
            vary="swa_lr",
            values=(0.01, 0.035, 0.08),
            text="""
From the cosine's 0.035 at step 60, SWALR anneals down to a lower `swa_lr`, up to a higher one,
and with `swa_lr=0.035` it holds the rate it found. Either way the rate then stays flat, as
weight averaging expects.
""",
        ),
        Case(
            "anneal-strategy",
            "anneal_strategy: cosine or linear approach",
            SWA,
            steps=100,
            before=COSINE,
            handover=60,
            vary="anneal_strategy",
            values=("cos", "linear"),
        ),
        Case(
            "anneal-epochs",
            "anneal_epochs: how fast it gets there",
            SWA,
            steps=100,
            before=COSINE,
            handover=60,
            vary="anneal_epochs",
            values=(1, 5, 20),
            text="""
`anneal_epochs=1` all but jumps to `swa_lr`. Avoid 0 in this setting: SWALR's constructor then
sets `swa_lr` at once, so built at the start it overrides the base schedule from step 0 (the base
schedule then carries on from `swa_lr`). Build it at the SWA start if you want a jump.
""",
        ),
        Case(
            "alone",
            "On its own, from the optimizer's rate",
            {"swa_lr": 0.01, "anneal_epochs": 20},
            steps=40,
            text="Without a base schedule SWALR starts from the optimizer's `lr` (0.1 here) and anneals down to `swa_lr`.",
        ),
        Case(
            "groups",
            "Two parameter groups",
            {"swa_lr": 0.005, "anneal_epochs": 10},
            steps=100,
            optim=Optim("SGD", (0.1, 0.01), {"momentum": 0.9}),
            before=COSINE,
            handover=50,
            log=True,
            text="""
Each group leaves the cosine at its own rate and anneals to the shared `swa_lr`: group 0 down to
it, group 1 up to it. (torch also takes a list with one `swa_lr` per group, though its signature
says `float`.)
""",
        ),
    ),
    pitfalls=(
        Pitfall(
            id="anneal-strategy-name",
            title="anneal_strategy='cosine'",
            code=misuse(
                "scheduler = SWALR(optimizer, swa_lr=0.05, anneal_strategy='cosine')",
                imports="from torch.optim.swa_utils import SWALR",
            ),
            expect="ValueError",
            cause="The strategy is spelt `'cos'`, as in OneCycleLR.",
            fix="Use `'cos'` or `'linear'`.",
        ),
        Pitfall(
            id="anneal-epochs-float",
            title="A float anneal_epochs",
            code=misuse(
                "scheduler = SWALR(optimizer, swa_lr=0.05, anneal_epochs=5.0)",
                imports="from torch.optim.swa_utils import SWALR",
            ),
            expect="ValueError",
            cause="`anneal_epochs` must be an int; the message only mentions the sign, though 5.0 is positive.",
            fix="Pass an int: `anneal_epochs=5`.",
        ),
        Pitfall(
            id="swa-lr-count",
            title="One swa_lr per group, but the wrong number",
            code=misuse(
                "scheduler = SWALR(optimizer, swa_lr=[0.05, 0.01])",
                imports="from torch.optim.swa_utils import SWALR",
            ),
            expect="ValueError",
            cause="A `swa_lr` list gives one value per parameter group; this optimizer has one group.",
            fix="Pass a single float for all groups, or exactly one per group.",
        ),
    ),
)

ENTRIES = (SWALR_ENTRY,)
