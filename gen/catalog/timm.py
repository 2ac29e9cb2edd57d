"""timm's schedulers (`timm.scheduler`): classes that set the rate for the time they are given,
`step(epoch)` after each epoch or `step_update(num_updates)` after each batch."""

from gen import twins
from gen.catalog.common import misuse
from gen.model import Arg, Case, Control, Entry, Explore, Formula, Pitfall

MODULE = "timm.scheduler"

OPTIMIZER = Arg("optimizer", "The wrapped optimizer; each group's `lr` is the peak (the base rate).")
T_INITIAL = Arg("t_initial", "Length of the first cycle, in epochs (or updates when `t_in_epochs=False`).")
LR_MIN = Arg("lr_min", "The rate each cycle ends at, and the rate kept after the last cycle.")
CYCLE_MUL = Arg("cycle_mul", "Each cycle is this many times longer than the one before (1: equal cycles).")
CYCLE_DECAY = Arg(
    "cycle_decay", "Each cycle's peak is this many times the one before (1: every peak at the base rate)."
)
CYCLE_LIMIT = Arg("cycle_limit", "Number of cycles; after the last one the rate stays at `lr_min`.")
WARMUP_T = Arg("warmup_t", "Epochs (or updates) of linear warm-up from `warmup_lr_init`.")
WARMUP_LR_INIT = Arg("warmup_lr_init", "The rate warm-up starts from (and the rate set by the constructor).")
T_IN_EPOCHS = Arg(
    "t_in_epochs",
    "`True`: the rate follows `step(epoch)` and ignores `step_update`; `False`: the reverse, time in updates.",
)
NOISE = (
    Arg("noise_range_t", "Where to add random noise to the rate: `[start, end)`, or from a start on; `None`: never."),
    Arg("noise_pct", "The noise's bound, as a fraction of the rate: the rate moves by less than this."),
    Arg(
        "noise_std",
        "The standard deviation of the normal draw, as a fraction of the rate (drawn again if past the bound).",
    ),
    Arg("noise_seed", "Seed of the noise (with the time added), so a run is repeatable."),
)
K_DECAY = Arg("k_decay", "Bends the decay in time: below 1 falls early, above 1 holds the rate longer (k-decay).")
INITIALIZE = Arg("initialize", "Store each group's rate as `initial_lr`; `False` expects it stored already (resuming).")


def prefix(default: bool) -> Arg:
    return Arg(
        "warmup_prefix",
        f"`True`: warm-up comes before the schedule, which then starts at `warmup_t`; `False`: warm-up "
        f"counts inside it (default `{default}`).",
    )


WARMUP_NOTE = """
The rate starts at `warmup_lr_init` (0 by default) when `warmup_t` is set: timm's constructor
sets it, so the first batch or epoch already uses it. Then it climbs in a straight line to the
base rate at \\(t = \\) `warmup_t`.
"""

CYCLE_LOG_NOTE = """
With `cycle_mul` other than 1, timm finds the cycle \\(i\\) with a floating-point logarithm, which
at some restarts lands one cycle short: with `t_initial=16` and `cycle_mul=1.25`, at \\(t = 61\\)
the rate stays at the end of the third cycle, near `lr_min`, instead of restarting the fourth. The
same happens with `cycle_mul=1.5` at \\(t = 211\\), and with `t_initial=1` and `cycle_mul=3` at
\\(t = 121\\) (both the fifth restart). The atlas refuses a setting whose run reaches such a
restart within `cycle_limit` cycles.
"""

STEPPING = """
timm's schedulers have no hidden counter: the training loop says what time it is. timm's own
`train.py` calls `scheduler.step_update(num_updates=updates)` after every optimizer update and
`scheduler.step(epoch + 1)` after every epoch; with `t_in_epochs=True` (the default) only
`step` moves the rate, with `t_in_epochs=False` only `step_update` does. The plots here use that
loop, one row per epoch, or one per update where a plot says so.
"""


DEPRECATED = "PlateauLRScheduler is deprecated"  # timm 1.0.31 warns this at every construction


def step_without_epoch(make: str) -> Pitfall:
    """The torch habit every timm scheduler refuses: step() without the epoch. `make`: its call."""
    name = make.split("(", 1)[0]
    return Pitfall(
        id="step-without-epoch",
        title="Calling step() as with a torch scheduler",
        code=misuse(f"scheduler = {make}\noptimizer.step()\nscheduler.step()", f"from timm.scheduler import {name}"),
        expect="TypeError",
        cause="timm's `step` takes the epoch: the scheduler keeps no count of its own.",
        fix="Call `scheduler.step(epoch + 1)` at the end of each epoch, or `scheduler.step_update(num_updates)` "
        "after each update with `t_in_epochs=False`.",
    )


