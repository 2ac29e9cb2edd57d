"""timm.scheduler on a machine where `import timm` fails: the one workaround for timm, used by
the build and the tests only when the ordinary import raises.

`import timm` imports its models and, through them, torchvision. The build machines have no
working torchvision for the CPU torch 2.13.0 (the registry's only torchvision 0.28.0 is a CUDA
build that fails to import beside it), while `timm.scheduler` needs torch alone. So where
`import timm` raises, the `timm` package is registered without running its `__init__` (which
only re-exports models), and `import timm.scheduler` then loads as usual. The published
Reproduce scripts keep the ordinary `from timm.scheduler import ...`, which is what works on a
reader's machine with timm installed normally.
"""

from __future__ import annotations

import importlib.util
import sys


def ensure() -> None:
    """Make `import timm.scheduler` work in this process (a no-op once timm imports)."""
    if "timm" in sys.modules:
        return
    try:
        import timm  # noqa: F401 - the ordinary way, whenever it works
    except Exception:
        for name in [m for m in sys.modules if m == "timm" or m.startswith("timm.")]:
            del sys.modules[name]
        spec = importlib.util.find_spec("timm")
        if spec is None:
            raise
        sys.modules["timm"] = importlib.util.module_from_spec(spec)  # a package, its __init__ not run
