"""Independent closed forms of each schedule, written from the formulas on the pages.

A twin never calls a scheduler: it gets the arguments, the optimizer's rates and (for
metric-driven schedules) the metric sequence, and predicts every step. `verify` compares
it with the torch trace.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from gen.model import Curve, Sched, Setting


def per_group(value: Any, n: int) -> list[Any]:
    """A scalar argument applies to every group; a list gives one value per group."""
    return list(value) if isinstance(value, (list, tuple)) else [value] * n


def closed(setting: Setting, rate: Callable[[float, int], float]) -> Curve:
    """A schedule that is a function of the base rate and the step alone."""
    return Curve(tuple(tuple(rate(b, t) for t in range(setting.steps)) for b in setting.base_lrs))


def cosine_annealing(s: Setting) -> Curve:
    t_max, eta_min = s.args["T_max"], s.args.get("eta_min", 0.0)
    return closed(s, lambda b, t: eta_min + (b - eta_min) * (1 + math.cos(math.pi * t / t_max)) / 2)


def linear(s: Setting) -> Curve:
    f0, f1 = s.args.get("start_factor", 1 / 3), s.args.get("end_factor", 1.0)
    n = s.args.get("total_iters", 5)
    return closed(s, lambda b, t: b * (f0 + (f1 - f0) * min(t, n) / n))


def one_cycle(s: Setting) -> Curve:
    a = s.args
    total = a.get("total_steps") or a["epochs"] * a["steps_per_epoch"]
    pct, div, final_div = a.get("pct_start", 0.3), a.get("div_factor", 25.0), a.get("final_div_factor", 1e4)

    def anneal(start: float, end: float, x: float) -> float:
        if a.get("anneal_strategy", "cos") == "linear":
            return start + (end - start) * x
        return end + (start - end) * (1 + math.cos(math.pi * x)) / 2

    # Phase boundaries (last step of each phase) and which end points each phase joins:
    # 0 = initial rate, 1 = peak rate, 2 = final rate; momentum runs the other way.
    if a.get("three_phase", False):
        ends = (pct * total - 1, 2 * pct * total - 2, total - 1)
        lr_ends, m_ends = ((0, 1), (1, 0), (0, 2)), ((1, 0), (0, 1), (1, 1))
    else:
        ends = (pct * total - 1, total - 1)
        lr_ends, m_ends = ((0, 1), (1, 2)), ((1, 0), (0, 1))

    def at(t: int, points: Sequence[float], joins: Sequence[tuple[int, int]]) -> float:
        start = 0.0
        for i, end in enumerate(ends):
            if t <= end or i == len(ends) - 1:
                return anneal(points[joins[i][0]], points[joins[i][1]], (t - start) / (end - start))
            start = end
        raise AssertionError("unreachable")

    n = len(s.base_lrs)
    lrs = []
    for peak in per_group(a["max_lr"], n):
        points = (peak / div, peak, peak / div / final_div)
        lrs.append(tuple(at(t, points, lr_ends) for t in range(s.steps)))
    momentum = None
    if a.get("cycle_momentum", True):
        lo, hi = per_group(a.get("base_momentum", 0.85), n)[0], per_group(a.get("max_momentum", 0.95), n)[0]
        momentum = tuple(at(t, (lo, hi), m_ends) for t in range(s.steps))
    return Curve(tuple(lrs), momentum)


def reduce_on_plateau(s: Setting) -> Curve:
    """The plateau rule as documented, replayed on the recorded metric."""
    a = s.args
    mode, factor, patience = a.get("mode", "min"), a.get("factor", 0.1), a.get("patience", 10)
    threshold, rel = a.get("threshold", 1e-4), a.get("threshold_mode", "rel") == "rel"
    cooldown, eps = a.get("cooldown", 0), a.get("eps", 1e-8)
    floors = per_group(a.get("min_lr", 0), len(s.base_lrs))
    sign = 1 if mode == "min" else -1  # compare as if minimising

    def improves(x: float, best: float) -> bool:
        if best == math.inf:
            return True
        if rel:
            return sign * x < sign * best * (1 - sign * threshold)
        return sign * x < sign * best - threshold

    assert s.metric is not None, "ReduceLROnPlateau's twin needs the metric"
    rates, best, bad, cool = list(s.base_lrs), math.inf, 0, 0
    out: list[list[float]] = [[] for _ in rates]
    for value in s.metric[: s.steps]:
        for i, r in enumerate(rates):
            out[i].append(r)
        if improves(value, best):
            best, bad = value, 0
        else:
            bad += 1
        if cool > 0:
            cool, bad = cool - 1, 0
        if bad > patience:
            rates = [
                r if r - max(r * factor, f) <= eps else max(r * factor, f) for r, f in zip(rates, floors, strict=True)
            ]
            cool, bad = cooldown, 0
    return Curve(tuple(tuple(v) for v in out))


def sequential(s: Setting) -> Curve:
    """Each part's own closed form, restarted at its milestone."""
    parts: Sequence[Sched] = s.args["schedulers"]
    starts = [0, *s.args["milestones"]]
    curves = [twin_for(p.name)(Setting(p.args, s.base_lrs, s.optim, s.steps)) for p in parts]
    lrs = []
    for g in range(len(s.base_lrs)):
        row = []
        for t in range(s.steps):
            k = max(i for i, m in enumerate(starts) if t >= m)
            row.append(curves[k].lrs[g][t - starts[k]])
        lrs.append(tuple(row))
    return Curve(tuple(lrs))


TWINS: dict[str, Callable[[Setting], Curve]] = {
    "CosineAnnealingLR": cosine_annealing,
    "LinearLR": linear,
    "OneCycleLR": one_cycle,
    "ReduceLROnPlateau": reduce_on_plateau,
    "SequentialLR": sequential,
}


def twin_for(name: str) -> Callable[[Setting], Curve]:
    try:
        return TWINS[name]
    except KeyError:
        raise KeyError(f"no twin for {name}; expected one in gen.twins.TWINS") from None
