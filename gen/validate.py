"""Catalog checks that run before torch does: every mistake named by scheduler, case and field."""

from __future__ import annotations

import dataclasses
import functools
import inspect
import math
import re
import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from gen import cache
from gen.cache import library_version
from gen.library import release, scheduler_class
from gen.model import Case, CatalogError, Code, Entry, Sched, jsonable, shown
from gen.twins import CHAIN_RULES, TWINS, period_of

SECTIONS = (
    "signature",
    "trainer",
    "train-py",
    "formula",
    "plots",
    "explore",
    "pitfalls",
)  # the scheduler page's own headings

# Names torch's annotations use only under TYPE_CHECKING.
_HINT_NAMES = {"Callable": Callable, "Iterable": Iterable, "Sequence": Sequence}


@functools.cache  # asked once per argument in the catalog: a thousand times
def signature(name: str, module: str) -> inspect.Signature:
    return inspect.signature(scheduler_class(name, module))


@functools.cache
def hints(name: str, module: str) -> dict[str, Any]:
    from torch.optim import Optimizer  # swa_utils names it only under TYPE_CHECKING

    made = scheduler_class(name, module)
    init = made.__init__ if isinstance(made, type) else made  # transformers' schedules are functions
    return typing.get_type_hints(init, localns={**_HINT_NAMES, "Optimizer": Optimizer})


def conforms(value: Any, hint: Any) -> bool:
    """A small structural check of catalog values against torch's annotations."""
    origin, params = typing.get_origin(hint), typing.get_args(hint)
    if hint is Any:
        return True
    if origin in (typing.Union, types.UnionType):
        return any(conforms(value, h) for h in params)
    if origin is typing.Literal:
        return value in params
    if hint is type(None):
        return value is None
    if isinstance(value, Sched):
        return isinstance(hint, type) and hint.__name__ in ("LRScheduler", "Optimizer")
    if isinstance(value, Code):
        return origin is Callable or hint is Callable or (origin in (list,) and conforms(value, params[0]))
    if origin in (list, tuple, Sequence, Iterable):
        return isinstance(value, (list, tuple)) and all(conforms(v, params[0]) for v in value) if params else True
    if origin is Callable or hint is Callable:
        return callable(value)
    if hint is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(hint, type):
        return isinstance(value, hint)
    return True


def describe(hint: Any) -> str:
    return re.sub(r"\btyping\.|<class '([^']+)'>", r"\1", str(hint))


def check_args(owner: str, name: str, module: str, args: Mapping[str, Any]) -> None:
    try:
        sig = signature(name, module)
    except AttributeError:
        raise CatalogError(f"{owner}: unknown scheduler {name!r}; expected a class in {module}") from None
    known = [p for p in sig.parameters if p != "optimizer"]
    types_ = hints(name, module)
    for key, value in args.items():
        if key not in known:
            raise CatalogError(f"{owner}: unknown argument {key!r} for {name}; expected one of {', '.join(known)}")
        if not conforms(value, types_.get(key, Any)):
            raise CatalogError(
                f"{owner}: argument {key}={value!r} has type {type(value).__name__}; expected {describe(types_[key])}"
            )
        for part in value if isinstance(value, (list, tuple)) else [value]:
            if isinstance(part, Sched):
                check_args(f"{owner} (part {part.name})", part.name, "torch.optim.lr_scheduler", part.args)
    if name == "ChainedScheduler":  # its twin steps each part's recursive form: only those it knows
        for part in args.get("schedulers", ()):
            if part.name not in CHAIN_RULES:
                raise CatalogError(
                    f"{owner}: argument schedulers has a {part.name}, whose recursive form the chain's twin "
                    f"does not model; expected parts among {', '.join(CHAIN_RULES)}"
                )
    missing = [
        p
        for p, v in sig.parameters.items()
        if v.default is inspect.Parameter.empty and p not in args and p != "optimizer"
    ]
    if missing:
        raise CatalogError(f"{owner}: missing required argument {missing[0]!r} for {name}")


