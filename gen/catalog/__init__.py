"""One entry per scheduler, grouped in a module per family. The order here is the site's order."""

from gen.catalog import annealing, averaging, composition, custom, cyclic, plateau, smooth, step, timm, transformers
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
    ("hf-decay", "Warm-up, then decay"),
    ("hf-constant", "Constant"),
    ("hf-metric", "Metric-driven"),
    ("timm-cycles", "Cycles: cosine, tanh, polynomial"),
    ("timm-step", "Step decays"),
    ("timm-wsd", "Warmup-stable-decay"),
    ("timm-metric", "Metric-driven"),
)

# The gallery's and the nav's top level: every entry's library (Entry.library), with its heading.
LIBRARIES: tuple[tuple[str, str], ...] = (
    ("torch", "torch.optim.lr_scheduler"),
    ("transformers", "Hugging Face transformers"),
    ("timm", "timm (PyTorch Image Models)"),
)

MODULES = (step, smooth, annealing, cyclic, plateau, composition, custom, averaging, transformers, timm)
ENTRIES: tuple[Entry, ...] = tuple(e for m in MODULES for e in m.ENTRIES)
