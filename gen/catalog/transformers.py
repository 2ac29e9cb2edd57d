"""Hugging Face transformers' schedules (`transformers.optimization`): functions that return a
torch LambdaLR, named by the `lr_scheduler_type` a Trainer user writes."""

from gen import twins
from gen.catalog.common import misuse
from gen.model import Arg, Case, Control, Entry, Explore, Formula, Optim, Pitfall

MODULE = "transformers"  # the ordinary public import: `from transformers import get_..._schedule`

OPTIMIZER = Arg("optimizer", "The wrapped optimizer; each group's `lr` is the peak rate the schedule scales.")
LAST_EPOCH = Arg("last_epoch", "Index of the last step when resuming; `-1` starts fresh (passed on to `LambdaLR`).")
WARMUP = Arg("num_warmup_steps", "Steps of linear warm-up from a rate of 0 to the optimizer's rate (0: no warm-up).")
TRAINING = Arg("num_training_steps", "The total number of steps, warm-up included: the decay ends here.")

RAMP = r"\frac{t}{\max(1, W)}"  # every warm-up here: 0 at step 0, the full rate at step W
RAMP_SYMBOLS = (
    (r"\eta_t", "the rate after `t` calls to `step()`"),
    (r"\eta_0", "the group's rate in the optimizer (the peak)"),
    (r"W", "`num_warmup_steps`"),
    (r"N", "`num_training_steps`"),
)
WARMUP_AT_ZERO = """
Warm-up starts at a rate of **exactly 0**: the first optimizer step, taken before any `step()` of
the scheduler, does not move the weights. This is what `t / W` gives at `t = 0`, and every
transformers schedule with linear warm-up does it, except `get_wsd_schedule` (which starts at its
floor, `min_lr_ratio`, 0 by default) and `get_cosine_with_min_lr_schedule_with_warmup_lr_rate`
(which starts above 0). torch's `LinearLR` starts at `start_factor` times the rate instead.
"""


def to_the_end(a) -> int:
    """Steps that show a schedule ending at num_training_steps, its last value included."""
    return a["num_training_steps"] + 1


def warmup_and_end(a) -> list[tuple[int, str]]:
    return [(a["num_warmup_steps"], "warm-up ends"), (a["num_training_steps"], "num_training_steps")]


def warmup_end(a) -> list[tuple[int, str]]:
    return [(a["num_warmup_steps"], "warm-up ends")] if a["num_warmup_steps"] else []


def imports(name: str) -> str:
    return f"from transformers import {name}"


LINEAR = Entry(
    name="get_linear_schedule_with_warmup",
    family="hf-decay",
    trainer="linear",
    module=MODULE,
    summary="Linear warm-up from 0 to the optimizer's rate, then a straight line down to 0 at num_training_steps.",
    about="""
The Trainer's default schedule (`lr_scheduler_type="linear"`): the rate climbs in a straight line
from 0 to the optimizer's rate over `num_warmup_steps` steps, then falls in a straight line to 0 at
`num_training_steps`, and stays at 0 after it. This is the schedule BERT was trained with, and the
usual choice for fine-tuning a pretrained model when the number of steps is known.

It returns a plain torch `LambdaLR`: call `scheduler.step()` once after every `optimizer.step()`,
as with any torch scheduler.
""",
    args=(OPTIMIZER, WARMUP, TRAINING, LAST_EPOCH),
    formula=Formula(
        closed=(
            r"\eta_t = \eta_0 \cdot \begin{cases} " + RAMP + r" & t < W \\"
            r" \max\!\left(0,\ \frac{N - t}{\max(1,\, N - W)}\right) & t \ge W \end{cases}"
        ),
        symbols=RAMP_SYMBOLS,
        note=WARMUP_AT_ZERO,
    ),
    twin=twins.hf_linear,
    explore=Explore(
        "basic",
        (
            Control("num_warmup_steps", (0, 5, 10, 20, 40)),
            Control("num_training_steps", (50, 75, 100)),
        ),
    ),
    span=to_the_end,
    marks=warmup_and_end,
    cases=(
        Case(
            "basic",
            "10 warm-up steps, then down to 0 at step 100",
            {"num_warmup_steps": 10, "num_training_steps": 100},
            steps=101,
        ),
        Case(
            "warmup",
            "The length of the warm-up",
            {"num_warmup_steps": 10, "num_training_steps": 100},
            steps=101,
            vary="num_warmup_steps",
            values=(0, 10, 30),
            text="The decay always ends at `num_training_steps`: a longer warm-up leaves fewer steps to decay in, so the line down is steeper.",
        ),
        Case(
            "past-the-end",
            "After num_training_steps the rate stays at 0",
            {"num_warmup_steps": 10, "num_training_steps": 60},
            steps=101,
            text="""
Stepping past `num_training_steps` leaves the rate at 0: every later optimizer step is wasted.
This is what happens when `num_training_steps` is counted in epochs, or before gradient
accumulation divides the number of batches, while `step()` is called after every update.
""",
        ),
    ),
    pitfalls=(
        Pitfall(
            id="no-training-steps",
            title="get_scheduler without num_training_steps",
            code=misuse('get_scheduler("linear", optimizer, num_warmup_steps=10)', imports("get_scheduler")),
            expect="ValueError",
            cause="Every decaying schedule needs the length of training; `get_scheduler` cannot guess it.",
            fix="Pass `num_training_steps`: the number of optimizer updates, after gradient accumulation.",
        ),
    ),
)

