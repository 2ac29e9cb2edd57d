"""The wheel: every module, template and script of gen/, and `python -m gen` run from it, not the checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile

from conftest import ROOT

# What the build never reads; copying the rest keeps a stale build/ (or a half-written one) out of the wheel.
NOT_SOURCES = shutil.ignore_patterns(
    ".git", ".venv", "node_modules", ".cache", "site", "build", "dist", "*.egg-info", "__pycache__"
)


def shipped() -> set[str]:
    """The files of gen/ the wheel must hold, as paths inside it."""
    files = [*(ROOT / "gen").rglob("*.py"), *(ROOT / "gen" / "templates").glob("*.j2"), ROOT / "gen" / "katex.mjs"]
    files += [*(ROOT / "gen" / "zh").rglob("*.toml"), *(ROOT / "gen" / "zh" / "pages").glob("*.md")]  # the Chinese
    return {p.relative_to(ROOT).as_posix() for p in files if "__pycache__" not in p.parts}


def test_wheel_holds_gen_and_runs_from_site_packages(tmp_path, site, site_cache):
    """`python -m gen` runs from the wheel on the finer caches of the site's build (the output
    bundle left out, so every module of the generator runs; a cold cache would add a whole clean
    build's runs and drawings to the suite, which the site build already makes)."""
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCES, symlinks=True)
    dist = tmp_path / "dist"
    cmd = [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "--no-build-isolation", "-w", str(dist)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    (wheel,) = dist.glob("lr_scheduler_atlas-*.whl")
    unpacked = tmp_path / "unpacked"  # the wheel, as pip would lay it in site-packages
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        z.extractall(unpacked)
    assert shipped() - names == set()
    assert {n for n in names if n.startswith("gen/")} - shipped() == set()  # nothing stale

    # Only the unpacked copy is importable as gen: -P keeps the working directory (the checkout)
    # off sys.path. From there the project is the working directory: KaTeX in its node_modules.
    cache = tmp_path / "cache"
    shutil.copytree(site_cache, cache, ignore=shutil.ignore_patterns("bundle"))
    env = os.environ | {"PYTHONPATH": str(unpacked), "ATLAS_CACHE_DIR": str(cache)}
    where = "import gen, gen.guides, gen.math; print(gen.__file__, gen.guides.__file__, gen.math.KATEX, sep='\\n')"
    done = subprocess.run(
        [sys.executable, "-P", "-c", where], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.splitlines() == [
        str(unpacked / "gen" / "__init__.py"),
        str(unpacked / "gen" / "guides" / "__init__.py"),
        str(ROOT / "node_modules" / "katex"),
    ]
    done = subprocess.run(
        [sys.executable, "-P", "-m", "gen"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
