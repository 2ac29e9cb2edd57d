"""Custom functions: the rate follows a function you write."""

from gen import twins
from gen.catalog.common import misuse
from gen.model import Arg, Case, Code, Control, Entry, Explore, Formula, Optim, Pitfall, Sched

LAST_EPOCH = Arg("last_epoch", "Index of the last step when resuming; `-1` starts a fresh schedule.")
LR_LAMBDA = "A function of the step count returning a factor, or a list with one function per parameter group."

WARMUP = Code("lambda epoch: min(1.0, (epoch + 1) / 10)")
FLAT = Code("lambda epoch: 0.95")
POWER = Code("lambda epoch: 0.95 ** epoch")

LAMBDA = Entry(
    name="LambdaLR",
    family="custom",
    summary="Sets the rate to the initial rate times lr_lambda(step).",
    about="""
Sets each group's rate to its initial rate times `lr_lambda(t)`, where `t` counts calls to
`step()` from 0. Any schedule that is a function of the step count fits: a warm-up, a warm-up then
inverse square root (the original Transformer), or a decay that no built-in scheduler offers.
With a list of functions, each parameter group gets its own.

The factor always multiplies the **initial** rate, never the current one: `lambda epoch: 0.95`
holds the rate at 95% of the start forever. To multiply the current rate step after step, use
[MultiplicativeLR](../multiplicative-lr/index.md); the second case draws both with the same
function. LambdaLR saves its functions in `state_dict()` only if they are callable objects, not
plain functions or lambdas.
""",
    args=(
        Arg("optimizer", "The wrapped optimizer; its `lr` (per group) is the initial rate the factor multiplies."),
        Arg("lr_lambda", LR_LAMBDA),
        LAST_EPOCH,
    ),
    formula=Formula(
        closed=r"\eta_t = \eta_0\, \lambda(t)",
        symbols=(
            (r"\eta_t", "the rate after `t` calls to `step()`"),
            (r"\eta_0", "the group's initial rate (the optimizer's `lr`)"),
            (r"\lambda", "`lr_lambda`, or `lr_lambda[i]` for group `i`"),
        ),
        note="LambdaLR is not chainable: every value comes from the closed form, whatever the rate was before.",
    ),
    twin=twins.lambda_lr,
    explore=Explore(
        "warmup",
        (
            Control("warmup", (1, 5, 10, 20), "warm-up steps"),
            Control("gamma", (0.9, 0.95, 0.98, 1.0), "decay per step"),
        ),
        steps=60,
        build=lambda v: {
            "lr_lambda": Code(f"lambda epoch: min(1.0, (epoch + 1) / {v['warmup']}) * {v['gamma']} ** epoch")
        },
    ),
    span=lambda a: 20,
    cases=(
        Case(
            "warmup",
            "A 10-step warm-up written as a lambda",
            {"lr_lambda": WARMUP},
            steps=40,
            text="`lr_lambda(0) = 0.1`: the factor applies from the very first step.",
        ),
        Case(
            "versus-multiplicative",
            "The same lambda in LambdaLR and MultiplicativeLR",
            {"lr_lambda": FLAT},
            steps=60,
            overlay=(Sched("MultiplicativeLR", {"lr_lambda": FLAT}),),
            text="""
Both get `lambda epoch: 0.95`. LambdaLR multiplies the **initial** rate: a flat line at 95% of it.
MultiplicativeLR multiplies the **previous** rate: an exponential decay, `0.95 ** t`.
""",
        ),
        Case(
            "lr-lambda",
            "lr_lambda: three exponential decays",
            {"lr_lambda": POWER},
            steps=60,
            vary="lr_lambda",
            values=(Code("lambda epoch: 0.9 ** epoch"), POWER, Code("lambda epoch: 0.99 ** epoch")),
            log=True,
        ),
        Case(
            "groups",
            "One lambda per parameter group",
            {"lr_lambda": [WARMUP, Code("lambda epoch: 0.97 ** epoch")]},
            steps=60,
            optim=Optim("SGD", (0.1, 0.01), {"momentum": 0.9}),
            log=True,
            text="Group 0 warms up to its rate of 0.1; group 1, at 0.01, decays from the start.",
        ),
    ),
    pitfalls=(
        Pitfall(
            id="not-callable",
            title="A number instead of a function",
            code=misuse("scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda=0.95)"),
            expect="TypeError",
            cause="LambdaLR does not check its argument; the constructor's first step calls it and fails.",
            fix="Pass a function: `lr_lambda=lambda epoch: 0.95 ** epoch`.",
        ),
        Pitfall(
            id="lambda-count",
            title="More lambdas than parameter groups",
            code=misuse(
                "scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda=[lambda e: 1.0, lambda e: 0.5])"
            ),
            expect="ValueError",
            cause="A list gives one function per parameter group; this optimizer has one group.",
            fix="Pass one function for all groups, or exactly one per group.",
        ),
    ),
)

