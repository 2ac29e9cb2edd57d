"""One entry per scheduler, grouped in a module per family. The order here is the site's order."""

from gen.catalog import annealing, averaging, composition, custom, cyclic, plateau, smooth, step
from gen.model import Entry

FAMILIES: tuple[tuple[str, str], ...] = (
    ("step", "Step decays"),
    ("smooth", "Smooth decays"),
    ("annealing", "Annealing and restarts"),
    ("cyclic", "Cyclic"),
    ("metric", "Metric-driven"),
    ("composition", "Composition"),
    ("custom", "Custom functions"),
    ("averaging", "Averaging"),
)

MODULES = (step, smooth, annealing, cyclic, plateau, composition, custom, averaging)
ENTRIES: tuple[Entry, ...] = tuple(e for m in MODULES for e in m.ENTRIES)
