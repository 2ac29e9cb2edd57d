"""Guide: one schedule, three libraries. The same schedule asked of torch, transformers and timm,
each run for real and checked by that schedule's own twin (gen.twins, the ones the scheduler pages
use); the page states how far apart the runs are, measured on them."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from gen import i18n, twins
from gen.guides.common import script
from gen.guides.model import Guide, Plot
from gen.model import Curve, Optim, Sched, Setting

LR, W, T = 0.1, 10, 100  # SGD's rate, warm-up steps, total steps (optimizer.step() calls)
STABLE, DECAY = 60, 30  # warmup-stable-decay: W + STABLE + DECAY == T
EPOCHS, EVERY = 100, 30  # the step decays: epochs, and the epochs between two decays

# The column labels: the library, then what the legend needs to tell the runs apart.
TORCH, HF, TIMM = "torch", "transformers", "timm"


def trace_script(
    imports: str, runs: Mapping[str, str], rows: str = "TOTAL + 1", constants: str = "", recipes: str = ""
) -> str:
    """A comparison script: `trace(make, step)` steps SGD with one schedule per run; `step` is how
    that library is stepped (torch and transformers: `scheduler.step()`; timm: `step_update`).
    `recipes` defines functions the runs call, before the runs (the page may show them too)."""
    listing = "".join(f'    "lr[{label}]": trace({call}),\n' for label, call in runs.items())
    defs = f"\n{recipes.strip()}\n\n" if recipes else ""
    return script(f'''
{imports.strip()}

{constants or f"WARMUP, TOTAL = {W}, {T}  # in optimizer.step() calls"}


def trace(make_scheduler, step):
    """The rate of every step of a fresh SGD driven by the scheduler."""
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr={LR})
    scheduler = make_scheduler(optimizer)
    used = []
    for update in range({rows}):
        used.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        step(scheduler, update + 1)
    return used


def plain(scheduler, updates):
    scheduler.step()  # torch and transformers: once after every optimizer.step()


def timm_updates(scheduler, updates):
    scheduler.step_update(num_updates=updates)  # timm with t_in_epochs=False: time counts updates


def timm_epochs(scheduler, epochs):
    scheduler.step(epochs)  # timm per epoch: the epoch about to start

{defs}
runs = {{
{listing}}}
''')


def column(
    twin: Callable[[Setting], Curve], args: Mapping[str, object], n: int, iters: int | None = None
) -> list[float]:
    """A run's rates from the schedule's own twin, as its scheduler page checks it."""
    return list(twin(Setting(args, (LR,), Optim(), n, iters=iters)).lrs[0])


def runs(labels: Sequence[str], *specs: tuple) -> Callable[[int], dict[str, list[float]]]:
    """A plot's twin: for each column, (the schedule's twin, its arguments[, iters])."""
    return lambda n: {label: column(*spec[:2], n, *spec[2:]) for label, spec in zip(labels, specs, strict=True)}


def warmup_torch(after: Sched, milestones: Sequence[int] = (W,), middle: Sequence[Sched] = ()) -> dict[str, object]:
    """torch's composition: LinearLR(1/W, 1, W - 1), then the rest, switched by SequentialLR."""
    warm = Sched("LinearLR", {"start_factor": 1 / W, "total_iters": W - 1})
    return {"schedulers": [warm, *middle, after], "milestones": list(milestones)}


def tr(text: str, **values: object) -> str:
    """A sentence this module writes into the page, in the current language, then filled in: its
    Chinese is beside the guide's other texts, in gen/zh/guides/libraries.toml."""
    return i18n.t(text, "guides/libraries", "guide 'libraries': measured differences").format(**values)


