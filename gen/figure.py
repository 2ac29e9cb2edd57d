"""A published figure, made one way wherever it appears: a scheduler case, a sweep, an overlay, a
guide plot. Its script has run (gen.script) and its twin has checked every column (gen.verify);
here it becomes its drawing jobs, its data files (CSV, JSON sidecar, the script itself) and what
the page's figure block shows (its alt text, caption and embed snippets).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from gen import cache, i18n
from gen.library import torch_version
from gen.plot import Figure
from gen.publish import DRAWN, FILES, LICENSE, SUFFIXES, absolute
from gen.script import Output

PX_PER_INCH = 96
THEMES = ("light", "dark")
HIGHLIGHT = "highlight.json"  # beside each page with figures: {figure id: highlighted spans}


def md_escape(text: str) -> str:
    """Escape what Markdown would read as syntax inside link or image text."""
    return re.sub(r"([\[\]\\`*_{}<>])", r"\\\1", text)


def short(value: float) -> str:
    return f"{value:.3g}"


@dataclass(frozen=True)
class Embed:
    """What a lecture note needs to show or cite one figure: absolute URLs and ready snippets."""

    permalink: str
    urls: tuple[str, ...]  # light SVG, dark SVG, CSV, JSON, script
    markdown: str
    html: str


@dataclass(frozen=True)
class Small:
    """One column of a figure drawn alone (a small multiple): its file stem, alt text and caption."""

    stem: str
    alt: str
    caption: str


@dataclass(frozen=True)
class FigureView:
    """What the page's figure block (templates/figure.md.j2) shows."""

    id: str
    title: str
    alt: str
    caption: str
    code: str  # the Reproduce script
    width: int
    height: int
    narrow: tuple[int, int]  # the phone drawing's size (`<id>.narrow.<theme>.svg`)
    embed: Embed
    text: str = ""  # Markdown under the figure
    check: str = ""  # the sentence stating this figure's own check, where the page has no common one
    library: str = ""  # who ran it, where not the page's library: `torch 2.13.0 and timm 1.0.31`
    warnings: tuple[str, ...] = ()  # what the library warned while the script ran, word for word
    multiples: tuple[Small, ...] = ()
    log: bool = False
    at: str = ""  # from the page to its data files and script (the English edition's: gen.i18n.shared)


@dataclass(frozen=True)
class Made:
    """A figure ready to publish: its page block, its data files, and its drawings to make."""

    view: FigureView
    files: dict[str, bytes]  # site path -> bytes: CSV, JSON, script
    drawings: tuple[tuple[str, Figure, str], ...]  # (site path, figure, theme)


def describe(name: str) -> str:
    """A column's curve in words: `lr_group1[T_max=50]` is the rate of group 1."""
    base = name.split("[", 1)[0]
    if base == "lr":
        return i18n.tr("the rate", "alt text")
    if base.startswith("lr_group"):
        return i18n.tr("the rate of group {n}", "alt text", n=base[8:])
    return i18n.tr(base.replace("_", " "), "alt text")


def label(column: str) -> str:
    """`lr[per batch]` -> `per batch`: the run a column belongs to, as the legend names it."""
    return column.split("[", 1)[1][:-1] if "[" in column else ""


def alt_text(head: str, output: Output, unit: str, legend: Callable[[str], str] = label) -> str:
    """Names what is drawn, then says what each curve does: where it starts, its highest and
    lowest values with the first step each is reached, and where it ends. `legend` gives a
    labelled column's name as the figure's legend draws it."""
    parts = []
    for name, values in zip(output.header[1:], output.columns[1:], strict=True):
        high = max(range(len(values)), key=values.__getitem__)
        low = min(range(len(values)), key=values.__getitem__)
        if values[high] == values[low]:
            desc = i18n.tr("{what} stays at {value}", "alt text", what=describe(name), value=short(values[0]))
        else:
            desc = i18n.tr(
                "{what} starts at {first}, is highest ({high}) at {at_high} and lowest ({low}) at {at_low}, "
                "and ends at {last}",
                "alt text",
                what=describe(name),
                first=short(values[0]),
                high=short(values[high]),
                at_high=i18n.tr(f"{unit} {{n}}", "alt text", n=high),  # `step 12`, `第 12 步`
                low=short(values[low]),
                at_low=i18n.tr(f"{unit} {{n}}", "alt text", n=low),
                last=short(values[-1]),
            )
        # the legend's words, as drawn
        parts.append(i18n.tr("{label}: {desc}", "alt text", label=legend(name), desc=desc) if label(name) else desc)
    rows = i18n.tr(f"{{n}} {unit}s", "alt text", n=output.rows)  # `100 steps`; a batch axis has always said `batchs`
    start = i18n.tr("Line chart: {head}, over {rows}; ", "alt text", head=head, rows=rows)
    return start + i18n.tr("; ", "alt text").join(parts) + i18n.tr(".", "alt text")


