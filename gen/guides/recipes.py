"""Guide: warm-up recipes as torch compositions, each checked against its own formula, and where
Hugging Face transformers ships the same schedule, against that library's documented formula.

The twins below are written from the formulas, never from a scheduler; the Hugging Face ones from
the definitions in transformers' optimization module (transformers is not installed here).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from gen import i18n
from gen.guides.common import half_cosine, script
from gen.guides.model import Guide, Plot

LR, W, T = 0.001, 10, 100  # AdamW's rate, warm-up steps, total steps (optimizer.step() calls)
STABLE, DECAY = 50, 40  # warmup-stable-decay: W + STABLE + DECAY == T
FLOOR = 0.1  # cosine with a floor: the floor as a fraction of the peak


def trace_script(imports: str, makers: str, runs: Mapping[str, str], total: str = "TOTAL") -> str:
    """A recipe script: `trace(make_scheduler)` steps AdamW with one schedule per run."""
    listing = "".join(f'    "lr[{label}]": trace({fn}),\n' for label, fn in runs.items())
    return script(f'''
from torch.optim.lr_scheduler import {imports}

WARMUP, TOTAL = {W}, {T}  # in optimizer.step() calls


def trace(make_scheduler):
    """The rate of every step of a fresh AdamW driven by the scheduler."""
    optimizer = torch.optim.AdamW([torch.nn.Parameter(torch.zeros(1))], lr={LR})
    scheduler = make_scheduler(optimizer)
    used = []
    for step in range({total}):
        used.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return used

{makers.strip()}


runs = {{
{listing}}}
''')


def ours(t: int, after) -> float:
    """The torch compositions' warm-up, LinearLR(1/W, 1, W - 1): (t + 1)/W, reaching the peak at W - 1."""
    return LR * (t + 1) / W if t < W else LR * after(t)


def hf(t: int, after) -> float:
    """transformers' warm-up: current_step / num_warmup_steps, from 0 at step 0."""
    return LR * t / W if t < W else LR * after(t)


def cosine_after(t: int) -> float:
    return half_cosine((t - W) / (T - W))


def linear_after(t: int) -> float:
    return max(0.0, (T - t) / (T - W))


def wsd_after(t: int) -> float:
    return 1.0 if t < W + STABLE else half_cosine((t - W - STABLE) / DECAY)


def floor_after(t: int) -> float:
    return FLOOR + (1 - FLOOR) * half_cosine((t - W) / (T - W))


def tr(text: str, **values: object) -> str:
    """A sentence this module writes into the page, in the current language, then filled in: its
    Chinese is beside the guide's other texts, in gen/zh/guides/recipes.toml."""
    return i18n.t(text, "guides/recipes", "guide 'warm-up': measured differences").format(**values)


def comparison(ours_col: str, hf_col: str) -> object:
    """A sentence computed from the two torch runs: where they differ and by how much."""

    def note(cols: Mapping[str, Sequence[float]]) -> str:
        a, b = cols[ours_col], cols[hf_col]
        warm = {round(x - y, 15) for x, y in zip(a[:W], b[:W], strict=True)}
        after = max(abs(x - y) for x, y in zip(a[W:], b[W:], strict=True))
        if len(warm) == 1:
            during = tr("by exactly {gap:g} (the peak over `WARMUP`)", gap=warm.pop())
        else:
            during = tr("by {gaps}", gaps=sorted(warm))
        same = tr("not at all") if after == 0 else tr("by at most {gap:.1e} (floating-point rounding)", gap=after)
        return tr(
            "Measured on the two runs above: during the warm-up (steps 0 to {last}) the composition is "
            "one step ahead of transformers' formula, higher {during}; from step {w} on they differ "
            "{same}. For exactly transformers' curve, use the `LambdaLR` of the second run.",
            last=W - 1, w=W, during=during, same=same,
        )  # fmt: skip

    return note