def where(steps: Sequence[int], unit: str = "step") -> str:
    """`at step 3`, `at steps 29 and 59`, `at every step from 0 to 9` (or epochs)."""
    words = {"unit": i18n.tr(unit, "units"), "units": i18n.plural(unit), "first": steps[0], "last": steps[-1]}
    if len(steps) == 1:
        return tr("at {unit} {first}", **words)
    if steps[-1] - steps[0] == len(steps) - 1:
        return tr("at every {unit} from {first} to {last}", **words)
    if len(steps) <= 4:
        return tr("at {units} {some} and {last}", some=tr(", ").join(map(str, steps[:-1])), **words)
    return tr("at {n} {units} between {first} and {last}", n=len(steps), **words)


def measured(pairs: Sequence[tuple[str, str]], unit: str = "step") -> Callable[[Mapping[str, Sequence[float]]], str]:
    """One sentence per pair of runs: where they differ and by how much, computed from the runs. A
    gap that is the same wherever they differ (rounding aside) is said once, for all those steps;
    otherwise the largest is given, with its step."""

    def name(col: str) -> str:
        return col.removeprefix("lr[").removesuffix("]")

    def note(cols: Mapping[str, Sequence[float]]) -> str:
        out = []
        one = i18n.tr(unit, "units")
        for a, b in pairs:
            x, y = cols[a], cols[b]
            diffs = [abs(p - q) for p, q in zip(x, y, strict=True)]
            worst, peak = max(diffs), max(max(x), max(y))
            off = [t for t, d in enumerate(diffs) if d > 1e-15 * peak]
            if not off:
                how = tr("exactly") if worst == 0 else tr("to {worst:.0e} (floating-point rounding)", worst=worst)
                out.append(
                    tr("- **{a}** and **{b}** agree at every {unit}, {how}.", a=name(a), b=name(b), unit=one, how=how)
                )
                continue
            gaps = [diffs[t] for t in off]
            rest = tr("; at every other {unit} they agree to 1e-15", unit=one) if len(off) < len(diffs) else ""
            if max(gaps) - min(gaps) <= 1e-12 * peak:  # one gap: which step rounding made largest says nothing
                t = off[0]
                how = tr("by {worst:.3g} {where}", worst=worst, where=where(off, unit))
            else:
                t = max(off, key=diffs.__getitem__)
                how = tr("{where}, by at most {worst:.3g}", worst=worst, where=where(off, unit))
            out.append(
                tr(
                    "- **{a}** and **{b}** differ {how} (at {unit} {t}: {x:.4g} against {y:.4g}){rest}.",
                    a=name(a), b=name(b), how=how, unit=one, t=t, x=x[t], y=y[t], rest=rest,
                )
            )  # fmt: skip
        return tr("Measured on the runs above, when this page was built:") + "\n\n" + "\n".join(out)

    return note


COSINE_TORCH = warmup_torch(Sched("CosineAnnealingLR", {"T_max": T - W}))
COSINE_HF = {"num_warmup_steps": W, "num_training_steps": T}
COSINE_TIMM = {"t_initial": T - W, "warmup_t": W, "warmup_prefix": True, "t_in_epochs": False}
COSINE_TIMM_INSIDE = {"t_initial": T, "warmup_t": W, "t_in_epochs": False}
COSINE_LABELS = (f"lr[{TORCH}]", f"lr[{HF}]", f"lr[{TIMM}]", f"lr[{TIMM}, warm-up inside the cycle]")