# What the step decays share after their own arguments, and the symbol their warm-up shifts by.
STEP_TAIL = (WARMUP_T, WARMUP_LR_INIT, prefix(True), T_IN_EPOCHS, *NOISE, INITIALIZE)
PREFIX_SYMBOL = (r"W", "`warmup_t` with `warmup_prefix=True` (the default); 0 with `False`")


def warmup_mark(a) -> list[tuple[int, str]]:
    return [(a["warmup_t"], "warmup_t")] if a.get("warmup_t") else []


def cycles_span(a) -> int:
    """Warm-up before the schedule (with warmup_prefix), every cycle up to cycle_limit, one more step."""
    total, length = 0.0, a["t_initial"]
    for _ in range(a.get("cycle_limit", 1)):
        total, length = total + length, length * a.get("cycle_mul", 1.0)
    return int(total) + (a.get("warmup_t", 0) if a.get("warmup_prefix", False) else 0) + 1


COSINE = Entry(
    name="CosineLRScheduler",
    sched="cosine",
    family="timm-cycles",
    module=MODULE,
    summary="timm's cosine: warm-up, then cosine cycles from the base rate to lr_min, restarting cycle_limit times.",
    about="""
timm's cosine schedule (`--sched cosine` in its `train.py`): an optional linear warm-up, then
half a cosine from the base rate down to `lr_min` over `t_initial` epochs. It can repeat:
`cycle_limit` cycles, each `cycle_mul` times longer and with a peak `cycle_decay` times lower than
the one before (SGDR's warm restarts). After the last cycle the rate **stays** at `lr_min`, where
torch's [CosineAnnealingLR](../cosine-annealing-lr/index.md) would climb back up.

By default (`warmup_prefix=False`) the warm-up counts inside the first cycle: with `warmup_t=10`
the cosine is already 10 epochs in when warm-up ends. `warmup_prefix=True` puts the warm-up
before the cycle, so the whole cosine follows it.
"""
    + STEPPING,
    args=(
        OPTIMIZER,
        T_INITIAL,
        LR_MIN,
        CYCLE_MUL,
        CYCLE_DECAY,
        CYCLE_LIMIT,
        WARMUP_T,
        WARMUP_LR_INIT,
        prefix(False),
        T_IN_EPOCHS,
        *NOISE,
        K_DECAY,
        INITIALIZE,
    ),
    formula=Formula(
        closed=(
            r"\begin{aligned} \eta_t &= \begin{cases} \eta_{\text{init}} + t\,\dfrac{\eta_0 - \eta_{\text{init}}}{W} & t < W \\[4pt]"
            r" c_t & i < L \\"
            r" \eta_{\min} & i \ge L \end{cases} \\"
            r" c_t &= \eta_{\min} + \tfrac12\left(\eta_0 \gamma^{i} - \eta_{\min}\right) \\"
            r" &\qquad \times \left(1 + \cos\dfrac{\pi\, \tau^{k}}{T_i^{k}}\right) \end{aligned}"
        ),
        symbols=(
            (r"\eta_t", "the rate once the scheduler is given time `t` (an epoch, or an update count)"),
            (r"\eta_0", "the group's base rate (the optimizer's `lr`)"),
            (r"\eta_{\text{init}},\ W", "`warmup_lr_init`, `warmup_t`"),
            (r"i,\ \tau", "the cycle that `t` falls in and the time into it (from `t - W` with `warmup_prefix`)"),
            (r"T_i", r"cycle `i`'s length, `t_initial` \(\times\) `cycle_mul`\(^i\)"),
            (r"\gamma,\ L,\ k", "`cycle_decay`, `cycle_limit`, `k_decay`"),
            (r"\eta_{\min}", "`lr_min`"),
        ),
        note=WARMUP_NOTE + CYCLE_LOG_NOTE,
    ),
    twin=twins.timm_cosine,
    explore=Explore(
        "basic",
        (
            Control("warmup_t", (0, 5, 10, 20)),
            Control("warmup_prefix", (False, True)),
            Control("k_decay", (0.5, 1.0, 2.0)),
        ),
    ),
    span=cycles_span,
    marks=warmup_mark,
    cases=(
        Case(
            "basic",
            "100 epochs from 0.1 to 0, then held at lr_min",
            {"t_initial": 100},
            steps=121,
            text="After `t_initial` epochs the rate stays at `lr_min` (0 here), unlike torch's `CosineAnnealingLR`, whose cosine carries on upwards.",
        ),
        Case(
            "warmup-prefix",
            "warmup_prefix: warm-up inside the cycle or before it",
            {"t_initial": 100, "warmup_t": 20, "warmup_lr_init": 0.001},
            steps=121,
            vary="warmup_prefix",
            values=(False, True),
            text="""
With `warmup_prefix=False` (the default) warm-up ends on the cosine as it stands at epoch 20,
already below the base rate, and the schedule still ends at epoch 100. With `True` the warm-up
comes first and the whole cosine follows, ending at epoch 120.
""",
        ),
        Case(
            "cycles",
            "Three cycles, each peak half the last (cycle_decay=0.5)",
            {"t_initial": 40, "cycle_limit": 3, "cycle_decay": 0.5, "lr_min": 0.001},
            steps=121,
        ),
        Case(
            "cycle-mul",
            "Cycles that double in length (cycle_mul=2)",
            {"t_initial": 10, "cycle_mul": 2.0, "cycle_limit": 4},
            steps=151,
            text="Cycles of 10, 20, 40 and 80 epochs: restarts at epochs 10, 30 and 70, then `lr_min` from epoch 150.",
        ),
        Case(
            "k-decay",
            "k_decay bends the cosine in time",
            {"t_initial": 100},
            steps=101,
            vary="k_decay",
            values=(0.5, 1.0, 2.0),
            text="`k_decay` replaces the time \\(\\tau / T\\) in the cosine by \\(\\tau^k / T^k\\): with `k=2` the rate stays high longer and falls late.",
        ),
        Case(
            "noise",
            "Noise from epoch 40 to 90, at timm's defaults",
            {"t_initial": 100, "noise_range_t": [40, 90]},
            steps=111,
            text="""
Inside `noise_range_t` each epoch's rate is multiplied by \\(1 + n\\), where \\(n\\) is drawn from a
normal distribution with standard deviation `noise_std` (1) and drawn again until
\\(|n| <\\) `noise_pct` (0.67): the rate can land anywhere from a third of the cosine to 1.67 times
it. The generator is seeded with `noise_seed + t` (42 + epoch by default), so every run draws the
same noise; the twin replays torch's generator to predict it.
""",
        ),
        Case(
            "noise-std",
            "noise_std sets the spread; noise_pct only bounds it",
            {"t_initial": 100, "noise_range_t": 50},
            steps=101,
            vary="noise_std",
            values=(0.05, 0.2),
            text="""
A single number in `noise_range_t` adds noise from that epoch on. With `noise_std=0.05` the rate
stays within a few percent of the cosine; the bound `noise_pct=0.67` matters only when draws come
near it, as with the default `noise_std=1` above.
""",
        ),
        Case(
            "per-update",
            "Per update: t_in_epochs=False and step_update",
            {"t_initial": 500, "warmup_t": 50, "t_in_epochs": False},
            steps=501,
            iters=50,
            text="""
Ten epochs of 50 updates, with `t_in_epochs=False`: the loop's `step_update(num_updates)` after
each update moves the rate, and `t_initial` and `warmup_t` count updates. This is timm's
`--sched-on-updates`.
""",
        ),
        Case(
            "per-epoch-in-a-batch-loop",
            "t_in_epochs=True: in a per-update loop the rate moves once per epoch",
            {"t_initial": 10, "warmup_t": 1},
            steps=550,
            iters=50,
            text="""
The same loop with the default `t_in_epochs=True`: `step_update` does nothing and only the
`step(epoch + 1)` at each epoch's end changes the rate, so it is flat within each epoch of 50
updates. If `t_initial` was meant in updates, the schedule here would hardly move at all.
""",
        ),
    ),
    pitfalls=(step_without_epoch("CosineLRScheduler(optimizer, t_initial=100)"),),
)