MULTIPLICATIVE = Entry(
    name="MultiplicativeLR",
    family="custom",
    summary="Multiplies the current rate by lr_lambda(step) on every step.",
    about="""
Multiplies each group's **current** rate by `lr_lambda(t)` on each call to `step()`. A constant
function gives an exponential decay (`lambda epoch: 0.95` is
[ExponentialLR](../exponential-lr/index.md) with `gamma=0.95`); a function of `t` changes the
decay as training goes on, e.g. `lambda epoch: 0.5 if epoch % 30 == 0 else 1.0` is a
[StepLR](../step-lr/index.md).

Because the factors accumulate, the rate after `t` steps is the initial rate times the product of
every factor so far: the same function given to [LambdaLR](../lambda-lr/index.md), which
multiplies the initial rate instead, gives a very different curve (second case). The function is
first called with `t = 1`, never with 0.
""",
    args=(
        Arg("optimizer", "The wrapped optimizer; its `lr` (per group) is the starting rate."),
        Arg("lr_lambda", LR_LAMBDA),
        LAST_EPOCH,
    ),
    formula=Formula(
        closed=r"\eta_t = \eta_0 \prod_{k=1}^{t} \lambda(k)",
        recursive=r"\eta_t = \lambda(t)\, \eta_{t-1}",
        symbols=(
            (r"\eta_t", "the rate after `t` calls to `step()`"),
            (r"\eta_0", "the group's starting rate (the optimizer's `lr`)"),
            (r"\lambda", "`lr_lambda`, or `lr_lambda[i]` for group `i`"),
        ),
    ),
    twin=twins.multiplicative,
    explore=Explore(
        "basic",
        (Control("factor", (0.8, 0.9, 0.95, 0.99)), Control("every", (1, 5, 10, 20), "applied every n steps")),
        build=lambda v: {
            "lr_lambda": Code(
                f"lambda epoch: {v['factor']}"
                if v["every"] == 1
                else f"lambda epoch: {v['factor']} if epoch % {v['every']} == 0 else 1.0"
            )
        },
    ),
    span=lambda a: 20,
    cases=(
        Case("basic", "A constant factor of 0.95: exponential decay", {"lr_lambda": FLAT}, steps=60, log=True),
        Case(
            "versus-lambda",
            "The same lambda in MultiplicativeLR and LambdaLR",
            {"lr_lambda": POWER},
            steps=40,
            overlay=(Sched("LambdaLR", {"lr_lambda": POWER}),),
            log=True,
            text="""
Both get `lambda epoch: 0.95 ** epoch`. LambdaLR gives `0.95 ** t` of the initial rate, a straight
line on the log axis; MultiplicativeLR multiplies those factors up, `0.95 ** (1 + 2 + ... + t)`,
a parabola that falls ever faster.
""",
        ),
        Case(
            "lr-lambda",
            "lr_lambda: three constant factors",
            {"lr_lambda": FLAT},
            steps=60,
            vary="lr_lambda",
            values=(Code("lambda epoch: 0.9"), FLAT, Code("lambda epoch: 0.99")),
            log=True,
        ),
        Case(
            "groups",
            "One lambda per parameter group",
            {"lr_lambda": [FLAT, Code("lambda epoch: 0.5 if epoch % 20 == 0 else 1.0")]},
            steps=60,
            optim=Optim("SGD", (0.1, 0.01), {"momentum": 0.9}),
            log=True,
            text="Group 0 decays smoothly from 0.1; group 1, from 0.01, is halved every 20 steps.",
        ),
    ),
    pitfalls=(
        Pitfall(
            id="not-callable",
            title="A number instead of a function",
            code=misuse("scheduler = torch.optim.lr_scheduler.MultiplicativeLR(optimizer, lr_lambda=0.95)"),
            expect="TypeError",
            cause="The factor must come from a function of the step count, even when it is constant.",
            fix="Wrap it: `lr_lambda=lambda epoch: 0.95`, or use `ExponentialLR(optimizer, gamma=0.95)`.",
        ),
        Pitfall(
            id="lambda-count",
            title="More lambdas than parameter groups",
            code=misuse(
                "scheduler = torch.optim.lr_scheduler.MultiplicativeLR(optimizer, lr_lambda=[lambda e: 0.9, lambda e: 0.5])"
            ),
            expect="ValueError",
            cause="A list gives one function per parameter group; this optimizer has one group.",
            fix="Pass one function for all groups, or exactly one per group.",
        ),
    ),
)

ENTRIES = (LAMBDA, MULTIPLICATIVE)
