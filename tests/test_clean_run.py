"""The fast way to run published scripts gives what the plain way gives: `python -I script.py`."""

from __future__ import annotations

from clean_run import run_script, run_scripts
from gen.catalog import ENTRIES
from gen.reproduce import script


def first_of(library: str, warns: bool = False) -> str:
    """The Reproduce script of the first case of `library` (one that warns, if asked)."""
    return next(script(e, c) for e in ENTRIES for c in e.cases if e.library == library and bool(c.warns) == warns)


SCRIPTS = {
    "torch": first_of("torch"),
    "transformers": first_of("transformers"),
    "timm": first_of("timm"),
    "a warning": first_of("timm", warns=True),
    "unseeded random": "import random\nprint(random.random() < 2)\n",
    "exit status": "import sys\nprint('before')\nsys.exit(3)\n",
    "an exception": "import torch\nprint(torch.zeros(1).item())\nraise ValueError('named culprit')\n",
    "a forgotten import": "print(torch.zeros(1))\n",
}


def test_the_fast_way_prints_what_a_fresh_interpreter_prints(tmp_path):
    paths = []
    for i, code in enumerate(SCRIPTS.values()):
        (folder := tmp_path / f"s{i}").mkdir()
        (path := folder / "script.py").write_text(code)
        paths.append(path)
    fast = run_scripts(paths)
    for what, path in zip(SCRIPTS, paths, strict=True):
        plain = run_script(path)
        assert (fast[path].returncode, fast[path].stdout) == (plain.returncode, plain.stdout), what
        if plain.returncode == 0:
            assert fast[path].stderr == plain.stderr, what
        else:  # the same error; the traceback's frames differ (runpy's in the fast way)
            assert fast[path].stderr.splitlines()[-1:] == plain.stderr.splitlines()[-1:], what
    assert [fast[p].returncode for p in paths][-3:] == [3, 1, 1]
    assert "named culprit" in fast[paths[-2]].stderr and "NameError" in fast[paths[-1]].stderr