TANH = Entry(
    name="TanhLRScheduler",
    sched="tanh",
    family="timm-cycles",
    module=MODULE,
    summary="A hyperbolic-tangent decay from the base rate to lr_min: flat, then a drop, then flat, in cycles.",
    about="""
timm's `--sched tanh`: the rate follows \\(1 - \\tanh\\) of a line from `lb` to `ub` across each
cycle of `t_initial` epochs. It stays near the base rate at first, falls fastest where the line
crosses 0, and flattens near `lr_min`. The defaults `lb=-7` and `ub=3` put the drop at 70 % of
the cycle. Cycles, warm-up and stepping work as in
[CosineLRScheduler](../cosine-lr-scheduler/index.md).

Two details differ from the cosine: with `lb=-7` the first value is \\(1 - 10^{-6}\\) of the base
rate, not the base rate itself; and without `warmup_prefix` the warm-up climbs to the curve's
value at `warmup_t`, not to the base rate.
"""
    + STEPPING,
    args=(
        OPTIMIZER,
        T_INITIAL,
        Arg("lb", "Where the tanh's argument starts, at the beginning of a cycle (more negative: flatter start)."),
        Arg("ub", "Where it ends, at the end of a cycle (larger: a flatter end nearer `lr_min`)."),
        LR_MIN,
        CYCLE_MUL,
        CYCLE_DECAY,
        CYCLE_LIMIT,
        WARMUP_T,
        WARMUP_LR_INIT,
        prefix(False),
        T_IN_EPOCHS,
        *NOISE,
        INITIALIZE,
    ),
    formula=Formula(
        closed=(
            r"\begin{aligned} \eta_t &= \eta_{\min} + \tfrac12\left(\eta_0 \gamma^{i} - \eta_{\min}\right) \\"
            r" &\qquad \times \left(1 - \tanh\left(l\,(1 - r) + u\, r\right)\right), \\"
            r" r &= \frac{\tau}{T_i} \end{aligned}"
        ),
        symbols=(
            (
                r"\eta_t",
                "the rate once the scheduler is given time `t`, for `t` past the warm-up and inside a cycle (`lr_min` after the last)",
            ),
            (r"\eta_0", "the group's base rate"),
            (r"l,\ u", "`lb`, `ub`"),
            (r"i,\ \tau,\ T_i", "the cycle, the time into it and its length, as for the cosine"),
            (r"\gamma,\ \eta_{\min}", "`cycle_decay`, `lr_min`"),
        ),
        note=WARMUP_NOTE + CYCLE_LOG_NOTE,
    ),
    twin=twins.timm_tanh,
    explore=Explore(
        "basic",
        (Control("lb", (-9.0, -7.0, -5.0, -3.0)), Control("ub", (1.0, 3.0, 5.0))),
    ),
    span=cycles_span,
    marks=warmup_mark,
    cases=(
        Case("basic", "100 epochs with the default lb=-7, ub=3", {"t_initial": 100}, steps=111),
        Case(
            "ub",
            "ub sets how far the tanh goes: the end of the drop",
            {"t_initial": 100},
            steps=101,
            vary="ub",
            values=(1.0, 3.0, 5.0),
            text="A smaller `ub` stops the tanh before it flattens, so the cycle ends above `lr_min` and then drops to it.",
        ),
        Case(
            "warmup",
            "Warm-up to the curve, or before it",
            {"t_initial": 100, "warmup_t": 10},
            steps=111,
            vary="warmup_prefix",
            values=(False, True),
        ),
    ),
    pitfalls=(step_without_epoch("TanhLRScheduler(optimizer, t_initial=100)"),),
)

