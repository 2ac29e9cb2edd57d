"""Benchmark: prints the atlas's speed and size figures (medians of several runs). Not a test.

    python tests/benchmark.py [--runs 3]

Figures: clean build (`mkdocs build --strict`, empty cache), warm rebuild and their ratio, a
rebuild after an edit under gen/; how soon `mkdocs serve` shows a catalog edit; plots rendered
per second with 1 and 2 workers; SVG sizes; site size and the heaviest scheduler page; and a peer,
the everyday way of picturing schedulers (a plain script saving one matplotlib PNG per scheduler),
timed in the same run. A published figure is a distinct drawing shown on a page (a scheduler
case's or a guide's figure, or a gallery thumbnail), counted once whatever its renditions.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import chromium

ROOT = Path(__file__).resolve().parents[1]
ENV = os.environ | {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true", "SOURCE_DATE_EPOCH": "1700000000"}
ENV = {"ATLAS_SITE_URL": "http://127.0.0.1:8000/"} | ENV  # mkdocs build needs one; the caller's wins

RENDER = """
import sys, time
from gen.catalog import ENTRIES
from gen.plot import figure_for, thumbnail
from gen.run import run_case
from gen.workers import Drawings, Pool
figures = []
for e in ENTRIES:
    traces = [run_case(e, c) for c in e.cases]
    figures += [figure_for(t, t.case.title) for t in traces] + [thumbnail(traces[0])]
start = time.perf_counter()
pool = Pool(int(sys.argv[1]))
drawings = Drawings(pool)
for i, f in enumerate(figures):
    for th in ("light", "dark"):
        drawings.add(f"{i}.{th}.svg", f, th)
assert drawings.cached == 0
svgs = [drawings.get(path) for path in drawings.names]
pool.close()
print(len(svgs), time.perf_counter() - start)
"""

# The peer: what a blog post or a notebook does. Every scheduler of torch.optim.lr_scheduler,
# 100 steps, one PNG each with plain matplotlib defaults.
PEER = """
import sys, time
start = time.perf_counter()
import matplotlib
matplotlib.use("agg")
import matplotlib.pyplot as plt
import torch
from torch.optim import lr_scheduler as L

def opt(**kw):
    return torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1, momentum=0.9, **kw)

makers = {
    "LambdaLR": lambda o: L.LambdaLR(o, lambda e: 0.95 ** e),
    "MultiplicativeLR": lambda o: L.MultiplicativeLR(o, lambda e: 0.95),
    "StepLR": lambda o: L.StepLR(o, step_size=30, gamma=0.1),
    "MultiStepLR": lambda o: L.MultiStepLR(o, milestones=[30, 80], gamma=0.1),
    "ConstantLR": lambda o: L.ConstantLR(o, factor=0.5, total_iters=40),
    "LinearLR": lambda o: L.LinearLR(o, start_factor=0.1, total_iters=40),
    "ExponentialLR": lambda o: L.ExponentialLR(o, gamma=0.95),
    "PolynomialLR": lambda o: L.PolynomialLR(o, total_iters=100, power=2.0),
    "CosineAnnealingLR": lambda o: L.CosineAnnealingLR(o, T_max=100),
    "CosineAnnealingWarmRestarts": lambda o: L.CosineAnnealingWarmRestarts(o, T_0=20),
    "CyclicLR": lambda o: L.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=20),
    "OneCycleLR": lambda o: L.OneCycleLR(o, max_lr=0.1, total_steps=100),
    "ReduceLROnPlateau": lambda o: L.ReduceLROnPlateau(o, patience=5),
    "SequentialLR": lambda o: L.SequentialLR(o, [L.LinearLR(o, 0.1, total_iters=10), L.CosineAnnealingLR(o, 90)], [10]),
    "ChainedScheduler": lambda o: L.ChainedScheduler([L.ExponentialLR(o, 0.97), L.StepLR(o, 30, 0.5)]),
}
for name, make in makers.items():
    o = opt(); s = make(o); lrs = []
    for step in range(100):
        lrs.append(o.param_groups[0]["lr"]); o.step()
        s.step(1.0) if name == "ReduceLROnPlateau" else s.step()
    plt.figure(); plt.plot(lrs); plt.title(name); plt.xlabel("step"); plt.ylabel("lr")
    plt.savefig(f"{sys.argv[1]}/{name}.png"); plt.close()