COSINE = Entry(
    name="get_cosine_schedule_with_warmup",
    family="hf-decay",
    trainer="cosine",
    module=MODULE,
    summary="Linear warm-up from 0, then a cosine from the optimizer's rate down to 0 at num_training_steps.",
    about="""
The schedule most language-model training uses (`lr_scheduler_type="cosine"`): a linear warm-up
from 0 over `num_warmup_steps`, then half a cosine wave from the optimizer's rate down to 0 at
`num_training_steps`. The rate falls slowly at first, fastest in the middle, and slowly again near
the end.

`num_cycles` counts **whole cosine waves**, not restarts: the default 0.5 is half a wave, from the
top down to 0. With `num_cycles=1` the rate comes all the way back up to the optimizer's rate at
the last step. For restarts use
[get_cosine_with_hard_restarts_schedule_with_warmup](../get-cosine-with-hard-restarts-schedule-with-warmup/index.md);
for a floor above 0 use
[get_cosine_with_min_lr_schedule_with_warmup](../get-cosine-with-min-lr-schedule-with-warmup/index.md).
""",
    args=(
        OPTIMIZER,
        WARMUP,
        TRAINING,
        Arg("num_cycles", "Number of cosine waves over the decay; 0.5 is half a wave, from the peak to 0."),
        LAST_EPOCH,
    ),
    formula=Formula(
        closed=(
            r"\begin{aligned} \eta_t &= \eta_0 \cdot \begin{cases} " + RAMP + r" & t < W \\"
            r" \max(0,\ q_t) & t \ge W \end{cases} \\"
            r" q_t &= \tfrac12\left(1 + \cos(2\pi c\, p_t)\right) \\"
            r" p_t &= \frac{t - W}{\max(1,\, N - W)} \end{aligned}"
        ),
        symbols=(*RAMP_SYMBOLS, (r"c", "`num_cycles`"), (r"p_t", "the fraction of the decay done at step `t`")),
        note=WARMUP_AT_ZERO
        + """
The `max(0, ...)` never acts, since \\(1 + \\cos x \\ge 0\\): past `num_training_steps` the wave
goes on, and the rate climbs back to the full rate at step \\(2N - W\\).
""",
    ),
    twin=twins.hf_cosine,
    explore=Explore(
        "basic",
        (
            Control("num_warmup_steps", (0, 5, 10, 20, 40)),
            Control("num_cycles", (0.5, 1.0, 1.5, 2.0)),
        ),
    ),
    span=to_the_end,
    marks=warmup_and_end,
    cases=(
        Case(
            "basic",
            "10 warm-up steps, then half a cosine to 0 at step 100",
            {"num_warmup_steps": 10, "num_training_steps": 100},
            steps=101,
        ),
        Case(
            "num-cycles",
            "num_cycles counts cosine waves",
            {"num_warmup_steps": 10, "num_training_steps": 100},
            steps=101,
            vary="num_cycles",
            values=(0.5, 1.0, 2.0),
            text="""
`num_cycles=0.5` (the default) ends at 0; `1.0` is a whole wave, back at the full rate on the last
step; `2.0` is two waves. None of them restarts: the wave is smooth, with no jump.
""",
        ),
        Case(
            "warmup",
            "The length of the warm-up",
            {"num_warmup_steps": 10, "num_training_steps": 100},
            steps=101,
            vary="num_warmup_steps",
            values=(0, 10, 30),
            text="The cosine is stretched over the steps left after warm-up, so it always ends at `num_training_steps`.",
        ),
        Case(
            "past-the-end",
            "Past num_training_steps the rate rises again",
            {"num_warmup_steps": 10, "num_training_steps": 60},
            steps=111,
            text="""
The rate does not stay at 0 after `num_training_steps` (60 here): the cosine goes on and is back
at the full rate at step 110. A `num_training_steps` smaller than the real number of updates
(counted in epochs, or before gradient accumulation) ends training on a rising rate.
""",
        ),
    ),
    pitfalls=(
        Pitfall(
            id="min-lr",
            title="Asking the cosine schedule for a floor",
            code=misuse(
                """
get_scheduler(
    "cosine",
    optimizer,
    num_warmup_steps=10,
    num_training_steps=100,
    scheduler_specific_kwargs={"min_lr": 1e-5},
)
""",
                imports("get_scheduler"),
            ),
            expect="TypeError",
            cause='`"cosine"` always decays to 0; the floor belongs to another schedule type.',
            fix='Use `lr_scheduler_type="cosine_with_min_lr"` with `lr_scheduler_kwargs={"min_lr": 1e-5}` (or `min_lr_rate`).',
        ),
    ),
)

RESTARTS = Entry(
    name="get_cosine_with_hard_restarts_schedule_with_warmup",
    family="hf-decay",
    trainer="cosine_with_restarts",
    module=MODULE,
    summary="Linear warm-up from 0, then num_cycles cosine decays to 0, each restarting at the full rate.",
    about="""
`lr_scheduler_type="cosine_with_restarts"`: after a linear warm-up from 0, the steps left before
`num_training_steps` are split into `num_cycles` equal cycles. In each the rate follows half a
cosine from the optimizer's rate down towards 0, then jumps straight back to the full rate (a
*hard* restart) for the next cycle. After `num_training_steps` it is 0.

Here `num_cycles` is the number of decays, an integer: the default 1 is a single decay with no
restart at all, the same curve as
[get_cosine_schedule_with_warmup](../get-cosine-schedule-with-warmup/index.md). Unlike torch's
[CosineAnnealingWarmRestarts](../cosine-annealing-warm-restarts/index.md) the cycles all have
the same length, no rate is reached twice, and the last cycle never quite reaches 0.
""",
    args=(
        OPTIMIZER,
        WARMUP,
        TRAINING,
        Arg("num_cycles", "Number of cosine decays between the warm-up and `num_training_steps` (1: no restart)."),
        LAST_EPOCH,
    ),
    formula=Formula(
        closed=(
            r"\begin{aligned} \eta_t &= \eta_0 \cdot \begin{cases} " + RAMP + r" & t < W \\"
            r" q_t & W \le t < N \\"
            r" 0 & t \ge N \end{cases} \\"
            r" q_t &= \tfrac12\left(1 + \cos\left(\pi\, \{c\, p_t\}\right)\right) \\"
            r" p_t &= \frac{t - W}{\max(1,\, N - W)} \end{aligned}"
        ),
        symbols=(
            *RAMP_SYMBOLS,
            (r"c", "`num_cycles`"),
            (r"p_t", "the fraction of the decay done at step `t`"),
            (r"\{x\}", "the fractional part of `x`: where in its cycle step `t` falls"),
        ),
        note=WARMUP_AT_ZERO,
    ),
    twin=twins.hf_hard_restarts,
    explore=Explore(
        "two-cycles",
        (
            Control("num_cycles", (1, 2, 3, 4, 5)),
            Control("num_warmup_steps", (0, 10, 20)),
        ),
    ),
    span=to_the_end,
    marks=warmup_and_end,
    cases=(
        Case(
            "two-cycles",
            "num_cycles=2: two cosine decays of 45 steps",
            {"num_warmup_steps": 10, "num_training_steps": 100, "num_cycles": 2},
            steps=101,
            text="""
The 90 steps after warm-up make two cycles of 45. At step 55 the rate jumps from near 0 back to
the full rate. Each cycle ends one step short of 0: the last step of a cycle is at \\(\\{c\\,p_t\\} = 44/45\\).
""",
        ),
        Case(
            "num-cycles",
            "num_cycles sets the number of decays",
            {"num_warmup_steps": 10, "num_training_steps": 100},
            steps=101,
            vary="num_cycles",
            values=(1, 2, 4),
            text="`num_cycles=1` (the default) is one decay, identical to `get_cosine_schedule_with_warmup`: no restart happens.",
        ),
    ),
    pitfalls=(
        Pitfall(
            id="num-restarts",
            title="Passing the number of restarts by another name",
            code=misuse(
                """
get_scheduler(
    "cosine_with_restarts",
    optimizer,
    num_warmup_steps=10,
    num_training_steps=100,
    scheduler_specific_kwargs={"num_restarts": 2},
)
""",
                imports("get_scheduler"),
            ),
            expect="TypeError",
            cause="The argument is `num_cycles`, and it counts decays: two restarts are `num_cycles=3`.",
            fix='Write `lr_scheduler_kwargs={"num_cycles": 3}` for three decays with two restarts between them.',
        ),
    ),
)

