"""Shared fixtures: every catalog case run once on torch, and one strict build of the site."""

from __future__ import annotations

import functools
import http.server
import os
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

from gen.catalog import ENTRIES
from gen.model import Case, Entry, Trace
from gen.run import run_case

ROOT = Path(__file__).resolve().parents[1]
# Tests never read a cache an earlier run left: every trace they check comes from torch now.
os.environ["ATLAS_CACHE_DIR"] = tempfile.mkdtemp(prefix="atlas-test-cache-")
CASES: list[tuple[Entry, Case]] = [(e, c) for e in ENTRIES for c in e.cases]
CASE_IDS = [f"{e.name}-{c.id}" for e, c in CASES]
QUIET = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}

# A timm script first makes timm.scheduler importable where `import timm` fails here (see
# gen/timm_import.py); then it runs as `python script.py` would.
TIMM_FIRST = "import runpy, sys; from gen import timm_import; timm_import.ensure(); runpy.run_path(sys.argv[1], run_name='__main__')"


def run_script(path: Path) -> subprocess.CompletedProcess[str]:
    """A published script in a clean interpreter (-I: no PYTHONPATH, no user site), in its folder,
    which is not the project."""
    cmd = [sys.executable, "-I", str(path)]
    if "from timm" in path.read_text():
        cmd = [sys.executable, "-I", "-c", TIMM_FIRST, str(path)]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=path.parent, timeout=300)


@pytest.fixture(scope="session")
def traces() -> dict[tuple[str, str], Trace]:
    return {(e.name, c.id): run_case(e, c) for e, c in CASES}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Instant navigation only works under site_url: the browser tests serve the site at this address.
PORT = free_port()
SITE_URL = f"http://127.0.0.1:{PORT}/"
# A second build, hosted under a sub-path as on GitHub Pages (https://user.github.io/atlas/).
SUB_PORT = free_port()
SUB_URL = f"http://127.0.0.1:{SUB_PORT}/atlas/"


def mkdocs_build(
    site: Path, cache: Path, *extra: str, config: Path | None = None, site_url: str = SITE_URL
) -> subprocess.CompletedProcess[str]:
    """A strict build into `site` with its own plot cache; returns the finished process."""
    env = (
        os.environ
        | QUIET
        | {"ATLAS_CACHE_DIR": str(cache), "SOURCE_DATE_EPOCH": "1700000000", "ATLAS_SITE_URL": site_url}
    )
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site), *extra]
    if config:
        cmd += ["--config-file", str(config)]
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="session")
def site_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory, site_cache: Path) -> Path:
    """The site, built once from a cold cache, shared by the build and browser tests."""
    out = tmp_path_factory.mktemp("site")
    done = mkdocs_build(out, site_cache)
    assert done.returncode == 0, done.stderr[-4000:]
    assert "WARNING" not in done.stderr, done.stderr[-4000:]
    return out


@pytest.fixture(scope="session")
def subpath_root(tmp_path_factory: pytest.TempPathFactory, site: Path, site_cache: Path) -> Path:
    """A folder whose `atlas/` holds the site built for SUB_URL (from the warm cache of `site`)."""
    root = tmp_path_factory.mktemp("hosted")
    done = mkdocs_build(root / "atlas", site_cache, site_url=SUB_URL)
    assert done.returncode == 0, done.stderr[-4000:]
    return root


def is_redirect(page: Path) -> bool:
    """A short link's page (mkdocs-redirects): a meta refresh to the canonical page."""
    return 'http-equiv="refresh"' in page.read_text()


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server(site: Path):
    """The built site at the address it was built for (instant navigation needs it)."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", PORT), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, driven by Playwright."""
    from chromium import ARGS, EXECUTABLE

    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=EXECUTABLE, args=ARGS)
        yield b
        b.close()
