"""Composition: schedulers built out of other schedulers."""

from gen import twins
from gen.catalog.common import misuse
from gen.model import Arg, Case, Code, Control, Entry, Explore, Formula, Optim, Pitfall, Sched


def warmup_cosine(warmup: int, steps: int = 100) -> dict:
    """A linear warm-up of `warmup` steps, then a cosine to zero over the rest."""
    return {
        "schedulers": [
            Sched("LinearLR", {"start_factor": 0.01, "end_factor": 1.0, "total_iters": warmup}),
            Sched("CosineAnnealingLR", {"T_max": steps - warmup}),
        ],
        "milestones": [warmup],
    }


def warmup_then(warmup: int, start_factor: float, decay: str, steps: int = 100) -> dict:
    """The Explore panel's SequentialLR: a linear warm-up, then one of three decays over the rest."""
    rest = steps - warmup
    after = {
        "cosine": Sched("CosineAnnealingLR", {"T_max": rest}),
        "linear": Sched("LinearLR", {"start_factor": 1.0, "end_factor": 0.0, "total_iters": rest}),
        "exponential": Sched("ExponentialLR", {"gamma": 0.96}),
    }[decay]
    warm = Sched("LinearLR", {"start_factor": start_factor, "end_factor": 1.0, "total_iters": warmup})
    return {"schedulers": [warm, after], "milestones": [warmup]}