WARMUP_COSINE = Plot(
    id="warmup-cosine",
    title="Linear warm-up, then cosine decay",
    caption=(
        f"Linear warm-up over {W} steps, then a half cosine to 0 at step {T}, AdamW at lr={LR}: "
        "`SequentialLR` of `LinearLR(start_factor=1/10, total_iters=9)` and `CosineAnnealingLR(T_max=90)` "
        "(solid), and transformers' `get_cosine_schedule_with_warmup` written as a `LambdaLR` (dashed), "
        "which starts at 0 and trails by one step during the warm-up."
    ),
    code=trace_script(
        "CosineAnnealingLR, LambdaLR, LinearLR, SequentialLR",
        """
def warmup_cosine(optimizer):
    warmup = LinearLR(optimizer, start_factor=1 / WARMUP, total_iters=WARMUP - 1)
    cosine = CosineAnnealingLR(optimizer, T_max=TOTAL - WARMUP)
    return SequentialLR(optimizer, [warmup, cosine], milestones=[WARMUP])


def transformers_cosine(optimizer):
    \"\"\"transformers.get_cosine_schedule_with_warmup(optimizer, WARMUP, TOTAL), written out.\"\"\"

    def factor(step):
        if step < WARMUP:
            return step / max(1, WARMUP)
        progress = (step - WARMUP) / max(1, TOTAL - WARMUP)
        return max(0.0, 0.5 * (1.0 + math.cos(math.pi * 0.5 * 2.0 * progress)))

    return LambdaLR(optimizer, factor)
""",
        {
            "SequentialLR(LinearLR, CosineAnnealingLR)": "warmup_cosine",
            "transformers' formula, as LambdaLR": "transformers_cosine",
        },
    ),
    twin=lambda n: {
        "lr[SequentialLR(LinearLR, CosineAnnealingLR)]": [ours(t, cosine_after) for t in range(n)],
        "lr[transformers' formula, as LambdaLR]": [hf(t, cosine_after) for t in range(n)],
    },
    dashed=("lr[transformers' formula, as LambdaLR]",),
    formula=r"\eta_t = \eta_0\,\tfrac{t+1}{W}\ (t < W),\quad \eta_t = \eta_0 \cdot \tfrac12\bigl(1 + \cos\tfrac{\pi (t - W)}{T - W}\bigr)\ (t \ge W)",
    note=comparison("lr[SequentialLR(LinearLR, CosineAnnealingLR)]", "lr[transformers' formula, as LambdaLR]"),
)

WARMUP_LINEAR = Plot(
    id="warmup-linear",
    title="Linear warm-up, then linear decay",
    caption=(
        f"Linear warm-up over {W} steps, then a straight line to 0 at step {T}, AdamW at lr={LR}: "
        "`SequentialLR` of `LinearLR(start_factor=1/10, total_iters=9)` and "
        "`LinearLR(start_factor=1.0, end_factor=0.0, total_iters=90)` (solid), and transformers' "
        "`get_linear_schedule_with_warmup` as a `LambdaLR` (dashed)."
    ),
    code=trace_script(
        "LambdaLR, LinearLR, SequentialLR",
        """
def warmup_linear(optimizer):
    warmup = LinearLR(optimizer, start_factor=1 / WARMUP, total_iters=WARMUP - 1)
    decay = LinearLR(optimizer, start_factor=1.0, end_factor=0.0, total_iters=TOTAL - WARMUP)
    return SequentialLR(optimizer, [warmup, decay], milestones=[WARMUP])


def transformers_linear(optimizer):
    \"\"\"transformers.get_linear_schedule_with_warmup(optimizer, WARMUP, TOTAL), written out.\"\"\"

    def factor(step):
        if step < WARMUP:
            return step / max(1, WARMUP)
        return max(0.0, (TOTAL - step) / max(1, TOTAL - WARMUP))

    return LambdaLR(optimizer, factor)
""",
        {
            "SequentialLR(LinearLR, LinearLR)": "warmup_linear",
            "transformers' formula, as LambdaLR": "transformers_linear",
        },
    ),
    twin=lambda n: {
        "lr[SequentialLR(LinearLR, LinearLR)]": [ours(t, linear_after) for t in range(n)],
        "lr[transformers' formula, as LambdaLR]": [hf(t, linear_after) for t in range(n)],
    },
    dashed=("lr[transformers' formula, as LambdaLR]",),
    formula=r"\eta_t = \eta_0\,\tfrac{t+1}{W}\ (t < W),\quad \eta_t = \eta_0\,\tfrac{T - t}{T - W}\ (t \ge W)",
    note=comparison("lr[SequentialLR(LinearLR, LinearLR)]", "lr[transformers' formula, as LambdaLR]"),
)

