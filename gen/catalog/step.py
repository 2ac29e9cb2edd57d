"""Step decays: the rate holds, then drops by a factor at set steps."""

from gen import twins
from gen.catalog.common import misuse
from gen.model import Arg, Case, Control, Entry, Explore, Formula, Optim, Pitfall

LAST_EPOCH = Arg("last_epoch", "Index of the last step when resuming; `-1` starts a fresh schedule.")


def _milestone_marks(a):
    """One mark per distinct milestone; a repeated one says how often it counts."""
    ms = list(a["milestones"])
    return [(m, "milestone" if ms.count(m) == 1 else f"milestone x{ms.count(m)}") for m in sorted(set(ms))]


STEP = Entry(
    name="StepLR",
    family="step",
    summary="Multiplies the rate by gamma every step_size steps: a staircase.",
    about="""
Holds each group's rate for `step_size` calls to `step()`, then multiplies it by `gamma`, and
again every `step_size` steps after that. It is the schedule of the classic image-classification
recipes (`step_size=30, gamma=0.1` over 90 epochs), stepped once per epoch. The drops never stop:
there is no end of schedule, so after a few drops the rate is orders of magnitude below where it
started, and a log axis shows the staircase best.

torch multiplies the current rate on each drop (the chainable form), so a change made to the rate
by hand or by another scheduler carries through the following drops. For drops at irregular steps
use [MultiStepLR](../multi-step-lr/index.md).
""",
    args=(
        Arg("optimizer", "The wrapped optimizer; its `lr` (per group) is the starting rate."),
        Arg("step_size", "Number of `step()` calls between two drops; a positive int."),
        Arg("gamma", "Factor applied to the rate at each drop."),
        LAST_EPOCH,
    ),
    formula=Formula(
        closed=r"\eta_t = \eta_0\, \gamma^{\lfloor t / s \rfloor}",
        recursive=r"\eta_t = \begin{cases} \gamma\, \eta_{t-1} & t \bmod s = 0 \\ \eta_{t-1} & \text{otherwise} \end{cases}",
        symbols=(
            (r"\eta_t", "the rate after `t` calls to `step()`"),
            (r"\eta_0", "the group's starting rate (the optimizer's `lr`)"),
            (r"\gamma", "`gamma`"),
            (r"s", "`step_size`"),
        ),
    ),
    twin=twins.step_lr,
    span=lambda a: 2 * a["step_size"] + 1,
    explore=Explore(
        "step-size",
        (Control("step_size", (5, 10, 15, 20, 25, 30, 40, 50)), Control("gamma", (0.1, 0.2, 0.3, 0.5, 0.7, 0.9))),
    ),
    cases=(
        Case(
            "basic",
            "step_size=30, gamma=0.1: the ImageNet staircase",
            {"step_size": 30, "gamma": 0.1},
            steps=100,
            log=True,
            text="Three drops of ten times each; on a log axis the stairs are even.",
        ),
        Case(
            "step-size",
            "step_size sets the width of each stair",
            {"step_size": 30, "gamma": 0.5},
            steps=101,
            vary="step_size",
            values=(10, 25, 50),
            log=True,
        ),
        Case(
            "gamma",
            "gamma sets the height of each stair",
            {"step_size": 20, "gamma": 0.1},
            steps=100,
            vary="gamma",
            values=(0.1, 0.5, 0.8),
            log=True,
            text="`gamma=0.1` loses a decade per stair; `0.8` takes ten stairs to lose one.",
        ),
        Case(
            "groups",
            "Two parameter groups drop together",
            {"step_size": 25, "gamma": 0.3},
            steps=100,
            optim=Optim("SGD", (0.1, 0.01), {"momentum": 0.9}),
            log=True,
            text="Each group keeps its own rate; the drops multiply both by the same `gamma` at the same steps.",
        ),
    ),
    pitfalls=(
        Pitfall(
            id="step-size-zero",
            title="step_size=0",
            code=misuse("""
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=0)  # accepted
optimizer.step()
scheduler.step()
"""),
            expect="ZeroDivisionError",
            cause="The constructor does not check `step_size`; the first `step()` divides by it.",
            fix="Use a positive `step_size`, e.g. computed as `max(1, epochs // 3)`.",
        ),
    ),
)

