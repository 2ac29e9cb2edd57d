"""Jinja2 templates -> Markdown: scheduler pages, the gallery home page and the nav."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import jinja2

from gen import cache
from gen.data import FLAT, scheduler_call, source
from gen.explore import ExploreView
from gen.model import Case, Entry, Trace
from gen.plot import Figure
from gen.publish import LICENSE, SUFFIXES, absolute, case_file, folder, page
from gen.run import parameters, torch_version
from gen.verify import Check

ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("gen", "templates"),
    undefined=jinja2.StrictUndefined,  # a missing variable stops the build
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    autoescape=False,
)
PX_PER_INCH = 96


@dataclass(frozen=True)
class Embed:
    """What a lecture note needs to show or cite one figure: absolute URLs and ready snippets."""

    permalink: str
    urls: tuple[str, ...]  # light SVG, dark SVG, CSV, JSON, script
    markdown: str
    html: str


HIGHLIGHT = "highlight.json"  # beside each scheduler page: {case id: highlighted spans}


@dataclass(frozen=True)
class FigureView:
    case: Case
    alt: str
    caption: str
    code: str
    width: int
    height: int
    embed: Embed

    @property
    def code_html(self) -> str:
        return highlight_script(self.code)


def highlight_script(code: str) -> str:
    """A Reproduce script as Pygments' highlighted spans, published per page in `HIGHLIGHT` and put
    in place when the reader opens Reproduce. In the page they were 40 % of its DOM (highlighted)
    or of its HTML (in an attribute, which MkDocs' Markdown and search then parsed on every
    build); an inert <script> data block is dropped by Material's instant navigation."""
    name = f"highlight/{cache.key('pygments', cache.library_version('pygments'), code)}.html"
    if (stored := cache.get(name)) is not None:  # a warm rebuild: highlighting was its slowest step
        return stored.decode()
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer

    spans = highlight(code, PythonLexer(), HtmlFormatter(nowrap=True))
    cache.put(name, spans.encode())
    return spans


@dataclass(frozen=True)
class PitfallView:
    pitfall: object
    message: str


@dataclass(frozen=True)
class ArgView:
    name: str
    default: str
    meaning: str


def md_escape(text: str) -> str:
    """Escape what Markdown would read as syntax inside link or image text."""
    return re.sub(r"([\[\]\\`*_{}<>])", r"\\\1", text)


def short(value: float) -> str:
    return f"{value:.3g}"


def alt_text(trace: Trace) -> str:
    """Names the scheduler and its arguments, then says what the curve does."""
    entry, case = trace.entry, trace.case
    unit = "epochs" if entry.metric else "steps"
    head = scheduler_call(entry.name, case.args, width=FLAT, module=entry.module)
    if case.vary:
        head += f" with {case.vary} = {', '.join(repr(v) for v in case.values)}"
    head += setting(case, entry.name, code=False)
    parts = []
    for run in trace.runs:
        for name, values in run.columns:
            what = "the rate" if name == "lr" else name.replace("_", " ")
            if name.startswith("lr_group"):
                what = f"the rate of group {name[8:]}"
            peak = max(range(len(values)), key=values.__getitem__)
            desc = f"{what} starts at {short(values[0])}, peaks at {short(values[peak])} at step {peak}, ends at {short(values[-1])}"
            parts.append(f"{run.label}: {desc}" if run.label else desc)
    return f"Line chart of {head}, optimizer {case.optim.name}, over {case.steps} {unit}; " + "; ".join(parts) + "."


def setting(case: Case, name: str, code: bool) -> str:
    """What the case adds to a plain run: handover, fractional stepping, overlays."""
    q = "`" if code else ""
    out = ""
    if case.before:
        first = scheduler_call(case.before.name, case.before.args, width=FLAT)
        out += f" from step {case.handover}, after {q}{first}{q} until then"
    if case.iters:
        out += f", stepped with {q}scheduler.step(epoch + i / {case.iters}){q} after each of {case.iters} batches per epoch"
    if case.overlay:
        others = [f"{q}{scheduler_call(s.name, s.args, width=FLAT)}{q}" for s in case.overlay]
        out += f", against {' and '.join(others)}, each run alone on its own optimizer"
    return out


def caption(trace: Trace) -> str:
    entry, case = trace.entry, trace.case
    text = f"`{scheduler_call(entry.name, case.args, width=FLAT, module=entry.module)}`"
    if case.vary:
        text += f" for `{case.vary}` in {', '.join(f'`{source(v, width=FLAT)}`' for v in case.values)}"
        if case.derive:
            text += " (other arguments follow it, see the script)"
    text += setting(case, entry.name, code=True)
    opt = ", ".join([*(f"lr={lr!r}" for lr in case.optim.lrs[:1]), *(f"{k}={v!r}" for k, v in case.optim.args.items())])
    groups = (
        f", {len(case.optim.lrs)} groups with lr {', '.join(map(repr, case.optim.lrs))}"
        if len(case.optim.lrs) > 1
        else ""
    )
    unit = "epochs" if entry.metric else "steps"
    return f"{text}; optimizer `{case.optim.name}({opt})`{groups}; {case.steps} {unit}" + (
        "; log scale." if case.log else "."
    )


