"""SVGs: deterministic, valid, titled, and cached so a warm build never loads matplotlib."""

from __future__ import annotations

import math
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import matplotlib.pyplot
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from conftest import CODE, PROSE
from gen import i18n, plot
from gen.guides import GUIDES, PITFALLS
from gen.guides.pages import guide_figure
from gen.pages import case_figure
from gen.plot import THEMES, Figure, card, draw, figure_for, render, slim, thumbnail
from gen.publish import DEFAULT_SITE_URL
from gen.verify import verify

SVG = "{http://www.w3.org/2000/svg}"


def test_svg_is_deterministic_across_processes(traces):
    trace = next(iter(traces.values()))
    code = (
        "import sys; from gen.catalog import ENTRIES; from gen.run import run_case; from gen.plot import figure_for, render\n"
        "e = ENTRIES[0]; t = run_case(e, e.cases[0]); sys.stdout.buffer.write(render(figure_for(t, 'x'), 'dark'))"
    )
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True).stdout
    second = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True).stdout
    assert first == second
    assert first == render(figure_for(traces[trace.entry.name, trace.entry.cases[0].id], "x"), "dark")


def test_svg_is_valid_and_titled(traces):
    for trace in list(traces.values())[:6]:
        for theme in ("light", "dark"):
            root = ET.fromstring(render(figure_for(trace, "A title"), theme))
            assert root.find(f"{SVG}title").text == "A title"
            assert root.find(f"{SVG}metadata") is None
            assert b"Date" not in ET.tostring(root)


def test_dark_swapped_from_light_equals_a_dark_drawing(traces):
    """The dark SVG is the light one recoloured; drawn directly in the dark palette it is the same
    file, up to the ids matplotlib derives from each marker's style."""
    ids = re.compile(rb"\b([mp])[0-9a-f]{10}\b")
    for trace in list(traces.values())[::6]:
        figure = figure_for(trace, "t")
        light, dark = render(figure, "light"), render(figure, "dark")
        assert light != dark
        assert ids.sub(rb"\1", dark) == ids.sub(rb"\1", draw(figure, THEMES["dark"]))


def site_drawings(traces) -> dict[str, tuple[Figure, str]]:
    """Every figure the site draws, once, by digest, with the edition it is first drawn for: each
    case's and each guide figure's wide, phone and slide drawings (small multiples included), and
    each case's link card, in both editions' words ("zh": drawn for the Chinese edition alone)."""
    figures = {}
    for language in i18n.LANGUAGES:
        for f in site_drawings_in(language, traces):
            figures.setdefault(f.digest, (f, language))
    return figures


def site_drawings_in(language: str, traces) -> list[Figure]:
    """The drawings of one edition."""
    with i18n.edition(language):
        shown = [i18n.trace(t) for t in traces.values()]
        made = [case_figure(t, verify(t), DEFAULT_SITE_URL) for t in shown]
        guides = [i18n.guide(g) for g in (*GUIDES, PITFALLS)]
        made += [guide_figure(g, plot, DEFAULT_SITE_URL).made for g in guides for plot in g.plots]
        figures = [f for m in made for _, f, theme in m.drawings if theme == "light"]
        return figures + [card(figure_for(t, f"{t.entry.name}: {t.case.title}")) for t in shown]


def overlap(a, b) -> float:
    """The smaller side of the overlap of two boxes, in pixels (0 or less: apart)."""
    return min(min(a.x1, b.x1) - max(a.x0, b.x0), min(a.y1, b.y1) - max(a.y0, b.y0))


def collisions(fig) -> list[str]:
    """Every pair of drawn texts whose boxes overlap, and every text a line of a plot crosses."""
    renderer = plot._renderer(fig)
    texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
    found = []
    for i, (a, box_a) in enumerate(boxes):
        found += [f"text {a!r} on text {b!r}" for b, box_b in boxes[i + 1 :] if overlap(box_a, box_b) > 0.5]
    for ax in fig.axes:
        for line in ax.lines:
            if line.get_linestyle() == "None":  # markers only (ticks, a run identical to another)
                continue
            path = line.get_transform().transform_path(line.get_path())
            for text, box in boxes:
                inside = Bbox.intersection(box, ax.bbox)  # lines are clipped to their plot
                if inside is not None and min(inside.width, inside.height) > 0.5 and path.intersects_bbox(inside, filled=False):  # fmt: skip
                    found.append(f"line {line.get_label()!r} through text {text!r}")
    return found


def test_every_drawing_keeps_its_text_inside_apart_and_off_the_curves(traces, monkeypatch):
    """The hand-made layout (no constrained layout), in every drawing the site makes: every label,
    tick label, legend, title and mark label lies inside the figure (a slide's: inside its 5% safe
    margin), no side has more than 12 pt of empty margin besides, no two texts overlap and no line
    of the plot crosses a text. A slide's call is never its title again; its credit links back.
    And every word drawn in a Chinese figure is Chinese, code and numbers aside."""
    seen = []
    drawings = site_drawings(traces)

    def measure(fig, figure, png):
        fig.draw_without_rendering()  # a legend places its texts when drawn
        found = collisions(fig)
        if drawings[figure.digest][1] == "zh":  # the credit's name is the atlas's, and an address
            texts = [t.get_text() for t in fig.findobj(Text) if t.get_visible() and "CC BY" not in t.get_text()]
            found += [f"English {t!r}" for t in texts if PROSE.search(CODE.sub(" ", t))]
        if figure.credit:  # wrapped at spaces only: the address stays whole
            shown = [t.get_text() for t in fig.texts if "CC BY" in t.get_text()]
            if [t.replace("\n", " ") for t in shown] != [figure.credit]:
                found.append(f"credit {shown!r}")
        seen.append((figure, fig.get_tightbbox().extents * 72, fig.bbox_inches.extents * 72, found))
        matplotlib.pyplot.close(fig)
        return b""

    monkeypatch.setattr(plot, "_save", measure)
    figures = [f for f, _ in drawings.values()]
    for figure in figures:
        draw(figure, THEMES["light"])
    assert len(seen) == len(figures) > 500
    crossed = [((figure.title, figure.size), found) for figure, _, _, found in seen if found]
    assert crossed == [], f"{len(crossed)} drawings: {crossed}"
    for figure, (x0, y0, x1, y1), (_, _, width, height), _ in seen:
        across, down = plot.margins(figure, 72)  # in points: a slide's safe margin, else PAD
        empty = (x0 - across, y0 - down, width - x1 - across, height - y1 - down)
        where = (figure.title, figure.size, empty)
        assert min(empty) >= -0.5, where
        assert max(empty) <= 12, where
    slides = [f for f in figures if f.on_slide]
    assert slides and all(f.call != f.title and re.search("CC BY 4.0[:：] ?http", f.credit) for f in slides)


