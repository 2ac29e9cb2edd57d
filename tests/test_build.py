"""The strict MkDocs build: every page, figure and data file is there, offline and reproducible."""

from __future__ import annotations

import csv
import html
import json
import random
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import CASE_IDS, CASES, CODE, PROSE, SITE_URL, is_redirect, mkdocs_build
from gen.catalog import ENTRIES
from gen.library import parameters, release, torch_version
from gen.model import shown

FETCHING_RELS = {"stylesheet", "icon", "preload", "modulepreload", "manifest", "prefetch", "apple-touch-icon"}


class Fetches(HTMLParser):
    """Every URL a browser would fetch on its own while loading the page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in {"script", "img", "source", "iframe", "video", "audio", "embed"} and a.get("src"):
            self.urls.append(a["src"] or "")
        if tag == "link" and FETCHING_RELS & set((a.get("rel") or "").split()):
            self.urls.append(a.get("href") or "")


def pages(site: Path) -> list[Path]:
    """Every page with content (short links' redirect pages are checked in test_publish)."""
    return sorted(p for p in site.rglob("*.html") if not is_redirect(p))


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.name for e in ENTRIES])
def test_scheduler_page(site, entry):
    html = (site / "schedulers" / entry.slug / "index.html").read_text()
    assert f'<h1 id="{entry.name.lower()}">{entry.name}' in html
    assert re.search(
        rf"Matches {re.escape(release(entry.module))} (exactly|to \d\.\de-\d\d \(largest relative error\)) over [\d,]+ steps in {len(entry.cases)} cases",
        html,
    )
    assert 'class="katex' in html
    for case in entry.cases:
        for theme in ("light", "dark"):
            assert f'src="{case.id}.{theme}.svg#only-{theme}"' in html
    assert len(re.findall(r"<figure", html)) == len(entry.cases)
    said = [p for p in entry.pitfalls if p.expect]  # the others are silent: their code prints the evidence
    assert len(re.findall(rf"{re.escape(release(entry.module))} says:", html)) == len(said)
    prints = rf"Run on {re.escape(release(entry.module))}, it prints, without a warning:"
    assert len(re.findall(prints, html)) == len(entry.pitfalls) - len(said)


@pytest.mark.parametrize(("entry", "case"), CASES, ids=CASE_IDS)
def test_published_files(site, entry, case):
    folder = site / "schedulers" / entry.slug
    for suffix in ("light.svg", "dark.svg", "csv", "py", "json"):
        assert (folder / f"{case.id}.{suffix}").stat().st_size > 0, suffix
    sidecar = json.loads((folder / f"{case.id}.json").read_text())
    assert sidecar["scheduler"] == f"{entry.module}.{entry.name}"
    assert sidecar["torch"] == torch_version()
    assert sidecar["steps"] == case.steps
    assert sidecar["optimizer"]["class"] == f"torch.optim.{case.optim.name}"
    assert sidecar["snippet"] == (folder / f"{case.id}.py").read_text()
    rows = list(csv.reader((folder / f"{case.id}.csv").open(newline="")))
    assert sidecar["columns"] == rows[0]
    assert len(rows) == case.steps + 1
    assert all(len(row) == len(rows[0]) for row in rows)


def test_every_formula_rendered(site):
    for page in pages(site):
        text = re.sub(
            r"<(script|style|code|pre|annotation)\b.*?</\1>", "", page.read_text(), flags=re.S
        )  # TeX source kept for MathML
        for raw in (r"\(", r"\[", "$$", 'class="arithmatex"'):
            assert raw not in text, (page, raw)


def test_no_request_leaves_the_site(site):
    for page in pages(site):
        parser = Fetches()
        parser.feed(page.read_text())
        assert parser.urls, page
        assert [u for u in parser.urls if re.match(r"(https?:)?//", u)] == [], page
    for css in site.rglob("*.css"):
        assert not re.search(r"url\((['\"]?)(https?:)?//", css.read_text()), css


def test_math_assets_are_published(site):
    assert (site / "assets/katex/katex.min.css").exists()
    fonts = {p.name for p in (site / "assets/katex/fonts").iterdir()}
    for name in re.findall(r"url\(fonts/([^)]+)\)", (site / "assets/katex/katex.min.css").read_text()):
        assert name in fonts


def test_removed_arguments_appear_nowhere(site):
    """Only the pitfall that shows torch rejecting `verbose` may name it, and the pages of the
    schedules whose signature still has it (transformers' GreedyLR)."""
    pitfalls = [site / edition / "guides" / "pitfalls" / "index.html" for edition in ("", "zh")]
    assert all('id="verbose"' in page.read_text() for page in pitfalls)
    keep = {f"schedulers/{e.slug}/" for e in ENTRIES if "verbose" in parameters(e.name, e.module)}
    assert all(e.library != "torch" for e in ENTRIES if f"schedulers/{e.slug}/" in keep)
    for path in site.rglob("*"):
        if any(path.is_relative_to(site / edition / k) for k in keep for edition in ("", "zh")):
            continue
        if path.suffix in {".html", ".py", ".json", ".csv", ".md"} and path not in pitfalls:
            if path.name == "search_index.json":  # each edition's index, its locations from its root
                docs = json.loads(path.read_text())["docs"]
                named = {d["location"] for d in docs if "verbose" in d["text"] + d["title"]}
                assert {loc.split("#")[0] for loc in named} <= {"guides/pitfalls/", *keep}, named
            else:
                assert "verbose" not in path.read_text(), path


