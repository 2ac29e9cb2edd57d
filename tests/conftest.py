"""Shared fixtures: every catalog case run once on torch, and one strict build of the site.

`make test` runs pytest-xdist with two workers. What the workers share is made once by whichever
asks first, under a file lock: the site and its cache, the sub-path build, the trace cache. The
ports the site is built for are chosen by the first process (xdist's controller) and inherited by
the workers; every test that serves the site is in test_browser.py, and --dist loadfile keeps a
file on one worker, so one server at a time holds those ports."""

from __future__ import annotations

import functools
import http.server
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest
from filelock import FileLock

from gen.catalog import ENTRIES
from gen.model import Case, Entry, Trace
from gen.run import run_case

ROOT = Path(__file__).resolve().parents[1]
# Tests never read a cache an earlier run left: every trace they check comes from torch now (the
# workers of one run share theirs: ATLAS_TEST_RUN_CACHE is set by the first process of the run).
os.environ["ATLAS_CACHE_DIR"] = os.environ.setdefault(
    "ATLAS_TEST_RUN_CACHE", tempfile.mkdtemp(prefix="atlas-test-cache-")
)
CASES: list[tuple[Entry, Case]] = [(e, c) for e in ENTRIES for c in e.cases]
CASE_IDS = [f"{e.name}-{c.id}" for e, c in CASES]
QUIET = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


# English prose as it would show in a figure or alt text left untranslated, once the code it may quote is set
# aside (calls, `name=value`, lambdas, strings, snake_case and CamelCase names: `scheduler.step()`,
# `T_max=10` are the same in both editions).
CODE = re.compile(
    r"""[\w.]+=lambda[^，、；]*|[\w.]+\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*\)|lambda[^，、；]*|[\w.]+=\S+"""
    r"""|'[^']*'|"[^"]*"|\b\w*[_A-Z0-9]\w*\b"""
)
PROSE = re.compile(
    r"(?<![\w.])(learning|rate|steps?|epochs?|batch(?:es)?|group|momentum|validation|loss|warm|peak|milestone|"
    r"restarts?|ends|starts|cycle|decay|per|first|wrong|identical|resumed|with|then|without|and|the|of|at|from|"
    r"optimizer|over|line|chart)(?![\w(=_])"
)

# Tests that build the site, serve it or drive a browser: `make check` leaves them out (CI runs all).
NEEDS_A_SITE = {"site", "site_cache", "subpath_root", "server", "browser"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if NEEDS_A_SITE & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.site)


@pytest.fixture(scope="session")
def traces() -> dict[tuple[str, str], Trace]:
    return {(e.name, c.id): run_case(e, c) for e, c in CASES}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def agreed_port(name: str) -> int:
    """A free port, the same in every worker of this run (chosen by its first process)."""
    return int(os.environ.setdefault(name, str(free_port())))


# Instant navigation only works under site_url: the browser tests serve the site at this address.
PORT = agreed_port("ATLAS_TEST_PORT")
SITE_URL = f"http://127.0.0.1:{PORT}/"
# A second build, hosted under a sub-path as on GitHub Pages (https://user.github.io/atlas/).
SUB_PORT = agreed_port("ATLAS_TEST_SUB_PORT")
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


def shared(factory: pytest.TempPathFactory, name: str) -> Path:
    """A folder of this run that every xdist worker sees (the run's own base folder without xdist)."""
    base = factory.getbasetemp()
    return (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / name


def built(factory: pytest.TempPathFactory, name: str, cache: Path, site_url: str = SITE_URL) -> Path:
    """A strict build into a shared folder, made by the first worker that asks; the others wait
    for it. A failed build leaves no folder, so the next one to ask builds (and fails) again."""
    out = shared(factory, name)
    with FileLock(f"{out}.lock"):
        if not out.is_dir():
            done = mkdocs_build(out, cache, site_url=site_url)
            assert done.returncode == 0, done.stderr[-4000:]
            assert "WARNING" not in done.stderr, done.stderr[-4000:]
    return out


@pytest.fixture(scope="session")
def site_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    (path := shared(tmp_path_factory, "site-cache")).mkdir(exist_ok=True)
    return path


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory, site_cache: Path) -> Path:
    """The site, built once from a cold cache, shared by the build and browser tests."""
    return built(tmp_path_factory, "site", site_cache)


@pytest.fixture(scope="session")
def subpath_root(tmp_path_factory: pytest.TempPathFactory, site: Path, site_cache: Path) -> Path:
    """A folder whose `atlas/` holds the site built for SUB_URL (from the warm cache of `site`)."""
    (root := shared(tmp_path_factory, "hosted")).mkdir(exist_ok=True)
    built(tmp_path_factory, "hosted/atlas", site_cache, site_url=SUB_URL)
    return root


def is_redirect(page: Path) -> bool:
    """A short link's page (mkdocs-redirects): a meta refresh to the canonical page."""
    return 'http-equiv="refresh"' in page.read_text()


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def server(site: Path):
    """The built site at the address it was built for (instant navigation needs it), for the whole
    run of the one worker that drives the browser."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", PORT), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()  # the port is free again as soon as the fixture ends


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, driven by Playwright."""
    from chromium import ARGS, EXECUTABLE
    from chromium import env as chromium_env

    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=EXECUTABLE, args=ARGS, env=chromium_env())
        yield b
        b.close()