def check_entry(entry: Entry, families: Iterable[str]) -> None:
    name = entry.name
    try:
        sig = signature(name, entry.module)
    except AttributeError:
        raise CatalogError(f"{name}: unknown scheduler; expected a class in {entry.module}") from None
    if entry.family not in families:
        raise CatalogError(f"{name}: field 'family' is {entry.family!r}; expected one of {', '.join(families)}")
    if entry.trainer:
        check_trainer(entry)
    documented = [a.name for a in entry.args]
    if documented != list(sig.parameters):
        raise CatalogError(
            f"{name}: field 'args' documents {documented}; expected {release(entry.module)}'s signature "
            f"{list(sig.parameters)}, in that order"
        )
    if not callable(entry.twin):
        raise CatalogError(f"{name}: field 'twin' is missing; expected a function Setting -> Curve (see gen/twins.py)")
    if entry.thumb and entry.thumb not in (ids := [c.id for c in entry.cases]):
        raise CatalogError(f"{name}: field 'thumb' is {entry.thumb!r}, not a case; expected one of {', '.join(ids)}")
    seen: set[str] = set()
    for case in entry.cases:
        owner = f"{name} case {case.id!r}"
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", case.id):
            raise CatalogError(f"{owner}: field 'id' must be lowercase words joined by '-'")
        if case.id in seen:
            raise CatalogError(f"{owner}: field 'id' is used twice; expected unique case ids")
        seen.add(case.id)
        import torch.optim

        if not hasattr(torch.optim, case.optim.name):
            raise CatalogError(f"{owner}: field 'optim' names unknown optimizer {case.optim.name!r}")
        if case.vary is not None and not case.values:
            raise CatalogError(f"{owner}: field 'values' is empty; expected the values of {case.vary!r} to sweep")
        check_stepping(entry, case, owner)
        for label, args in case.runs():
            where = f"{owner}{f' run {label!r}' if label else ''}"
            check_args(where, name, entry.module, args)
            # The whole schedule after any handover, in batches when stepped by fractional epochs.
            need = case.handover + entry.span(args) * (case.epoch_batches(args) or 1)
            if case.steps < need:
                raise CatalogError(
                    f"{where}: field 'steps' is {case.steps}, too short to show the whole schedule; "
                    f"expected at least {need}"
                )
            check_period_log(where, entry, case, args, case.steps)
            check_cycle_log(where, entry, case, args, case.steps)
    if len(entry.cases) < 2:
        raise CatalogError(f"{name}: field 'cases' has {len(entry.cases)}; expected at least two")
    taken = {*SECTIONS, *seen}  # one page: a pitfall's anchor must not land on a plot or a section
    for pitfall in entry.pitfalls:
        if pitfall.id in taken:
            raise CatalogError(
                f"{name} pitfall {pitfall.id!r}: field 'id' is already an anchor on the page; "
                f"expected one used by no case, pitfall or section ({', '.join(sorted(SECTIONS))})"
            )
        taken.add(pitfall.id)
        if not pitfall.expect and not pitfall.symptom:
            raise CatalogError(
                f"{name} pitfall {pitfall.id!r}: field 'symptom' is empty; a silent pitfall (no 'expect') "
                "says what the reader sees"
            )
    check_explore(entry)


# transformers' functions that only pass **kwargs on to a class: the class's page is theirs.
FORWARDS = {"get_greedy_schedule": "GreedyLR", "get_reduce_on_plateau_schedule": "ReduceLROnPlateau"}


def check_trainer(entry: Entry) -> None:
    """The `lr_scheduler_type` a page tells Trainer users to write must be the one that builds it."""
    from transformers.optimization import TYPE_TO_SCHEDULER_FUNCTION, SchedulerType

    owner = f"{entry.name}: field 'trainer' is {entry.trainer!r}"
    try:
        kind = SchedulerType(entry.trainer)
    except ValueError:
        names = ", ".join(t.value for t in SchedulerType)
        raise CatalogError(f"{owner}; expected one of transformers' lr_scheduler_type names: {names}") from None
    made_by = TYPE_TO_SCHEDULER_FUNCTION[kind].__name__
    built = FORWARDS.get(made_by, made_by)
    if built != entry.name:
        raise CatalogError(f"{owner}, which builds {built}; expected the type that builds {entry.name}")


MAX_SETTINGS = 64  # each is a torch run at build time and a curve in the page's data file


