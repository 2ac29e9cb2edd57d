"""Metric-driven: the rate follows a validation metric, not the step count."""

from gen import twins
from gen.model import Arg, Case, Control, Entry, Explore, Formula, Pitfall

BASE = {"factor": 0.5, "patience": 5}

PLATEAU = Entry(
    name="ReduceLROnPlateau",
    trainer="reduce_lr_on_plateau",  # transformers' get_scheduler gives this very class
    family="metric",
    summary="Cuts the rate by a factor when a validation metric stops improving.",
    about="""
Watches a metric you pass to `step(metric)` once per epoch, usually the validation loss. When
the metric has not improved for more than `patience` epochs, every group's rate is multiplied by
`factor` (never below `min_lr`), and the scheduler then ignores `cooldown` epochs before counting
again. Use it when you cannot say in advance how long training will take, or when a fixed
schedule keeps decaying while the model is still improving.

"Improved" means better than the best value so far by more than `threshold` (relative by
default), so noise smaller than that counts as no improvement. The curves below are driven by a
seeded synthetic validation loss (drawn in the lower panel) whose floor drops when the rate is
cut, like a real model's.
""",
    args=(
        Arg("optimizer", "The wrapped optimizer; its `lr` (per group) is the starting rate."),
        Arg("mode", "`'min'`: lower is better (a loss); `'max'`: higher is better (an accuracy)."),
        Arg("factor", "Multiplier applied to the rate on a plateau; must be below 1."),
        Arg("patience", "Number of epochs without improvement tolerated; the cut comes on the next one."),
        Arg("threshold", "How much better than the best a value must be to count as an improvement."),
        Arg(
            "threshold_mode",
            "`'rel'`: better than `best * (1 - threshold)`; `'abs'`: better than `best - threshold` (for `'min'`).",
        ),
        Arg("cooldown", "Epochs after a cut during which bad epochs are not counted."),
        Arg("min_lr", "Lower bound on the rate, one for all groups or a list with one per group."),
        Arg("eps", "Cuts smaller than this are skipped."),
    ),
    formula=Formula(
        closed=(
            r"\begin{aligned} \eta_{t+1} &= \begin{cases}"
            r"\tilde\eta_t & \text{if } b_t > p \text{ and } \eta_t - \tilde\eta_t > \epsilon \\"
            r"\eta_t & \text{otherwise}"
            r"\end{cases} \\"
            r" \tilde\eta_t &= \max(\gamma\,\eta_t,\ \eta_{\min}) \end{aligned}"
        ),
        closed_title="After each epoch, with the metric \\(m_t\\) passed to `step()`:",
        recursive_title="where the count of bad epochs follows:",
        recursive=(
            r"b_t = \begin{cases}"
            r"0 & \text{if } m_t < m^{*}_{t-1}\,(1 - \tau) \text{,} \\"
            r" & \text{or in cooldown,} \\"
            r" & \text{or after a cut} \\"
            r"b_{t-1} + 1 & \text{otherwise}"
            r"\end{cases}"
        ),
        symbols=(
            (r"\eta_t", "the rate used in epoch `t`"),
            (r"m_t", "the metric passed to `step()` after epoch `t`"),
            (r"m^{*}_t", "the best metric so far (`scheduler.best`)"),
            (r"b_t", "the count of bad epochs (`scheduler.num_bad_epochs`)"),
            (r"\gamma", "`factor`"),
            (r"p", "`patience`"),
            (r"\tau", "`threshold` (with `threshold_mode='rel'`, `mode='min'`)"),
            (r"\eta_{\min}", "`min_lr`"),
            (r"\epsilon", "`eps`"),
        ),
        note="""
There is no closed form in the step count: the rate depends on the whole history of the metric.
The check below replays this rule, written independently of torch, on the metric each case
recorded, and compares every epoch's rate.
""",
    ),
    twin=twins.reduce_on_plateau,
    explore=Explore(
        "basic",
        (Control("patience", (1, 2, 5, 10)), Control("factor", (0.1, 0.3, 0.5, 0.7)), Control("cooldown", (0, 5, 10))),
    ),
    span=lambda a: a.get("patience", 10) + a.get("cooldown", 0) + 40,
    metric=True,
    cases=(
        Case("basic", "Halving on a plateau, patience 5", BASE, steps=100, log=True),
        Case(
            "patience",
            "patience: how long a plateau must last",
            BASE,
            steps=100,
            vary="patience",
            values=(2, 5, 10),
            log=True,
            text="Less patience cuts sooner and more often; the loss (lower panel) follows each cut down.",
        ),
        Case(
            "cut-factor",
            "factor: how deep each cut goes",
            BASE,
            steps=100,
            vary="factor",
            values=(0.1, 0.5, 0.8),
            log=True,
            text="A deep cut (`factor=0.1`) is a big step down, a mild one (0.8) needs several plateaus to go as far.",
        ),
        Case(
            "min-lr",
            "min_lr: a floor under the cuts",
            BASE | {"patience": 2},
            steps=100,
            vary="min_lr",
            values=(0.0, 0.005, 0.02),
            log=True,
            text="A cut that would go below `min_lr` stops at it, and later plateaus change nothing: the rate stays on the floor while the loss (lower panel) keeps its level.",
        ),
        Case(
            "cooldown",
            "cooldown: a pause after each cut",
            BASE,
            steps=100,
            vary="cooldown",
            values=(0, 5, 10),
            log=True,
        ),
        Case(
            "threshold",
            "threshold: what counts as an improvement",
            BASE,
            steps=100,
            vary="threshold",
            values=(1e-4, 0.01, 0.03),
            log=True,
            text="A larger relative threshold ignores small gains, so plateaus are declared earlier.",
        ),
        Case(
            "threshold-mode",
            "threshold_mode: a relative or an absolute margin",
            BASE | {"threshold": 0.01},
            steps=100,
            vary="threshold_mode",
            values=("rel", "abs"),
            log=True,
            text="With `threshold=0.01`, `'rel'` asks for a loss 1% below the best, `'abs'` for one 0.01 below it: a larger margin while the loss is under 1, so plateaus come sooner.",
        ),
    ),
    pitfalls=(
        Pitfall(
            id="no-metric",
            title="Calling step() without the metric",
            code="""
import torch

params = [torch.nn.Parameter(torch.zeros(1))]
optimizer = torch.optim.SGD(params, lr=0.1)
scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer)
optimizer.step()
scheduler.step()
""",
            expect="TypeError",
            cause="Unlike every other scheduler, `step()` needs the value it watches.",
            fix="Call `scheduler.step(val_loss)` after validating, once per epoch.",
        ),
        Pitfall(
            id="factor",
            title="A factor of 1 or more",
            code="""
import torch

params = [torch.nn.Parameter(torch.zeros(1))]
optimizer = torch.optim.SGD(params, lr=0.1)
scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, factor=2.0)
""",
            expect="ValueError",
            cause="`factor` multiplies the rate on a plateau; it must shrink it.",
            fix="Use a factor below 1, such as 0.1 or 0.5.",
        ),
    ),
)

ENTRIES = (PLATEAU,)