print(len(makers), time.perf_counter() - start)
"""


class Gzip(http.server.SimpleHTTPRequestHandler):
    """A static host as the site is hosted for real: text compressed with gzip."""

    def log_message(self, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[override]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        kind = self.guess_type(str(path))
        if (
            not path.is_file()
            or "gzip" not in self.headers.get("Accept-Encoding", "")
            or not kind.startswith(("text/", "application/json", "application/javascript", "image/svg"))
        ):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Gzip, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


def transfer(url: str) -> tuple[int, int, int]:
    """Bytes over the wire (compressed bodies plus headers) and requests, as Chromium loads the page
    and scrolls through it; and the bytes that are not the theme's or KaTeX's shared assets."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium.EXECUTABLE, args=chromium.ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        done = []
        page.on("requestfinished", lambda request: done.append(request))
        page.goto(url, wait_until="networkidle")
        page.evaluate(
            "async () => { for (let y = 0; y < document.body.scrollHeight; y += 600) { window.scrollTo(0, y); await new Promise(r => setTimeout(r, 50)); } }"
        )
        page.wait_for_load_state("networkidle")
        total = own = 0
        for request in done:
            sizes = request.sizes()
            n = sizes["responseBodySize"] + sizes["responseHeadersSize"]
            total += n
            if "/assets/" not in request.url and "/search/" not in request.url:
                own += n
        browser.close()
    return total, len(done), own


def lighthouse(url: str, tmp: Path) -> dict[str, float] | None:
    """Performance and accessibility scores (mobile defaults), if Lighthouse is installed."""
    binary = ROOT / ".cache" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        return None
    out = tmp / "lighthouse.json"
    flags = " ".join(["--headless=new", *chromium.ARGS])
    subprocess.run(
        [str(binary), url, "--quiet", "--output=json", f"--output-path={out}", "--only-categories=performance,accessibility", f"--chrome-flags={flags}"],
        env=ENV | {"CHROME_PATH": chromium.EXECUTABLE}, check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return {k: 100 * v["score"] for k, v in json.loads(out.read_text())["categories"].items()}


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"failed: {' '.join(cmd)}\n{done.stderr[-3000:]}")
    return time.perf_counter() - start


def build(site: Path, cache: Path) -> float:
    return timed(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        ENV | {"ATLAS_CACHE_DIR": str(cache)},
    )


def published_figures(site: Path) -> int:
    """Distinct drawings shown on the pages: each figure's (and thumbnail's) light SVG, once."""
    shown = set()
    for page in site.rglob("index.html"):
        for src in re.findall(r'<img [^>]*src="([^"#]+\.light\.svg)', page.read_text()):
            if ".narrow." not in src and ".slide." not in src:
                shown.add((page.parent / src).resolve())
    return len(shown)


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.read().decode()
    except OSError:
        return ""