def embed(trace: Trace, site_url: str, width: int, height: int) -> Embed:
    entry, case = trace.entry, trace.case
    permalink = f"{absolute(site_url, page(entry))}#{case.id}"
    urls = tuple(absolute(site_url, case_file(entry, case, s)) for s in SUFFIXES)
    alt, cite = alt_text(trace), f"{entry.name}: {case.title}"
    markdown = (
        f"[![{md_escape(alt)}]({urls[0]})]({permalink})\n\n"
        f"*{md_escape(cite)}. From the [LR Scheduler Atlas]({permalink}), [CC BY 4.0]({LICENSE.figures_url}).*"
    )
    markup = (
        f'<figure>\n  <img src="{urls[0]}" alt="{html.escape(alt)}" width="{width}" height="{height}">\n'
        f'  <figcaption>{html.escape(cite)}. From the <a href="{permalink}">LR Scheduler Atlas</a>, '
        f'<a href="{LICENSE.figures_url}">CC BY 4.0</a>.</figcaption>\n</figure>'
    )
    return Embed(permalink, urls, markdown, markup)


def figure_view(trace: Trace, figure: Figure, code: str, site_url: str) -> FigureView:
    w, h = round(figure.size[0] * PX_PER_INCH), round(figure.size[1] * PX_PER_INCH)
    return FigureView(trace.case, md_escape(alt_text(trace)), caption(trace), code, w, h, embed(trace, site_url, w, h))


def verification(entry: Entry, checks: Sequence[Check]) -> str:
    err = max(c.error for c in checks)
    steps = sum(c.steps for c in checks)
    how = "exactly" if err == 0 else f"to {err:.1e} (max relative error)"
    return (
        f"Matches torch {torch_version()} {how} over {steps:,} steps in {len(checks)} cases: when this "
        "page was built, an independent Python twin of the formula above predicted every step of "
        "every case and sweep below, and the build compared it with torch's own trace (the build "
        "fails past 1e-12 of a case's largest rate)."
    )


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
        ArgView(a.name, "required" if params[a.name] is None else f"`{params[a.name]}`", a.meaning) for a in entry.args
    ]
    return text, args


def scheduler_page(
    entry: Entry,
    figures: Sequence[FigureView],
    checks: Sequence[Check],
    pitfalls: Sequence[PitfallView],
    explore: ExploreView | None = None,
) -> str:
    signature, args = signature_views(entry)
    return ENV.get_template("scheduler.md.j2").render(
        entry=entry,
        image=f"{folder(entry)}/card.png",
        license=LICENSE,
        signature=signature,
        args=args,
        figures=figures,
        verification=verification(entry, checks),
        pitfalls=pitfalls,
        torch=torch_version(),
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


def home_page(families: Sequence[tuple[str, str]], cards: Sequence[Card], guides: Sequence[object] = ()) -> str:
    grouped = [(f, title, [c for c in cards if c.entry.family == f]) for f, title in families]
    first = cards[0].entry
    return ENV.get_template("home.md.j2").render(
        families=[g for g in grouped if g[2]],
        guides=guides,
        torch=torch_version(),
        image=f"{folder(first)}/card.png",
    )


def nav(
    families: Sequence[tuple[str, str]],
    entries: Sequence[Entry],
    extra: Sequence[tuple[str, str]] = (),
    guides: Sequence[tuple[str, str]] = (),
) -> str:
    """A literate-nav SUMMARY.md: home, schedulers by family, the guides, then the utility pages."""
    lines = ["* [Home](index.md)", "* Schedulers"]
    for family, title in families:
        members = [e for e in entries if e.family == family]
        if members:
            lines.append(f"    * {title}")
            lines += [f"        * [{e.name}](schedulers/{e.slug}/index.md)" for e in members]
    if guides:
        lines.append("* Guides")
        lines += [f"    * [{title}]({path})" for title, path in guides]
    lines += [f"* [{title}]({path})" for title, path in extra]
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
            call += f" for {t.case.vary} in {', '.join(repr(v) for v in t.case.values)}"
        base = case_file(t.entry, t.case, "x").removesuffix(".x")
        rows.append(DataRow(t.entry, t.case, page(t.entry), base, call.replace("|", "\\|")))
    groups: dict[str, list[DataRow]] = {}  # by scheduler, in catalog order
    for row in rows:
        groups.setdefault(row.entry.name, []).append(row)
    return ENV.get_template("data.md.j2").render(
        groups=list(groups.items()), cases=len(rows), torch=torch_version(), license=LICENSE, guides=guides
    )


@dataclass(frozen=True)
class Versions:
    torch: str
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
        worst="zero" if worst == 0 else f"{worst:.1e}",
    )