def check_explore(entry: Entry) -> None:
    """The Explore grid: a real base case, one to three controls of distinct plain values, at most
    MAX_SETTINGS combinations, each accepted by the signature and long enough for the schedule."""
    name, ex = entry.name, entry.explore
    known = [p for p in signature(name, entry.module).parameters if p != "optimizer"]
    if ex is None and set(known) <= {"last_epoch"}:
        return  # nothing to move: get_constant_schedule
    if ex is None:
        raise CatalogError(
            f"{name}: field 'explore' is missing; expected Explore(base=<case id>, controls=(Control(...), ...))"
        )
    cases = {c.id: c for c in entry.cases}
    if ex.base not in cases:
        raise CatalogError(
            f"{name} field 'explore': base {ex.base!r} is not a case; expected one of {', '.join(cases)}"
        )
    base = cases[ex.base]
    if len(base.optim.lrs) != 1:
        raise CatalogError(
            f"{name} field 'explore': base {ex.base!r} has {len(base.optim.lrs)} parameter groups; expected one"
        )
    if not 1 <= len(ex.controls) <= 3:
        raise CatalogError(f"{name} field 'explore': {len(ex.controls)} controls; expected one to three")
    args = [c.arg for c in ex.controls]
    for control in ex.controls:
        owner = f"{name} explore control {control.arg!r}"
        if args.count(control.arg) > 1:
            raise CatalogError(f"{owner}: listed twice; expected each control once")
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", control.arg):
            raise CatalogError(f"{owner}: field 'arg' must be an identifier (it names the control in the URL)")
        if ex.build is None and control.arg not in known:
            raise CatalogError(
                f"{owner}: unknown argument {control.arg!r} for {name}; expected one of {', '.join(known)} "
                "(or an Explore.build that reads it)"
            )
        if not control.values:
            raise CatalogError(f"{owner}: field 'values' is empty; expected the values to offer")
        keys = [control.key(v) for v in control.values]
        for value, k in zip(control.values, keys, strict=True):
            if not _plain(value):
                raise CatalogError(
                    f"{owner} value {value!r}: has type {type(value).__name__}; expected a number, string, "
                    "bool, None or a list of numbers (use Explore.build for lambdas and nested schedulers)"
                )
            if keys.count(k) > 1:
                raise CatalogError(f"{owner} value {value!r}: listed twice; expected distinct values")
    grid = ex.grid()
    if len(grid) > MAX_SETTINGS:
        raise CatalogError(
            f"{name} field 'explore': {' x '.join(str(len(c.values)) for c in ex.controls)} values make "
            f"{len(grid)} settings; expected at most {MAX_SETTINGS}"
        )
    steps = ex.steps or base.steps
    first = grid[0]
    for control in ex.controls:  # each value alone first, so a bad one is named as such
        for value in control.values:
            where = f"{name} explore control {control.arg!r} value {value!r}"
            check_args(where, name, entry.module, ex.arguments(base.args, {**first, control.arg: value}))
    for values in grid:
        where = f"{name} field 'explore', setting {', '.join(f'{k}={v!r}' for k, v in values.items())}"
        run_args = ex.arguments(base.args, values)
        check_args(where, name, entry.module, run_args)
        need = base.handover + entry.span(run_args) * (base.epoch_batches(run_args) or 1)
        if steps < need:
            raise CatalogError(
                f"{where}: {steps} steps are too short to show the whole schedule; expected at least {need} "
                "(set Explore.steps, or drop the value)"
            )
        check_period_log(where, entry, base, run_args, steps)
        check_cycle_log(where, entry, base, run_args, steps)


def _plain(value: Any) -> bool:
    if isinstance(value, list):
        return all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
    return value is None or isinstance(value, (bool, int, float, str))


def check_other(owner: str, sched: Sched) -> None:
    """A scheduler the case runs besides the entry's: real, well-argued, and with a twin to check it."""
    try:
        scheduler_class(sched.name)
    except AttributeError:
        raise CatalogError(
            f"{owner}: unknown scheduler {sched.name!r}; expected a class in torch.optim.lr_scheduler"
        ) from None
    check_args(f"{owner} ({sched.name})", sched.name, "torch.optim.lr_scheduler", sched.args)
    if sched.name not in TWINS:
        raise CatalogError(f"{owner}: {sched.name} has no twin; expected one in gen.twins.TWINS")