WARMUP_COSINE = Plot(
    id="warmup-cosine",
    title="Linear warm-up, then cosine decay",
    caption=(
        f"Linear warm-up over {W} steps, then a half cosine to 0 at step {T}, SGD at lr={LR}, asked of three "
        "libraries: torch's `SequentialLR` of `LinearLR(start_factor=1/10, total_iters=9)` and "
        "`CosineAnnealingLR(T_max=90)`, transformers' `get_cosine_schedule_with_warmup(optimizer, 10, 100)`, "
        "timm's `CosineLRScheduler(t_initial=90, warmup_t=10, warmup_prefix=True, t_in_epochs=False)`, and "
        "(dashed) timm with its default `warmup_prefix=False` and `t_initial=100`."
    ),
    code=trace_script(
        """
from timm.scheduler import CosineLRScheduler
from torch.optim.lr_scheduler import CosineAnnealingLR, LinearLR, SequentialLR
from transformers import get_cosine_schedule_with_warmup
""",
        {
            TORCH: "lambda o: SequentialLR(o, [LinearLR(o, start_factor=1 / WARMUP, total_iters=WARMUP - 1), "
            "CosineAnnealingLR(o, T_max=TOTAL - WARMUP)], milestones=[WARMUP]), plain",
            HF: "lambda o: get_cosine_schedule_with_warmup(o, WARMUP, TOTAL), plain",
            TIMM: "lambda o: CosineLRScheduler(o, t_initial=TOTAL - WARMUP, warmup_t=WARMUP, warmup_prefix=True, "
            "t_in_epochs=False), timm_updates",
            f"{TIMM}, warm-up inside the cycle": "lambda o: CosineLRScheduler(o, t_initial=TOTAL, warmup_t=WARMUP, "
            "t_in_epochs=False), timm_updates",
        },
    ),
    twin=runs(
        COSINE_LABELS,
        (twins.sequential, COSINE_TORCH),
        (twins.hf_cosine, COSINE_HF),
        (twins.timm_cosine, COSINE_TIMM, 1),
        (twins.timm_cosine, COSINE_TIMM_INSIDE, 1),
    ),
    dashed=(COSINE_LABELS[3],),
    marked=((COSINE_LABELS[2], 5),),  # on transformers' curve: markers, so neither hides the other
    note=measured(
        (
            (COSINE_LABELS[0], COSINE_LABELS[1]),
            (COSINE_LABELS[2], COSINE_LABELS[1]),
            (COSINE_LABELS[3], COSINE_LABELS[1]),
        )
    ),
)

LINEAR_TORCH = warmup_torch(Sched("LinearLR", {"start_factor": 1.0, "end_factor": 0.0, "total_iters": T - W}))
LINEAR_TIMM = {"t_initial": T - W, "power": 1.0, "warmup_t": W, "warmup_prefix": True, "t_in_epochs": False}
LINEAR_LABELS = (f"lr[{TORCH}]", f"lr[{HF}]", f"lr[{TIMM}]")

WARMUP_LINEAR = Plot(
    id="warmup-linear",
    title="Linear warm-up, then linear decay",
    caption=(
        f"Linear warm-up over {W} steps, then a straight line to 0 at step {T}: torch's `SequentialLR` of "
        "`LinearLR(start_factor=1/10, total_iters=9)` and `LinearLR(start_factor=1.0, end_factor=0.0, total_iters=90)`, "
        "transformers' `get_linear_schedule_with_warmup(optimizer, 10, 100)` and timm's "
        "`PolyLRScheduler(t_initial=90, power=1.0, warmup_t=10, warmup_prefix=True, t_in_epochs=False)`."
    ),
    code=trace_script(
        """
from timm.scheduler import PolyLRScheduler
from torch.optim.lr_scheduler import LinearLR, SequentialLR
from transformers import get_linear_schedule_with_warmup
""",
        {
            TORCH: "lambda o: SequentialLR(o, [LinearLR(o, start_factor=1 / WARMUP, total_iters=WARMUP - 1), "
            "LinearLR(o, start_factor=1.0, end_factor=0.0, total_iters=TOTAL - WARMUP)], milestones=[WARMUP]), plain",
            HF: "lambda o: get_linear_schedule_with_warmup(o, WARMUP, TOTAL), plain",
            TIMM: "lambda o: PolyLRScheduler(o, t_initial=TOTAL - WARMUP, power=1.0, warmup_t=WARMUP, "
            "warmup_prefix=True, t_in_epochs=False), timm_updates",
        },
    ),
    twin=runs(
        LINEAR_LABELS,
        (twins.sequential, LINEAR_TORCH),
        (twins.hf_linear, COSINE_HF),
        (twins.timm_poly, LINEAR_TIMM, 1),
    ),
    marked=((LINEAR_LABELS[2], 5),),  # on transformers' curve: markers, so neither hides the other
    note=measured(((LINEAR_LABELS[0], LINEAR_LABELS[1]), (LINEAR_LABELS[2], LINEAR_LABELS[1]))),
)

