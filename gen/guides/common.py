"""What every guide script shares: its CSV footer, and small helpers for the twins."""

from __future__ import annotations

import math

# Every plot script ends by printing `runs` ({column: values}) as CSV, one row per step.
FOOTER = """
out = csv.writer(sys.stdout, lineterminator="\\n")
out.writerow(["step", *runs])
for step, row in enumerate(zip(*runs.values(), strict=True)):
    out.writerow([step, *map(repr, row)])
"""


def script(body: str) -> str:
    """A plot script: the standard imports, the body (which fills `runs`), then the footer."""
    return f"import csv\nimport math\nimport sys\n\nimport torch\n{body.strip()}\n{FOOTER}".replace(
        "import math\n", "import math\n" if "math." in body else ""
    )


def half_cosine(x: float) -> float:
    """From 1 at x = 0 down to 0 at x = 1: the cosine annealing shape."""
    return 0.5 * (1.0 + math.cos(math.pi * x))