POLY = Entry(
    name="PolyLRScheduler",
    sched="poly",
    family="timm-cycles",
    module=MODULE,
    summary="timm's polynomial decay from the base rate to lr_min over t_initial epochs, in cycles.",
    about="""
timm's `--sched poly`: the rate falls from the base rate to `lr_min` along
\\((1 - \\tau / T)^{\\text{power}}\\) over each cycle of `t_initial` epochs. The default
`power=0.5` is a square root: slow at first, a steep fall at the end (torch's
[PolynomialLR](../polynomial-lr/index.md) defaults to 1, a straight line). Cycles, warm-up,
`k_decay` and stepping work as in [CosineLRScheduler](../cosine-lr-scheduler/index.md).
"""
    + STEPPING,
    args=(
        OPTIMIZER,
        T_INITIAL,
        Arg("power", "The power of the decay: 1 is linear, 0.5 (the default) a square root."),
        LR_MIN,
        CYCLE_MUL,
        CYCLE_DECAY,
        CYCLE_LIMIT,
        WARMUP_T,
        WARMUP_LR_INIT,
        prefix(False),
        T_IN_EPOCHS,
        *NOISE,
        K_DECAY,
        INITIALIZE,
    ),
    formula=Formula(
        closed=(
            r"\eta_t = \eta_{\min} + \left(\eta_0 \gamma^{i} - \eta_{\min}\right)"
            r"\left(1 - \frac{\tau^{k}}{T_i^{k}}\right)^{p}"
        ),
        symbols=(
            (
                r"\eta_t",
                "the rate once the scheduler is given time `t`, past the warm-up and inside a cycle (`lr_min` after the last)",
            ),
            (r"\eta_0", "the group's base rate"),
            (r"p,\ k", "`power`, `k_decay`"),
            (r"i,\ \tau,\ T_i", "the cycle, the time into it and its length, as for the cosine"),
            (r"\gamma,\ \eta_{\min}", "`cycle_decay`, `lr_min`"),
        ),
        note=WARMUP_NOTE + CYCLE_LOG_NOTE,
    ),
    twin=twins.timm_poly,
    explore=Explore(
        "basic",
        (Control("power", (0.5, 1.0, 2.0, 3.0)), Control("k_decay", (0.5, 1.0, 2.0)), Control("warmup_t", (0, 10))),
    ),
    span=cycles_span,
    marks=warmup_mark,
    cases=(
        Case("basic", "The default power=0.5 over 100 epochs", {"t_initial": 100}, steps=111),
        Case(
            "power",
            "power bends the decay",
            {"t_initial": 100},
            steps=101,
            vary="power",
            values=(0.5, 1.0, 2.0),
        ),
        Case(
            "cycles",
            "Two cycles with a lower second peak",
            {"t_initial": 50, "cycle_limit": 2, "cycle_decay": 0.5, "power": 1.0},
            steps=111,
        ),
    ),
    pitfalls=(step_without_epoch("PolyLRScheduler(optimizer, t_initial=100)"),),
)