SEQUENTIAL = Entry(
    name="SequentialLR",
    family="composition",
    summary="Runs one scheduler after another, switching at milestone steps.",
    about="""
Hands the optimizer to a list of schedulers in turn: the first runs until `milestones[0]`, the
second from there to `milestones[1]`, and so on. Each scheduler starts its own schedule from the
initial rate when its turn comes, counting its steps from zero. The classic use is a short
warm-up (`LinearLR` from a small factor up to 1) followed by the main decay
([CosineAnnealingLR](../cosine-annealing-lr/index.md)), the recipe of most transformer training.

All the schedulers must wrap the same optimizer as the `SequentialLR`, and there must be exactly
one milestone fewer than schedulers. [ReduceLROnPlateau](../reduce-lr-on-plateau/index.md) cannot
be a part, since it needs a metric to step.
""",
    args=(
        Arg("optimizer", "The wrapped optimizer, shared by every part."),
        Arg("schedulers", "The parts, in order; each built on `optimizer`."),
        Arg("milestones", "Steps at which the next part takes over; one fewer than `schedulers`."),
        Arg("last_epoch", "Index of the last step when resuming; `-1` starts a fresh schedule."),
    ),
    formula=Formula(
        closed=(
            r"\begin{aligned} \eta_t &= S_k(t - m_k) \quad \text{for } m_k \le t < m_{k+1}, \\"
            r" m_0 &= 0,\ m_{K} = \infty \end{aligned}"
        ),
        recursive_title="For the warm-up-then-cosine recipe (the first case below) this reads:",
        recursive=(
            r"\eta_t = \begin{cases}"
            r"\eta_0 \left(f_0 + (f_1 - f_0)\,\frac{\min(t, n)}{n}\right) \\ \quad \text{if } t < m_1 \\[6pt]"
            r"\tfrac12\,\eta_0 \left(1 + \cos\frac{\pi\,(t - m_1)}{T_{\max}}\right) \\ \quad \text{if } t \ge m_1"
            r"\end{cases}"
        ),
        symbols=(
            (
                r"S_k(s)",
                "the closed form of `schedulers[k]` after `s` of its own steps, starting from the initial rate",
            ),
            (r"m_k", "`milestones[k-1]`: the step where part `k` takes over"),
            (r"K", "`len(schedulers)`"),
            (r"f_0,\ f_1,\ n", "`start_factor`, `end_factor`, `total_iters` of the `LinearLR` warm-up"),
            (r"T_{\max}", "`T_max` of the `CosineAnnealingLR` part"),
            (r"\eta_0", "the group's initial rate (the optimizer's `lr`)"),
        ),
        note="""
The second formula spells out the first for the warm-up-then-cosine recipe. Each part restarts
from \\(\\eta_0\\), not from where the previous part left the rate: a milestone before the warm-up
ends makes the rate jump (see the last case).
""",
    ),
    twin=twins.sequential,
    explore=Explore(
        "warmup-cosine",
        (
            Control("warmup", (5, 10, 20, 30), "warm-up steps"),
            Control("start_factor", (0.01, 0.1, 0.3), "warm-up start_factor"),
            Control("decay", ("cosine", "linear", "exponential"), "then"),
        ),
        build=lambda v: warmup_then(v["warmup"], v["start_factor"], v["decay"]),
    ),
    span=lambda a: a["milestones"][-1] + 1,
    marks=lambda a: [(m, "milestone") for m in a["milestones"]],
    thumb="three-parts",  # its first case is get_cosine_schedule_with_warmup's shape
    cases=(
        Case("warmup-cosine", "Linear warm-up, then cosine", warmup_cosine(10), steps=100),
        Case(
            "warmup-length",
            "How long to warm up",
            warmup_cosine(10),
            steps=100,
            vary="milestones",
            values=([5], [10], [20]),
            derive=lambda m: warmup_cosine(m[0]),
            text="Each run warms up for `milestones[0]` steps (`total_iters` set to match) and anneals over the rest.",
        ),
        Case(
            "three-parts",
            "Warm-up, hold, then linear decay",
            {
                "schedulers": [
                    Sched("LinearLR", {"start_factor": 0.01, "end_factor": 1.0, "total_iters": 10}),
                    Sched("LinearLR", {"start_factor": 1.0, "end_factor": 1.0, "total_iters": 1}),
                    Sched("LinearLR", {"start_factor": 1.0, "end_factor": 0.0, "total_iters": 30}),
                ],
                "milestones": [10, 70],
            },
            steps=100,
            text="Three parts and two milestones: the warm-up-stable-decay shape, built from `LinearLR` alone.",
        ),
        Case(
            "early-milestone",
            "A milestone before the warm-up ends",
            {
                "schedulers": [
                    Sched("LinearLR", {"start_factor": 0.01, "end_factor": 1.0, "total_iters": 20}),
                    Sched("CosineAnnealingLR", {"T_max": 90}),
                ],
                "milestones": [10],
            },
            steps=100,
            text="""
The milestone (10) comes before the warm-up's `total_iters` (20): the cosine part starts from the
full initial rate, so the rate jumps from about half of it straight to the top.
""",
        ),
    ),
    pitfalls=(
        Pitfall(
            id="milestone-count",
            title="One milestone too many",
            code="""
import torch
from torch.optim.lr_scheduler import CosineAnnealingLR, LinearLR, SequentialLR

params = [torch.nn.Parameter(torch.zeros(1))]
optimizer = torch.optim.SGD(params, lr=0.1)
warmup = LinearLR(optimizer, start_factor=0.01, total_iters=10)
cosine = CosineAnnealingLR(optimizer, T_max=90)
scheduler = SequentialLR(optimizer, schedulers=[warmup, cosine], milestones=[10, 100])
""",
            expect="ValueError",
            cause="`milestones` lists the switch points between parts, so it has one entry fewer than `schedulers`.",
            fix="Give `len(schedulers) - 1` milestones.",
        ),
        Pitfall(
            id="other-optimizer",
            title="A part built on another optimizer",
            code="""
import torch
from torch.optim.lr_scheduler import CosineAnnealingLR, LinearLR, SequentialLR

params = [torch.nn.Parameter(torch.zeros(1))]
optimizer = torch.optim.SGD(params, lr=0.1)
other = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
warmup = LinearLR(optimizer, start_factor=0.01, total_iters=10)
cosine = CosineAnnealingLR(other, T_max=90)
scheduler = SequentialLR(optimizer, schedulers=[warmup, cosine], milestones=[10])
""",
            expect="ValueError",
            cause="Every part must drive the optimizer the `SequentialLR` drives.",
            fix="Build every part on the same optimizer object.",
        ),
    ),
)


