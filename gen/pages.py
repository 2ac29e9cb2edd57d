"""Jinja2 templates -> Markdown: scheduler pages, the gallery home page and the nav."""

from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any

import jinja2

from gen import cache, i18n, train_py
from gen.data import about
from gen.explore import ExploreView
from gen.figure import FigureView, Made, make
from gen.library import parameters, release, torch_version
from gen.model import Case, Entry, Trace, shown
from gen.plot import figure_for
from gen.publish import LICENSE, case_file, folder, page
from gen.reproduce import FLAT, call, scheduler_call
from gen.verify import Check, sentence

(JINJA := cache.folder() / "jinja-gen").mkdir(parents=True, exist_ok=True)
ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("gen", "templates"),
    undefined=jinja2.StrictUndefined,  # a missing variable stops the build
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    autoescape=False,
    # Compiling the templates was a fifth of a rebuild after a catalog edit (mkdocs serve imports
    # gen afresh each time): Jinja keeps their bytecode, checked against each template's source.
    bytecode_cache=jinja2.FileSystemBytecodeCache(str(JINJA)),
)
i18n.install(ENV)  # {% trans %} blocks: their Chinese is in gen/zh/templates/<template>.toml


@dataclass(frozen=True)
class ArgView:
    name: str
    default: str
    meaning: str


def listed(items: Sequence[str]) -> str:
    """Values in a row, `0.1, 0.5, 0.9` (in Chinese with 、)."""
    return i18n.tr(", ", "lists").join(items)


def head(trace: Trace) -> str:
    """What a case's alt text says is drawn: the call, the sweep, the setting, the optimizer."""
    entry, case = trace.entry, trace.case
    text = scheduler_call(entry.name, case.args, width=FLAT, module=entry.module)
    if case.vary:
        values = listed([shown(v) for v in case.values])
        text += i18n.tr(" with {arg} = {values}", "alt text", arg=case.vary, values=values)
    text += setting(case, code=False, library=entry.library)
    return text + i18n.tr(", optimizer {name}", "alt text", name=case.optim.name)


def setting(case: Case, code: bool, library: str = "torch") -> str:
    """What the case adds to a plain run: handover, stepping per batch, overlays."""
    q = "`" if code else ""
    out = ""
    if case.before:
        first = scheduler_call(case.before.name, case.before.args, width=FLAT)
        out += i18n.tr(" from step {n}, after {first} until then", "caption", n=case.handover, first=f"{q}{first}{q}")
    if case.iters and library == "timm":
        out += i18n.tr(
            ", stepped with {update} after every batch and {step} after every epoch of {n} batches",
            "caption",
            update=f"{q}scheduler.step_update(num_updates){q}",
            step=f"{q}scheduler.step(epoch + 1){q}",
            n=case.iters,
        )
    elif case.iters:
        step = f"{q}scheduler.step(epoch + i / {case.iters}){q}"
        out += i18n.tr(", stepped with {step} after each of {n} batches per epoch", "caption", step=step, n=case.iters)
    if case.overlay:
        others = [f"{q}{scheduler_call(s.name, s.args, width=FLAT)}{q}" for s in case.overlay]
        both = i18n.tr(" and ", "caption").join(others)
        out += i18n.tr(", against {others}, each run alone on its own optimizer", "caption", others=both)
    return out


def caption(trace: Trace) -> str:
    entry, case = trace.entry, trace.case
    text = f"`{scheduler_call(entry.name, case.args, width=FLAT, module=entry.module)}`"
    if case.vary:
        values = listed([f"`{shown(v)}`" for v in case.values])
        text += i18n.tr(" for {arg} in {values}", "caption", arg=f"`{case.vary}`", values=values)
        if case.derive:
            text += i18n.tr(" (other arguments follow it, see the script)", "caption")
    text += setting(case, code=True, library=entry.library)
    opt = ", ".join([*(f"lr={lr!r}" for lr in case.optim.lrs[:1]), *(f"{k}={v!r}" for k, v in case.optim.args.items())])
    groups = ""
    if len(case.optim.lrs) > 1:
        lrs = listed([repr(lr) for lr in case.optim.lrs])
        groups = i18n.tr(", {n} groups with lr {lrs}", "caption", n=len(case.optim.lrs), lrs=lrs)
    text += i18n.tr(
        "; optimizer {optimizer}{groups}; {n} {unit}",
        "caption",
        optimizer=f"`{case.optim.name}({opt})`",
        groups=groups,
        n=case.steps,
        unit=i18n.plural(entry.unit(case)),
    )
    return text + (i18n.tr("; log scale.", "caption") if case.log else i18n.tr(".", "caption"))