WSD_TORCH = warmup_torch(
    Sched("CosineAnnealingLR", {"T_max": DECAY}),
    milestones=(W, W + STABLE),
    middle=(Sched("ConstantLR", {"factor": 1.0, "total_iters": STABLE}),),
)
WSD_HF = {"num_warmup_steps": W, "num_decay_steps": DECAY, "num_training_steps": T}
WSD_TIMM = {"t_initial": T - W, "decay_t": DECAY, "warmup_t": W, "decay_fn": "cosine", "t_in_epochs": False}
WSD_LABELS = LINEAR_LABELS

WSD = Plot(
    id="warmup-stable-decay",
    title="Warmup-stable-decay",
    caption=(
        f"{W} steps of warm-up, {STABLE} stable, {DECAY} of cosine decay to 0: torch's `SequentialLR` of "
        "`LinearLR(start_factor=1/10, total_iters=9)`, `ConstantLR(factor=1.0, total_iters=60)` and "
        "`CosineAnnealingLR(T_max=30)` with milestones 10 and 70, transformers' "
        "`get_wsd_schedule(optimizer, 10, num_decay_steps=30, num_training_steps=100)` and timm's "
        '`WSDLRScheduler(t_initial=90, decay_t=30, warmup_t=10, decay_fn="cosine", t_in_epochs=False)`.'
    ),
    code=trace_script(
        """
from timm.scheduler import WSDLRScheduler
from torch.optim.lr_scheduler import ConstantLR, CosineAnnealingLR, LinearLR, SequentialLR
from transformers import get_wsd_schedule
""",
        {
            TORCH: "lambda o: SequentialLR(o, [LinearLR(o, start_factor=1 / WARMUP, total_iters=WARMUP - 1), "
            "ConstantLR(o, factor=1.0, total_iters=STABLE), CosineAnnealingLR(o, T_max=DECAY)], "
            "milestones=[WARMUP, WARMUP + STABLE]), plain",
            HF: "lambda o: get_wsd_schedule(o, WARMUP, num_decay_steps=DECAY, num_training_steps=TOTAL), plain",
            TIMM: "lambda o: WSDLRScheduler(o, t_initial=TOTAL - WARMUP, decay_t=DECAY, warmup_t=WARMUP, "
            'decay_fn="cosine", t_in_epochs=False), timm_updates',
        },
        constants=f"WARMUP, STABLE, DECAY = {W}, {STABLE}, {DECAY}  # in optimizer.step() calls\nTOTAL = WARMUP + STABLE + DECAY",
    ),
    twin=runs(
        WSD_LABELS,
        (twins.sequential, WSD_TORCH),
        (twins.hf_wsd, WSD_HF),
        (twins.timm_wsd, WSD_TIMM, 1),
    ),
    marked=((WSD_LABELS[2], 5),),  # on transformers' curve: markers, so neither hides the other
    note=measured(((WSD_LABELS[0], WSD_LABELS[1]), (WSD_LABELS[2], WSD_LABELS[1]))),
)

POLY_TORCH = {"total_iters": T, "power": 2.0}
POLY_HF = {"num_warmup_steps": 0, "num_training_steps": T, "power": 2.0}
POLY_TIMM = {"t_initial": T, "power": 2.0, "t_in_epochs": False}
POLY_LABELS = LINEAR_LABELS