def test_search_index_leaves_out_the_reproduce_scripts(site):
    """What search should find is prose, headings and captions: each figure's Reproduce script (a
    tenth of the gzipped index) is left out, its own text and check are kept."""
    docs = json.loads((site / "search" / "search_index.json").read_text())["docs"]
    text = " ".join(d["text"] for d in docs)
    for leftover in ("Reproduce:", 'print(f"{step}'):
        assert leftover not in text, leftover
    assert "The momentum panel mirrors the rate" in text and "Checked against" in text


def test_search_index_is_written_in_utf8(site):
    """Each edition's index spells its characters in UTF-8, not as `\\u5b66` escapes (gen/hooks.py)."""
    for edition in ("", "zh"):
        raw = (site / edition / "search" / "search_index.json").read_text(encoding="utf-8")
        assert re.findall(r"(?<!\\)\\u[0-9a-fA-F]{4}", raw)[:3] == [], edition
        assert json.loads(raw)["docs"]
    assert "学习率" in (site / "zh" / "search" / "search_index.json").read_text(encoding="utf-8")


def test_nav_lists_every_scheduler(site):
    html = (site / "index.html").read_text()
    for entry in ENTRIES:
        assert f'href="schedulers/{entry.slug}/"' in html


def test_two_clean_builds_are_byte_identical(site, tmp_path):
    again = tmp_path / "site"
    done = mkdocs_build(again, tmp_path / "cache")
    assert done.returncode == 0, done.stderr[-3000:]
    first = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert [p for p in first if first[p] != second[p]] == []


def test_chinese_alt_text_says_it_in_chinese(site):
    """The alt text on a Chinese page names each curve as its legend draws it: in Chinese, with
    code, names and numbers as they are."""
    found = []
    for page in pages(site / "zh"):
        for alt in re.findall(r'<img[^>]* alt="([^"]*)"', page.read_text()):
            if english := PROSE.search(CODE.sub(" ", html.unescape(alt))):
                found.append((page.parent.relative_to(site).as_posix(), english[0], html.unescape(alt)[:100]))
    assert found == []


SWEEPS = [(e, c) for e, c in CASES if c.vary]


@pytest.mark.parametrize(("entry", "case"), SWEEPS, ids=[f"{e.name}-{c.id}" for e, c in SWEEPS])
def test_a_sweep_names_its_values_alike_everywhere(site, entry, case):
    """Legend, CSV header, caption and alt text give each value in one form, a float's shortest exact one."""
    folder = site / "schedulers" / entry.slug
    header = (folder / f"{case.id}.csv").read_text().splitlines()[0]
    legend = html.unescape((folder / f"{case.id}.light.svg").read_text())
    page = html.unescape((folder / "index.html").read_text())
    for value in case.values:
        text = shown(value)
        assert f"[{case.vary}={text}]" in header, (text, header)
        assert f">{case.vary}={text}<" in legend, text
        assert f"<code>{text}</code>" in page, text  # the caption
    assert f"with {case.vary} = {', '.join(shown(v) for v in case.values)}" in page  # the alt text


@pytest.mark.parametrize(
    ("value", "text"),
    [(1e6, "1e6"), (100.0, "100"), (1e-05, "1e-5"), (0.1, "0.1"), (2.5e-06, "2.5e-6"), (0.95, "0.95"), (30, "30")],
)
def test_shown_is_the_shortest_exact_form(value, text):
    assert shown(value) == text


def test_shown_reads_back_as_the_same_float():
    rng = random.Random(0)
    values = [rng.uniform(-1, 1) * 10 ** rng.randint(-12, 12) for _ in range(2000)] + [0.1 * k for k in range(100)]
    for value in values:
        assert float(shown(value)) == value
        assert len(shown(value)) <= len(repr(value))
    assert shown(float("nan")) == "nan"  # as Python writes it; verification stops a NaN long before


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's header (its IHDR chunk)."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", path
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


@pytest.mark.parametrize(("entry", "case"), CASES, ids=CASE_IDS)
def test_every_figure_has_a_slide(site, entry, case):
    """16:9: a 1920 x 1080 PNG and an SVG whose smallest text is at least 28 px at 1920 px wide,
    both with the figure's title, its call and a credit line with its address; linked from the
    page's embed block."""
    folder = site / "schedulers" / entry.slug
    assert png_size(folder / f"{case.id}.slide.png") == (1920, 1080)
    svg = html.unescape((folder / f"{case.id}.slide.svg").read_text())
    width, height = map(float, re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg).groups())
    assert abs(width / height - 16 / 9) < 1e-3, (width, height)
    smallest = min(float(s) for s in re.findall(r"font-size: ?([\d.]+)px", svg))
    assert smallest * 1920 / width >= 28, smallest * 1920 / width
    text = " ".join(re.findall(r">([^<>]+)</text>", svg))
    assert f"{entry.name}: {case.title}"[:30] in text.replace("\n", " "), text[:200]
    assert f"{entry.name}(" in text, text[:300]  # its call
    assert f"CC BY 4.0: {SITE_URL}schedulers/{entry.slug}/#{case.id}" in text, text[-300:]  # its credit
    page = (folder / "index.html").read_text()
    assert f'href="{case.id}.slide.png"' in page and f'href="{case.id}.slide.svg"' in page
