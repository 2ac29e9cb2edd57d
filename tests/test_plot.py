"""SVGs: deterministic, valid, titled, and cached so a warm build never loads matplotlib."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET

from gen.plot import figure_for, render, slim, thumbnail

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


def test_light_and_dark_differ_in_colour_only(traces):
    trace = next(iter(traces.values()))
    light, dark = (render(figure_for(trace, "t"), th) for th in ("light", "dark"))
    assert light != dark
    assert light.count(b"<path") == dark.count(b"<path")


def test_thumbnail_has_no_text(traces):
    svg = render(thumbnail(next(iter(traces.values()))), "light")
    assert b"<text" not in svg


def test_slim_rounds_coordinates_only():
    raw = '<svg>\n  <path d="M 1.23456 2.98765 \nL 10.04 3" x="4.449"/>\n  <text>0.123456</text>\n</svg>'
    assert slim(raw) == '<svg>\n<path d="M 1.2 3 L 10 3" x="4.4"/>\n<text>0.123456</text>\n</svg>'


def test_warm_generate_renders_nothing_and_skips_matplotlib_and_torch(tmp_path):
    env = os.environ | {"ATLAS_CACHE_DIR": str(tmp_path)}
    code = (
        "import sys; from gen.build import generate; from gen.__main__ import FolderWriter\n"
        "s = generate(FolderWriter(None)); print(s.plots, s.cached, 'matplotlib' in sys.modules, 'torch' in sys.modules)"
    )
    cold = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    plots, cached, *loaded = cold.stdout.split()
    assert (cached, loaded) == ("0", ["True", "True"])
    # Warm: nothing drawn, and neither matplotlib nor torch imported (traces, messages, signatures
    # and the catalog's validity all come from the cache, keyed by the torch version).
    warm = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert warm.stdout.split() == [plots, plots, "False", "False"]
