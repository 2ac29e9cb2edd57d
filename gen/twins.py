"""Independent closed forms of each schedule, written from the formulas on the pages.

A twin never calls a scheduler: it gets the arguments, the optimizer's rates and (for
metric-driven schedules) the metric sequence, and predicts every step. `verify` compares
it with the torch trace.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from gen.model import Code, Curve, Sched, Setting


def per_group(value: Any, n: int) -> list[Any]:
    """A scalar argument applies to every group; a list gives one value per group."""
    return list(value) if isinstance(value, (list, tuple)) else [value] * n


def closed(setting: Setting, rate: Callable[[float, int], float]) -> Curve:
    """A schedule that is a function of the base rate and the step alone."""
    return Curve(tuple(tuple(rate(b, t) for t in range(setting.steps)) for b in setting.base_lrs))


def function(code: Any) -> Callable[[float], float]:
    """A catalog lambda, evaluated from its source: the same function torch was given."""
    return eval(code.source, {"math": math}) if isinstance(code, Code) else code  # noqa: S307 - catalog code


def lambdas(s: Setting) -> list[Callable[[float], float]]:
    return [function(f) for f in per_group(s.args["lr_lambda"], len(s.base_lrs))]


def lambda_lr(s: Setting) -> Curve:
    fns = lambdas(s)
    return Curve(tuple(tuple(b * f(t) for t in range(s.steps)) for b, f in zip(s.base_lrs, fns, strict=True)))


def multiplicative(s: Setting) -> Curve:
    """The product form: the base rate times every factor from step 1 to t (the lambda never sees 0)."""
    fns = lambdas(s)
    return Curve(
        tuple(
            tuple(b * math.prod(f(k) for k in range(1, t + 1)) for t in range(s.steps))
            for b, f in zip(s.base_lrs, fns, strict=True)
        )
    )


def step_lr(s: Setting) -> Curve:
    size, gamma = s.args["step_size"], s.args.get("gamma", 0.1)
    return closed(s, lambda b, t: b * gamma ** (t // size))


def multistep(s: Setting) -> Curve:
    """Every milestone reached so far counts, a repeated one as often as it is listed."""
    ms, gamma = list(s.args["milestones"]), s.args.get("gamma", 0.1)
    return closed(s, lambda b, t: b * gamma ** sum(1 for m in ms if m <= t))


def constant(s: Setting) -> Curve:
    factor, n = s.args.get("factor", 1 / 3), s.args.get("total_iters", 5)
    return closed(s, lambda b, t: b * (factor if t < n else 1.0))


def exponential(s: Setting) -> Curve:
    return closed(s, lambda b, t: b * s.args["gamma"] ** t)


def polynomial(s: Setting) -> Curve:
    n, power = s.args.get("total_iters", 5), s.args.get("power", 1.0)
    return closed(s, lambda b, t: b * (1 - min(t, n) / n) ** power)


def warm_restarts(s: Setting) -> Curve:
    """Cosine from the start of the current period; periods T_0, T_0*T_mult, ... laid end to end."""
    t0, mult, eta_min = s.args["T_0"], s.args.get("T_mult", 1), s.args.get("eta_min", 0.0)

    def epoch(t: int) -> float:
        if not s.iters:
            return t
        # The documented loop: after batch i of an epoch, step(epoch + i / iters) sets the next rate.
        e, i = divmod(max(t - 1, 0), s.iters)
        return e + i / s.iters

    def rate(b: float, t: int) -> float:
        x, start, period = epoch(t), 0, t0
        while x >= start + period:
            start, period = start + period, period * mult
        return eta_min + (b - eta_min) * (1 + math.cos(math.pi * (x - start) / period)) / 2

    return closed(s, rate)


def cyclic(s: Setting) -> Curve:
    """Triangle waves between base_lr and max_lr; the height scaled per cycle or per step."""
    a, n = s.args, len(s.base_lrs)
    up = a.get("step_size_up", 2000)
    down = a.get("step_size_down") or up
    mode, gamma = a.get("mode", "triangular"), a.get("gamma", 1.0)
    if a.get("scale_fn") is not None:
        scale, by_cycle = function(a["scale_fn"]), a.get("scale_mode", "cycle") == "cycle"
    elif mode == "triangular":
        scale, by_cycle = (lambda c: 1.0), True
    elif mode == "triangular2":
        scale, by_cycle = (lambda c: 0.5 ** (c - 1)), True
    else:
        scale, by_cycle = (lambda t: gamma**t), False

    def height(t: int) -> float:
        """Fraction of the way up at step t, times the amplitude's scale."""
        c, pos = divmod(t, up + down)
        frac = pos / up if pos <= up else (up + down - pos) / down
        return frac * scale(c + 1 if by_cycle else t)

    lrs = tuple(
        tuple(lo + (hi - lo) * height(t) for t in range(s.steps))
        for lo, hi in zip(per_group(a["base_lr"], n), per_group(a["max_lr"], n), strict=True)
    )
    momentum = None
    if a.get("cycle_momentum", True):
        lo, hi = per_group(a.get("base_momentum", 0.8), n)[0], per_group(a.get("max_momentum", 0.9), n)[0]
        momentum = tuple(hi - (hi - lo) * height(t) for t in range(s.steps))
    return Curve(lrs, momentum)


def chained(s: Setting) -> Curve:
    """Each part multiplies the rate by its own factor: the product of the parts' factors."""
    curves = [twin_for(p.name)(Setting(p.args, s.base_lrs, s.optim, s.steps)) for p in s.args["schedulers"]]
    return Curve(
        tuple(
            tuple(b * math.prod(c.lrs[g][t] / b for c in curves) for t in range(s.steps))
            for g, b in enumerate(s.base_lrs)
        )
    )


def swa(s: Setting) -> Curve:
    """From the rate it takes over (base_lrs here) to swa_lr in anneal_epochs steps, then flat."""
    a = s.args
    n, cos = a.get("anneal_epochs", 10), a.get("anneal_strategy", "cos") == "cos"
    targets = per_group(a["swa_lr"], len(s.base_lrs))

    def weight(k: int) -> float:
        x = min(1.0, max(k, 1 if n == 0 else 0) / max(1, n))
        return (1 - math.cos(math.pi * x)) / 2 if cos else x

    return Curve(
        tuple(
            tuple(lr0 + (swa_lr - lr0) * weight(k) for k in range(s.steps))
            for lr0, swa_lr in zip(s.base_lrs, targets, strict=True)
        )
    )


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
    "LambdaLR": lambda_lr,
    "MultiplicativeLR": multiplicative,
    "StepLR": step_lr,
    "MultiStepLR": multistep,
    "ConstantLR": constant,
    "LinearLR": linear,
    "ExponentialLR": exponential,
    "PolynomialLR": polynomial,
    "CosineAnnealingLR": cosine_annealing,
    "CosineAnnealingWarmRestarts": warm_restarts,
    "CyclicLR": cyclic,
    "OneCycleLR": one_cycle,
    "ReduceLROnPlateau": reduce_on_plateau,
    "SequentialLR": sequential,
    "ChainedScheduler": chained,
    "SWALR": swa,
}


def twin_for(name: str) -> Callable[[Setting], Curve]:
    try:
        return TWINS[name]
    except KeyError:
        raise KeyError(f"no twin for {name}; expected one in gen.twins.TWINS") from None
