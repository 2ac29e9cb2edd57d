"""Benchmark of the Explore panels: prints their figures. Not a test.

    python tests/bench_explore.py [--runs 1]

Figures: the script's size gzipped (ours only: there is no library), the data file per page (raw
and gzipped, median and largest), the time from an input event to the redrawn chart in Chromium,
and what the grids cost the build (their torch runs cold and from the cache; tests/benchmark.py
times the clean and warm builds of the whole site, grids included).
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import chromium
from benchmark import ENV, ROOT, build, serve

GRID = """
import sys, time
start = time.perf_counter()
from gen.catalog import ENTRIES
from gen.explore import run_grid
n = sum(len(run_grid(e)) for e in ENTRIES)
print(n, time.perf_counter() - start, "torch" in sys.modules)
"""

# Moves the first slider back and forth: the handler alone (the redraw is synchronous), with the
# layout it forces, and to the next animation frame. The input is sent at the start of a frame, so
# the last is one frame interval (16.7 ms) when the redraw is painted in the very next frame, and
# about two when a frame is dropped: the first two are the work that must fit in a frame.
REDRAW = """async (moves) => {
  const input = document.querySelector('.atlas-x-controls input[type=range]');
  const frame = () => new Promise(r => requestAnimationFrame(() => r(performance.now())));
  const out = {handler: [], layout: [], frame: []};
  for (let i = 0; i < moves; i++) {
    input.value = (+input.value + 1) % (+input.max + 1);
    await frame();
    const t0 = performance.now();
    input.dispatchEvent(new Event('input', {bubbles: true}));
    const t1 = performance.now();
    document.querySelector('.atlas-x-chart').getBoundingClientRect();
    const t2 = performance.now();
    const t3 = await frame();
    out.handler.push(t1 - t0); out.layout.push(t2 - t0); out.frame.push(t3 - t0);
  }
  return out;
}"""


def kb(n: float) -> str:
    return f"{n / 1024:.1f} KB"


def redraw(site: Path, slugs: list[str], moves: int = 40) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    httpd, origin = serve(site)
    times: dict[str, list[float]] = {"handler": [], "layout": [], "frame": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium.EXECUTABLE, args=chromium.ARGS)
        for slug in slugs:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{origin}/schedulers/{slug}/", wait_until="networkidle")
            page.click(".atlas-explore summary")
            page.wait_for_selector(".atlas-explore[data-ready=true]")
            page.click("text=Pin this setting")  # draw a pinned curve too, as a reader comparing would
            got = page.evaluate(REDRAW, moves)
            for k in times:
                times[k] += got[k]
            page.close()
        browser.close()
    httpd.shutdown()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    runs = parser.parse_args().runs
    tmp = Path(tempfile.mkdtemp(prefix="atlas-bench-explore-"))

    script = (ROOT / "docs/assets/explore.js").read_bytes()
    css = (ROOT / "docs/assets/explore.css").read_bytes()
    print(
        f"script               {kb(len(gzip.compress(script, 9, mtime=0)))} gzipped ({kb(len(script))} raw; target <= 10 KB)"
    )
    print(f"stylesheet           {kb(len(gzip.compress(css, 9, mtime=0)))} gzipped ({kb(len(css))} raw)")

    cold, warm = [], []
    for i in range(runs):
        env = ENV | {"ATLAS_CACHE_DIR": str(tmp / f"grid{i}")}
        for into in (cold, warm):
            done = subprocess.run(
                [sys.executable, "-c", GRID], cwd=ROOT, env=env, capture_output=True, text=True, check=True
            )
            n, seconds, torch = done.stdout.split()
            into.append((float(seconds), torch))
    print(
        f"grids, cold          {statistics.median(s for s, _ in cold):6.1f} s   ({n} torch runs, torch import included)"
    )
    print(f"grids, from cache    {statistics.median(s for s, _ in warm):6.1f} s   (torch imported: {warm[0][1]})")

    site = tmp / "site"  # the clean and warm builds, grids included, are timed by tests/benchmark.py
    build(site, tmp / "cache")

    files = sorted(
        (p.stat().st_size, len(gzip.compress(p.read_bytes(), 6, mtime=0)), p.parent.name)
        for p in site.glob("schedulers/*/explore.json")
    )
    raw, packed = [f[0] for f in files], sorted(f[1] for f in files)
    print(
        f"data per page, raw   median {kb(statistics.median(raw))}, largest {kb(raw[-1])} ({files[-1][2]}), {len(files)} pages"
    )
    print(f"data per page, gzip  median {kb(statistics.median(packed))}, largest {kb(packed[-1])}")
    for size, z, slug in files:
        print(f"    {slug:32} {kb(size):>9} raw {kb(z):>9} gzip")

    slugs = ["cosine-annealing-warm-restarts", "cyclic-lr", "one-cycle-lr", "reduce-lr-on-plateau"]
    t = redraw(site, slugs)
    for k, what in (("handler", "input handler"), ("layout", "handler + layout"), ("frame", "to painted frame")):
        values = sorted(t[k])
        goal = "one frame is 16.7 ms" if k == "frame" else "target < 16 ms"
        print(
            f"redraw, {what:17} median {statistics.median(values):5.2f} ms, 95th {values[int(0.95 * len(values))]:5.2f} ms ({len(values)} moves; {goal})"
        )


if __name__ == "__main__":
    main()