MULTI_STEP = Entry(
    name="MultiStepLR",
    family="step",
    summary="Multiplies the rate by gamma at each listed milestone step.",
    about="""
Multiplies each group's rate by `gamma` when the step count reaches one of the `milestones`, and
holds it in between: a staircase with stairs where you put them, such as `milestones=[30, 80]` for
drops at epochs 30 and 80. It is [StepLR](../step-lr/index.md) with irregular steps.

torch keeps the milestones in a `Counter`, so a milestone listed twice counts twice: the rate is
multiplied by `gamma` squared there (see the case below). The milestones are meant to be
increasing, but torch neither sorts nor checks them.
""",
    args=(
        Arg("optimizer", "The wrapped optimizer; its `lr` (per group) is the starting rate."),
        Arg("milestones", "The steps at which the rate drops; a repeated step drops it once per repetition."),
        Arg("gamma", "Factor applied to the rate at each milestone."),
        LAST_EPOCH,
    ),
    formula=Formula(
        closed=r"\eta_t = \eta_0\, \gamma^{\,\#\{i \,:\, m_i \le t\}}",
        recursive=r"\eta_t = \eta_{t-1}\, \gamma^{\,\#\{i \,:\, m_i = t\}}",
        symbols=(
            (r"\eta_t", "the rate after `t` calls to `step()`"),
            (r"\eta_0", "the group's starting rate (the optimizer's `lr`)"),
            (r"\gamma", "`gamma`"),
            (r"m_i", "the `milestones`, repetitions included"),
            (r"\#\{\cdot\}", "how many milestones satisfy the condition"),
        ),
    ),
    twin=twins.multistep,
    span=lambda a: max(a["milestones"]) + 10,
    explore=Explore(
        "milestones",
        (
            Control("milestones", ([50], [30, 80], [30, 60, 90], [20, 40, 60, 80], [10, 20, 30], [30, 30, 70])),
            Control("gamma", (0.1, 0.3, 0.5, 0.7)),
        ),
    ),
    marks=_milestone_marks,
    cases=(
        Case(
            "basic",
            "Drops at 30 and 80",
            {"milestones": [30, 80], "gamma": 0.1},
            steps=100,
            log=True,
        ),
        Case(
            "milestones",
            "Where the stairs go",
            {"milestones": [30, 80], "gamma": 0.3},
            steps=100,
            vary="milestones",
            values=([50], [30, 60], [20, 40, 60, 80]),
            log=True,
        ),
        Case(
            "gamma",
            "gamma: how far each milestone drops",
            {"milestones": [30, 60], "gamma": 0.1},
            steps=90,
            vary="gamma",
            values=(0.1, 0.3, 0.7),
            log=True,
        ),
        Case(
            "duplicates",
            "A milestone listed twice counts twice",
            {"milestones": [30, 30, 70], "gamma": 0.1},
            steps=100,
            log=True,
            text="""
Step 30 appears twice in `milestones`, so the rate drops by `gamma ** 2`, a hundred times, there,
and by `gamma` at step 70. A list built by concatenation (`[30] + schedule_milestones`) can
duplicate a step this way without anyone noticing.
""",
        ),
    ),
    pitfalls=(
        Pitfall(
            id="int-milestones",
            title="A single milestone given as an int",
            code=misuse("scheduler = torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones=30)"),
            expect="TypeError",
            cause="`milestones` is a collection of steps, even when there is only one.",
            fix="Write `milestones=[30]`, or use `StepLR` for evenly spaced drops.",
        ),
        Pitfall(
            id="step-epoch",
            title="Passing the epoch to step()",
            code=misuse("""
scheduler = torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones=[30, 80])
optimizer.step()
scheduler.step(40)
"""),
            expect="UserWarning",
            cause="`step(epoch)` is deprecated; it jumps to the closed form at that epoch instead of chaining.",
            fix="Call `scheduler.step()` without arguments; restore position with `load_state_dict`.",
        ),
    ),
)