def test_english_prose_is_told_from_code():
    assert all(
        PROSE.search(CODE.sub(" ", s))
        for s in ("learning rate", "warm-up ends (10)", "group 0 (lr=0.1)", "StepLR(optimizer), optimizer SGD")
    )
    assert not any(
        PROSE.search(CODE.sub(" ", s))
        for s in ("lr_lambda=lambda epoch: 0.9 ** epoch", "先 optimizer.step()，再 scheduler.step()", "T_max (100)")
    )


def test_thumbnail_has_no_text(traces):
    svg = render(thumbnail(next(iter(traces.values()))), "light")
    assert b"<text" not in svg


def test_slim_rounds_coordinates_only():
    raw = '<svg>\n  <path d="M 1.23456 2.98765 \nL 10.04 3" x="4.449"/>\n  <text>0.123456</text>\n</svg>'
    assert slim(raw) == '<svg>\n<path d="M 1.2 3 L 10 3" x="4.4"/>\n<text>0.123456</text>\n</svg>'


def test_log_axes_label_two_decades_and_no_curve_ends_below_the_lowest(traces, monkeypatch):
    """On every log figure, as drawn: at least two labelled ticks inside the y range, and every
    value of every curve at or above the lowest label."""
    seen = []

    def measure(fig, figure, png):
        ax = fig.axes[0]
        low, high = ax.get_ylim()
        # _ticks draws the y labels as annotations at x = 0 of the axis, right-aligned
        labels = [float(a.get_text()) for a in ax.texts if a.xy[0] == 0 and a.get_horizontalalignment() == "right"]
        values = [float(v) for line in ax.get_lines() for v in line.get_ydata()]
        seen.append((figure.title, low, high, labels, values))
        matplotlib.pyplot.close(fig)
        return b""

    monkeypatch.setattr(plot, "_save", measure)
    logs = [t for t in traces.values() if t.case.log]
    assert logs
    for trace in logs:
        draw(figure_for(trace, f"{trace.entry.name} {trace.case.id}"), THEMES["light"])
    for title, low, high, labels, values in seen:
        inside = [v for v in labels if low <= v <= high]
        assert len(inside) >= 2, (title, labels, low, high)
        assert all(math.isfinite(v) for v in values), title
        assert min(v for v in values if v > 0) >= min(inside) * (1 - 1e-9), (title, min(values), min(inside))


def test_alt_text_names_each_curves_extremes_and_their_steps(traces):
    """A reader who cannot see the figure hears where each curve starts, its highest and lowest
    values with the first step of each, and where it ends (OneCycleLR's momentum dips to 0.85)."""
    from gen.figure import alt_text, short
    from gen.pages import head

    for trace in traces.values():
        output, unit = trace.output, trace.entry.unit(trace.case)
        alt = alt_text(head(trace), output, unit)
        for values in output.columns[1:]:
            assert all(v == v for v in values)  # no NaN
            high, low = values.index(max(values)), values.index(min(values))
            if max(values) == min(values):
                assert f"stays at {short(values[0])}" in alt, alt
            else:
                assert f"highest ({short(values[high])}) at {unit} {high} and lowest ({short(values[low])}) at {unit} {low}" in alt, alt  # fmt: skip
    one_cycle = traces["OneCycleLR", "basic"]
    alt = alt_text(head(one_cycle), one_cycle.output, "batch")
    assert "momentum starts at 0.95, is highest (0.95) at batch 0 and lowest (0.85) at batch 299" in alt, alt


def test_no_two_gallery_thumbnails_look_alike(traces):
    """Each thumbnail's curves, scaled to a unit square and read at 101 points, differ from every
    other schedule's somewhere by at least 5% of the height (get_polynomial_decay_schedule_with_warmup's
    first case is linear: its thumbnail draws its power sweep)."""
    from gen.catalog import ENTRIES

    def shape(entry) -> list[list[float]]:
        curves = [s.values for s in thumbnail(traces[entry.name, entry.thumb_case]).series]
        high = max(max(c) for c in curves)
        out = []
        for c in curves:
            assert all(v == v for v in c)  # no NaN
            out.append([c[round(i * (len(c) - 1) / 100)] / high for i in range(101)])
        return out

    shapes = {e.name: shape(e) for e in ENTRIES}
    alike = []
    for i, (a, sa) in enumerate(shapes.items()):
        for b, sb in list(shapes.items())[i + 1 :]:
            if (
                len(sa) == len(sb)
                and max(abs(x - y) for ca, cb in zip(sa, sb, strict=True) for x, y in zip(ca, cb, strict=True)) < 0.05
            ):
                alike.append((a, b))
    assert alike == [], alike