POLYNOMIAL = Entry(
    name="get_polynomial_decay_schedule_with_warmup",
    family="hf-decay",
    trainer="polynomial",
    module=MODULE,
    summary="Linear warm-up from 0, then a polynomial decay of the given power down to lr_end at num_training_steps.",
    about="""
`lr_scheduler_type="polynomial"`: a linear warm-up from 0, then a decay from the optimizer's rate
to the absolute rate `lr_end` along \\((1 - p)^{\\text{power}}\\), where \\(p\\) is the fraction of
the decay done. `power=1` (the default, as in BERT and fairseq) is a straight line; a larger power
falls fast first and flattens near `lr_end`; a power below 1 stays high longer and drops at the end.
After `num_training_steps` the rate stays at `lr_end`.

`lr_end` is a rate, not a fraction, and the decay is computed from `optimizer.defaults["lr"]`,
the `lr` given to the optimizer's constructor: with parameter groups of their own rates, every
group is scaled by the same factor.
""",
    args=(
        OPTIMIZER,
        WARMUP,
        TRAINING,
        Arg("lr_end", "The rate reached at `num_training_steps` and kept after it (a rate, not a factor)."),
        Arg("power", "The power of the decay: 1 is linear, 2 quadratic, 0.5 a square root."),
        LAST_EPOCH,
    ),
    formula=Formula(
        closed=(
            r"\begin{aligned} \eta_t &= \eta_0 \cdot \begin{cases} " + RAMP + r" & t < W \\"
            r" q_t & W \le t \le N \\"
            r" \eta_{\text{end}} / \bar\eta & t > N \end{cases} \\"
            r" q_t &= \dfrac{(\bar\eta - \eta_{\text{end}})\left(1 - \frac{t - W}{N - W}\right)^{k} + \eta_{\text{end}}}{\bar\eta}"
            r" \end{aligned}"
        ),
        symbols=(
            *RAMP_SYMBOLS,
            (r"\bar\eta", '`optimizer.defaults["lr"]`, the `lr` given to the optimizer'),
            (r"\eta_{\text{end}}", "`lr_end`"),
            (r"k", "`power`"),
        ),
        note=WARMUP_AT_ZERO,
    ),
    twin=twins.hf_polynomial,
    explore=Explore(
        "basic",
        (
            Control("power", (0.5, 1.0, 2.0, 3.0)),
            Control("num_warmup_steps", (0, 10, 20)),
            Control("lr_end", (1e-7, 0.01, 0.03)),
        ),
    ),
    span=to_the_end,
    marks=warmup_and_end,
    thumb="power",  # its first case is linear: in the gallery it would look like get_linear_schedule_with_warmup
    cases=(
        Case(
            "basic",
            "10 warm-up steps, then a straight line to lr_end=1e-7",
            {"num_warmup_steps": 10, "num_training_steps": 100},
            steps=101,
        ),
        Case(
            "power",
            "power bends the decay",
            {"num_warmup_steps": 10, "num_training_steps": 100},
            steps=101,
            vary="power",
            values=(0.5, 1.0, 2.0, 3.0),
            text="Every power ends at `lr_end` on the same step; only the path between differs.",
        ),
        Case(
            "lr-end",
            "lr_end is the floor, kept after the end",
            {"num_warmup_steps": 10, "num_training_steps": 80},
            steps=101,
            vary="lr_end",
            values=(1e-7, 0.01, 0.03),
            text="After `num_training_steps` (80 here) the rate holds at `lr_end` rather than going on falling.",
        ),
    ),
    pitfalls=(
        Pitfall(
            id="lr-end-too-high",
            title="An lr_end not below the optimizer's rate",
            code=misuse(
                """
scheduler = get_polynomial_decay_schedule_with_warmup(
    optimizer, num_warmup_steps=10, num_training_steps=100, lr_end=0.1
)
""",
                imports("get_polynomial_decay_schedule_with_warmup"),
            ),
            expect="ValueError",
            cause="`lr_end` is an absolute rate and must be below the optimizer's `lr`; it is not a fraction of it.",
            fix="Give the final rate itself, e.g. `lr_end=1e-4` for a decay from 0.1 to 1e-4.",
        ),
    ),
)

