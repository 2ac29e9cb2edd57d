"""Guide: schedulers at matched settings on one set of axes, small multiples, and which to use."""

from __future__ import annotations

from gen.guides.common import half_cosine, script
from gen.guides.model import Guide, Plot

LR, T, W = 0.1, 100, 10  # every run: SGD at lr=0.1, 100 steps; warm-ups of 10 steps


def trace_script(imports: str, runs: dict[str, str]) -> str:
    listing = "".join(f'    "lr[{label}]": trace(lambda optimizer: {make}),\n' for label, make in runs.items())
    return script(f'''
from torch.optim.lr_scheduler import {imports}

STEPS = {T}


def trace(make_scheduler):
    """Each schedule on its own fresh optimizer: schedulers sharing one corrupt each other."""
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr={LR}, momentum=0.9)
    scheduler = make_scheduler(optimizer)
    used = []
    for step in range(STEPS):
        used.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return used


runs = {{
{listing}}}
''')


def alone(runs: dict[str, str]) -> tuple[str, ...]:
    """Captions of the small multiples: the constructor call, on its own optimizer."""
    return tuple(
        f"`{make.replace('STEPS', str(T))}`, on its own SGD optimizer at lr={LR}, over {T} steps."
        for make in runs.values()
    )


DECAY_RUNS = {
    "MultiStepLR": "MultiStepLR(optimizer, milestones=[50, 75], gamma=0.1)",
    "ExponentialLR": "ExponentialLR(optimizer, gamma=0.955)",
    "CosineAnnealingLR": "CosineAnnealingLR(optimizer, T_max=STEPS)",
    "PolynomialLR": "PolynomialLR(optimizer, total_iters=STEPS, power=1.0)",
}

DECAYS = Plot(
    id="decays",
    title="Four decays from the same rate over the same run",
    caption=(
        f"Four decays, each on its own SGD optimizer at lr={LR}, over the same {T} steps: `MultiStepLR` "
        "(milestones 50 and 75, gamma 0.1), `ExponentialLR(gamma=0.955)`, `CosineAnnealingLR(T_max=100)` and "
        "`PolynomialLR(total_iters=100, power=1.0)`, a straight line to 0. The step decay keeps the full rate "
        "for half the run; the exponential one spends most of the run at low rates."
    ),
    code=trace_script("CosineAnnealingLR, ExponentialLR, MultiStepLR, PolynomialLR", DECAY_RUNS),
    twin=lambda n: {
        "lr[MultiStepLR]": [LR * 0.1 ** ((t >= 50) + (t >= 75)) for t in range(n)],
        "lr[ExponentialLR]": [LR * 0.955**t for t in range(n)],
        "lr[CosineAnnealingLR]": [LR * half_cosine(t / T) for t in range(n)],
        "lr[PolynomialLR]": [LR * (1 - t / T) for t in range(n)],
    },
    multiples=alone(DECAY_RUNS),
    formula=r"\eta_0\,0.1^{[t \ge 50] + [t \ge 75]},\ \eta_0\,0.955^t,\ \eta_0\,\tfrac12(1 + \cos\tfrac{\pi t}{100}),\ \eta_0 (1 - \tfrac{t}{100})",
)

SHAPE_RUNS = {
    "warm-up + cosine": (
        f"SequentialLR(optimizer, [LinearLR(optimizer, start_factor=1 / {W}, total_iters={W - 1}), "
        f"CosineAnnealingLR(optimizer, T_max=STEPS - {W})], milestones=[{W}])"
    ),
    "OneCycleLR": f"OneCycleLR(optimizer, max_lr={LR}, total_steps=STEPS, cycle_momentum=False)",
    "CyclicLR": (
        f"CyclicLR(optimizer, base_lr={LR / 100}, max_lr={LR}, step_size_up=25, mode='triangular2', "
        "cycle_momentum=False)"
    ),
    "CosineAnnealingWarmRestarts": "CosineAnnealingWarmRestarts(optimizer, T_0=25)",
}


def triangular2(t: int, low: float = LR / 100, high: float = LR, half: int = 25) -> float:
    """Triangles of 2 * half steps between low and high, the height halving every cycle."""
    cycle, within = divmod(t, 2 * half)
    up = 1 - abs(within / half - 1)
    return low + (high - low) * up / 2**cycle


def one_cycle(t: int) -> float:
    top = 0.3 * T - 1
    start, end = LR / 25, LR / 25 / 1e4
    if t <= top:
        return LR + (start - LR) * half_cosine(t / top)
    return end + (LR - end) * half_cosine((t - top) / (T - 1 - top))


SHAPES = Plot(
    id="shapes",
    title="Warm-up, one cycle, cycles and restarts over the same run",
    caption=(
        f"Four schedules with a peak rate of {LR}, each on its own SGD optimizer, over the same {T} steps: a "
        f"{W}-step linear warm-up then cosine (`SequentialLR`), `OneCycleLR(max_lr={LR}, total_steps=100)`, "
        f"`CyclicLR` in mode triangular2 between {LR / 100:g} and {LR} (25 steps up, 25 down, halving each "
        "cycle) and `CosineAnnealingWarmRestarts(T_0=25)`."
    ),
    code=trace_script(
        "CosineAnnealingLR, CosineAnnealingWarmRestarts, CyclicLR, LinearLR, OneCycleLR, SequentialLR", SHAPE_RUNS
    ),
    twin=lambda n: {
        "lr[warm-up + cosine]": [LR * (t + 1) / W if t < W else LR * half_cosine((t - W) / (T - W)) for t in range(n)],
        "lr[OneCycleLR]": [one_cycle(t) for t in range(n)],
        "lr[CyclicLR]": [triangular2(t) for t in range(n)],
        "lr[CosineAnnealingWarmRestarts]": [LR * half_cosine((t % 25) / 25) for t in range(n)],
    },
    multiples=alone(SHAPE_RUNS),
)


GUIDE = Guide(
    slug="compare",
    title="Compare and choose",
    summary="Schedulers at matched settings on one set of axes and side by side, and which family fits fine-tuning, training from scratch, a plateauing loss or SWA.",
    template="guide_compare.md.j2",
    plots=(DECAYS, SHAPES),
)
