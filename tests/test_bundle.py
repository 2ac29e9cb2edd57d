"""The generator's output bundle: replayed only when nothing it reads has changed, and then equal
to what the build published."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import SITE_URL
from gen import bundle, cache

REBUILD = """
import sys
from pathlib import Path
from gen.__main__ import write
from gen.build import generate
site = generate(site_url=sys.argv[2])
write(site, Path(sys.argv[1]))
s = site.summary
print(s.plots, s.cached, 'torch' in sys.modules, 'matplotlib' in sys.modules)
"""


def rebuild(cache_dir: Path, out: Path) -> list[str]:
    env = os.environ | {"ATLAS_CACHE_DIR": str(cache_dir)}
    done = subprocess.run(
        [sys.executable, "-c", REBUILD, str(out), SITE_URL], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.split()


def same_as_published(site: Path, out: Path) -> None:
    """Every data file and drawing the rebuild wrote is the published one, byte for byte."""
    written = [p for p in out.rglob("*") if p.suffix in {".svg", ".png", ".csv", ".json", ".py"}]
    assert len(written) > 500
    for path in written:
        assert path.read_bytes() == (site / path.relative_to(out)).read_bytes(), path


def test_a_rebuild_replays_exactly_what_the_build_published(site, site_cache, tmp_path):
    plots, cached, torch, matplotlib = rebuild(site_cache, tmp_path)
    assert plots == cached and (torch, matplotlib) == ("False", "False")
    same_as_published(site, tmp_path)


def test_the_finer_caches_alone_give_the_same_site(site, site_cache, tmp_path):
    """Without the replay (an edit under gen/ misses it), the traces, drawings, signatures and
    the catalog's validity still come from the cache: nothing is run or drawn, and neither torch
    nor matplotlib is imported."""
    cache_copy = tmp_path / "cache"
    shutil.copytree(site_cache, cache_copy, ignore=shutil.ignore_patterns("bundle"))
    plots, cached, torch, matplotlib = rebuild(cache_copy, tmp_path / "out")
    assert plots == cached and (torch, matplotlib) == ("False", "False")
    same_as_published(site, tmp_path / "out")


def test_library_code_runs_in_the_workers_only(site, site_cache, tmp_path):
    """What the cache lacks (here every pitfall's message) is run by the worker pool, never by
    the build's own process: its first optimizer would cost it torch's import of its compiler."""
    cache_copy = tmp_path / "cache"
    shutil.copytree(site_cache, cache_copy, ignore=shutil.ignore_patterns("bundle", "pitfall"))
    assert not (cache_copy / "pitfall").exists()
    plots, cached, torch, matplotlib = rebuild(cache_copy, tmp_path / "out")
    assert plots == cached and (torch, matplotlib) == ("False", "False")
    assert any((cache_copy / "pitfall").iterdir())
    same_as_published(site, tmp_path / "out")


def test_any_edit_under_gen_misses(tmp_path, monkeypatch):
    copy = tmp_path / "gen"
    shutil.copytree(bundle.GEN, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(bundle, "GEN", copy)
    before = bundle.key(SITE_URL, "0.16")
    assert bundle.key(SITE_URL, "0.16") == before
    assert bundle.key("https://example.org/", "0.16") != before
    assert bundle.key(SITE_URL, "0.17") != before
    for name in ("templates/scheduler.md.j2", "catalog/cyclic.py", "guides/inverse_sqrt.py"):
        target = copy / name
        original = target.read_bytes()
        target.write_bytes(original + b"\n")
        assert bundle.key(SITE_URL, "0.16") != before, name
        target.write_bytes(original)
    (copy / "templates" / "new.md.j2").write_text("x")
    assert bundle.key(SITE_URL, "0.16") != before


def test_a_bundle_whose_drawing_is_gone_is_not_replayed(tmp_path, monkeypatch):
    monkeypatch.setenv("ATLAS_CACHE_DIR", str(tmp_path))
    cache.put("svg/there.svg", b"<svg/>")
    whole = bundle.Bundle({"a.md": b"# A"}, {"a.svg": "svg/there.svg"}, (1, 1, 1, 0, 0.1, 0.0))
    bundle.save("bundle/x.pickle", whole)
    found = bundle.load("bundle/x.pickle")
    assert found is not None and found.files == {"a.md": b"# A", "a.svg": b"<svg/>"}
    (Path(tmp_path) / "svg/there.svg").unlink()
    assert bundle.load("bundle/x.pickle") is None
