"""Guide: writing your own scheduler, with gen/guides/inverse_sqrt.py as the worked example.

The page shows that module's source as it is; the figure's script is that source followed by the
code that runs it, so what is checked is what is shown.
"""

from __future__ import annotations

import math
from pathlib import Path

from gen.guides.model import Guide, Plot

# Read, not imported: importing it imports torch, which a warm rebuild never needs.
SOURCE = Path(__file__).with_name("inverse_sqrt.py").read_text()
LR, WARMUP, STEPS, STOP, GAMMA = 0.1, 20, 200, 80, 0.99

DRIVER = f"""

# --- Above: gen/guides/inverse_sqrt.py of the LR Scheduler Atlas. Below: the figure's runs. ---

import csv  # noqa: E402
import io  # noqa: E402
import sys  # noqa: E402

import torch  # noqa: E402
from torch.optim.lr_scheduler import ChainedScheduler, ExponentialLR  # noqa: E402

STEPS, STOP = {STEPS}, {STOP}


def new_optimizer():
    return torch.optim.AdamW([torch.nn.Parameter(torch.zeros(1))], lr={LR})


def train(optimizer, scheduler, steps, used):
    for _ in range(steps):
        used.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()


optimizer = new_optimizer()
alone = []
train(optimizer, InverseSqrtLR(optimizer, warmup={WARMUP}), STEPS, alone)

# Stop at STOP, keep both states, resume on new objects: the state_dict round trip.
optimizer = new_optimizer()
scheduler = InverseSqrtLR(optimizer, warmup={WARMUP})
resumed = []
train(optimizer, scheduler, STOP, resumed)
buffer = io.BytesIO()
torch.save({{"optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict()}}, buffer)
buffer.seek(0)
state = torch.load(buffer)
optimizer = new_optimizer()
scheduler = InverseSqrtLR(optimizer, warmup={WARMUP})
optimizer.load_state_dict(state["optimizer"])
scheduler.load_state_dict(state["scheduler"])
train(optimizer, scheduler, STEPS - STOP, resumed)

# The chainable get_lr composes: times an exponential decay, at once.
optimizer = new_optimizer()
both = ChainedScheduler([InverseSqrtLR(optimizer, warmup={WARMUP}), ExponentialLR(optimizer, gamma={GAMMA})])
chained = []
train(optimizer, both, STEPS, chained)

runs = {{
    "lr[InverseSqrtLR(warmup={WARMUP})]": alone,
    "lr[resumed at step {STOP}: identical]": resumed,
    "lr[chained with ExponentialLR(gamma={GAMMA})]": chained,
}}
out = csv.writer(sys.stdout, lineterminator="\\n")
out.writerow(["step", *runs])
for step, row in enumerate(zip(*runs.values(), strict=True)):
    out.writerow([step, *map(repr, row)])
"""


def factor(t: int) -> float:
    """The warm-up line and the inverse square root meet at t + 1 = WARMUP."""
    return (t + 1) / WARMUP if t + 1 <= WARMUP else math.sqrt(WARMUP) / math.sqrt(t + 1)


INVERSE_SQRT = Plot(
    id="inverse-sqrt",
    title="InverseSqrtLR: warm-up, then 1/√t",
    caption=(
        f"A custom scheduler, `InverseSqrtLR(optimizer, warmup={WARMUP})`, AdamW at lr={LR}, over {STEPS} steps: "
        f"the rate rises linearly to lr at step {WARMUP - 1}, then falls as the inverse square root of the step. "
        f"Drawn three ways: alone; stopped at step {STOP} and resumed from the optimizer's and scheduler's "
        f"state dicts (a dot every 10 steps, each on the first curve); and in a `ChainedScheduler` with `ExponentialLR(gamma={GAMMA})`, "
        "which multiplies the two schedules."
    ),
    code=SOURCE + DRIVER,
    twin=lambda n: {
        f"lr[InverseSqrtLR(warmup={WARMUP})]": [LR * factor(t) for t in range(n)],
        f"lr[chained with ExponentialLR(gamma={GAMMA})]": [LR * factor(t) * GAMMA**t for t in range(n)],
    },
    same=((f"lr[InverseSqrtLR(warmup={WARMUP})]", f"lr[resumed at step {STOP}: identical]"),),
    marked=((f"lr[resumed at step {STOP}: identical]", 10),),  # on the first line, yet visible
    formula=r"\eta_t = \eta_0 \min\bigl(\tfrac{t+1}{W}, \sqrt{W / (t+1)}\bigr),\ \text{chained: } \times\,\gamma^t",
)

GUIDE = Guide(
    slug="custom-scheduler",
    title="Writing your own scheduler",
    summary="Subclass LRScheduler: get_lr in chainable form, _get_closed_form_lr, state_dict, with a worked inverse-square-root example verified like the built-in ones.",
    template="guide_custom.md.j2",
    plots=(INVERSE_SQRT,),
    extra={"source": SOURCE, "warmup": WARMUP},
)
