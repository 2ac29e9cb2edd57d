"""SVGs: deterministic, valid, titled, and cached so a warm build never loads matplotlib."""

from __future__ import annotations

import math
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import matplotlib.pyplot

from gen import plot
from gen.plot import THEMES, card, draw, figure_for, render, slim, thumbnail

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


def test_every_figure_keeps_its_text_inside_without_wasting_margin(traces, monkeypatch):
    """The hand-made layout (no constrained layout): every label, tick label, legend and mark label
    lies inside the figure, and no side has more than 12 pt of empty margin."""
    boxes = []

    def measure(fig, figure, png):
        boxes.append((figure.title, fig.get_tightbbox().extents * 72, fig.bbox_inches.extents * 72))
        matplotlib.pyplot.close(fig)
        return b""

    monkeypatch.setattr(plot, "_save", measure)
    for trace in traces.values():  # the titles the build gives (a card shows it: long ones too)
        figure = figure_for(trace, f"{trace.entry.name}: {trace.case.title}")
        draw(figure, THEMES["light"])
        draw(figure.narrow(), THEMES["light"])  # the phone's drawing
        draw(figure.slide(f"{trace.entry.name}(optimizer, ...) with a call long enough to wrap " * 2), THEMES["card"])
        draw(card(figure), THEMES["card"], png=True)
    for title, (x0, y0, x1, y1), (_, _, width, height) in boxes:
        assert min(x0, y0, width - x1, height - y1) >= -0.5, (title, x0, y0, width - x1, height - y1)
        assert max(x0, y0, width - x1, height - y1) <= 12, (title, x0, y0, width - x1, height - y1)


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
