"""Published scripts run as a reader runs them, `python script.py` in a fresh interpreter, many at
a time and without paying torch's import once per script.

`run_script` is the plain way: one `python -I` per script (about 2 s each, most of it importing
torch). `run_scripts` starts one `python -I` that imports the libraries once and forks a child per
script: the child starts where a fresh interpreter would after its imports, in the script's
folder, with a fresh `random` seed, and runs the script as `__main__`. A script's own imports
still bind its names (a forgotten `import torch` still fails); only the time to load them is
saved. test_clean_run.py holds the two ways to the same output.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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


# The server: reads the jobs (script, stdout file, stderr file) as JSON on stdin, keeps `workers`
# children at a time, and prints each script's exit status as it ends.
SERVER = r"""
import json, os, random, runpy, sys, traceback
import torch, torch.optim.lr_scheduler, transformers
from gen import timm_import
timm_import.ensure()
import timm.scheduler
# A process's first optimizer imports torch's compiler stack (800 modules, about 2 s): here, once.
for make in (torch.optim.SGD, torch.optim.Adam):
    make([torch.nn.Parameter(torch.zeros(1))], lr=0.1).step()

def child(script, out, err):
    os.chdir(os.path.dirname(script))
    for fd, name in ((1, out), (2, err)):
        os.dup2(os.open(name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), fd)
    sys.argv = [script]
    random.seed()  # as a fresh interpreter seeds it
    code = 0
    try:
        runpy.run_path(script, run_name="__main__")
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (exc.code is not None)
    except BaseException:
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # a forked child ends here, never returning into the server's loop

jobs, workers = json.load(sys.stdin)
running = {}
for index, job in enumerate(jobs):
    if len(running) >= workers:
        pid, status = os.wait()
        print(running.pop(pid), os.waitstatus_to_exitcode(status), flush=True)
    sys.stdout.flush()
    pid = os.fork()
    if pid == 0:
        child(*job)
    running[pid] = index
while running:
    pid, status = os.wait()
    print(running.pop(pid), os.waitstatus_to_exitcode(status), flush=True)
"""


def run_scripts(paths: list[Path], workers: int = 2) -> dict[Path, subprocess.CompletedProcess[str]]:
    """Each script as `run_script` runs it (the same stdout, stderr and exit status), `workers` at a time."""
    jobs = [(str(p), str(p.with_suffix(".stdout")), str(p.with_suffix(".stderr"))) for p in paths]
    done = subprocess.run(
        [sys.executable, "-I", "-c", SERVER],
        input=json.dumps([jobs, workers]),
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the script server failed: {done.stderr[-3000:]}")
    status = dict(map(int, line.split()) for line in done.stdout.splitlines())
    assert sorted(status) == list(range(len(paths))), done.stdout
    return {
        path: subprocess.CompletedProcess(
            [sys.executable, str(path)], status[i], Path(out).read_text(), Path(err).read_text()
        )
        for i, (path, (_, out, err)) in enumerate(zip(paths, jobs, strict=True))
    }
