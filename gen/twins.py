"""Independent closed forms of each schedule, written from the formulas on the pages.

A twin never calls a scheduler: it gets the arguments, the optimizer's rates and (for
metric-driven schedules) the metric sequence, and predicts every step. `verify` compares
it with the torch trace.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from gen import torch_random
from gen.library import parameters
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
    """With total_iters=0 the factor, applied at step 0, is never divided out (the page's note)."""
    factor, n = s.args.get("factor", 1 / 3), s.args.get("total_iters", 5)
    return closed(s, lambda b, t: b * (factor if t < n or n == 0 else 1.0))


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
        _, into, period = period_of(epoch(t), t0, mult)
        return eta_min + (b - eta_min) * (1 + math.cos(math.pi * into / period)) / 2

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


# A part of a chain changes the rate it is handed: (rate before, the group's base rate, the part's
# step t) -> rate after. t = 0 is the step each part takes when it is built. These are the
# recursive forms the scheduler pages show, which ChainedScheduler steps in turn; their product is
# the product of the parts' closed forms only while each part's form stays a pure factor.
ChainRule = Callable[[float, float, int], float]


def _cosine_rule(a: Mapping[str, Any]) -> ChainRule:
    """Past T_max the cosine's ratio would divide by zero at t = T_max + 1 (mod 2 T_max): there the
    recursive form adds half a step of the base rate's cosine, whatever the chain's rate is."""
    t_max, eta_min = a["T_max"], a.get("eta_min", 0.0)

    def rule(lr: float, b: float, t: int) -> float:
        if t == 0:
            return lr
        if (t - 1 - t_max) % (2 * t_max) == 0:
            return lr + (b - eta_min) * (1 - math.cos(math.pi / t_max)) / 2
        ratio = (1 + math.cos(math.pi * t / t_max)) / (1 + math.cos(math.pi * (t - 1) / t_max))
        return ratio * (lr - eta_min) + eta_min

    return rule


def _linear_rule(a: Mapping[str, Any]) -> ChainRule:
    f0, f1, n = a.get("start_factor", 1 / 3), a.get("end_factor", 1.0), a.get("total_iters", 5)
    return lambda lr, b, t: (
        lr * f0 if t == 0 else lr if t > n else lr * (1 + (f1 - f0) / (n * f0 + (t - 1) * (f1 - f0)))
    )


def _polynomial_rule(a: Mapping[str, Any]) -> ChainRule:
    n, power = a.get("total_iters", 5), a.get("power", 1.0)
    return lambda lr, b, t: lr if t == 0 or t > n else lr * ((1 - t / n) / (1 - (t - 1) / n)) ** power


def _constant_rule(a: Mapping[str, Any]) -> ChainRule:
    factor, n = a.get("factor", 1 / 3), a.get("total_iters", 5)
    return lambda lr, b, t: lr * factor if t == 0 else lr / factor if t == n else lr


def _multistep_rule(a: Mapping[str, Any]) -> ChainRule:
    ms, gamma = list(a["milestones"]), a.get("gamma", 0.1)
    return lambda lr, b, t: lr * gamma ** ms.count(t)  # a milestone at 0 applies as the part is built


def _step_rule(a: Mapping[str, Any]) -> ChainRule:
    size, gamma = a["step_size"], a.get("gamma", 0.1)
    return lambda lr, b, t: lr * gamma if t > 0 and t % size == 0 else lr


def _multiplicative_rule(a: Mapping[str, Any]) -> ChainRule:
    f = function(a["lr_lambda"])
    return lambda lr, b, t: lr * f(t) if t > 0 else lr


def _lambda_rule(a: Mapping[str, Any]) -> ChainRule:
    """LambdaLR sets the rate outright: whatever came before it in the chain is lost."""
    f = function(a["lr_lambda"])
    return lambda lr, b, t: b * f(t)


CHAIN_RULES: dict[str, Callable[[Mapping[str, Any]], ChainRule]] = {
    "StepLR": _step_rule,
    "MultiStepLR": _multistep_rule,
    "ConstantLR": _constant_rule,
    "LinearLR": _linear_rule,
    "ExponentialLR": lambda a: lambda lr, b, t: lr * a["gamma"] if t > 0 else lr,
    "PolynomialLR": _polynomial_rule,
    "MultiplicativeLR": _multiplicative_rule,
    "CosineAnnealingLR": _cosine_rule,
    "LambdaLR": _lambda_rule,
}


def chained(s: Setting) -> Curve:
    """Every part's recursive form, applied in the chain's order to the one rate each group has:
    first as each part is built (t = 0), then once per part on every step."""
    rules = [CHAIN_RULES[p.name](p.args) for p in s.args["schedulers"]]
    lrs = []
    for b in s.base_lrs:
        lr, row = b, []
        for t in range(s.steps):
            for rule in rules:
                lr = rule(lr, b, t)
            row.append(lr)
        lrs.append(tuple(row))
    return Curve(tuple(lrs))


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
    """Each part's own closed form, restarted at its milestone. A part restarts from its closed form
    at step 0; MultiplicativeLR has none, so at its milestone it multiplies the rate the previous
    part left by lr_lambda(0), and goes on from there. ConstantLR's closed form counts total_iters=0
    as reached at step 0: restarted, it holds the full rate, where built first it holds the factor."""
    parts: Sequence[Sched] = s.args["schedulers"]
    starts = [0, *s.args["milestones"]]

    def part_at(t: int) -> int:
        return max(i for i, m in enumerate(starts) if t >= m)

    curves: list[Curve] = []
    for k, p in enumerate(parts):
        base = s.base_lrs
        if p.name == "ConstantLR" and starts[k] > 0 and p.args.get("total_iters", 5) == 0:
            p = Sched(p.name, {**p.args, "factor": 1.0})
        if p.name == "MultiplicativeLR" and starts[k] > 0:
            t, j = starts[k] - 1, part_at(starts[k] - 1)
            fns = lambdas(Setting(p.args, s.base_lrs, s.optim, s.steps))
            base = tuple(curves[j].lrs[g][t - starts[j]] * f(0) for g, f in enumerate(fns))
        curves.append(twin_for(p.name)(Setting(p.args, base, s.optim, s.steps)))
    lrs = []
    for g in range(len(s.base_lrs)):
        row = []
        for t in range(s.steps):
            k = part_at(t)
            row.append(curves[k].lrs[g][t - starts[k]])
        lrs.append(tuple(row))
    return Curve(tuple(lrs))


# Hugging Face transformers: each schedule is LambdaLR with a factor of the step (W warm-up steps,
# N training steps), except GreedyLR, which reacts to the metric.


def ramp(t: int, warmup: int) -> float:
    """The linear warm-up every transformers schedule shares: 0 at step 0, 1 at step W."""
    return t / max(1, warmup)


def default_lr(s: Setting) -> float:
    """`optimizer.defaults["lr"]`, which transformers reads for absolute rates: the `lr` given to the
    optimizer (the only group's rate in a single-group case). Groups with rates of their own leave it
    at the optimizer's default, 1e-3 for SGD and Adam, whatever the groups' rates."""
    if "lr" in s.optim.args or len(s.optim.lrs) == 1:
        return s.optim.args.get("lr", s.optim.lrs[0])
    return float(parameters(s.optim.name, "torch.optim")["lr"])


def factor(s: Setting, rate: Callable[[int], float]) -> Curve:
    return closed(s, lambda b, t: b * rate(t))


def hf_constant(s: Setting) -> Curve:
    return factor(s, lambda t: 1.0)


def hf_constant_warmup(s: Setting) -> Curve:
    w = s.args["num_warmup_steps"]
    return factor(s, lambda t: ramp(t, w) if t < w else 1.0)


def hf_progress(s: Setting, t: int) -> float:
    """The fraction of the decay done at step t: 0 at the end of warm-up, 1 at step N."""
    w, n = s.args["num_warmup_steps"], s.args["num_training_steps"]
    return (t - w) / max(1, n - w)


def hf_linear(s: Setting) -> Curve:
    """(N - t) / max(1, N - W) after warm-up: 0 from step W on when N <= W, not 1 at step W."""
    w, n = s.args["num_warmup_steps"], s.args["num_training_steps"]
    return factor(s, lambda t: ramp(t, w) if t < w else max(0.0, (n - t) / max(1, n - w)))


def hf_cosine(s: Setting) -> Curve:
    w, cycles = s.args["num_warmup_steps"], s.args.get("num_cycles", 0.5)
    wave = lambda t: max(0.0, (1 + math.cos(2 * math.pi * cycles * hf_progress(s, t))) / 2)  # noqa: E731
    return factor(s, lambda t: ramp(t, w) if t < w else wave(t))


def hf_hard_restarts(s: Setting) -> Curve:
    w, cycles = s.args["num_warmup_steps"], s.args.get("num_cycles", 1)

    def rate(t: int) -> float:
        if t < w:
            return ramp(t, w)
        p = hf_progress(s, t)
        if p >= 1:
            return 0.0
        return (1 + math.cos(math.pi * math.modf(cycles * p)[0])) / 2

    return factor(s, rate)


def hf_polynomial(s: Setting) -> Curve:
    w, n = s.args["num_warmup_steps"], s.args["num_training_steps"]
    end, power, lr0 = s.args.get("lr_end", 1e-7), s.args.get("power", 1.0), default_lr(s)

    def rate(t: int) -> float:
        if t < w:
            return ramp(t, w)
        left = 1 - (t - w) / (n - w) if t <= n else 0.0
        return ((lr0 - end) * left**power + end) / lr0

    return factor(s, rate)


def hf_inverse_sqrt(s: Setting) -> Curve:
    w = s.args["num_warmup_steps"]
    tau = s.args.get("timescale") or w or 10_000
    return factor(s, lambda t: ramp(t, w) if t < w else math.sqrt(tau / (t - w + tau)))


def hf_floor(s: Setting) -> float:
    """min_lr_rate, or min_lr as a fraction of the optimizer's lr."""
    a = s.args
    return a["min_lr_rate"] if a.get("min_lr_rate") is not None else a["min_lr"] / default_lr(s)


def hf_cosine_min_lr(s: Setting) -> Curve:
    w, cycles, m = s.args["num_warmup_steps"], s.args.get("num_cycles", 0.5), hf_floor(s)
    wave = lambda t: m + (1 - m) * (1 + math.cos(2 * math.pi * cycles * hf_progress(s, t))) / 2  # noqa: E731
    return factor(s, lambda t: ramp(t, w) if t < w else max(0.0, wave(t)))


def hf_cosine_min_lr_rate(s: Setting) -> Curve:
    """The `_lr_rate` variant counts one step ahead: warm-up reaches 1 at step W-1, not W."""
    w, n = s.args["num_warmup_steps"], s.args["num_training_steps"]
    cycles, m, start = s.args.get("num_cycles", 0.5), hf_floor(s), s.args.get("warmup_lr_rate")

    def rate(t: int) -> float:
        if t < w:
            return (t + 1) / max(1, w) if start is None else start + (1 - start) * t / max(1, w - 1)
        p = (t - w + 1) / max(1, n - w)
        return max(0.0, m + (1 - m) * (1 + math.cos(2 * math.pi * cycles * p)) / 2)

    return factor(s, rate)


SHAPES: dict[str, Callable[[float], float]] = {  # WSD's phases: 0 -> 1 as progress goes 0 -> 1
    "linear": lambda p: p,
    "cosine": lambda p: (1 - math.cos(math.pi * p)) / 2,
    "1-sqrt": lambda p: 1 - math.sqrt(1 - p),
}


def hf_wsd(s: Setting) -> Curve:
    a = s.args
    w, d, m = a["num_warmup_steps"], a["num_decay_steps"], a.get("min_lr_ratio", 0)
    stable = a["num_stable_steps"] if a.get("num_stable_steps") is not None else a["num_training_steps"] - w - d
    up, kind, cycles = SHAPES[a.get("warmup_type", "linear")], a.get("decay_type", "cosine"), a.get("num_cycles", 0.5)

    def down(p: float) -> float:  # 1 -> 0; the cosine decay takes num_cycles like the cosine schedule
        if kind == "cosine":
            return (1 + math.cos(2 * math.pi * cycles * p)) / 2
        return 1 - p if kind == "linear" else 1 - math.sqrt(p)

    def rate(t: int) -> float:
        if t < w:
            return max(0.0, m + (1 - m) * up(t / max(1, w)))
        if t < w + stable:
            return 1.0
        if t < w + stable + d:
            return max(0.0, m + (1 - m) * down((t - w - stable) / max(1, d)))
        return m

    return factor(s, rate)


def hf_greedy(s: Setting) -> Curve:
    """GreedyLR's rule replayed on the recorded metric: patience good steps in a row divide the rate
    by `factor`, patience bad ones multiply it; a wait follows each change; long at the floor resets."""
    a = s.args
    fac, patience, threshold = a.get("factor", 0.95), a.get("patience", 10), a.get("threshold", 1e-6)
    rel, cooldown, warmup, eps = (
        a.get("threshold_mode", "abs") == "rel",
        a.get("cooldown", 0),
        a.get("warmup", 0),
        a.get("eps", 1e-8),
    )
    sign = 1 if a.get("mode", "min") == "min" else -1
    n = len(s.base_lrs)
    lows, highs = per_group(a.get("min_lr", 1e-3), n), per_group(a.get("max_lr", 1.0), n)
    window, reset_after = a.get("window_size", 50), a.get("reset_start", 500)
    assert s.metric is not None, "GreedyLR's twin needs the metric"

    def better(x: float, best: float) -> bool:
        edge = best * (1 - sign * threshold) if rel else best - sign * threshold
        return sign * x < sign * edge

    rates, best, good, bad, cool, wait, left = list(s.base_lrs), sign * math.inf, 0, 0, 0, 0, reset_after
    seen: list[float] = []
    out: list[list[float]] = [[] for _ in rates]
    for value in s.metric[: s.steps]:
        for i, r in enumerate(rates):
            out[i].append(r)
        if a.get("smooth", False):
            seen = [*seen, value][-window:]
            value = sum(seen) / len(seen)
        if cool > 0:
            cool, good, bad = cool - 1, 0, 0
        elif wait > 0:
            wait, good, bad = wait - 1, 0, 0
        else:
            if better(value, best):
                best, good, bad = value, good + 1, 0
            else:
                good, bad = 0, bad + 1
            if good > patience:
                rates = [min(r / fac, h) if min(r / fac, h) - r > eps else r for r, h in zip(rates, highs, strict=True)]
                wait, good, left = warmup, 0, reset_after
            elif bad > patience:
                rates = [
                    max(r * fac, lo) if r - max(r * fac, lo) > eps else r for r, lo in zip(rates, lows, strict=True)
                ]
                cool, bad = cooldown, 0
                if all(r <= lo for r, lo in zip(rates, lows, strict=True)):
                    left -= 1
                    if left <= 0:
                        # Back to the start; the cooldown set above still runs, as in GreedyLR.
                        rates, best, good, wait, left, seen = list(s.base_lrs), sign * math.inf, 0, 0, reset_after, []
    return Curve(tuple(tuple(v) for v in out))


# timm: a rate as a function f(t) of the last time t the scheduler was given (an epoch through
# step(epoch), or an update count through step_update(num_updates)), after a linear warm-up.


def timm_given(s: Setting, row: int) -> int | None:
    """The t behind the rate at this row of the run; None while only the constructor has set it.

    Without `iters` the loop calls step(epoch + 1) after each row. With `iters` (batches per epoch)
    it calls step_update(updates) after each row and step(epoch + 1) after each epoch's last one.
    The scheduler heeds step when t_in_epochs, step_update when not."""
    in_epochs = s.args.get("t_in_epochs", True)
    if s.iters is None:
        t = row if in_epochs else 0
    else:
        t = row // s.iters if in_epochs else row
    return t or None


def timm(s: Setting, rate: Callable[[float, int], float], top: Callable[[float], float] | None = None) -> Curve:
    """`rate(base, t)` after the linear warm-up every timm scheduler shares, from warmup_lr_init at
    t = 0 to `top(base)` (the base rate) at t = warmup_t. Before any t is given, the rate is what
    the constructor set: warmup_lr_init with a warm-up, else the base rate."""
    w, start = s.args.get("warmup_t", 0), s.args.get("warmup_lr_init", 0.0)

    def at(b: float, row: int) -> float:
        t = timm_given(s, row)
        if t is None:
            return start if w else b
        value = start + t * ((top(b) if top else b) - start) / w if t < w else rate(b, t)
        return value + value * timm_noise(s, t)  # timm's own order of operations

    return Curve(tuple(tuple(at(b, row) for row in range(s.steps)) for b in s.base_lrs))


def timm_noise(s: Setting, t: int) -> float:
    """The relative noise timm adds at time t inside noise_range_t ([start, end), or from start on):
    a normal draw times noise_std, drawn again until below noise_pct, or a uniform one within
    ±noise_pct; from a generator seeded with noise_seed + t, so a run is repeatable."""
    a, reach = s.args, s.args.get("noise_range_t")
    if reach is None or not (reach[0] <= t < reach[1] if isinstance(reach, (list, tuple)) else t >= reach):
        return 0.0
    seed = 42 if a.get("noise_seed") is None else a["noise_seed"]  # timm's default
    g, pct = torch_random.Generator(seed + t), a.get("noise_pct", 0.67)
    if a.get("noise_type", "normal") != "normal":
        return 2 * (g.rand() - 0.5) * pct
    while abs(noise := g.randn() * a.get("noise_std", 1.0)) >= pct:
        pass
    return noise


def period_of(x: float, first: float, mul: float) -> tuple[int, float, float]:
    """(index, time into it, its length) of the period holding x, where periods of `first`,
    `first * mul`, ... lie end to end: warm restarts' T_0 and T_mult, timm's cycles."""
    i, length = 0, first
    while x >= length:
        x, length, i = x - length, length * mul, i + 1
    return i, x, length


def timm_cycle(s: Setting, t: float) -> tuple[int, float, float]:
    """(cycle index, time into it, its length): cycles of t_initial, each cycle_mul times longer."""
    return period_of(t, s.args["t_initial"], s.args.get("cycle_mul", 1.0))


def timm_cycles(s: Setting, shape: Callable[[float, float], float]) -> Callable[[float, int], float]:
    """Cosine, tanh and polynomial: `shape(time, length)` goes from 1 to 0 over each cycle, between
    lr_min and the cycle's peak (the base rate times cycle_decay per cycle); lr_min after
    cycle_limit cycles. Warm-up counts inside the first cycle unless warmup_prefix."""
    a = s.args
    low, decay, limit = a.get("lr_min", 0.0), a.get("cycle_decay", 1.0), a.get("cycle_limit", 1)
    w, prefix = a.get("warmup_t", 0), a.get("warmup_prefix", False)

    def rate(b: float, t: int) -> float:
        i, into, length = timm_cycle(s, t - w if prefix else t)
        return low if i >= limit else low + (b * decay**i - low) * shape(into, length)

    return rate


def timm_cosine(s: Setting) -> Curve:
    k = s.args.get("k_decay", 1.0)
    return timm(s, timm_cycles(s, lambda x, n: (1 + math.cos(math.pi * x**k / n**k)) / 2))


def timm_poly(s: Setting) -> Curve:
    k, power = s.args.get("k_decay", 1.0), s.args.get("power", 0.5)
    return timm(s, timm_cycles(s, lambda x, n: (1 - x**k / n**k) ** power))


def timm_tanh(s: Setting) -> Curve:
    """Without warmup_prefix the warm-up climbs to the curve's value at warmup_t, not to the peak."""
    a = s.args
    lb, ub, w = a.get("lb", -7.0), a.get("ub", 3.0), a.get("warmup_t", 0)
    rate = timm_cycles(s, lambda x, n: (1 - math.tanh(lb * (1 - x / n) + ub * x / n)) / 2)
    return timm(s, rate, None if a.get("warmup_prefix", False) else lambda b: rate(b, w))


def timm_step(s: Setting) -> Curve:
    a, w = s.args, s.args.get("warmup_t", 0)
    prefix = a.get("warmup_prefix", True)
    return timm(s, lambda b, t: b * a.get("decay_rate", 1.0) ** ((t - w if prefix else t) // a["decay_t"]))


def timm_multistep(s: Setting) -> Curve:
    """A milestone d counts from t = d - 1 on: the rate of epoch d - 1 is already decayed."""
    a, w = s.args, s.args.get("warmup_t", 0)
    prefix = a.get("warmup_prefix", True)

    def rate(b: float, t: int) -> float:
        x = t - w if prefix else t
        return b * a.get("decay_rate", 1.0) ** sum(1 for d in a["decay_t"] if d <= x + 1)

    return timm(s, rate)


WSD_DECAYS: dict[str, Callable[[float, Mapping[str, Any]], float]] = {  # 1 -> 0 as x goes 0 -> 1
    "linear": lambda x, a: 1 - x,
    "1-sqrt": lambda x, a: 1 - math.sqrt(x),
    "cosine": lambda x, a: (1 + math.cos(math.pi * x)) / 2,
    "power": lambda x, a: 1 - x ** a.get("decay_power", 0.5),
    "exp": lambda x, a: (a.get("decay_ratio", 0.1) ** x - a.get("decay_ratio", 0.1)) / (1 - a.get("decay_ratio", 0.1)),
}


def timm_wsd(s: Setting) -> Curve:
    """After warm-up: the stable phase (constant, or falling as a power of time), then the decay over
    the last decay_t of the t_initial steps after warm-up, towards lr_min."""
    a = s.args
    w, total, span, low = a.get("warmup_t", 0), a["t_initial"], a["decay_t"], a.get("lr_min", 0.0)
    kind = a.get("stable_fn", "constant")
    tau = a.get("stable_timescale") or w
    power = 0.5 if kind == "rsqrt" else a.get("stable_power", 0.5)
    shape = a.get("decay_fn", "1-sqrt")  # a name, or a function of the progress (a catalog lambda)
    down = WSD_DECAYS[shape] if isinstance(shape, str) else lambda x, a: function(shape)(x)

    def rate(b: float, t: int) -> float:
        since = t - w
        level = max(b * (1.0 if kind == "constant" else (1 + since / tau) ** -power), low)
        into = since - (total - span)
        return level if into <= 0 else low + (level - low) * down(min(into / span, 1.0), a)

    return timm(s, rate)


def timm_plateau(s: Setting) -> Curve:
    """The warm-up, stepped by epoch up to warmup_t, then torch's plateau rule (which timm wraps)
    on the losses from the end of warm-up on, under timm's names and its default mode "max"."""
    a = s.args
    w, start = a.get("warmup_t", 0), a.get("warmup_lr_init", 0.0)
    assert s.metric is not None, "PlateauLRScheduler's twin needs the metric"
    rule = {
        "mode": a.get("mode", "max"),
        "factor": a.get("decay_rate", 0.1),
        "patience": a.get("patience_t", 10),
        "threshold": a.get("threshold", 1e-4),
        "cooldown": a.get("cooldown_t", 0),
        "min_lr": a.get("lr_min", 0.0),
    }
    after = reduce_on_plateau(Setting(rule, s.base_lrs, s.optim, s.steps - w, s.metric[w:]))
    # Noise multiplies the rate of each epoch past warm-up (given step(w + k) at row w + k); the rule
    # goes on from the rate without it.
    noisy = [tuple(v + v * timm_noise(s, w + k) if k else v for k, v in enumerate(lrs)) for lrs in after.lrs]
    warm = [tuple(start + t * (b - start) / w for t in range(w)) for b in s.base_lrs]
    return Curve(tuple(up + down for up, down in zip(warm, noisy, strict=True)))


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
    "get_constant_schedule": hf_constant,
    "get_constant_schedule_with_warmup": hf_constant_warmup,
    "get_linear_schedule_with_warmup": hf_linear,
    "get_cosine_schedule_with_warmup": hf_cosine,
    "get_cosine_with_hard_restarts_schedule_with_warmup": hf_hard_restarts,
    "get_polynomial_decay_schedule_with_warmup": hf_polynomial,
    "get_inverse_sqrt_schedule": hf_inverse_sqrt,
    "get_cosine_with_min_lr_schedule_with_warmup": hf_cosine_min_lr,
    "get_cosine_with_min_lr_schedule_with_warmup_lr_rate": hf_cosine_min_lr_rate,
    "get_wsd_schedule": hf_wsd,
    "GreedyLR": hf_greedy,
    "CosineLRScheduler": timm_cosine,
    "TanhLRScheduler": timm_tanh,
    "PolyLRScheduler": timm_poly,
    "StepLRScheduler": timm_step,
    "MultiStepLRScheduler": timm_multistep,
    "WSDLRScheduler": timm_wsd,
    "PlateauLRScheduler": timm_plateau,
}


def twin_for(name: str) -> Callable[[Setting], Curve]:
    try:
        return TWINS[name]
    except KeyError:
        raise KeyError(f"no twin for {name}; expected one in gen.twins.TWINS") from None
