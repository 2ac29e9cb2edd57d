"""Bad input end to end: a broken copy of the project fails `mkdocs build`, names the culprit, and
leaves no site behind. (test_bad_input.py covers many more broken entries at the generator level.)"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import QUIET, ROOT, SITE_URL

BREAKAGES = {
    "unknown argument": (
        "gen/catalog/annealing.py",
        'Case("basic", "From 0.1 to 0 over 100 steps", {"T_max": 100}',
        'Case("basic", "From 0.1 to 0 over 100 steps", {"T_maxx": 100}',
        "CosineAnnealingLR case 'basic': unknown argument 'T_maxx' for CosineAnnealingLR",
    ),
    "twin that disagrees": (
        "gen/twins.py",
        "(1 + math.cos(math.pi * t / t_max)) / 2",
        "(1 + math.cos(math.pi * t / t_max)) / 2.001",
        "CosineAnnealingLR case 'basic' column 'lr': the twin disagrees with the run at step 0: run 0.1, twin 0.0999500",
    ),
    "an English text edited without its Chinese": (
        "gen/catalog/step.py",
        'summary="Multiplies the rate by gamma every step_size steps: a staircase."',
        'summary="Multiplies the rate by gamma every step_size steps."',
        "StepLR: summary: no Chinese for 'Multiplies the rate by gamma every step_size steps.'; add it to gen/zh/catalog/step.toml",
    ),
    "a Chinese page with a broken link": (
        "gen/zh/pages/about.md",
        "# 本图集如何构建 { #how-the-atlas-is-built }",
        "# 本图集如何构建 { #how-the-atlas-is-built }\n\n见[数据](data-index.md)。",
        "Doc file 'about.md' contains a link 'data-index.md', but the target is not found",
    ),
    "missing template variable": (
        "gen/templates/scheduler.md.j2",
        "# {{ title }}",
        "# {{ titel }}",
        "'titel' is undefined",
    ),
    "broken link in a hand-written page": (
        "docs/about.md",
        "# How the atlas is built",
        "# How the atlas is built\n\nSee [the data](data-index.md).",
        "Doc file 'about.md' contains a link 'data-index.md', but the target is not found",
    ),
    "broken anchor in a hand-written page": (
        "docs/about.md",
        "# How the atlas is built",
        "# How the atlas is built\n\nSee [the plots](schedulers/cosine-annealing-lr/index.md#no-such-plot).",
        "contains a link 'schedulers/cosine-annealing-lr/index.md#no-such-plot', but the doc",
    ),
    "math KaTeX cannot render": (
        "docs/about.md",
        r"\(10^{-12}\)",
        r"\(10^{-12\)",
        "about.md: KaTeX cannot render",
    ),
}


def project_copy(dest: Path) -> Path:
    for name in ("gen", "docs", "overrides"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    for config in ("mkdocs.yml", "mkdocs.zh.yml"):
        shutil.copy(ROOT / config, dest / config)
    (dest / "node_modules").symlink_to(ROOT / "node_modules")
    return dest


@pytest.mark.parametrize("what", list(BREAKAGES))
def test_broken_project_fails_and_leaves_no_site(what, tmp_path, site, site_cache):
    path, old, new, message = BREAKAGES[what]
    project = project_copy(tmp_path / "project")
    source = (project / path).read_text()
    assert old in source, f"{path} changed: update this test's breakage"
    (project / path).write_text(source.replace(old, new, 1))
    site = tmp_path / "site"
    env = os.environ | QUIET | {"PYTHONPATH": str(project), "ATLAS_CACHE_DIR": str(site_cache), "ATLAS_SITE_URL": SITE_URL}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=project, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode != 0
    assert message in done.stderr, done.stderr[-3000:]
    assert not site.exists()


def test_build_without_a_site_url_stops_and_says_how_to_set_it(tmp_path):
    """`mkdocs build` without ATLAS_SITE_URL would write the local address into every permalink:
    it stops before generating anything, naming the variable and an example."""
    env = {k: v for k, v in (os.environ | QUIET).items() if k != "ATLAS_SITE_URL"}
    site = tmp_path / "site"
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode != 0
    assert "ATLAS_SITE_URL is not set" in done.stderr and "ATLAS_SITE_URL=https://" in done.stderr, done.stderr[-2000:]
    assert not site.exists()
