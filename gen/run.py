"""Run a case on real torch: a fresh parameter set and optimizer per run, every step recorded."""

from __future__ import annotations

import functools
import importlib
import inspect
import json
import math
import random
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from gen import cache
from gen.cache import library_version
from gen.metric import val_loss
from gen.model import Case, CatalogError, Code, Entry, Optim, Run, Sched, Spec, Trace, jsonable

SCHEDULERS = "torch.optim.lr_scheduler"


def torch_version() -> str:
    """The release, without the local build tag: 2.13.0, not 2.13.0+cpu."""
    return library_version("torch").split("+")[0]


def scheduler_class(name: str, module: str = SCHEDULERS) -> type:
    return getattr(importlib.import_module(module), name)


@functools.cache  # read a thousand times per build; callers must not change the dict
def parameters(name: str, module: str = SCHEDULERS) -> dict[str, str | None]:
    """The constructor's parameters in order, each with the repr of its default (None: required).

    Cached per torch version (in cache.key): a warm rebuild need not import torch to read them."""
    key = f"signature/{cache.key(module, name)}.json"
    stored = cache.get(key)
    if stored is not None:
        return json.loads(stored)
    empty = inspect.Parameter.empty
    sig = inspect.signature(scheduler_class(name, module))
    found = {p.name: None if p.default is empty else repr(p.default) for p in sig.parameters.values()}
    cache.put(key, json.dumps(found).encode())
    return found


def make_optimizer(optim: Optim) -> Any:
    """One parameter per group, so no two runs (or schedulers) ever share state."""
    import torch

    groups = [{"params": [torch.nn.Parameter(torch.zeros(1))], "lr": lr} for lr in optim.lrs]
    return getattr(torch.optim, optim.name)(groups, **optim.args)