INVERSE_SQRT = Entry(
    name="get_inverse_sqrt_schedule",
    family="hf-decay",
    trainer="inverse_sqrt",
    module=MODULE,
    summary="Linear warm-up from 0, then a decay in proportion to one over the square root of the step.",
    about="""
`lr_scheduler_type="inverse_sqrt"`: the schedule of the original Transformer and of T5, with no
end. After a linear warm-up from 0 the rate falls as \\(1/\\sqrt{t}\\), shifted so that it is the
full rate at the end of warm-up: it halves by \\(t = W + 3\\tau\\) and quarters by \\(W + 15\\tau\\),
never reaching 0. It needs no `num_training_steps`, which makes it a choice for training whose
length is not known in advance.

`timescale` sets how fast it falls. It defaults to `num_warmup_steps`, or to **10,000** when there
is no warm-up: with `num_warmup_steps=0` and no `timescale`, the rate barely moves for thousands
of steps.
""",
    args=(
        OPTIMIZER,
        WARMUP,
        Arg(
            "timescale",
            "Steps over which the decay unfolds; `None` means `num_warmup_steps`, or 10,000 without warm-up.",
        ),
        LAST_EPOCH,
    ),
    formula=Formula(
        closed=(
            r"\eta_t = \eta_0 \cdot \begin{cases} " + RAMP + r" & t < W \\"
            r" \sqrt{\dfrac{\tau}{t - W + \tau}} & t \ge W \end{cases}"
        ),
        symbols=(
            *RAMP_SYMBOLS[:3],
            (r"\tau", "`timescale`; if `None`, `W`, or 10,000 when `W` is 0"),
        ),
        note=WARMUP_AT_ZERO,
    ),
    twin=twins.hf_inverse_sqrt,
    explore=Explore(
        "basic",
        (
            Control("num_warmup_steps", (0, 5, 10, 25)),
            Control("timescale", (None, 10, 100, 1000)),
        ),
    ),
    span=lambda a: a["num_warmup_steps"] + 1,
    marks=warmup_end,
    cases=(
        Case(
            "basic",
            "10 warm-up steps, then 1/sqrt decay (timescale 10)",
            {"num_warmup_steps": 10},
            steps=201,
            text="With the default `timescale` (here 10, the warm-up length) the rate is half the peak at step 40 and a quarter at step 160.",
        ),
        Case(
            "timescale",
            "timescale sets the pace of the decay",
            {"num_warmup_steps": 10},
            steps=201,
            vary="timescale",
            values=(10, 50, 200),
            text="A larger `timescale` slows the decay; all three start it at the full rate at the end of warm-up.",
        ),
        Case(
            "no-warmup",
            "Without warm-up the timescale is 10,000",
            {"num_warmup_steps": 0},
            steps=201,
            text="""
With `num_warmup_steps=0` and no `timescale`, the timescale falls back to 10,000 and after 200
steps the rate has fallen by only 1 %. Pass `timescale` whenever there is no warm-up.
""",
        ),
    ),
)

MIN_LR_SYMBOLS = (
    *RAMP_SYMBOLS,
    (r"c", "`num_cycles`"),
    (r"m", '`min_lr_rate`, or `min_lr / optimizer.defaults["lr"]`'),
)

COSINE_MIN_LR = Entry(
    name="get_cosine_with_min_lr_schedule_with_warmup",
    family="hf-decay",
    trainer="cosine_with_min_lr",
    module=MODULE,
    summary="Linear warm-up from 0, then a cosine from the optimizer's rate down to a floor, min_lr.",
    about="""
`lr_scheduler_type="cosine_with_min_lr"`: the cosine schedule with a floor. After a linear
warm-up from 0, half a cosine takes the rate from the optimizer's rate down to the floor at
`num_training_steps`, instead of to 0. This is the cosine most large-model recipes mean, often
with a floor of a tenth of the peak.

Give the floor **one** way: `min_lr`, a rate, or `min_lr_rate`, a fraction of the optimizer's
rate; giving both or neither is an error. `min_lr` is converted with `optimizer.defaults["lr"]`,
the `lr` given to the optimizer's constructor, and the fraction then applies to every group.
""",
    args=(
        OPTIMIZER,
        WARMUP,
        TRAINING,
        Arg("num_cycles", "Number of cosine waves over the decay; 0.5 is half a wave, from the peak to the floor."),
        LAST_EPOCH,
        Arg("min_lr", "The floor as a rate; give this or `min_lr_rate`, not both."),
        Arg("min_lr_rate", "The floor as a fraction of the optimizer's rate; give this or `min_lr`, not both."),
    ),
    formula=Formula(
        closed=(
            r"\begin{aligned} \eta_t &= \eta_0 \cdot \begin{cases} " + RAMP + r" & t < W \\"
            r" m + (1 - m)\, q_t & t \ge W \end{cases} \\"
            r" q_t &= \tfrac12\left(1 + \cos(2\pi c\, p_t)\right) \\"
            r" p_t &= \frac{t - W}{\max(1,\, N - W)} \end{aligned}"
        ),
        symbols=MIN_LR_SYMBOLS,
        note=WARMUP_AT_ZERO
        + "\nThe warm-up still starts at 0, below the floor: the floor applies to the decay only.\n",
    ),
    twin=twins.hf_cosine_min_lr,
    explore=Explore(
        "basic",
        (
            Control("min_lr_rate", (0.0, 0.05, 0.1, 0.2, 0.5)),
            Control("num_warmup_steps", (0, 10, 20)),
        ),
    ),
    span=to_the_end,
    marks=warmup_and_end,
    cases=(
        Case(
            "basic",
            "Down to a floor of a tenth of the peak",
            {"num_warmup_steps": 10, "num_training_steps": 100, "min_lr_rate": 0.1},
            steps=101,
        ),
        Case(
            "min-lr-rate",
            "min_lr_rate sets the floor",
            {"num_warmup_steps": 10, "num_training_steps": 100},
            steps=101,
            vary="min_lr_rate",
            values=(0.0, 0.1, 0.3),
            text="`min_lr_rate=0` is exactly `get_cosine_schedule_with_warmup`; a higher floor squeezes the same cosine into a narrower band.",
        ),
        Case(
            "min-lr",
            "The same floor given as a rate, min_lr=0.01",
            {"num_warmup_steps": 10, "num_training_steps": 100, "min_lr": 0.01},
            steps=101,
            text="With the optimizer's `lr=0.1`, `min_lr=0.01` is `min_lr_rate=0.1`: this curve is the first plot's.",
        ),
    ),
    pitfalls=(
        Pitfall(
            id="no-floor",
            title="Choosing cosine_with_min_lr without a floor",
            code=misuse(
                """
scheduler = get_cosine_with_min_lr_schedule_with_warmup(
    optimizer, num_warmup_steps=10, num_training_steps=100
)
""",
                imports("get_cosine_with_min_lr_schedule_with_warmup"),
            ),
            expect="ValueError",
            cause='The schedule has no default floor; a Trainer with `lr_scheduler_type="cosine_with_min_lr"` and no `lr_scheduler_kwargs` stops here.',
            fix='Pass `min_lr` or `min_lr_rate`: `lr_scheduler_kwargs={"min_lr_rate": 0.1}`.',
        ),
        Pitfall(
            id="both-floors",
            title="Giving both min_lr and min_lr_rate",
            code=misuse(
                """
scheduler = get_cosine_with_min_lr_schedule_with_warmup(
    optimizer, num_warmup_steps=10, num_training_steps=100, min_lr=0.01, min_lr_rate=0.1
)
""",
                imports("get_cosine_with_min_lr_schedule_with_warmup"),
            ),
            expect="ValueError",
            cause="The two are the same floor in different units; the schedule refuses to choose between them.",
            fix="Keep one of them.",
        ),
    ),
)

