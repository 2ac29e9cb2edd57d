"""A scheduler case as the script that runs it: the build runs this very script and publishes it.

`python <case>.py` prints the figure's data as CSV with the library alone; the build runs the same
text (gen.script) and draws what it printed, so the published Reproduce script and the curve can
never disagree.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Mapping
from typing import Any

from gen import metric
from gen.library import SCHEDULERS, parameters, release, torch_version
from gen.model import Case, Code, Entry, Optim, Sched

WIDTH = 88
FLAT = 10**6  # a width nothing reaches: one line, for captions and alt text


def source(value: Any, indent: int = 0, width: int = WIDTH) -> str:
    """Python source for a catalog value, wrapped like a formatter would past `width` columns."""
    if isinstance(value, Sched):
        return scheduler_call(value.name, value.args, indent, width)
    if isinstance(value, Code):
        return value.source
    if isinstance(value, (list, tuple)):
        items = [source(v, indent + 4, width) for v in value]
        open_, close = ("[", "]") if isinstance(value, list) else ("(", ",)" if len(value) == 1 else ")")
        flat = open_ + ", ".join(items) + close
        if len(flat) + indent <= width and "\n" not in flat:
            return flat
        pad = " " * (indent + 4)
        return open_ + "\n" + "".join(f"{pad}{i},\n" for i in items) + " " * indent + close[-1]
    return repr(value)


def call(
    name: str, args: Mapping[str, Any], indent: int = 0, first: str | None = "optimizer", width: int = WIDTH
) -> str:
    items = ([first] if first else []) + [f"{k}={source(v, indent + 4, width)}" for k, v in args.items()]
    flat = f"{name}({', '.join(items)})"
    if len(flat) + indent <= width and "\n" not in flat:
        return flat
    pad = " " * (indent + 4)
    return f"{name}(\n" + "".join(f"{pad}{i},\n" for i in items) + " " * indent + ")"


def scheduler_call(
    name: str, args: Mapping[str, Any], indent: int = 0, width: int = WIDTH, module: str = SCHEDULERS
) -> str:
    """`Name(optimizer, ...)`; a class taking something else first (ChainedScheduler) gets it by keyword."""
    if next(iter(parameters(name, module))) == "optimizer":
        return call(name, args, indent, width=width)
    return call(name, {**args, "optimizer": Code("optimizer")}, indent, first=None, width=width)


def optimizer_source(optim: Optim, indent: int = 4) -> str:
    param = "torch.nn.Parameter(torch.zeros(1))"
    if len(optim.lrs) == 1:
        return call(f"torch.optim.{optim.name}", {"lr": optim.lrs[0], **optim.args}, indent, first=f"[{param}]")
    groups = [f'{{"params": [{param}], "lr": {lr!r}}}' for lr in optim.lrs]
    pad = " " * (indent + 8)
    listing = "[\n" + "".join(f"{pad}{g},\n" for g in groups) + " " * (indent + 4) + "]"
    return call(f"torch.optim.{optim.name}", dict(optim.args), indent, first=listing)


def scheduler_names(value: Any) -> set[str]:
    if isinstance(value, Sched):
        return {value.name} | scheduler_names(list(value.args.values()))
    if isinstance(value, (list, tuple)):
        return set().union(*(scheduler_names(v) for v in value)) if value else set()
    if isinstance(value, Mapping):
        return scheduler_names(list(value.values()))
    return set()


def uses_math(value: Any) -> bool:
    """Whether a catalog lambda refers to `math` (run.py evaluates Code with it in scope)."""
    if isinstance(value, Code):
        return "math." in value.source
    if isinstance(value, Sched):
        return uses_math(dict(value.args))
    if isinstance(value, Mapping):
        return any(uses_math(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(uses_math(v) for v in value)
    return False


def momentum_column(entry: Entry, case: Case) -> str | None:
    """`momentum` (SGD) or `beta1` (Adam) where the scheduler cycles it: a scheduler that takes
    `cycle_momentum`, left on, with an optimizer that has either."""
    own = parameters(entry.name, entry.module)
    if "cycle_momentum" not in own or not any(
        args.get("cycle_momentum", own["cycle_momentum"] == "True") for _, args in case.runs()
    ):
        return None
    optim = parameters(case.optim.name, "torch.optim")
    return "beta1" if "betas" in optim else "momentum" if "momentum" in optim else None


def columns(entry: Entry, case: Case) -> list[str]:
    """What each run records: the rate of every group, a cycled momentum, the loss it was given."""
    groups = case.optim.lrs
    names = ["lr"] if len(groups) == 1 else [f"lr_group{i}" for i in range(len(groups))]
    if key := momentum_column(entry, case):
        names.append(key)
    return names + (["metric"] if entry.metric else [])


def needs(entry: Entry) -> str:
    """What a script needs installed, and the versions the atlas ran."""
    if entry.library == "torch":
        return f"Needs only torch (the atlas used {torch_version()})."
    return f"Needs torch and {entry.library} (the atlas used torch {torch_version()} and {release(entry.module)})."


def script(entry: Entry, case: Case) -> str:
    """A self-contained script: `python <case>.py` prints exactly the published CSV."""
    plan = case.plan(entry.name)
    names = columns(entry, case)
    used = [Sched(p.name, p.args) for p in plan] + ([case.before] if case.before else [])
    nested = sorted((scheduler_names(used) | set(case.imports)) - {entry.name})
    lines = [
        f'"""Reproduce "{case.title}" ({entry.name}) from the LR Scheduler Atlas.',
        "",
        needs(entry) + " Prints the figure's data as CSV.",
        '"""',
        "",
    ]
    lines += ["import csv"]
    if entry.metric or uses_math(used):
        lines.append("import math")
    if entry.metric:
        lines.append("import random")
    lines += ["import sys", "", "import torch"]
    if entry.module == SCHEDULERS:
        lines.append(f"from {SCHEDULERS} import {', '.join(sorted({*nested, entry.name}))}")
    else:
        lines += [f"from {SCHEDULERS} import {', '.join(nested)}"] if nested else []
        lines.append(f"from {entry.module} import {entry.name}")
    lines += ["", f"STEPS = {case.steps}"]
    if case.iters:
        lines.append(f"ITERS = {case.iters}  # batches per epoch")
    if case.before:
        lines.append(f"HANDOVER = {case.handover}  # the step from which the second scheduler takes over")
    lines.append("")
    if entry.metric:
        lines += ["", inspect.getsource(metric.val_loss).rstrip(), ""]
    params = ["make_scheduler"]
    if case.before:
        params.append("make_before=None")
    if case.iters and case.overlay:
        params.append("fractional=True")
    lines += [
        "",
        f"def trace({', '.join(params)}):",
        '    """Train nothing, but step a fresh optimizer and its scheduler; record each step."""',
        f"    optimizer = {optimizer_source(case.optim)}",
    ]
    if case.before:
        lines.append("    before = make_before(optimizer) if make_before else None")
    lines += [
        "    scheduler = make_scheduler(optimizer)",
        f"    columns = {{{', '.join(f'{json.dumps(n)}: []' for n in names)}}}",
    ]
    if entry.metric:
        lines.append(f"    rng = random.Random({case.seed})")
    lines += ["    for step in range(STEPS):", "        groups = optimizer.param_groups"]
    for n in names:
        if n == "lr":
            lines.append('        columns["lr"].append(groups[0]["lr"])')
        elif n.startswith("lr_group"):
            lines.append(f'        columns["{n}"].append(groups[{n[8:]}]["lr"])')
        elif n == "momentum":
            lines.append('        columns["momentum"].append(groups[0]["momentum"])')
        elif n == "beta1":
            lines.append('        columns["beta1"].append(groups[0]["betas"][0])')
    lines.append("        optimizer.step()")
    if entry.metric:
        lines += [
            f'        loss = val_loss(step, groups[0]["lr"], {case.optim.lrs[0]!r}, rng)',
            '        columns["metric"].append(loss)',
            # timm's train.py passes the next epoch too
            "        scheduler.step(step + 1, loss)" if entry.library == "timm" else "        scheduler.step(loss)",
        ]
    elif entry.library == "timm":  # timm's own protocol, as its train.py steps it
        if case.iters:
            lines += [
                "        scheduler.step_update(num_updates=step + 1)  # after every batch",
                "        if (step + 1) % ITERS == 0:",
                "            scheduler.step((step + 1) // ITERS)  # after every epoch, with the next epoch",
            ]
        else:
            lines.append("        scheduler.step(step + 1)  # after every epoch, with the next epoch")
    else:
        branches = []
        if case.before:
            branches.append(("before and step < HANDOVER", ["before.step()"]))
        if case.iters:
            fractional = ["epoch, i = divmod(step, ITERS)", "scheduler.step(epoch + i / ITERS)"]
            branches.append(("fractional" if case.overlay else "", fractional))
        if not branches or branches[-1][0]:
            branches.append(("", ["scheduler.step()"]))
        for k, (cond, body) in enumerate(branches):
            pad = "        " if len(branches) == 1 else "            "
            if len(branches) > 1:
                lines.append(f"        {'if' if k == 0 else 'elif'} {cond}:" if cond else "        else:")
            lines += [pad + b for b in body]
    lines += ["    return columns", "", "", "runs = {"]
    for spec in plan:
        make = f"lambda optimizer: {scheduler_call(spec.name, spec.args, 4, module=entry.module if not spec.overlay else SCHEDULERS)}"
        extra = ""
        if case.before and not spec.overlay:
            extra = f", make_before=lambda optimizer: {scheduler_call(case.before.name, case.before.args, 4)}"
        if case.iters and spec.overlay:
            extra = ", fractional=False"
        lines.append(f"    {json.dumps(spec.label)}: trace({make}{extra}),")
    lines += [
        "}",
        'header, values = ["step"], []',
        "for label, columns in runs.items():",
        "    for name, column in columns.items():",
        '        header.append(f"{name}[{label}]" if label else name)',
        "        values.append(column)",
        'out = csv.writer(sys.stdout, lineterminator="\\n")',
        "out.writerow(header)",
        "for step in range(STEPS):",
        "    out.writerow([str(step)] + [repr(column[step]) for column in values])",
    ]
    return "\n".join(lines) + "\n"
