"""`mkdocs serve` shows an edit under gen/ on the next rebuild: a catalog text, and a short link.

(Its file watcher is the live-reload server's: `--no-livereload` would watch nothing.)"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request

from conftest import QUIET, ROOT, free_port


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.read().decode()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(url: str, text: str, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        page = fetch(url)
        if page is not None and text in page:
            return True
        time.sleep(0.2)
    return False


def test_serve_shows_catalog_and_generator_edits(tmp_path, site, site_cache):
    project = tmp_path / "project"
    for name in ("gen", "docs", "overrides"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    for config in ("mkdocs.yml", "mkdocs.zh.yml"):
        shutil.copy(ROOT / config, project)
    (project / "node_modules").symlink_to(ROOT / "node_modules")
    cache = tmp_path / "cache"
    shutil.copytree(site_cache, cache)
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    env = (
        os.environ | QUIET | {"ATLAS_CACHE_DIR": str(cache), "ATLAS_SITE_URL": f"{origin}/", "PYTHONPATH": str(project)}
    )
    cmd = [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"]
    server = subprocess.Popen(cmd, cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        page = f"{origin}/schedulers/step-lr/"
        assert wait_for(page, "StepLR", 300), "mkdocs serve did not come up"
        step = project / "gen" / "catalog" / "step.py"
        source = step.read_text()
        marker = "Edited while serving: this sentence is new."
        assert source.count('summary="') >= 1
        step.write_text(source.replace('summary="', f'summary="{marker} ', 1))
        # An English text edited needs its Chinese pair again: the Chinese edition's build stops without.
        pairs = project / "gen" / "zh" / "catalog" / "step.toml"
        pairs.write_text(pairs.read_text().replace('en = "Multiplies', f'en = "{marker} Multiplies', 1))
        publish = project / "gen" / "publish.py"
        publish.write_text(
            publish.read_text().replace(
                'return {f"{e.name}/index.md": page(e) for e in entries}',
                'return {f"{e.name}/index.md": page(e) for e in entries} | {f"x-{e.slug}/index.md": page(e) for e in entries}',
            )
        )
        assert wait_for(page, marker, 120), "the catalog edit never reached the page"
        assert wait_for(f"{origin}/zh/schedulers/step-lr/", "StepLR", 60), "the Chinese edition is not served"
        assert wait_for(f"{origin}/x-step-lr/", "step-lr", 60), "the new short link is missing after the rebuild"
    finally:
        server.terminate()
        _, err = server.communicate(timeout=60)
    assert "Traceback" not in err, err[-3000:]