COSINE_MIN_LR_RATE = Entry(
    name="get_cosine_with_min_lr_schedule_with_warmup_lr_rate",
    family="hf-decay",
    trainer="cosine_warmup_with_min_lr",
    module=MODULE,
    summary="Cosine to a floor like cosine_with_min_lr, but warm-up starts above 0 and everything runs one step ahead.",
    about="""
`lr_scheduler_type="cosine_warmup_with_min_lr"`: the cosine with a floor, with two differences
from [get_cosine_with_min_lr_schedule_with_warmup](../get-cosine-with-min-lr-schedule-with-warmup/index.md).
The warm-up starts **above 0**, at `warmup_lr_rate` times the rate (by default `1 / num_warmup_steps`),
so the first optimizer step already trains. And the schedule counts one step ahead: warm-up reaches
the full rate at step `num_warmup_steps - 1`, and the floor is reached at step `num_training_steps - 1`,
the last step of a run of `num_training_steps` updates.

The floor is given as in the other min-lr cosine: `min_lr` or `min_lr_rate`, exactly one.
""",
    args=(
        OPTIMIZER,
        Arg(
            "num_warmup_steps",
            "Steps of linear warm-up from `warmup_lr_rate` times the optimizer's rate (by default "
            "`1 / num_warmup_steps` of it) to the full rate (0: no warm-up).",
        ),
        TRAINING,
        Arg("num_cycles", "Number of cosine waves over the decay; 0.5 is half a wave, from the peak to the floor."),
        LAST_EPOCH,
        Arg("min_lr", "The floor as a rate; give this or `min_lr_rate`, not both."),
        Arg("min_lr_rate", "The floor as a fraction of the optimizer's rate; give this or `min_lr`, not both."),
        Arg(
            "warmup_lr_rate",
            "The first step's rate as a fraction of the optimizer's; `None`: warm-up follows `(t + 1) / W`.",
        ),
    ),
    formula=Formula(
        closed=(
            r"\begin{aligned} \eta_t &= \eta_0 \cdot \begin{cases} w_t & t < W \\"
            r" m + (1 - m)\, q_t & t \ge W \end{cases} \\"
            r" w_t &= \dfrac{t + 1}{\max(1, W)} \ \text{or} \\"
            r" &\quad\ \ r + (1 - r)\dfrac{t}{\max(1, W - 1)} \\"
            r" q_t &= \tfrac12\left(1 + \cos(2\pi c\, p_t)\right) \\"
            r" p_t &= \frac{t - W + 1}{\max(1,\, N - W)} \end{aligned}"
        ),
        symbols=(*MIN_LR_SYMBOLS, (r"r", "`warmup_lr_rate`, when given (the first form is for `None`)")),
        note="""
Compared with `get_cosine_with_min_lr_schedule_with_warmup`, \\(p_t\\) has a `+ 1`: the whole decay
happens one step earlier, so the floor is reached at `N - 1` and the rate then continues along the
cosine (for `num_cycles=0.5`, back up from the floor).
""",
    ),
    twin=twins.hf_cosine_min_lr_rate,
    explore=Explore(
        "basic",
        (
            Control("warmup_lr_rate", (None, 0.0, 0.1, 0.5)),
            Control("min_lr_rate", (0.0, 0.1, 0.3)),
        ),
    ),
    span=lambda a: a["num_training_steps"],
    marks=lambda a: [(a["num_warmup_steps"], "warm-up ends"), (a["num_training_steps"] - 1, "last step")],
    cases=(
        Case(
            "basic",
            "Warm-up from 1/W of the peak, then down to a tenth",
            {"num_warmup_steps": 10, "num_training_steps": 100, "min_lr_rate": 0.1},
            steps=100,
            text="The first rate is 0.01 (a tenth of 0.1, since `W = 10`), the peak comes at step 9, and the floor at step 99, the last of 100 updates.",
        ),
        Case(
            "warmup-lr-rate",
            "warmup_lr_rate sets where warm-up starts",
            {"num_warmup_steps": 10, "num_training_steps": 100, "min_lr_rate": 0.1},
            steps=100,
            vary="warmup_lr_rate",
            values=(None, 0.0, 0.5),
            text="With `warmup_lr_rate=0.0` the first step is at 0 and warm-up reaches the peak at step 9; `None` starts at `1 / W`.",
        ),
    ),
    pitfalls=(
        Pitfall(
            id="no-floor",
            title="Choosing cosine_warmup_with_min_lr without a floor",
            code=misuse(
                """
scheduler = get_cosine_with_min_lr_schedule_with_warmup_lr_rate(
    optimizer, num_warmup_steps=10, num_training_steps=100
)
""",
                imports("get_cosine_with_min_lr_schedule_with_warmup_lr_rate"),
            ),
            expect="ValueError",
            cause="As with `cosine_with_min_lr`, there is no default floor.",
            fix='Pass `min_lr` or `min_lr_rate`: `lr_scheduler_kwargs={"min_lr_rate": 0.1}`.',
        ),
    ),
)