def check_stepping(entry: Entry, case: Case, owner: str) -> None:
    """The fields that go beyond one scheduler stepped plainly: overlay, iters, before/handover."""
    for sched in case.overlay:
        check_other(f"{owner} field 'overlay'", sched)
    labels = [p.label for p in case.plan(entry.name)]
    for label in labels:
        if labels.count(label) > 1:
            raise CatalogError(f"{owner}: two runs are labelled {label!r}; expected distinct overlay schedulers")
    if case.overlay and entry.metric:
        raise CatalogError(f"{owner}: field 'overlay' is not supported for metric-driven schedulers")
    if case.iters is not None and (not isinstance(case.iters, int) or case.iters < 1 or entry.metric):
        raise CatalogError(
            f"{owner}: field 'iters' is {case.iters!r}; expected a positive int (batches per epoch) "
            "on a scheduler stepped without a metric"
        )
    if case.before is None:
        if case.handover:
            raise CatalogError(
                f"{owner}: field 'handover' is {case.handover} without 'before'; expected both or neither"
            )
        return
    check_other(f"{owner} field 'before'", case.before)
    if entry.metric or not 0 < case.handover < case.steps:
        raise CatalogError(
            f"{owner}: field 'handover' is {case.handover}; expected a step between 1 and steps - 1 "
            f"({case.steps - 1}) on a scheduler stepped without a metric"
        )


def _off(found: int, exact: int, unit: str) -> str:
    n = abs(found - exact)
    return f"{'one' if n == 1 else n} {unit}{'s' if n > 1 else ''} {'short' if found < exact else 'past'}"


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_period_log(where: str, entry: Entry, case: Case, args: Mapping[str, Any], steps: int) -> None:
    """A known limit of torch, not a twin: CosineAnnealingWarmRestarts stepped with fractional epochs
    (`step(epoch + i / iters)`) must find, at every epoch the run shows, the period that the exact
    lengths T_0, T_0 * T_mult, ... give. At some restarts torch's float logarithm lands one short."""
    if entry.name != "CosineAnnealingWarmRestarts" or entry.library != "torch" or not case.iters:
        return  # stepped without an argument, torch keeps T_cur and T_i as counters
    t0, mult = args.get("T_0"), args.get("T_mult", 1)
    if not (_whole(t0) and _whole(mult) and t0 >= 1 and mult >= 2):
        return  # T_mult=1 takes epoch % T_0; other values torch itself rejects
    # The call after row k (k from the handover on) sets the rate of row k + 1; the last call shows nowhere.
    for k in range(case.handover, steps - 1):
        e, i = divmod(k, case.iters)
        epoch = e + i / case.iters
        # torch's step(epoch), documented in lr_scheduler.py, for epoch >= T_0 and T_mult != 1:
        #     n = int(math.log((epoch / self.T_0 * (self.T_mult - 1) + 1), self.T_mult))
        # (e.g. T_mult=3 at epoch 121 * T_0: int(4.999999999999999) = 4, where the period is the fifth).
        found = int(math.log(epoch / t0 * (mult - 1) + 1, mult)) if epoch >= t0 else 0
        n = period_of(epoch, t0, mult)[0]  # the exact period, as twins.warm_restarts finds it
        if found != n:
            what = "eta_min instead of a restart" if found < n else f"a restart before period i={n} ends"
            raise CatalogError(
                f"{where}: argument T_mult={mult!r} with T_0={t0!r}: torch finds the period with a float log "
                f"that lands {_off(found, n, 'period')} at epoch {shown(epoch)} ({what}); expected at most "
                f"{k + 1} steps (a run that stops before epoch {shown(epoch)}), or another T_mult"
            )


TIMM_CYCLES = ("CosineLRScheduler", "TanhLRScheduler", "PolyLRScheduler")