WSD = Plot(
    id="warmup-stable-decay",
    title="Warm-up, stable, then decay (WSD)",
    caption=(
        f"Warmup-stable-decay, AdamW at lr={LR}: {W} steps of linear warm-up, {STABLE} at the peak, {DECAY} of "
        "cosine decay. `SequentialLR` of `LinearLR(start_factor=1/10, total_iters=9)`, which holds the peak "
        f"after its warm-up, and `CosineAnnealingLR(T_max={DECAY})` from step {W + STABLE} (solid); transformers' "
        "`get_wsd_schedule` with its default cosine decay, as a `LambdaLR` (dashed)."
    ),
    code=trace_script(
        "CosineAnnealingLR, LambdaLR, LinearLR, SequentialLR",
        f"""
STABLE, DECAY = {STABLE}, {DECAY}  # WARMUP + STABLE + DECAY == TOTAL


def warmup_stable_decay(optimizer):
    warmup = LinearLR(optimizer, start_factor=1 / WARMUP, total_iters=WARMUP - 1)  # then holds
    decay = CosineAnnealingLR(optimizer, T_max=DECAY)
    return SequentialLR(optimizer, [warmup, decay], milestones=[WARMUP + STABLE])


def transformers_wsd(optimizer):
    \"\"\"transformers.get_wsd_schedule(optimizer, WARMUP, num_decay_steps=DECAY,
    num_stable_steps=STABLE), written out with its defaults (cosine decay, min_lr_ratio=0).\"\"\"

    def factor(step):
        if step < WARMUP:
            return step / max(1, WARMUP)
        if step < WARMUP + STABLE:
            return 1.0
        if step < WARMUP + STABLE + DECAY:
            progress = (step - WARMUP - STABLE) / max(1, DECAY)
            return max(0.0, 0.5 * (1.0 + math.cos(math.pi * 0.5 * 2.0 * progress)))
        return 0.0

    return LambdaLR(optimizer, factor)
""",
        {
            "SequentialLR(LinearLR, CosineAnnealingLR)": "warmup_stable_decay",
            "transformers' formula, as LambdaLR": "transformers_wsd",
        },
    ),
    twin=lambda n: {
        "lr[SequentialLR(LinearLR, CosineAnnealingLR)]": [ours(t, wsd_after) for t in range(n)],
        "lr[transformers' formula, as LambdaLR]": [hf(t, wsd_after) for t in range(n)],
    },
    dashed=("lr[transformers' formula, as LambdaLR]",),
    formula=r"\eta_t = \eta_0\,\tfrac{t+1}{W}\ (t < W),\quad \eta_0\ (W \le t < W + S),\quad \eta_0 \cdot \tfrac12\bigl(1 + \cos\tfrac{\pi (t - W - S)}{D}\bigr)\ \text{after}",
    note=comparison("lr[SequentialLR(LinearLR, CosineAnnealingLR)]", "lr[transformers' formula, as LambdaLR]"),
)

COSINE_FLOOR = Plot(
    id="cosine-floor",
    title="Warm-up, then cosine decay to a floor",
    caption=(
        f"Linear warm-up over {W} steps, then a half cosine down to a floor of {FLOOR:g} times the peak instead of 0, "
        f"AdamW at lr={LR}: `SequentialLR` of `LinearLR(start_factor=1/10, total_iters=9)` and "
        f"`CosineAnnealingLR(T_max=90, eta_min={LR * FLOOR:g})` (solid), and transformers' "
        f"`get_cosine_with_min_lr_schedule_with_warmup` with `min_lr_rate={FLOOR:g}` as a `LambdaLR` (dashed)."
    ),
    code=trace_script(
        "CosineAnnealingLR, LambdaLR, LinearLR, SequentialLR",
        f"""
FLOOR = {FLOOR}  # the floor, as a fraction of the peak


def warmup_cosine_floor(optimizer):
    warmup = LinearLR(optimizer, start_factor=1 / WARMUP, total_iters=WARMUP - 1)
    cosine = CosineAnnealingLR(optimizer, T_max=TOTAL - WARMUP, eta_min=FLOOR * {LR})  # absolute
    return SequentialLR(optimizer, [warmup, cosine], milestones=[WARMUP])


def transformers_cosine_min_lr(optimizer):
    \"\"\"transformers.get_cosine_with_min_lr_schedule_with_warmup(optimizer, WARMUP, TOTAL,
    min_lr_rate=FLOOR), written out.\"\"\"

    def factor(step):
        if step < WARMUP:
            return step / max(1, WARMUP)
        progress = (step - WARMUP) / max(1, TOTAL - WARMUP)
        value = 0.5 * (1.0 + math.cos(math.pi * 0.5 * 2.0 * progress))
        return max(0.0, value * (1 - FLOOR) + FLOOR)

    return LambdaLR(optimizer, factor)
""",
        {
            "SequentialLR(LinearLR, CosineAnnealingLR)": "warmup_cosine_floor",
            "transformers' formula, as LambdaLR": "transformers_cosine_min_lr",
        },
    ),
    twin=lambda n: {
        "lr[SequentialLR(LinearLR, CosineAnnealingLR)]": [ours(t, floor_after) for t in range(n)],
        "lr[transformers' formula, as LambdaLR]": [hf(t, floor_after) for t in range(n)],
    },
    dashed=("lr[transformers' formula, as LambdaLR]",),
    formula=r"\eta_t = \eta_0\,\tfrac{t+1}{W}\ (t < W),\quad \eta_t = \eta_{min} + (\eta_0 - \eta_{min}) \cdot \tfrac12\bigl(1 + \cos\tfrac{\pi (t - W)}{T - W}\bigr)\ (t \ge W)",
    note=comparison("lr[SequentialLR(LinearLR, CosineAnnealingLR)]", "lr[transformers' formula, as LambdaLR]"),
)