WSD = Entry(
    name="get_wsd_schedule",
    family="hf-decay",
    trainer="warmup_stable_decay",
    module=MODULE,
    summary="Warmup-stable-decay: warm up, hold the rate, then decay over the last num_decay_steps.",
    about="""
`lr_scheduler_type="warmup_stable_decay"`: three phases. A warm-up of `num_warmup_steps`, a long
stable phase at the optimizer's rate, and a decay over the last `num_decay_steps` down to
`min_lr_ratio` times the rate, kept after that. Language-model pretraining uses it because the
stable phase can be continued from any checkpoint and a short decay run off it at any time.

The stable phase lasts `num_stable_steps` if given, else whatever `num_training_steps` leaves
after warm-up and decay. Warm-up and decay each take a shape: `"linear"`, `"cosine"` (the default
for the decay) or `"1-sqrt"`. Warm-up starts at the floor, `min_lr_ratio` times the rate: at 0
only with the default `min_lr_ratio=0`. Every other transformers schedule with a warm-up starts
at 0, except
[get_cosine_with_min_lr_schedule_with_warmup_lr_rate](../get-cosine-with-min-lr-schedule-with-warmup-lr-rate/index.md),
which starts at `warmup_lr_rate` times the rate (by default `1 / num_warmup_steps`).
""",
    args=(
        OPTIMIZER,
        Arg(
            "num_warmup_steps",
            "Steps of warm-up from the floor, `min_lr_ratio` times the optimizer's rate (0 by default), "
            "to the full rate, shaped by `warmup_type` (0: no warm-up).",
        ),
        Arg("num_decay_steps", "Steps of the final decay, from the full rate to the floor."),
        Arg(
            "num_training_steps",
            "Total steps; the stable phase is what is left after warm-up and decay (if `num_stable_steps` is not given).",
        ),
        Arg("num_stable_steps", "Steps at the full rate between warm-up and decay; overrides `num_training_steps`."),
        Arg("warmup_type", 'Shape of the warm-up: `"linear"`, `"cosine"` or `"1-sqrt"`.'),
        Arg("decay_type", 'Shape of the decay: `"linear"`, `"cosine"` or `"1-sqrt"`.'),
        Arg("min_lr_ratio", "The floor as a fraction of the optimizer's rate: where warm-up starts and decay ends."),
        Arg("num_cycles", 'Cosine waves in a `"cosine"` decay; 0.5 is half a wave, from the peak to the floor.'),
        LAST_EPOCH,
    ),
    formula=Formula(
        closed=(
            r"\begin{aligned} \eta_t &= \eta_0\, f_t, \\[4pt]"
            r" f_t &= \begin{cases} m + (1 - m)\, u\!\left(\frac{t}{\max(1,W)}\right) \\ \quad \text{if } t < W \\[6pt]"
            r" 1 \\ \quad \text{if } W \le t < W + S \\[6pt]"
            r" m + (1 - m)\, d\!\left(\frac{t - W - S}{\max(1, D)}\right) \\ \quad \text{if } W + S \le t < W + S + D \\[6pt]"
            r" m \\ \quad \text{if } t \ge W + S + D \end{cases} \end{aligned}"
        ),
        symbols=(
            (r"\eta_t", "the rate after `t` calls to `step()`"),
            (r"\eta_0", "the group's rate in the optimizer (the peak)"),
            (r"W,\ D", "`num_warmup_steps`, `num_decay_steps`"),
            (r"S", "the stable steps: `num_stable_steps`, or `num_training_steps - W - D`"),
            (r"m", "`min_lr_ratio`"),
            (
                r"u(x)",
                r"warm-up shape: \(x\) (linear), \(\tfrac12(1 - \cos\pi x)\) (cosine), \(1 - \sqrt{1 - x}\) (1-sqrt)",
            ),
            (
                r"d(x)",
                r"decay shape: \(1 - x\) (linear), \(\tfrac12(1 + \cos 2\pi c x)\) (cosine, `num_cycles` \(c\)), \(1 - \sqrt{x}\) (1-sqrt)",
            ),
        ),
    ),
    twin=twins.hf_wsd,
    explore=Explore(
        "basic",
        (
            Control("decay_type", ("linear", "cosine", "1-sqrt")),
            Control("num_decay_steps", (10, 20, 40)),
            Control("min_lr_ratio", (0.0, 0.1)),
        ),
    ),
    span=lambda a: (
        a["num_warmup_steps"] + a["num_stable_steps"] + a["num_decay_steps"] + 1
        if a.get("num_stable_steps") is not None
        else max(a["num_training_steps"], a["num_warmup_steps"] + a["num_decay_steps"]) + 1
    ),
    marks=lambda a: [(a["num_warmup_steps"], "warm-up ends")],
    cases=(
        Case(
            "basic",
            "10 warm-up, 70 stable, 20 decay steps",
            {"num_warmup_steps": 10, "num_decay_steps": 20, "num_training_steps": 100},
            steps=101,
        ),
        Case(
            "decay-type",
            "The three decay shapes",
            {"num_warmup_steps": 10, "num_decay_steps": 30, "num_training_steps": 100},
            steps=101,
            vary="decay_type",
            values=("linear", "cosine", "1-sqrt"),
            text='`"1-sqrt"` drops fastest at the start of the decay and slowest at its end; `"cosine"` is the opposite at both ends.',
        ),
        Case(
            "warmup-type",
            "The three warm-up shapes, above a floor",
            {"num_warmup_steps": 30, "num_decay_steps": 20, "num_training_steps": 100, "min_lr_ratio": 0.1},
            steps=101,
            vary="warmup_type",
            values=("linear", "cosine", "1-sqrt"),
            text="With `min_lr_ratio=0.1` warm-up starts at the floor, 0.01, and the decay ends there too.",
        ),
        Case(
            "too-few-steps",
            "num_training_steps shorter than warm-up plus decay",
            {"num_warmup_steps": 10, "num_decay_steps": 50, "num_training_steps": 40},
            steps=61,
            text="""
Here `num_training_steps=40` is less than `10 + 50`: the stable phase is -20 steps long. No error
is raised. Warm-up ends at step 10 and the rate drops at once to where the decay would be 20 steps
in; the decay then ends at step 40. Check that warm-up plus decay fit in `num_training_steps`.
""",
        ),
    ),
    pitfalls=(
        Pitfall(
            id="no-length",
            title="Neither num_training_steps nor num_stable_steps",
            code=misuse(
                "scheduler = get_wsd_schedule(optimizer, num_warmup_steps=10, num_decay_steps=20)",
                imports("get_wsd_schedule"),
            ),
            expect="ValueError",
            cause="Without one of them the stable phase has no length.",
            fix="Give `num_training_steps` (the Trainer always does) or `num_stable_steps`.",
        ),
        Pitfall(
            id="both-lengths",
            title="Both num_training_steps and num_stable_steps",
            code=misuse(
                """
scheduler = get_wsd_schedule(
    optimizer, num_warmup_steps=10, num_decay_steps=20, num_training_steps=100, num_stable_steps=50
)
""",
                imports("get_wsd_schedule"),
            ),
            expect="UserWarning",
            cause="`num_stable_steps` wins and `num_training_steps` is ignored: here the decay ends at step 80, not 100.",
            fix="Give only one of them.",
        ),
        Pitfall(
            id="unknown-decay-type",
            title="A decay type the schedule does not know",
            code=misuse(
                """
scheduler = get_wsd_schedule(
    optimizer, num_warmup_steps=10, num_decay_steps=20, num_training_steps=100, decay_type="exponential"
)
""",
                imports("get_wsd_schedule"),
            ),
            expect="ValueError",
            cause="Only three shapes exist for each phase.",
            fix='Use `"linear"`, `"cosine"` or `"1-sqrt"`.',
        ),
    ),
)

