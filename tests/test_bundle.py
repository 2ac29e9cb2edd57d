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

REPLAY = """
import sys
from pathlib import Path
from gen.__main__ import FolderWriter
from gen.build import generate
s = generate(FolderWriter(Path(sys.argv[1])), site_url=sys.argv[2])
print(s.plots, s.cached, 'torch' in sys.modules, 'matplotlib' in sys.modules)
"""


def test_a_rebuild_replays_exactly_what_the_build_published(site, site_cache, tmp_path):
    env = os.environ | {"ATLAS_CACHE_DIR": str(site_cache)}
    done = subprocess.run(
        [sys.executable, "-c", REPLAY, str(tmp_path), SITE_URL], env=env, capture_output=True, text=True, check=True
    )
    plots, cached, torch, matplotlib = done.stdout.split()
    assert plots == cached and (torch, matplotlib) == ("False", "False")
    replayed = [p for p in tmp_path.rglob("*") if p.suffix in {".svg", ".png", ".csv", ".json", ".py"}]
    assert len(replayed) > 500
    for path in replayed:
        assert path.read_bytes() == (site / path.relative_to(tmp_path)).read_bytes(), path


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
    whole = bundle.Bundle({"a.md": b"# A"}, {"a.svg": "svg/there.svg"}, {"a.md": "gen/a.py"}, (1, 1, 1, 0, 0.1, 0.0))
    bundle.save("bundle/x.pickle", whole)
    found = bundle.load("bundle/x.pickle")
    assert found is not None and found.files == {"a.md": b"# A", "a.svg": b"<svg/>"}
    (Path(tmp_path) / "svg/there.svg").unlink()
    assert bundle.load("bundle/x.pickle") is None