def materialize(value: Any, optimizer: Any) -> Any:
    """Catalog values to what torch takes: nested schedulers built on the same optimizer."""
    if isinstance(value, Sched):
        return scheduler_class(value.name)(optimizer=optimizer, **materialize(dict(value.args), optimizer))
    if isinstance(value, Code):
        import torch

        return eval(value.source, {"math": math, "torch": torch})  # noqa: S307 - catalog code
    if isinstance(value, Mapping):
        return {k: materialize(v, optimizer) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(materialize(v, optimizer) for v in value)
    return value


def momentum_key(optim: Optim) -> str | None:
    """The column a cycled momentum gets: SGD's `momentum` or Adam's first beta."""
    return _momentum_key(optim.name)


@functools.cache  # the class decides it (its defaults list every hyperparameter): one look per class
def _momentum_key(name: str) -> str | None:
    import torch

    defaults = getattr(torch.optim, name)([torch.zeros(1)]).defaults
    if "betas" in defaults:
        return "beta1"
    return "momentum" if "momentum" in defaults else None


def construct(owner: str, name: str, module: str, optimizer: Any, args: Mapping[str, Any]) -> Any:
    """The optimizer goes by keyword: ChainedScheduler takes `schedulers` first."""
    try:
        return scheduler_class(name, module)(optimizer=optimizer, **materialize(dict(args), optimizer))
    except Exception as exc:  # torch's own validation: report it against the catalog
        raise CatalogError(
            f"{owner}: torch rejected the arguments {dict(args)!r} of {name}: {type(exc).__name__}: {exc}"
        ) from exc


def run_once(entry: Entry, case: Case, spec: Spec) -> Run:
    own = not spec.overlay
    owner = f"{entry.name} case {case.id!r}{f' run {spec.label!r}' if spec.label else ''}"
    optimizer = make_optimizer(case.optim)
    before = None
    if own and case.before is not None:
        before = construct(f"{owner} field 'before'", case.before.name, SCHEDULERS, optimizer, case.before.args)
    scheduler = construct(owner, spec.name, entry.module if own else SCHEDULERS, optimizer, spec.args)
    groups = optimizer.param_groups
    lrs: list[list[float]] = [[] for _ in groups]
    moment: list[float] = []
    metric: list[float] = []
    key = momentum_key(case.optim)
    rng = random.Random(case.seed)
    for step in range(case.steps):
        for i, group in enumerate(groups):
            lrs[i].append(group["lr"])
        if key:
            moment.append(groups[0]["betas"][0] if key == "beta1" else groups[0]["momentum"])
        optimizer.step()
        try:
            if entry.metric and own:
                metric.append(val_loss(step, groups[0]["lr"], case.optim.lrs[0], rng))
                scheduler.step(metric[-1])
            elif before is not None and step < case.handover:
                before.step()
            elif case.iters and own:
                epoch, i = divmod(step, case.iters)
                scheduler.step(epoch + i / case.iters)
            else:
                scheduler.step()
        except Exception as exc:
            raise CatalogError(
                f"{owner}: torch raised at step {step} of {case.steps}: {type(exc).__name__}: {exc}; "
                "expected the schedule to accept every step the case asks for (check field 'steps')"
            ) from exc
    if len(lrs) == 1:
        columns: list[tuple[str, tuple[float, ...]]] = [("lr", tuple(lrs[0]))]
    else:
        columns = [(f"lr_group{i}", tuple(v)) for i, v in enumerate(lrs)]
    if key and len(set(moment)) > 1:  # only where the scheduler cycles it
        columns.append((key, tuple(moment)))
    if metric:
        columns.append(("metric", tuple(metric)))
    return Run(spec.label, dict(spec.args), tuple(columns), spec.name, spec.overlay)


@functools.cache
def running_code() -> tuple[str, str]:
    """The source that turns a case into a trace: this module and the synthetic metric."""
    return Path(__file__).read_text(), inspect.getsource(val_loss)


def trace_key(entry: Entry, case: Case) -> str:
    """Everything that determines a case's runs: its plan, optimizer, stepping, the torch version
    (in cache.key), and this module's and the metric's code."""
    plan = [(p.label, p.name, jsonable(p.args), p.overlay) for p in case.plan(entry.name)]
    stepping = [case.steps, case.seed, case.iters, jsonable(case.before), case.handover, case.warns]
    optim = [case.optim.name, case.optim.lrs, jsonable(case.optim.args)]
    code = running_code()
    return f"trace/{cache.key(entry.name, entry.module, entry.metric, plan, stepping, optim, code)}.json"


def run_case(entry: Entry, case: Case) -> Trace:
    """All runs of a case, from the cache when torch has run this very case before.

    A warm rebuild then neither steps torch nor imports its compiler stack (which the first
    `optimizer.step()` pulls in): it is most of a rebuild's time."""
    key = trace_key(entry, case)
    stored = cache.get(key)
    if stored is not None:
        data = json.loads(stored)
        runs = tuple(
            Run(p.label, dict(p.args), tuple((n, tuple(v)) for n, v in cols), p.name, p.overlay)
            for p, cols in zip(case.plan(entry.name), data["columns"], strict=True)
        )
        return Trace(entry=entry, case=case, runs=runs, warnings=tuple(data["warnings"]))
    trace = run_torch(entry, case)
    columns = [[[n, list(v)] for n, v in run.columns] for run in trace.runs]
    cache.put(key, json.dumps({"columns": columns, "warnings": list(trace.warnings)}).encode())
    return trace


def run_torch(entry: Entry, case: Case) -> Trace:
    """All runs of a case; a torch warning fails the build unless the case demonstrates it."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        runs = tuple(run_once(entry, case, spec) for spec in case.plan(entry.name))
    names = [[n for n, _ in run.columns] for run in runs]
    for run, cols in zip(runs, names, strict=True):
        if run.overlay and cols != names[0]:  # the Reproduce snippet records one set of columns
            raise CatalogError(
                f"{entry.name} case {case.id!r} field 'overlay': {run.scheduler} records columns {cols}, "
                f"the case's own run {names[0]}; expected the same columns (momentum is recorded only "
                "where a scheduler cycles it)"
            )
    messages = tuple(dict.fromkeys(f"{w.category.__name__}: {w.message}" for w in caught))
    unexpected = [m for m in messages if not (case.warns and case.warns in m)]
    if unexpected:
        raise CatalogError(
            f"{entry.name} case {case.id!r}: torch warned {unexpected[0]!r}; fix the case, or "
            "declare it a deliberate demonstration with warns='<part of the message>'"
        )
    if case.warns and not messages:
        raise CatalogError(
            f"{entry.name} case {case.id!r}: field 'warns' expects torch to warn "
            f"{case.warns!r}, but torch gave no warning"
        )
    return Trace(entry=entry, case=case, runs=runs, warnings=messages)