POLYNOMIAL = Plot(
    id="polynomial",
    title="Polynomial decay, power 2",
    caption=(
        f"A quadratic decay from {LR} to 0 over {T} steps: torch's `PolynomialLR(total_iters=100, power=2.0)`, "
        "transformers' `get_polynomial_decay_schedule_with_warmup(optimizer, 0, 100, power=2.0)` (its default "
        "`lr_end=1e-7`) and timm's `PolyLRScheduler(t_initial=100, power=2.0, t_in_epochs=False)`."
    ),
    code=trace_script(
        """
from timm.scheduler import PolyLRScheduler
from torch.optim.lr_scheduler import PolynomialLR
from transformers import get_polynomial_decay_schedule_with_warmup
""",
        {
            TORCH: "lambda o: PolynomialLR(o, total_iters=TOTAL, power=2.0), plain",
            HF: "lambda o: get_polynomial_decay_schedule_with_warmup(o, 0, TOTAL, power=2.0), plain",
            TIMM: "lambda o: PolyLRScheduler(o, t_initial=TOTAL, power=2.0, t_in_epochs=False), timm_updates",
        },
        constants=f"TOTAL = {T}  # optimizer.step() calls",
    ),
    twin=runs(
        POLY_LABELS,
        (twins.polynomial, POLY_TORCH),
        (twins.hf_polynomial, POLY_HF),
        (twins.timm_poly, POLY_TIMM, 1),
    ),
    marked=((POLY_LABELS[2], 5),),  # on transformers' curve: markers, so neither hides the other
    note=measured(((POLY_LABELS[0], POLY_LABELS[1]), (POLY_LABELS[2], POLY_LABELS[1]))),
)

STEP_LABELS = (
    f"lr[{TORCH} StepLR]",
    f"lr[{TIMM} StepLRScheduler]",
    f"lr[{TORCH} MultiStepLR]",
    f"lr[{TIMM} MultiStepLRScheduler]",
)

STEP_DECAY = Plot(
    id="step-decay",
    title="Step decay, per epoch",
    caption=(
        f"A tenth every {EVERY} epochs, stepped once per epoch: torch's `StepLR(step_size=30, gamma=0.1)` and "
        "timm's `StepLRScheduler(decay_t=30, decay_rate=0.1)` (markers: the same curve), then the same "
        "milestones listed: torch's `MultiStepLR(milestones=[30, 60], gamma=0.1)` (markers: the `StepLR` curve "
        "until `StepLR`'s third decay, which its two milestones do not make) and timm's "
        "`MultiStepLRScheduler(decay_t=[30, 60], decay_rate=0.1)` (dashed). transformers has no step schedule."
    ),
    code=trace_script(
        """
from timm.scheduler import MultiStepLRScheduler, StepLRScheduler
from torch.optim.lr_scheduler import MultiStepLR, StepLR
""",
        {
            f"{TORCH} StepLR": "lambda o: StepLR(o, step_size=EVERY, gamma=0.1), plain",
            f"{TIMM} StepLRScheduler": "lambda o: StepLRScheduler(o, decay_t=EVERY, decay_rate=0.1), timm_epochs",
            f"{TORCH} MultiStepLR": "lambda o: MultiStepLR(o, milestones=[EVERY, 2 * EVERY], gamma=0.1), plain",
            f"{TIMM} MultiStepLRScheduler": "lambda o: MultiStepLRScheduler(o, decay_t=[EVERY, 2 * EVERY], "
            "decay_rate=0.1), timm_epochs",
        },
        rows="EPOCHS",
        constants=f"EPOCHS, EVERY = {EPOCHS}, {EVERY}  # epochs; the scheduler is stepped after each",
    ),
    twin=runs(
        STEP_LABELS,
        (twins.step_lr, {"step_size": EVERY, "gamma": 0.1}),
        (twins.timm_step, {"decay_t": EVERY, "decay_rate": 0.1}),
        (twins.multistep, {"milestones": [EVERY, 2 * EVERY], "gamma": 0.1}),
        (twins.timm_multistep, {"decay_t": [EVERY, 2 * EVERY], "decay_rate": 0.1}),
    ),
    log=True,
    xlabel="epoch",
    dashed=(STEP_LABELS[3],),
    same=((STEP_LABELS[0], STEP_LABELS[1]),),  # identical at every epoch: the build requires it
    # Both on StepLR's line for most epochs: markers, at strides that seldom meet (at 0, 35 and 70).
    marked=((STEP_LABELS[1], 5), (STEP_LABELS[2], 7)),
    note=measured(
        (
            (STEP_LABELS[1], STEP_LABELS[0]),
            (STEP_LABELS[2], STEP_LABELS[0]),
            (STEP_LABELS[3], STEP_LABELS[2]),
        ),
        unit="epoch",
    ),
)

