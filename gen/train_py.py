"""timm's training script, train.py, as far as its learning-rate schedule goes: its flags and their
defaults. train.py is not in the timm wheel: these are read from it in timm's repository
(huggingface/pytorch-image-models, at COMMIT). It hands its flags to `create_scheduler_v2` through
`scheduler_kwargs`, which the installed timm has; tests/test_timm.py runs a page's command line
through them and compares the rates with the class itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

COMMIT = "c9e22eb"  # the newest train.py read; timm's 1.0.31 release ships no train.py

# The flags that set the schedule, by their argparse name, with train.py's defaults.
DEFAULTS: dict[str, Any] = {
    "sched": "cosine",
    "epochs": 300,
    "decay_epochs": 90,
    "decay_milestones": [90, 180, 270],
    "warmup_epochs": 5,
    "warmup_lr": 1e-5,
    "warmup_prefix": False,
    "cooldown_epochs": 0,
    "patience_epochs": 10,
    "decay_rate": 0.1,
    "min_lr": 0,
    "lr_noise": None,
    "lr_noise_pct": 0.67,
    "lr_noise_std": 1.0,
    "seed": 42,
    "lr_cycle_mul": 1.0,
    "lr_cycle_decay": 0.5,
    "lr_cycle_limit": 1,
    "lr_k_decay": 1.0,
    "sched_on_updates": False,
    "eval_metric": "top1",  # the plateau mode is "min" when it is "loss", else "max"
    "lr": None,  # None: lr_base * batch_size / lr_base_size (SGD), 0.05 with these defaults
    "lr_base": 0.1,
    "lr_base_size": 256,
    "batch_size": 128,
}
# create_scheduler_v2's argument -> the train.py flag that sets it (scheduler_kwargs).
FLAG = {
    "sched": "sched",
    "num_epochs": "epochs",
    "decay_epochs": "decay_epochs",
    "decay_milestones": "decay_milestones",
    "warmup_epochs": "warmup_epochs",
    "warmup_lr": "warmup_lr",
    "warmup_prefix": "warmup_prefix",
    "cooldown_epochs": "cooldown_epochs",
    "patience_epochs": "patience_epochs",
    "decay_rate": "decay_rate",
    "min_lr": "min_lr",
    "cycle_mul": "lr_cycle_mul",
    "cycle_decay": "lr_cycle_decay",
    "cycle_limit": "lr_cycle_limit",
    "k_decay": "lr_k_decay",
}
# create_scheduler_v2's own defaults where train.py's differ and a schedule depends on them.
FACTORY = {"warmup_epochs": 0}


def flags(kwargs: Mapping[str, Any], lr: float) -> dict[str, Any]:
    """The train.py flags (argparse names) that build what `create_scheduler_v2(optimizer,
    **kwargs)` builds on an optimizer of rate `lr`: every one whose default differs."""
    out: dict[str, Any] = {}
    for name, value in {**kwargs, **{k: v for k, v in FACTORY.items() if k not in kwargs}}.items():
        if name == "plateau_mode":
            out["eval_metric"] = "loss" if value == "min" else DEFAULTS["eval_metric"]
        elif name not in FLAG:
            raise ValueError(f"train.py has no flag for create_scheduler_v2's {name!r}")
        else:
            out[FLAG[name]] = value
    out["lr"] = lr
    return {k: v for k, v in out.items() if v != DEFAULTS[k] or k == "sched"}


def command(given: Mapping[str, Any]) -> str:
    """`python train.py ...` with these flags, as a shell line."""
    words = ["python train.py --data-dir /path/to/data"]
    for name, value in given.items():
        flag = "--" + name.replace("_", "-")
        if value is True:
            words.append(flag)
        elif isinstance(value, list):
            words.append(f"{flag} {' '.join(map(str, value))}")
        else:
            words.append(f"{flag} {value:g}" if isinstance(value, float) else f"{flag} {value}")
    return " ".join(words)