SGDR_T0, SGDR_MULT, SGDR_MIN, SGDR_STEPS, SGDR_LR = 10, 2, 1e-4, 70, 0.1


def sgdr(t: int) -> float:
    """Cycles of T_0, T_0 * T_mult, ...: find the cycle t falls in, then a half cosine within it."""
    start, length = 0, SGDR_T0
    while t >= start + length:
        start, length = start + length, length * SGDR_MULT
    return SGDR_MIN + (SGDR_LR - SGDR_MIN) * half_cosine((t - start) / length)


SGDR = Plot(
    id="sgdr",
    title="SGDR: cosine with warm restarts",
    caption=(
        f"`CosineAnnealingWarmRestarts(T_0={SGDR_T0}, T_mult={SGDR_MULT}, eta_min={SGDR_MIN:g})`, SGD at lr={SGDR_LR}, "
        f"stepped once per step for {SGDR_STEPS} steps: cosine cycles of 10, 20 and 40 steps, each restarting at "
        "the initial rate."
    ),
    code=script(f"""
from torch.optim.lr_scheduler import CosineAnnealingWarmRestarts

STEPS = {SGDR_STEPS}  # three cycles: 10 + 20 + 40
optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr={SGDR_LR}, momentum=0.9)
scheduler = CosineAnnealingWarmRestarts(optimizer, T_0={SGDR_T0}, T_mult={SGDR_MULT}, eta_min={SGDR_MIN})
used = []
for step in range(STEPS):
    used.append(optimizer.param_groups[0]["lr"])
    optimizer.step()
    scheduler.step()

runs = {{"lr[CosineAnnealingWarmRestarts]": used}}
"""),
    twin=lambda n: {"lr[CosineAnnealingWarmRestarts]": [sgdr(t) for t in range(n)]},
    formula=r"\eta_t = \eta_{min} + (\eta_0 - \eta_{min}) \cdot \tfrac12\bigl(1 + \cos(\pi\, T_{cur} / T_i)\bigr),\ T_i = 10 \cdot 2^i",
)

OC_MAX, OC_TOTAL, OC_PCT = 0.1, 100, 0.3


def one_cycle(t: int, start: float, peak: float, end: float) -> float:
    """Two cosine phases: from `start` to `peak` until step pct * total - 1, then on to `end`."""
    top = OC_PCT * OC_TOTAL - 1
    if t <= top:
        return peak + (start - peak) * half_cosine(t / top)
    return end + (peak - end) * half_cosine((t - top) / (OC_TOTAL - 1 - top))


ONE_CYCLE = Plot(
    id="one-cycle",
    title="1cycle: up, then far down, with momentum mirrored",
    caption=(
        f"`OneCycleLR(max_lr={OC_MAX}, total_steps={OC_TOTAL})` with its defaults, SGD with momentum, stepped "
        "every batch: the rate rises by a cosine from max_lr/25 to max_lr over the first 30% of the steps, "
        "then falls to max_lr/25/10⁴; momentum (lower panel) moves the other way, between 0.95 and 0.85."
    ),
    code=script(f"""
from torch.optim.lr_scheduler import OneCycleLR

TOTAL = {OC_TOTAL}  # epochs * len(train_loader): OneCycleLR is stepped per batch
optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr={OC_MAX}, momentum=0.9)
scheduler = OneCycleLR(optimizer, max_lr={OC_MAX}, total_steps=TOTAL)
lrs, momenta = [], []
for step in range(TOTAL):
    lrs.append(optimizer.param_groups[0]["lr"])
    momenta.append(optimizer.param_groups[0]["momentum"])
    optimizer.step()
    scheduler.step()

runs = {{"lr[OneCycleLR]": lrs, "momentum[OneCycleLR]": momenta}}
"""),
    twin=lambda n: {
        "lr[OneCycleLR]": [one_cycle(t, OC_MAX / 25, OC_MAX, OC_MAX / 25 / 1e4) for t in range(n)],
        "momentum[OneCycleLR]": [one_cycle(t, 0.95, 0.85, 0.95) for t in range(n)],
    },
    formula=r"\eta_t = \eta_{end} + (\eta_{start} - \eta_{end}) \cdot \tfrac12\bigl(1 + \cos(\pi\, p)\bigr)\ \text{in each phase}",
)

GUIDE = Guide(
    slug="warm-up",
    title="Warm-up (warmup) recipes",
    summary="Warm-up then cosine, warm-up then linear, warmup-stable-decay, cosine to a floor, SGDR and 1cycle: copyable torch code, each checked against its formula.",
    template="guide_recipes.md.j2",
    plots=(WARMUP_COSINE, WARMUP_LINEAR, WSD, COSINE_FLOOR, SGDR, ONE_CYCLE),
    extra={"W": W, "T": T, "lr": LR},
)