STEP = Entry(
    name="StepLRScheduler",
    sched="step",
    family="timm-step",
    module=MODULE,
    summary="The rate times decay_rate every decay_t epochs, after an optional warm-up.",
    about="""
timm's `--sched step`: the base rate multiplied by `decay_rate` every `decay_t` epochs, like
torch's [StepLR](../step-lr/index.md) (`step_size`, `gamma`). Here the warm-up comes **before**
the steps by default (`warmup_prefix=True`): with `warmup_t=5` the first decay is at epoch
`5 + decay_t`. `decay_t` may be a fraction of an epoch when the scheduler is stepped per update.
"""
    + STEPPING,
    args=(
        OPTIMIZER,
        Arg("decay_t", "Epochs (or updates) between two decays."),
        Arg("decay_rate", "The factor applied at each decay (1: no decay)."),
        *STEP_TAIL,
    ),
    formula=Formula(
        closed=r"\eta_t = \eta_0\, \rho^{\lfloor (t - W) / d \rfloor} \quad (t \ge W)",
        symbols=(
            (r"\eta_t", "the rate once the scheduler is given time `t`"),
            (r"\eta_0", "the group's base rate"),
            (r"\rho,\ d", "`decay_rate`, `decay_t`"),
            PREFIX_SYMBOL,
        ),
        note=WARMUP_NOTE,
    ),
    twin=twins.timm_step,
    explore=Explore(
        "basic",
        (Control("decay_t", (10, 20, 30, 40)), Control("decay_rate", (0.1, 0.5, 0.9))),
    ),
    span=lambda a: a.get("warmup_t", 0) + int(2 * a["decay_t"]) + 1,  # two decays
    marks=warmup_mark,
    cases=(
        Case("basic", "A tenth every 30 epochs", {"decay_t": 30, "decay_rate": 0.1}, steps=101, log=True),
        Case(
            "warmup-prefix",
            "warmup_prefix moves the decays",
            {"decay_t": 30, "decay_rate": 0.5, "warmup_t": 10},
            steps=101,
            vary="warmup_prefix",
            values=(True, False),
            text="With the default `warmup_prefix=True` the decays come at epochs 40, 70 and 100; with `False` at 30, 60 and 90, counted from epoch 0.",
        ),
    ),
    pitfalls=(step_without_epoch("StepLRScheduler(optimizer, decay_t=30, decay_rate=0.1)"),),
)