def case_figure(trace: Trace, check: Check, site_url: str) -> Made:
    entry, case = trace.entry, trace.case
    return make(
        folder(entry), case.id, case.title, caption(trace), head(trace), trace.output, trace.code,
        figure_for(trace, f"{entry.name}: {case.title}"), about(trace), check.error, site_url,
        i18n.tr("{name}: {title}", "embed snippet", name=entry.name, title=case.title), text=case.text, log=case.log,
        unit=entry.unit(case),
    )  # fmt: skip


def signature_views(entry: Entry) -> tuple[str, list[ArgView]]:
    params = parameters(entry.name, entry.module)
    shown = [name if default is None else f"{name}={default}" for name, default in params.items()]
    one_line = f"{entry.module}.{entry.name}({', '.join(shown)})"
    text = (
        one_line
        if len(one_line) <= 64
        else f"{entry.module}.{entry.name}(\n" + "".join(f"    {p},\n" for p in shown) + ")"
    )
    args = [
        ArgView(
            a.name,
            i18n.tr("required", "argument table") if params[a.name] is None else f"`{params[a.name]}`",
            a.meaning,
        )
        for a in entry.args
    ]
    return text, args


# What transformers.get_scheduler hands on for each lr_scheduler_type (its own branches): the two
# step counts, by keyword, and the rest from `scheduler_specific_kwargs` (`False`: dropped silently).
TRAINER_PASSES = {
    "constant": ((), False),
    "constant_with_warmup": (("num_warmup_steps",), False),
    "inverse_sqrt": (("num_warmup_steps",), True),
    "reduce_lr_on_plateau": ((), True),
    "greedy": ((), True),
}
STEP_COUNTS = ("num_warmup_steps", "num_training_steps")


@dataclass(frozen=True)
class TrainerView:
    """How a Trainer user gets the page's first case: the arguments and the get_scheduler call."""

    name: str
    warmup: int | None
    training: int | None
    arguments: str  # TrainingArguments(...), the schedule's part
    call: str  # get_scheduler(...), as Trainer makes it


def trainer_view(entry: Entry) -> TrainerView | None:
    if not entry.trainer:
        return None
    args = dict(entry.cases[0].args)
    counts, rest = TRAINER_PASSES.get(entry.trainer, (STEP_COUNTS, True))
    kwargs = {k: v for k, v in args.items() if k not in STEP_COUNTS} if rest else {}
    warmup, training = args.get("num_warmup_steps"), args.get("num_training_steps")
    # A metric-driven schedule is stepped once per evaluation; the others once per update.
    train: dict[str, Any] = {"output_dir": "out"}
    train |= {"eval_strategy": "steps", "eval_steps": 100} if entry.metric else {"max_steps": training or 100}
    if warmup:
        train["warmup_steps"] = warmup
    train["lr_scheduler_type"] = entry.trainer
    if kwargs:
        train["lr_scheduler_kwargs"] = kwargs
    passed = {k: args[k] for k in counts if k in args}
    if kwargs:
        passed["scheduler_specific_kwargs"] = kwargs
    return TrainerView(
        entry.trainer,
        warmup,
        training,
        call("TrainingArguments", train, first=None),
        call("get_scheduler", passed, first=f"{entry.trainer!r}, optimizer"),
    )


# create_scheduler_v2's name for a class argument, where it has its own (timm's scheduler_factory).
TIMM_NAMES = {"t_initial": "num_epochs", "lr_min": "min_lr", "warmup_t": "warmup_epochs", "warmup_lr_init": "warmup_lr"}
TIMM_NAMES |= {"decay_t": "decay_epochs", "cycle_mul": "cycle_mul", "cycle_decay": "cycle_decay"}
TIMM_NAMES |= {"cycle_limit": "cycle_limit", "k_decay": "k_decay", "decay_rate": "decay_rate", "decay_fn": "decay_fn"}
TIMM_NAMES |= {"patience_t": "patience_epochs", "mode": "plateau_mode"}