WARM = Sched("LinearLR", {"start_factor": 0.1, "total_iters": 10})
DECAY = Sched("ExponentialLR", {"gamma": 0.97})
STAIRS = Sched("StepLR", {"step_size": 30, "gamma": 0.5})
COSINE = Sched("CosineAnnealingLR", {"T_max": 100})
# The product of STAIRS and COSINE's closed forms, run by the library as a LambdaLR.
PRODUCT = Sched("LambdaLR", {"lr_lambda": Code("lambda t: 0.5 ** (t // 30) * (1 + math.cos(math.pi * t / 100)) / 2")})

CHAINED = Entry(
    name="ChainedScheduler",
    family="composition",
    summary="Steps several schedulers at once on the same optimizer: their factors multiply.",
    about="""
Calls `step()` on every scheduler in `schedulers`, in order, on each of its own `step()`. The
parts all act on the same rate, and each chainable part multiplies the current rate by its own
factor, so the effects multiply: a warm-up chained with an exponential decay is the decay scaled
by the warm-up factor, both at once (on a log axis the effects add). Compare
[SequentialLR](../sequential-lr/index.md), which runs its parts one after another.

Each part's rule is its recursive (chainable) form, applied to the rate the part before it left.
While every part's form is a pure factor (StepLR, MultiStepLR, ConstantLR, LinearLR,
ExponentialLR, PolynomialLR, MultiplicativeLR, and CosineAnnealingLR with `eta_min=0` up to
`T_max`) the chain is the product of the parts run alone. Past `T_max`, CosineAnnealingLR's form
adds a term of its own base rate instead of multiplying, and the chain leaves the product: see
[the figure below](#past-t-max). LambdaLR sets the rate outright and overwrites what came before
it in the list. The plots show the chain against each part run alone on its own optimizer.
""",
    args=(
        Arg("schedulers", "The parts, each built on the same optimizer; stepped in this order."),
        Arg("optimizer", "The wrapped optimizer; by default the first part's."),
    ),
    formula=Formula(
        closed=r"\eta_t = R_K\bigl(t,\ R_{K-1}(t,\ \dots R_1(t,\ \eta_{t-1}) \dots)\bigr)",
        closed_title="Each step applies every part's recursive form in turn:",
        recursive=r"\eta_t = \eta_0 \prod_{k=1}^{K} \frac{S_k(t)}{\eta_0}",
        recursive_title="Which equals the product of the parts' closed forms only while every part's form is a pure factor:",
        symbols=(
            (r"\eta_t", "the rate after `t` calls to `step()`"),
            (r"\eta_0", "the group's starting rate (the optimizer's `lr`)"),
            (
                r"R_k(t, \eta)",
                "the rate `schedulers[k-1]`'s recursive form gives at its step `t` from the rate \\(\\eta\\) it is handed",
            ),
            (r"S_k(t)", "the rate `schedulers[k-1]` would give after `t` steps on its own"),
            (r"K", "`len(schedulers)`"),
        ),
        note="""
The twin that checks this page steps each part's recursive form, as the part's own page writes
it, in the chain's order (each part's first application is when it is built); it never steps a
chain. It models the parts whose recursive form the atlas writes out (StepLR, MultiStepLR,
ConstantLR, LinearLR, ExponentialLR, PolynomialLR, MultiplicativeLR, CosineAnnealingLR and
LambdaLR); the catalog refuses a chain with any other part.
""",
    ),
    twin=twins.chained,
    explore=Explore(
        "warmup-decay",
        (
            Control("total_iters", (5, 10, 20, 30), "LinearLR total_iters"),
            Control("start_factor", (0.01, 0.1, 0.5), "LinearLR start_factor"),
            Control("gamma", (0.9, 0.95, 0.97, 0.99), "ExponentialLR gamma"),
        ),
        build=lambda v: {
            "schedulers": [
                Sched("LinearLR", {"start_factor": v["start_factor"], "total_iters": v["total_iters"]}),
                Sched("ExponentialLR", {"gamma": v["gamma"]}),
            ]
        },
    ),
    span=lambda a: 20,
    cases=(
        Case(
            "warmup-decay",
            "A warm-up and a decay at once",
            {"schedulers": [WARM, DECAY]},
            steps=80,
            overlay=(WARM, DECAY),
            log=True,
            text="The chain is the decay held down by the warm-up factor for 10 steps; after that it runs along the decay.",
        ),
        Case(
            "stairs-cosine",
            "Stairs on a cosine",
            {"schedulers": [STAIRS, COSINE]},
            steps=101,
            overlay=(STAIRS, COSINE),
            text="Every 30 steps the cosine is halved: the product of the two parts, step by step.",
        ),
        Case(
            "past-t-max",
            "Past T_max the chain is not the product",
            {"schedulers": [STAIRS, COSINE]},
            steps=241,
            overlay=(PRODUCT,),
            log=True,
            text=r"""
The same chain run on past `T_max=100`, against LambdaLR given the product of the two parts'
closed forms: the curve the chain is usually taken for. The two agree up to step 100, where both
reach 0. At step 101 CosineAnnealingLR's recursive form cannot divide by its factor at step 100
(0), so it adds \(\tfrac12(\eta_0 - \eta_{\min})(1 - \cos\frac{\pi}{T_{\max}})\) of its own base rate
instead: the three halvings StepLR made at steps 30, 60 and 90 are not in that term. From step 101
on the chain runs \(2^3 = 8\) times above the product, halving with it every 30 steps.
""",
        ),
        Case(
            "groups",
            "Two parameter groups",
            {"schedulers": [WARM, DECAY]},
            steps=80,
            optim=Optim("SGD", (0.1, 0.01), {"momentum": 0.9}),
            log=True,
        ),
    ),
    pitfalls=(
        Pitfall(
            id="not-the-product",
            title="Taking the chain for the product of its parts",
            code=misuse(
                """
scheduler = ChainedScheduler([StepLR(optimizer, step_size=30, gamma=0.5), CosineAnnealingLR(optimizer, T_max=100)])
for step in range(1, 102):
    optimizer.step()
    scheduler.step()
product = 0.1 * 0.5 ** (101 // 30) * (1 + math.cos(math.pi * 101 / 100)) / 2
print(f"step 101: chain {optimizer.param_groups[0]['lr']:.4g}, product of the parts {product:.4g}")
""",
                imports="import math\nfrom torch.optim.lr_scheduler import ChainedScheduler, CosineAnnealingLR, StepLR",
            ),
            symptom="Past `T_max` the rate is higher than the product of the parts' curves (8 times here). No message.",
            cause="Each part applies its recursive form to the rate it is handed. Past `T_max`, CosineAnnealingLR's "
            "form adds a term of its own base rate, which knows nothing of StepLR's halvings.",
            fix="Keep a CosineAnnealingLR part within `T_max` (set it to the run's length), or write the product "
            "you want as one LambdaLR.",
        ),
        Pitfall(
            id="other-optimizer",
            title="Parts on different optimizers",
            code=misuse(
                """
other = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
warmup = LinearLR(optimizer, start_factor=0.1, total_iters=10)
decay = ExponentialLR(other, gamma=0.97)
scheduler = ChainedScheduler([warmup, decay])
""",
                imports="from torch.optim.lr_scheduler import ChainedScheduler, ExponentialLR, LinearLR",
            ),
            expect="ValueError",
            cause="Every part must act on the optimizer the chain drives.",
            fix="Build every part on the same optimizer object.",
        ),
        Pitfall(
            id="plateau",
            title="ReduceLROnPlateau as a part",
            code=misuse(
                """
plateau = ReduceLROnPlateau(optimizer)
decay = ExponentialLR(optimizer, gamma=0.97)
scheduler = ChainedScheduler([decay, plateau])
""",
                imports="from torch.optim.lr_scheduler import ChainedScheduler, ExponentialLR, ReduceLROnPlateau",
            ),
            expect="ValueError",
            cause="The chain calls `step()` without arguments; ReduceLROnPlateau needs the metric.",
            fix="Step ReduceLROnPlateau yourself, next to the chain: `chain.step(); plateau.step(val_loss)`.",
        ),
        Pitfall(
            id="empty",
            title="An empty chain",
            code=misuse("scheduler = torch.optim.lr_scheduler.ChainedScheduler([], optimizer=optimizer)"),
            expect="ValueError",
            cause="A chain needs at least one part.",
            fix="Pass at least one scheduler, or none at all: use the optimizer's constant rate.",
        ),
    ),
)

ENTRIES = (SEQUENTIAL, CHAINED)