def embed(
    page_url: str, fid: str, folder_url: str, data_url: str, alt: str, cite: str, width: int, height: int
) -> Embed:
    """`folder_url`: where the drawings are (each edition has its own); `data_url`: the data files'."""
    permalink = f"{page_url}#{fid}"
    urls = tuple(f"{folder_url if s in DRAWN else data_url}{fid}.{s}" for s in SUFFIXES)
    credit = "{cite}. From the {atlas}, {license}."  # the figure's credit line, in both snippets
    atlas = i18n.tr("LR Scheduler Atlas", "embed snippet")
    cited = i18n.tr(
        credit,
        "embed snippet",
        cite=md_escape(cite),
        atlas=f"[{atlas}]({permalink})",
        license=f"[CC BY 4.0]({LICENSE.figures_url})",
    )
    markdown = f"[![{md_escape(alt)}]({urls[0]})]({permalink})\n\n*{cited}*"
    cited = i18n.tr(
        credit,
        "embed snippet",
        cite=html.escape(cite),
        atlas=f'<a href="{permalink}">{atlas}</a>',
        license=f'<a href="{LICENSE.figures_url}">CC BY 4.0</a>',
    )
    markup = (
        f'<figure>\n  <img src="{urls[0]}" alt="{html.escape(alt)}" width="{width}" height="{height}">\n'
        f"  <figcaption>{cited}</figcaption>\n</figure>"
    )
    return Embed(permalink, urls, markdown, markup)


def make(
    folder: str,
    fid: str,
    title: str,
    caption: str,
    head: str,
    output: Output,
    code: str,
    figure: Figure,
    about: Mapping[str, Any],
    error: float,
    site_url: str,
    cite: str,
    call: str | None = None,
    *,
    unit: str,
    legend: Callable[[str], str] = label,
    **view: Any,
) -> Made:
    """Everything one figure publishes, at `<folder>/<fid>.<suffix>`. `head` names the drawing in
    its alt text, and is the slide's call unless `call` is given ("": none); `about` leads its JSON
    sidecar (what was run); `unit` is what one row is, in English (step, epoch, batch: the alt
    text says it in the edition's words); `legend` names a labelled column as the legend does;
    `view` adds to its page block."""
    base = f"{folder}/{fid}"
    alt = alt_text(head, output, unit, legend)
    w, h = round(figure.size[0] * PX_PER_INCH), round(figure.size[1] * PX_PER_INCH)
    page_url = absolute(site_url, f"{i18n.root()}{folder}/index.md")
    doc = {
        **about,
        "title": title,
        "caption": caption,
        "steps": output.rows,
        "columns": list(output.header),
        "torch": torch_version(),
        "max_relative_error": error,
        "files": {k: f"{fid}.{s}" for k, s in FILES.items()},
        "license": LICENSE.json(),
        "snippet": code,
    }
    files = {
        f"{base}.csv": output.csv.encode(),
        f"{base}.py": code.encode(),
        f"{base}.json": (json.dumps(doc, indent=2) + "\n").encode(),
    }
    narrow = figure.narrow()
    drawings = tuple((f"{base}.{t}.svg", figure, t) for t in THEMES)
    drawings += tuple((f"{base}.narrow.{t}.svg", narrow, t) for t in THEMES)
    # white, light colours, as a PNG and an SVG; the credit names where the figure lives
    credit = i18n.tr("LR Scheduler Atlas, CC BY 4.0: {url}", "slide credit", url=f"{page_url}#{fid}")
    slide = figure.slide(head if call is None else call, credit)
    drawings += ((f"{base}.slide.png", slide, "card"), (f"{base}.slide.svg", slide, "light"))
    card = FigureView(
        fid,
        title,
        alt,
        caption,
        code,
        w,
        h,
        (round(narrow.size[0] * PX_PER_INCH), round(narrow.size[1] * PX_PER_INCH)),
        embed(
            page_url,
            fid,
            absolute(site_url, f"{i18n.root()}{folder}/"),
            absolute(site_url, f"{folder}/"),
            alt,
            cite,
            w,
            h,
        ),
        **view,
        at=i18n.shared(folder),
    )
    return Made(card, files, drawings)


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


def highlights(views: list[FigureView]) -> bytes:
    """A page's `HIGHLIGHT` file."""
    return json.dumps({v.id: highlight_script(v.code) for v in views}, sort_keys=True, separators=(",", ":")).encode()