CONSTANT = Entry(
    name="get_constant_schedule",
    family="hf-constant",
    trainer="constant",
    module=MODULE,
    summary="The optimizer's rate, unchanged at every step: no warm-up, no decay.",
    about="""
`lr_scheduler_type="constant"`: every group keeps the rate its optimizer was given, at every
step. It is a `LambdaLR` whose factor is always 1, so it has nothing to set but the optimizer,
and this page has no Explore panel. Use it to train at a fixed rate while keeping a Trainer's, or
your own loop's, scheduler calls in place.

The Trainer passes it nothing else: `warmup_steps`, `warmup_ratio` and `lr_scheduler_kwargs` are
dropped without a word (see the pitfall below). For a warm-up before the constant rate, use
[get_constant_schedule_with_warmup](../get-constant-schedule-with-warmup/index.md).
""",
    args=(OPTIMIZER, LAST_EPOCH),
    formula=Formula(
        closed=r"\eta_t = \eta_0",
        symbols=RAMP_SYMBOLS[:2],
    ),
    twin=twins.hf_constant,
    span=lambda a: 1,
    cases=(
        Case("basic", "The optimizer's rate at every step", {}, steps=51),
        Case(
            "groups",
            "Two parameter groups keep their own rates",
            {},
            steps=51,
            optim=Optim(lrs=(0.1, 0.01)),
            log=True,
            text="The factor 1 applies to each group's own `lr`: 0.1 and 0.01 here, unchanged to the end.",
        ),
    ),
    pitfalls=(
        Pitfall(
            id="warmup-dropped",
            title='Warm-up steps with lr_scheduler_type="constant"',
            code=misuse(
                """
scheduler = get_scheduler("constant", optimizer, num_warmup_steps=10, num_training_steps=100)
print("rate at the first step:", optimizer.param_groups[0]["lr"])
""",
                imports("get_scheduler"),
            ),
            cause="`get_scheduler` returns `get_constant_schedule(optimizer)` for this type before it reads "
            "`num_warmup_steps`, so the Trainer's `warmup_steps` or `warmup_ratio` has no effect and nothing warns.",
            fix='Write `lr_scheduler_type="constant_with_warmup"` for a warm-up, then a constant rate.',
            symptom="The first step already runs at the full rate, 0.1 here, not 0.",
        ),
    ),
)