MULTISTEP = Entry(
    name="MultiStepLRScheduler",
    sched="multistep",
    family="timm-step",
    module=MODULE,
    summary="The rate times decay_rate at each epoch listed in decay_t; each decay shows one epoch before it.",
    about="""
timm's `--sched multistep`: the base rate multiplied by `decay_rate` at each milestone of
`decay_t`, like torch's [MultiStepLR](../multi-step-lr/index.md). But a milestone `d` counts
from time `d - 1` on (timm counts the milestones up to `t + 1`): in the usual loop, which gives
the scheduler epoch `e + 1` at the end of epoch `e`, the decay listed as 30 is the rate of epoch
29 already. torch's `MultiStepLR(milestones=[30])` changes the rate from epoch 30.

The milestones must be sorted: they are searched by bisection, and an unsorted list gives a wrong
count without any message.
"""
    + STEPPING,
    args=(
        OPTIMIZER,
        Arg("decay_t", "The milestones, sorted: the rate is multiplied by `decay_rate` from one epoch before each."),
        Arg("decay_rate", "The factor applied at each milestone."),
        *STEP_TAIL,
    ),
    formula=Formula(
        closed=r"\eta_t = \eta_0\, \rho^{\,\left|\{ d \in D \,:\, d \le t - W + 1 \}\right|} \quad (t \ge W)",
        symbols=(
            (r"\eta_t", "the rate once the scheduler is given time `t`"),
            (r"\eta_0", "the group's base rate"),
            (r"D,\ \rho", "`decay_t` (the milestones), `decay_rate`"),
            PREFIX_SYMBOL,
        ),
        note=WARMUP_NOTE,
    ),
    twin=twins.timm_multistep,
    explore=Explore(
        "basic",
        (Control("decay_rate", (0.1, 0.3, 0.5)), Control("warmup_t", (0, 5, 10))),
    ),
    span=lambda a: a.get("warmup_t", 0) + max(a["decay_t"]) + 1,
    marks=lambda a: [
        ((a.get("warmup_t", 0) if a.get("warmup_prefix", True) else 0) + d - 1, f"decay_t {d}") for d in a["decay_t"]
    ],
    cases=(
        Case(
            "basic",
            "Milestones 30 and 60: the decays at epochs 29 and 59",
            {"decay_t": [30, 60], "decay_rate": 0.1},
            steps=101,
            log=True,
            text="The dashed lines are at 29 and 59: each decay is one epoch before its milestone, where torch's `MultiStepLR(milestones=[30, 60])` would change the rate at 30 and 60.",
        ),
        Case(
            "warmup",
            "After a 10-epoch warm-up the milestones count from its end",
            {"decay_t": [30, 60], "decay_rate": 0.1, "warmup_t": 10, "warmup_lr_init": 0.001},
            steps=101,
            log=True,
            text="With the default `warmup_prefix=True` the milestones 30 and 60 take effect at epochs 39 and 69.",
        ),
    ),
    pitfalls=(step_without_epoch("MultiStepLRScheduler(optimizer, decay_t=[30, 60])"),),
)