CONSTANT = Entry(
    name="ConstantLR",
    family="step",
    summary="Scales the rate by a constant factor for the first total_iters steps, then restores it.",
    about="""
Multiplies each group's rate by `factor` at the start and divides it back out after
`total_iters` steps: a flat, reduced rate for a while, then the full rate. It is the simplest
warm-up, usually the first part of a [SequentialLR](../sequential-lr/index.md) or a
[ChainedScheduler](../chained-scheduler/index.md).

Both changes multiply the current rate (the chainable form), so the scheduler composes with
others. The defaults (`factor=1/3`, `total_iters=5`) are rarely what you want: pass both.
""",
    args=(
        Arg("optimizer", "The wrapped optimizer; its `lr` (per group) is the full rate."),
        Arg("factor", "Multiplier applied until `total_iters`; between 0 and 1."),
        Arg("total_iters", "Number of `step()` calls before the full rate is restored."),
        LAST_EPOCH,
    ),
    formula=Formula(
        closed=r"\eta_t = \begin{cases} f\, \eta_0 & t < n \\ \eta_0 & t \ge n \end{cases}",
        recursive=(
            r"\eta_0' = f\,\eta_0, \qquad \eta_t = \begin{cases} \eta_{t-1} / f & t = n \\"
            r" \eta_{t-1} & \text{otherwise} \end{cases}"
        ),
        symbols=(
            (r"\eta_t", "the rate after `t` calls to `step()`"),
            (r"\eta_0", "the group's full rate (the optimizer's `lr`)"),
            (r"\eta_0'", "the rate set by the constructor"),
            (r"f", "`factor`"),
            (r"n", "`total_iters`"),
        ),
        note="""
With `total_iters=0` the division never happens: the step count passes 0 only at construction,
where the factor is applied, so the rate stays at \\(f\\,\\eta_0\\) for good.
""",
    ),
    twin=twins.constant,
    span=lambda a: a.get("total_iters", 5) + 10,
    explore=Explore(
        "factor",
        (Control("factor", (0.1, 0.25, 0.5, 0.75, 0.9)), Control("total_iters", (5, 10, 20, 30, 40, 50))),
    ),
    marks=lambda a: [(a.get("total_iters", 5), "total_iters")],
    cases=(
        Case("basic", "A quarter of the rate for 30 steps", {"factor": 0.25, "total_iters": 30}, steps=60),
        Case(
            "factor",
            "factor: how low the start is held",
            {"factor": 0.25, "total_iters": 30},
            steps=60,
            vary="factor",
            values=(0.1, 0.25, 0.5),
        ),
        Case(
            "total-iters",
            "total_iters: how long it is held",
            {"factor": 0.5, "total_iters": 30},
            steps=60,
            vary="total_iters",
            values=(10, 30, 50),
        ),
    ),
    pitfalls=(
        Pitfall(
            id="factor-range",
            title="A factor above 1",
            code=misuse("scheduler = torch.optim.lr_scheduler.ConstantLR(optimizer, factor=2.0)"),
            expect="ValueError",
            cause="ConstantLR only lowers the rate; a boost is not allowed.",
            fix="Use a factor in [0, 1]; to raise the rate, raise the optimizer's `lr` and hold it down with `factor`.",
        ),
        Pitfall(
            id="factor-zero",
            title="factor=0 passes the check, then divides by zero",
            code=misuse("""
scheduler = torch.optim.lr_scheduler.ConstantLR(optimizer, factor=0.0, total_iters=2)  # accepted
for _ in range(2):
    optimizer.step()
    scheduler.step()
"""),
            expect="ZeroDivisionError",
            cause="Restoring the rate divides by `factor`, which torch allows to be 0.",
            fix="Freeze parameters by other means (`requires_grad_(False)`), or use a small positive factor.",
        ),
    ),
)

ENTRIES = (STEP, MULTI_STEP, CONSTANT)