# The two torch recipes for transformers' warm-up then cosine, run by the figure's script and shown
# on the page as they are written there.
FROM_ZERO_RECIPES = '''
def linear_lr_warmup_cosine(optimizer):
    """Warm-up from start_factor, above 0: (t + 1) / WARMUP, a step ahead."""
    warmup = LinearLR(optimizer, start_factor=1 / WARMUP, total_iters=WARMUP - 1)
    cosine = CosineAnnealingLR(optimizer, T_max=TOTAL - WARMUP)
    return SequentialLR(optimizer, [warmup, cosine], milestones=[WARMUP])


def lambda_lr_warmup_cosine(optimizer):
    """transformers' get_cosine_schedule_with_warmup, as a LambdaLR."""

    def factor(t):
        if t < WARMUP:
            return t / WARMUP  # 0 at t = 0: a LambdaLR takes any factor
        progress = (t - WARMUP) / (TOTAL - WARMUP)
        return 0.5 * (1.0 + math.cos(math.pi * progress))

    return LambdaLR(optimizer, factor)
'''
FROM_ZERO_LABELS = (f"lr[{TORCH}, LinearLR warm-up]", f"lr[{HF}]", f"lr[{TORCH}, LambdaLR]")

FROM_ZERO = Plot(
    id="lambdalr-from-zero",
    title="transformers' cosine in torch: LinearLR or LambdaLR",
    caption=(
        f"Linear warm-up over {W} steps, then a half cosine to 0 at step {T}, SGD at lr={LR}, written in torch "
        f"two ways beside transformers' `get_cosine_schedule_with_warmup(optimizer, {W}, {T})`: a `SequentialLR` "
        f"of `LinearLR(start_factor=1/{W}, total_iters={W - 1})` and `CosineAnnealingLR(T_max={T - W})`, and "
        f"(markers) a `LambdaLR` whose factor is `t / {W}` during warm-up and transformers' half cosine after it."
    ),
    code=trace_script(
        """
from torch.optim.lr_scheduler import CosineAnnealingLR, LambdaLR, LinearLR, SequentialLR
from transformers import get_cosine_schedule_with_warmup
""",
        {
            f"{TORCH}, LinearLR warm-up": "linear_lr_warmup_cosine, plain",
            HF: "lambda o: get_cosine_schedule_with_warmup(o, WARMUP, TOTAL), plain",
            f"{TORCH}, LambdaLR": "lambda_lr_warmup_cosine, plain",
        },
        recipes=FROM_ZERO_RECIPES,
    ),
    twin=runs(FROM_ZERO_LABELS[:2], (twins.sequential, COSINE_TORCH), (twins.hf_cosine, COSINE_HF)),
    same=((FROM_ZERO_LABELS[1], FROM_ZERO_LABELS[2]),),  # identical at every step: the build requires it
    marked=((FROM_ZERO_LABELS[2], 5),),  # on transformers' curve: markers, so neither hides the other
    note=measured(((FROM_ZERO_LABELS[0], FROM_ZERO_LABELS[1]), (FROM_ZERO_LABELS[2], FROM_ZERO_LABELS[1]))),
)

GUIDE = Guide(
    slug="libraries",
    title="One schedule, three libraries",
    summary="Warm-up then cosine, warm-up then linear, warmup-stable-decay, polynomial and step decay asked of torch, transformers and timm, run and overlaid, with the measured differences, torch's LambdaLR for transformers' warm-up from 0, and a table of their argument names.",
    template="guide_libraries.md.j2",
    plots=(WARMUP_COSINE, WARMUP_LINEAR, WSD, POLYNOMIAL, STEP_DECAY, FROM_ZERO),
    extra={"W": W, "T": T, "lr": LR, "from_zero_recipes": FROM_ZERO_RECIPES.strip()},
)