def timm_call(entry: Entry) -> str | None:
    """The create_scheduler_v2 call that builds the page's first case, which is stepped per epoch."""
    kwargs = timm_kwargs(entry)
    return None if kwargs is None else call("create_scheduler_v2", kwargs, first="optimizer")


def train_py_command(entry: Entry) -> str | None:
    """The train.py command line that builds the page's first case (gen/train_py.py)."""
    kwargs = timm_kwargs(entry)
    return None if kwargs is None else train_py.command(train_py.flags(kwargs, entry.cases[0].optim.lrs[0]))


def timm_kwargs(entry: Entry) -> dict[str, Any] | None:
    """create_scheduler_v2's arguments for the page's first case. Its defaults differ from the
    classes' (warmup_lr=1e-5, cycle_decay=0.1, warmup_prefix=False, decay_rate=0.1 as the
    polynomial's power), so they name the class's value wherever the case depends on it."""
    if not entry.sched:
        return None
    own, args = parameters(entry.name, entry.module), dict(entry.cases[0].args)

    def value(name: str) -> Any:  # the case's, else the class's default (its repr in the signature)
        return args[name] if name in args else ast.literal_eval(own[name] or "None")

    out: dict[str, Any] = {"sched": entry.sched}
    for name, given in args.items():
        key = "decay_milestones" if (name, entry.sched) == ("decay_t", "multistep") else TIMM_NAMES.get(name, name)
        out[key] = given
    if value("warmup_t"):  # WSD's warm-up is always a prefix; create_scheduler_v2 asks to be told
        out["warmup_lr"] = value("warmup_lr_init")
        if "warmup_prefix" in own:
            out["warmup_prefix"] = value("warmup_prefix")
        elif entry.sched == "wsd":
            out["warmup_prefix"] = True
    if "cycle_limit" in own and value("cycle_limit") > 1:
        out["cycle_decay"] = value("cycle_decay")
    if entry.sched == "poly":
        out["decay_rate"] = out.pop("power", value("power"))
    return out


def scheduler_page(
    entry: Entry,
    figures: Sequence[FigureView],
    checks: Sequence[Check],
    pitfalls: Sequence[Any],
    explore: ExploreView | None = None,
) -> str:
    signature, args = signature_views(entry)
    return ENV.get_template("scheduler.md.j2").render(
        entry=entry,
        title=i18n.title(entry),
        image=f"{folder(entry)}/card.png",
        license=LICENSE,
        signature=signature,
        args=args,
        figures=figures,
        verification=sentence(
            Check(max(c.error for c in checks), sum(c.steps for c in checks)), release(entry.module), len(checks)
        ),
        pitfalls=pitfalls,
        library=release(entry.module),
        trainer=trainer_view(entry),
        timm_call=timm_call(entry),
        train_py=train_py_command(entry),
        train_py_commit=train_py.COMMIT,
        timm_version=version("timm"),
        explore=explore,
    )


@dataclass(frozen=True)
class Card:
    entry: Entry
    page: str
    thumb: str
    alt: str
    width: int
    height: int


def by_library(
    libraries: Sequence[tuple[str, str]], families: Sequence[tuple[str, str]], items: Sequence[Any], entry: Any
) -> list[tuple[str, list[tuple[str, list[Any]]]]]:
    """(library title, [(family title, items)]) in catalog order; `entry(item)` is the item's Entry."""
    out = []
    for lib, lib_title in libraries:
        groups = [
            (title, [i for i in items if entry(i).family == f and entry(i).library == lib]) for f, title in families
        ]
        if groups := [g for g in groups if g[1]]:
            out.append((lib_title, groups))
    return out


def site(text: str, where: str) -> str:
    """A title or word of the site's frame (the nav, the gallery, the utility pages) in the current
    language: its Chinese is in `gen/zh/site.toml`."""
    return i18n.t(text, "site", where)


