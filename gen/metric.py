"""The seeded synthetic validation loss that drives ReduceLROnPlateau cases.

Its source is copied verbatim into every Reproduce snippet that needs it, so keep it
self-contained: standard library only, no names from the rest of the package.
"""

import math
import random


def val_loss(epoch: int, lr: float, lr0: float, rng: random.Random) -> float:
    """Falls quickly, then flattens at a floor set by the rate; a smaller rate lowers the floor."""
    floor = 0.2 + 0.3 * math.sqrt(lr / lr0)
    return floor + 1.5 * math.exp(-epoch / 8) + rng.gauss(0.0, 0.01)