CONSTANT_WARMUP = Entry(
    name="get_constant_schedule_with_warmup",
    family="hf-constant",
    trainer="constant_with_warmup",
    module=MODULE,
    summary="Linear warm-up from 0 to the optimizer's rate over num_warmup_steps, then constant.",
    about="""
`lr_scheduler_type="constant_with_warmup"`: a linear warm-up from 0 to the optimizer's rate,
then the rate stays there. It suits short fine-tuning runs where a decay would not help, and runs
whose length is not known.

With the Trainer, `lr_scheduler_kwargs` is ignored for this type: `get_scheduler` passes only
`num_warmup_steps` on.
""",
    args=(OPTIMIZER, WARMUP, LAST_EPOCH),
    formula=Formula(
        closed=r"\eta_t = \eta_0 \cdot \min\!\left(1,\ \frac{t}{\max(1, W)}\right)",
        symbols=RAMP_SYMBOLS[:3],
        note=WARMUP_AT_ZERO,
    ),
    twin=twins.hf_constant_warmup,
    explore=Explore("basic", (Control("num_warmup_steps", (0, 5, 10, 20, 40)),)),
    span=lambda a: a["num_warmup_steps"] + 1,
    marks=warmup_end,
    cases=(
        Case("basic", "10 warm-up steps, then constant", {"num_warmup_steps": 10}, steps=51),
        Case(
            "warmup",
            "The length of the warm-up",
            {"num_warmup_steps": 10},
            steps=51,
            vary="num_warmup_steps",
            values=(0, 10, 30),
            text="`num_warmup_steps=0` is a constant rate from the first step, the same as `get_constant_schedule`.",
        ),
    ),
)
GREEDY = Entry(
    name="GreedyLR",
    family="hf-metric",
    trainer="greedy",
    module=MODULE,
    metric=True,
    summary="Raises the rate while the loss keeps improving and lowers it when it stalls, between min_lr and max_lr.",
    about="""
`lr_scheduler_type="greedy"` (built by `get_greedy_schedule(optimizer, **kwargs)`, which passes
every argument on to this class): a rate driven by the loss, like torch's
[ReduceLROnPlateau](../reduce-lr-on-plateau/index.md), but in both directions. After more than
`patience` steps in a row that improve on the best loss, it divides the rate by `factor` (it
*raises* it, since `factor` is below 1); after more than `patience` steps without an improvement,
it multiplies the rate by `factor`. The rate stays between `min_lr` and `max_lr`. After a rise it
waits `warmup` steps, after a fall `cooldown` steps, before counting again; and after
`reset_start` falls that find every group at `min_lr`, it starts over from the initial rates.

Call `scheduler.step(loss)` with the metric, once per step. `smooth=True` first averages the
last `window_size` losses. The defaults (`min_lr=0.001`,
`max_lr=1.0`, `threshold_mode="abs"`) are absolute: check them against your optimizer's rate.
""",
    args=(
        OPTIMIZER,
        Arg("mode", '`"min"`: a lower metric is better (a loss); `"max"`: a higher one (an accuracy).'),
        Arg("factor", "Below 1: the rate is divided by it on a rise and multiplied by it on a fall."),
        Arg("patience", "Steps in a row that improve (or fail to) before the rate changes: it changes on the next."),
        Arg("threshold", "How much better than the best a metric must be to count as an improvement."),
        Arg("threshold_mode", '`"abs"`: better by `threshold`; `"rel"`: by `threshold` times the best.'),
        Arg("cooldown", "Steps after a fall during which nothing is counted."),
        Arg("warmup", "Steps after a rise during which nothing is counted (not a warm-up of the rate)."),
        Arg("min_lr", "The lowest rate, per group or for all."),
        Arg("max_lr", "The highest rate, per group or for all."),
        Arg("eps", "A change smaller than this is not made."),
        Arg("verbose", "Print each change."),
        Arg("smooth", "Average the metric over the last `window_size` steps before judging it."),
        Arg("window_size", "Steps in the average when `smooth=True`."),
        Arg("reset_start", "Falls at `min_lr` (every group) before the rates go back to their start."),
    ),
    formula=Formula(
        closed=(
            r"\eta_{t+1} = \begin{cases} \min(\eta_t / \gamma,\ \eta_{\max}) & g_t > P \\"
            r" \max(\gamma\, \eta_t,\ \eta_{\min}) & b_t > P \\"
            r" \eta_t & \text{otherwise} \end{cases}"
        ),
        closed_title="The rule, applied after each step's metric \\(L_t\\):",
        symbols=(
            (r"\eta_t", "the rate used at step `t`"),
            (r"\gamma", "`factor` (below 1)"),
            (r"P", "`patience`"),
            (
                r"g_t,\ b_t",
                "steps in a row with and without an improvement on the best metric, counted outside the waits",
            ),
            (r"\eta_{\min},\ \eta_{\max}", "`min_lr`, `max_lr`"),
        ),
        note="""
\\(L_t\\) improves when it is below the best so far minus `threshold` (`"abs"`, the default) or
times \\(1 - \\text{threshold}\\) (`"rel"`). A change smaller than `eps` is skipped; after a
rise `warmup` steps and after a fall `cooldown` steps are not counted; `reset_start` falls at
`min_lr` restore the initial rates. The twin replays this rule on the recorded loss.
""",
    ),
    twin=twins.hf_greedy,
    explore=Explore(
        "basic",
        (
            Control("patience", (2, 5, 10, 20)),
            Control("factor", (0.5, 0.8, 0.95)),
        ),
    ),
    span=lambda a: 1,
    cases=(
        Case(
            "basic",
            "patience=5, factor=0.8: up while the loss falls, then down",
            {"patience": 5, "factor": 0.8, "min_lr": 0.001},
            steps=80,
            seed=0,
            text="""
While the loss falls quickly, the rate rises by a factor of 1/0.8 = 1.25 each time six steps in a
row improve on the best loss. Once the loss flattens (its floor here rises with the rate), each run
of six steps without a new best lowers the rate by 0.8 again.
""",
        ),
        Case(
            "patience",
            "patience sets how long each trend must last",
            {"factor": 0.8, "min_lr": 0.001},
            steps=80,
            seed=0,
            vary="patience",
            values=(2, 5, 10),
            text="Each run sees its own losses, since the loss depends on the rate: a shorter patience reacts sooner in both directions.",
        ),
    ),
    pitfalls=(
        Pitfall(
            id="factor-above-one",
            title="A factor of 1 or more",
            code=misuse("scheduler = GreedyLR(optimizer, factor=1.25)", imports("GreedyLR")),
            expect="ValueError",
            cause="`factor` both raises (divided) and lowers (multiplied) the rate, so it must be below 1.",
            fix="Give the factor below 1: `factor=0.8` raises by 1.25 and lowers by 0.8.",
        ),
    ),
)


ENTRIES = (
    LINEAR,
    COSINE,
    RESTARTS,
    POLYNOMIAL,
    INVERSE_SQRT,
    COSINE_MIN_LR,
    COSINE_MIN_LR_RATE,
    WSD,
    CONSTANT,
    CONSTANT_WARMUP,
    GREEDY,
)