def titled(pairs: Sequence[tuple[str, str]], where: str) -> list[tuple[str, str]]:
    """(key, title) pairs with each title in the current language (LIBRARIES, FAMILIES)."""
    return [(key, site(title, where)) for key, title in pairs]


def pages_titled(pages: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """(title, path) pairs (gen.build.SITE_PAGES) with each title in the current language."""
    return [(site(title, "SITE_PAGES"), path) for title, path in pages]


def home_page(
    libraries: Sequence[tuple[str, str]],
    families: Sequence[tuple[str, str]],
    cards: Sequence[Card],
    guides: Sequence[object] = (),
) -> str:
    return ENV.get_template("home.md.j2").render(
        libraries=by_library(titled(libraries, "LIBRARIES"), titled(families, "FAMILIES"), cards, lambda c: c.entry),
        versions={lib: release(lib) for lib, _ in libraries},
        guides=guides,
        torch=torch_version(),
        image=f"{folder(cards[0].entry)}/card.png",
    )


def nav(
    libraries: Sequence[tuple[str, str]],
    families: Sequence[tuple[str, str]],
    entries: Sequence[Entry],
    extra: Sequence[tuple[str, str]] = (),
    guides: Sequence[tuple[str, str]] = (),
) -> str:
    """A literate-nav SUMMARY.md: home, schedulers by library and family, the guides, then the utility
    pages; the titles the catalog and the build give in English are written in the current language."""
    lines = [f"* [{site('Home', 'nav')}](index.md)", f"* {site('Schedulers', 'nav')}"]
    libraries, families = titled(libraries, "LIBRARIES"), titled(families, "FAMILIES")
    for lib_title, groups in by_library(libraries, families, entries, lambda e: e):
        lines.append(f"    * {lib_title}")
        for title, members in groups:
            lines.append(f"        * {title}")
            lines += [f"            * [{e.name}](schedulers/{e.slug}/index.md)" for e in members]
    if guides:
        lines.append(f"* {site('Guides', 'nav')}")
        lines += [f"    * [{title}]({path})" for title, path in guides]
    lines += [f"* [{title}]({path})" for title, path in pages_titled(extra)]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class DataRow:
    entry: Entry
    case: Case
    page: str  # the scheduler page, from the site root
    base: str  # the case's files without suffix, from the site root
    call: str  # the constructor call, one line, for the Arguments column


def data_page(traces: Sequence[Trace], guides: Sequence[Any] = ()) -> str:
    """`guides`: the guide figures (gen.guides.pages.GuideFigure), listed after the schedulers."""
    rows = []
    for t in traces:
        call = scheduler_call(t.entry.name, t.case.args, width=FLAT, module=t.entry.module)
        if t.case.vary:
            call += f" for {t.case.vary} in {', '.join(shown(v) for v in t.case.values)}"
        base = case_file(t.entry, t.case, "x").removesuffix(".x")
        rows.append(DataRow(t.entry, t.case, page(t.entry), base, call.replace("|", "\\|")))
    groups: dict[str, list[DataRow]] = {}  # by scheduler, in catalog order
    for row in rows:
        groups.setdefault(row.entry.name, []).append(row)
    return ENV.get_template("data.md.j2").render(
        data="../" + ("../" if i18n.root() else ""),  # from data/ to the English edition's root: its files
        groups=list(groups.items()),
        cases=len(rows),
        torch=torch_version(),
        license=LICENSE,
        guides=guides,
    )


@dataclass(frozen=True)
class Versions:
    torch: str
    transformers: str
    timm: str
    python: str
    matplotlib: str
    katex: str
    material: str


def status_page(versions: Versions, checks: Sequence[Check], schedulers: int) -> str:
    worst = max(c.error for c in checks)
    return ENV.get_template("status.md.j2").render(
        versions=versions,
        schedulers=schedulers,
        cases=len(checks),
        steps=sum(c.steps for c in checks),
        worst=site("zero", "status page") if worst == 0 else f"{worst:.1e}",
    )


def links_page(guides: Sequence[Any], site_pages: Sequence[tuple[str, str]]) -> str:
    """The URL scheme, every guide and page of the nav named (the lists the nav is made from)."""
    return ENV.get_template("links.md.j2").render(guides=guides, site_pages=pages_titled(site_pages))