WSD = Entry(
    name="WSDLRScheduler",
    sched="wsd",
    family="timm-wsd",
    module=MODULE,
    summary="timm's warmup-stable-decay: warm-up, a stable phase, then a decay over the last decay_t of t_initial.",
    about="""
timm's `--sched wsd`: a warm-up of `warmup_t`, then `t_initial` epochs of which the last
`decay_t` decay towards `lr_min`. Unlike transformers' [get_wsd_schedule](../get-wsd-schedule/index.md),
`t_initial` does **not** include the warm-up: the schedule ends at `warmup_t + t_initial`. The
stable phase is constant by default; `stable_fn="rsqrt"` or `"power"` makes it fall slowly as a
power of the time since warm-up, over `stable_timescale` (by default `warmup_t`). The decay's
shape is `decay_fn`: `"1-sqrt"` (the default), `"linear"`, `"cosine"`, `"power"` or `"exp"`, or
any function from progress 0..1 to a factor 1..0.
"""
    + STEPPING,
    args=(
        OPTIMIZER,
        Arg("t_initial", "Epochs after warm-up: the stable phase and the decay together."),
        Arg("decay_t", "Epochs of decay at the end of `t_initial`; between 1 and `t_initial`."),
        LR_MIN,
        Arg("stable_fn", '`"constant"`, or `"rsqrt"` / `"power"`: a slow fall during the stable phase.'),
        Arg("stable_timescale", "Time scale of a falling stable phase; `None`: `warmup_t`."),
        Arg("stable_power", 'The power of `stable_fn="power"` (`"rsqrt"` is 0.5).'),
        Arg("decay_fn", 'Shape of the decay: `"1-sqrt"`, `"linear"`, `"cosine"`, `"power"`, `"exp"` or a function.'),
        Arg("decay_power", 'The power of `decay_fn="power"`.'),
        Arg("decay_ratio", 'Where `decay_fn="exp"` ends relative to its start before rescaling, between 0 and 1.'),
        WARMUP_T,
        WARMUP_LR_INIT,
        T_IN_EPOCHS,
        *NOISE,
        INITIALIZE,
    ),
    formula=Formula(
        closed=(
            r"\begin{aligned} \eta_t &= \begin{cases} s_t \\ \quad \text{if } t - W \le T - D \\[6pt]"
            r" \eta_{\min} + (s_t - \eta_{\min})\, d(x_t) \\ \quad \text{after} \end{cases} \\"
            r" s_t &= \max\!\left(\eta_0\, g(t - W),\ \eta_{\min}\right) \\"
            r" x_t &= \min\!\left(1, \dfrac{t - W - (T - D)}{D}\right) \end{aligned}"
        ),
        symbols=(
            (r"\eta_t", "the rate once the scheduler is given time `t`, past the warm-up"),
            (r"\eta_0", "the group's base rate"),
            (r"W,\ T,\ D", "`warmup_t`, `t_initial`, `decay_t`"),
            (
                r"g(x)",
                r"the stable phase: 1 (constant), \((1 + x/\sigma)^{-1/2}\) (rsqrt), \((1 + x/\sigma)^{-q}\) (power)",
            ),
            (
                r"d(x)",
                r"the decay: \(1 - \sqrt{x}\), \(1 - x\), \(\tfrac12(1 + \cos\pi x)\), \(1 - x^{p}\), \((r^{x} - r)/(1 - r)\)",
            ),
            (r"\sigma,\ q,\ p,\ r", "`stable_timescale`, `stable_power`, `decay_power`, `decay_ratio`"),
            (r"\eta_{\min}", "`lr_min`"),
        ),
        note=WARMUP_NOTE,
    ),
    twin=twins.timm_wsd,
    explore=Explore(
        "basic",
        (
            Control("decay_fn", ("1-sqrt", "linear", "cosine", "exp")),
            Control("decay_t", (10, 20, 40)),
            Control("stable_fn", ("constant", "rsqrt")),
        ),
    ),
    span=lambda a: a.get("warmup_t", 0) + a["t_initial"] + 1,
    marks=lambda a: [(a.get("warmup_t", 0) + a["t_initial"] - a["decay_t"], "decay starts")],
    cases=(
        Case(
            "basic",
            "10 warm-up epochs, then 100: 80 stable and 20 of 1-sqrt decay",
            {"t_initial": 100, "decay_t": 20, "warmup_t": 10},
            steps=111,
            text="The schedule ends at epoch 110: `t_initial` counts after the warm-up.",
        ),
        Case(
            "decay-fn",
            "The decay shapes",
            {"t_initial": 100, "decay_t": 40},
            steps=101,
            vary="decay_fn",
            values=("1-sqrt", "linear", "cosine", "exp"),
        ),
        Case(
            "stable-fn",
            "A stable phase that falls slowly (rsqrt)",
            {"t_initial": 100, "decay_t": 20, "warmup_t": 10},
            steps=111,
            vary="stable_fn",
            values=("constant", "rsqrt"),
            text='`"rsqrt"` falls as \\((1 + x/10)^{-1/2}\\) during the stable phase (`stable_timescale` defaults to `warmup_t`, 10 here); the decay then starts from wherever that has reached.',
        ),
    ),
    pitfalls=(
        Pitfall(
            id="decay-longer-than-schedule",
            title="A decay_t longer than t_initial",
            code=misuse(
                "scheduler = WSDLRScheduler(optimizer, t_initial=100, decay_t=110, warmup_t=10)",
                "from timm.scheduler import WSDLRScheduler",
            ),
            expect="ValueError",
            cause="`t_initial` excludes the warm-up; a decay counted over the whole run does not fit in it.",
            fix="Count `t_initial` after the warm-up: here `t_initial=100, decay_t=20` for a 110-epoch run with a 20-epoch decay.",
        ),
        Pitfall(
            id="rsqrt-without-timescale",
            title='stable_fn="rsqrt" without a warm-up or a timescale',
            code=misuse(
                'scheduler = WSDLRScheduler(optimizer, t_initial=100, decay_t=20, stable_fn="rsqrt")',
                "from timm.scheduler import WSDLRScheduler",
            ),
            expect="ValueError",
            cause="The falling stable phase takes its time scale from `warmup_t`, which is 0 here.",
            fix="Pass `stable_timescale`, e.g. `stable_timescale=10`.",
        ),
    ),
)
PLATEAU = Entry(
    name="PlateauLRScheduler",
    sched="plateau",
    family="timm-metric",
    module=MODULE,
    metric=True,
    summary="Deprecated: torch's ReduceLROnPlateau inside timm's stepping, with warm-up and noise; mode='max' by default.",
    about="""
timm's `--sched plateau`: a linear warm-up over `warmup_t` epochs, then torch's
[ReduceLROnPlateau](../reduce-lr-on-plateau/index.md), built inside it with timm's names
(`decay_rate` for `factor`, `patience_t` for `patience`, `cooldown_t` for `cooldown`, `lr_min` for
`min_lr`). Call `scheduler.step(epoch + 1, metric)` after each epoch's validation, as timm's
`train.py` does; the metric counts only after the warm-up, and `step_update` does nothing.

timm 1.0.31 **deprecates** it: the constructor warns that it will be removed, because its
counters (best metric, bad epochs) are not saved in checkpoints, so a resumed run starts the
plateau logic afresh. Its `mode` defaults to `"max"`, for an accuracy, where torch's defaults to
`"min"`; timm's `train.py` picks `"min"` itself when the metric's name contains `loss`. The curves
below are driven by the same seeded synthetic validation loss as the ReduceLROnPlateau page.
""",
    args=(
        OPTIMIZER,
        Arg("decay_rate", "The factor applied to the rate on a plateau (torch's `factor`)."),
        Arg("patience_t", "Epochs without improvement tolerated; the cut comes on the next one."),
        Arg("threshold", "How much better than the best a value must be to count (relative)."),
        Arg("cooldown_t", "Epochs after a cut during which bad epochs are not counted."),
        WARMUP_T,
        WARMUP_LR_INIT,
        Arg("lr_min", "Lower bound on the rate (torch's `min_lr`)."),
        Arg("mode", '`"max"` (the default): higher is better, an accuracy; `"min"`: lower is better, a loss.'),
        NOISE[0],
        Arg("noise_type", '`"normal"` (the others\' only kind), or `"uniform"` within `noise_pct`.'),
        *NOISE[1:],
        INITIALIZE,
    ),
    formula=Formula(
        closed=(
            r"\begin{aligned} \eta_t &= \begin{cases} \eta_{\text{init}} + t\,\dfrac{\eta_0 - \eta_{\text{init}}}{W} & t \le W \\[4pt]"
            r" R(m_W, m_{W+1}, \ldots, m_{t-1}) & t > W \end{cases} \\"
            r" R &= \text{ReduceLROnPlateau} \end{aligned}"
        ),
        symbols=(
            (r"\eta_t", "the rate used in epoch `t`"),
            (r"\eta_0", "the group's base rate"),
            (r"\eta_{\text{init}},\ W", "`warmup_lr_init`, `warmup_t`"),
            (r"m_t", "the metric passed to `step(t + 1, metric)` after epoch `t`"),
        ),
        note="""
After the warm-up the rate is what torch's ReduceLROnPlateau gives when it is fed the metrics from
epoch \\(W\\) on, with `factor` = `decay_rate`, `patience` = `patience_t`, `cooldown` =
`cooldown_t`, `min_lr` = `lr_min`, `threshold_mode="rel"`: its page has the rule. The twin replays
that rule on the recorded loss.
""",
    ),
    twin=twins.timm_plateau,
    explore=Explore("basic", (Control("patience_t", (2, 5, 10)), Control("decay_rate", (0.1, 0.3, 0.5)))),
    span=lambda a: a.get("warmup_t", 0) + a.get("patience_t", 10) + a.get("cooldown_t", 0) + 40,
    cases=(
        Case(
            "basic",
            'Halving on a plateau: mode="min", patience_t=5',
            {"mode": "min", "patience_t": 5, "decay_rate": 0.5},
            steps=60,
            log=True,
            warns=DEPRECATED,
        ),
        Case(
            "mode",
            'The default mode="max", given a loss: a cut every six epochs',
            {"patience_t": 5, "decay_rate": 0.5},
            steps=60,
            log=True,
            vary="mode",
            values=("max", "min"),
            warns=DEPRECATED,
            text="""
With `"max"` the first loss, the highest, stays the best one, so no epoch ever improves on it:
the rate halves every `patience_t + 1` = 6 epochs while the loss falls. Pass `mode="min"` for a
loss.
""",
        ),
        Case(
            "warmup",
            "Warm-up first: the plateau counts from epoch warmup_t",
            {"mode": "min", "patience_t": 5, "decay_rate": 0.5, "warmup_t": 10, "warmup_lr_init": 0.001},
            steps=60,
            log=True,
            warns=DEPRECATED,
            text="""
During the warm-up the metric is ignored: `step` sets the warm-up rate and returns. From epoch
`warmup_t` on, the losses go to the plateau rule.
""",
        ),
    ),
    pitfalls=(
        Pitfall(
            id="deprecated",
            title="It is deprecated",
            code=misuse("scheduler = PlateauLRScheduler(optimizer)", f"from {MODULE} import PlateauLRScheduler"),
            expect="FutureWarning",
            cause="timm 1.0.31 warns at every construction: the class will be removed from a future release.",
            fix='For a metric-driven rate use torch\'s `ReduceLROnPlateau(optimizer, mode="min")` and call '
            "`scheduler.step(val_loss)`; otherwise a fixed schedule such as `CosineLRScheduler` or `WSDLRScheduler`.",
        ),
        Pitfall(
            id="step-without-epoch",
            title="Calling step(loss) as with torch's ReduceLROnPlateau",
            code=misuse(
                'scheduler = PlateauLRScheduler(optimizer, mode="min")\noptimizer.step()\nscheduler.step()',
                f"from {MODULE} import PlateauLRScheduler",
            ),
            expect="TypeError",
            cause="timm's `step` takes the epoch first and the metric second.",
            fix="Call `scheduler.step(epoch + 1, val_loss)` after each epoch's validation.",
        ),
    ),
)


ENTRIES = (COSINE, TANH, POLY, STEP, MULTISTEP, WSD, PLATEAU)