def serve_latency(cache: Path, tmp: Path, runs: int) -> list[float]:
    """Seconds from saving a prose edit in the catalog to the page served with it, under
    `mkdocs serve` (its cache warm), polled every 50 ms; one edit per run."""
    project = tmp / "serve-project"
    for name in ("gen", "docs", "overrides"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    for config in ("mkdocs.yml", "mkdocs.zh.yml"):
        shutil.copy(ROOT / config, project)
    (project / "node_modules").symlink_to(ROOT / "node_modules")
    shutil.copytree(cache, tmp / "serve-cache")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    origin = f"http://127.0.0.1:{port}"
    env = ENV | {
        "ATLAS_CACHE_DIR": str(tmp / "serve-cache"),
        "ATLAS_SITE_URL": f"{origin}/",
        "PYTHONPATH": str(project),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    page, step = f"{origin}/schedulers/step-lr/", project / "gen" / "catalog" / "step.py"
    pairs = project / "gen" / "zh" / "catalog" / "step.toml"  # an English text edited needs its pair again
    seconds = []
    try:
        while "StepLR" not in fetch(page):
            time.sleep(0.2)
        time.sleep(2)  # past the first build's own reload
        for i in range(runs):
            marker = f"Edit number {i} while serving."
            source, paired = step.read_text(), pairs.read_text()
            summary = source.split('summary="', 1)[1][:40]  # StepLR's, first in the module, as its pair starts
            start = time.perf_counter()
            step.write_text(source.replace('summary="', f'summary="{marker} ', 1))
            pairs.write_text(paired.replace(f'en = "{summary}', f'en = "{marker} {summary}', 1))
            while marker not in fetch(page):
                time.sleep(0.05)
            seconds.append(time.perf_counter() - start)
            time.sleep(1)
    finally:
        server.terminate()
        server.wait(timeout=60)
    return seconds


def kb(n: float) -> str:
    return f"{n / 1024:.1f} KB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    tmp = Path(tempfile.mkdtemp(prefix="atlas-bench-"))
    site = tmp / "site"

    clean = [build(site, tmp / f"cold{i}") for i in range(runs)]
    warm = [build(site, tmp / "cold0") for _ in range(runs)]
    edited = []  # as after an edit under gen/: the output bundle misses, every finer cache hits
    for _ in range(runs):
        shutil.rmtree(tmp / "cold0" / "bundle")
        edited.append(build(site, tmp / "cold0"))
    c, w, e = statistics.median(clean), statistics.median(warm), statistics.median(edited)
    print(f"clean build          {c:6.1f} s   (runs: {', '.join(f'{x:.1f}' for x in clean)})")
    print(f"warm rebuild         {w:6.1f} s   (runs: {', '.join(f'{x:.1f}' for x in warm)})")
    print(f"warm / clean         {100 * w / c:6.1f} %   (target <= 25 %)")
    print(
        f"rebuild, gen/ edited {e:6.1f} s   ({100 * e / c:.1f} % of clean; output bundle rebuilt from the finer caches)"
    )
    latency = serve_latency(tmp / "cold0", tmp, runs)
    print(
        f"serve, catalog edit  {statistics.median(latency):6.1f} s   (on the page after saving; runs: "
        f"{', '.join(f'{x:.1f}' for x in latency)}; target <= 3.1 s, aim 1.5 s)"
    )

    rate = {}
    for workers in (1, 2):
        times = []
        for i in range(runs):
            env = ENV | {"ATLAS_CACHE_DIR": str(tmp / f"render{workers}-{i}")}
            out = subprocess.run(
                [sys.executable, "-c", RENDER, str(workers)],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            plots, seconds = out.stdout.split()
            times.append(float(seconds))
        rate[workers] = statistics.median(times)
        print(
            f"render, {workers} worker{'s' if workers > 1 else ' '}     {int(plots) / rate[workers]:6.1f} plots/s  ({plots} plots in {rate[workers]:.1f} s)"
        )
    print(f"2 workers / 1        {100 * rate[2] / rate[1]:6.1f} %   (target <= 75 %)")

    svgs = sorted(p.stat().st_size for p in site.rglob("*.svg") if not p.name.startswith("thumb."))
    thumbs = sorted(p.stat().st_size for p in site.rglob("thumb.*.svg"))
    print(
        f"SVG (plots)          median {kb(statistics.median(svgs))}, largest {kb(svgs[-1])}, {len(svgs)} files (target median <= 20 KB)"
    )
    if thumbs:
        print(f"SVG (thumbnails)     median {kb(statistics.median(thumbs))}, largest {kb(thumbs[-1])}")
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    print(f"site                 {total / 2**20:6.1f} MB in {sum(1 for p in site.rglob('*') if p.is_file())} files")
    pages = []
    for page in (site / "schedulers").glob("*/index.html"):
        light = sum(p.stat().st_size for p in page.parent.glob("*.light.svg") if not p.name.startswith("thumb"))
        pages.append((page.stat().st_size + light, page.parent.name, page.stat().st_size, light))
    weight, name, html, light = max(pages)
    print(f"heaviest page        {name}: {kb(weight)} = HTML {kb(html)} + light SVGs {kb(light)} (before compression)")

    httpd, origin = serve(site)
    heaviest = f"{origin}/schedulers/{name}/"
    for label, path in (
        ("gallery", "/"),
        (f"page {name}", f"/schedulers/{name}/"),
        ("guide warm-up", "/guides/warm-up/"),
    ):
        english, chinese = transfer(origin + path)[0], transfer(f"{origin}/zh{path}")[0]
        print(
            f"zh / en, {label:<13} {100 * chinese / english:6.1f} %   ({kb(chinese)} / {kb(english)} gzip; target <= 110 %)"
        )
    for label, url in (("gallery", origin + "/"), (f"page {name}", heaviest)):
        total, requests, own = transfer(url)
        print(
            f"browser, {label:<13} {kb(total)} in {requests} requests, {kb(own)} beyond shared assets (gzip; target page <= 400 KB)"
        )
        scores = [lighthouse(url, tmp) for _ in range(runs)]
        if scores[0] is not None:
            perf = statistics.median(s["performance"] for s in scores)
            a11y = statistics.median(s["accessibility"] for s in scores)
            print(f"lighthouse, {label:<10} performance {perf:.0f}, accessibility {a11y:.0f} (targets 95 and 100)")
    httpd.shutdown()

    figures = published_figures(site)
    peer = []
    for i in range(runs):
        out = tmp / f"peer{i}"
        out.mkdir()
        peer.append(timed([sys.executable, "-c", PEER, str(out)], ENV) / 15)
    p = statistics.median(peer)
    ours = c / figures
    print(f"peer                 {p:6.3f} s per PNG (15 schedulers, plain matplotlib, 100 steps)")
    print(f"atlas                {ours:6.3f} s per published figure ({figures} figures, each with all its renditions)")
    print(f"atlas / peer         {ours / p:6.2f} x   (target <= 0.40, aim 0.33)")


if __name__ == "__main__":
    main()