def check_cycle_log(where: str, entry: Entry, case: Case, args: Mapping[str, Any], steps: int) -> None:
    """A known limit of timm, not a twin: its cosine, tanh and poly schedules with cycle_mul != 1 must
    find, at every t the run reaches, the cycle that the exact lengths t_initial, t_initial *
    cycle_mul, ... give. At some restarts timm's float logarithm lands a cycle off; only where the
    rate shows it (a cycle before cycle_limit, since every later one is lr_min)."""
    if entry.name not in TIMM_CYCLES or entry.library != "timm":
        return
    ti, mul = args.get("t_initial"), args.get("cycle_mul", 1.0)
    if not (isinstance(ti, (int, float)) and isinstance(mul, (int, float)) and ti > 0 and 0 < mul != 1):
        return  # equal cycles take t // t_initial; other values are the run's to report
    limit, w = args.get("cycle_limit", 1), args.get("warmup_t", 0)
    prefix = args.get("warmup_prefix", False)
    if case.iters is None and not args.get("t_in_epochs", True):
        return  # stepped per epoch, timm heeds only step_update, which the loop never calls: t stays 0
    per = case.epoch_batches(args) or 1  # rows per unit of t: t is the epoch, or the update (gen.reproduce)
    for t in range(max(1, w), (steps - 1) // per + 1):  # before warmup_t the rate is the warm-up's
        x = t - w if prefix else t
        # timm's _get_lr(t), documented in cosine_lr.py, tanh_lr.py and poly_lr.py, for cycle_mul != 1:
        #     i = math.floor(math.log(1 - t / self.t_initial * (1 - self.cycle_mul), self.cycle_mul))
        # (e.g. cycle_mul=1.25, t_initial=16 at t=61: floor(2.9999999999999996) = 2, where the cycle is i=3).
        inside = 1 - x / ti * (1 - mul)
        if inside <= 0:
            return  # past the end of shrinking cycles timm's log raises: the run reports it
        found = min(math.floor(math.log(inside, mul)), limit)
        i = min(period_of(x, ti, mul)[0], limit)  # the exact cycle (twins.timm_cycle); lr_min from cycle_limit on
        if found != i:
            if found < i:
                what = f"the end of cycle i={found} instead of " + ("a restart" if i < limit else "lr_min")
            else:
                what = f"{'a restart' if found < limit else 'lr_min'} before cycle i={i} ends"
            after = f" after warmup_t={w!r}" if prefix and w else ""
            raise CatalogError(
                f"{where}: argument cycle_mul={mul!r} with t_initial={ti!r}{after}: timm finds the cycle with a "
                f"float log that lands {_off(found, i, 'cycle')} at t={t} ({what}); expected a run that stops "
                f"before t={t} (at most {t * per} steps), or another cycle_mul"
            )


def check_catalog(entries: Sequence[Entry], families: Iterable[str]) -> None:
    """Every check, unless this very catalog passed them with this torch before (a warm rebuild
    then need not import torch just to read signatures)."""
    families = list(families)
    key = f"valid/{cache.key('validate', facts(entries, families))}"
    if cache.get(key) is not None:
        return
    names = [e.name for e in entries]
    for entry in entries:
        if names.count(entry.name) > 1:
            raise CatalogError(f"{entry.name}: listed twice in the catalog")
        check_entry(entry, families)
    cache.put(key, b"valid\n")


def facts(entries: Sequence[Entry], families: list[str]) -> list[Any]:
    """Everything the checks above read, as JSON: every field of every entry (`fingerprint`),
    what its functions give for the arguments checked (sweeps, spans, the Explore settings), and
    the checks' own code."""

    def span(entry: Entry, args: Mapping[str, Any]) -> Any:
        try:
            return entry.span(args)
        except Exception as exc:  # reported properly by check_args when the checks run
            return repr(exc)

    def runs(entry: Entry, case: Case) -> Any:
        try:
            return [[label, jsonable(args), span(entry, args)] for label, args in case.runs()]
        except Exception as exc:
            return repr(exc)

    return [
        families,
        sorted(TWINS),
        Path(__file__).read_text(),
        [
            [
                fingerprint(e),
                [runs(e, c) for c in e.cases],
                [p.label for c in e.cases for p in c.plan(e.name)],
                explore_facts(e, span),
            ]
            for e in entries
        ],
    ]


def fingerprint(value: Any) -> Any:
    """A catalog value as JSON, every field of every dataclass in it: a check that reads a new
    field is covered without listing it. A function counts by its presence; what it returns for
    the checked arguments is listed beside it (`facts`)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [type(value).__name__, {f.name: fingerprint(getattr(value, f.name)) for f in dataclasses.fields(value)}]
    if isinstance(value, Mapping):
        return {str(k): fingerprint(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [fingerprint(v) for v in value]
    if callable(value):
        return "<function>"
    return value


def explore_facts(entry: Entry, span: Callable[[Entry, Mapping[str, Any]], Any]) -> Any:
    ex = entry.explore
    if ex is None:
        return None
    base = next((c for c in entry.cases if c.id == ex.base), None)
    head = [ex.base, ex.steps, [[c.arg, c.label, jsonable(list(c.values))] for c in ex.controls]]
    if base is None or not 1 <= len(ex.controls) <= 3 or len(ex.grid()) > MAX_SETTINGS:
        return head  # the checks fail before reading any setting
    try:
        settings = [ex.arguments(base.args, v) for v in ex.grid()]
    except Exception as exc:  # reported by check_args when the checks run
        return [*head, repr(exc)]
    return head + [[jsonable(a), span(entry, a)] for a in settings]


def _torch() -> str:
    return library_version("torch")
