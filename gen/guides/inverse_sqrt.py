"""A custom scheduler: linear warm-up, then the inverse square root.

The atlas's custom-scheduler guide shows this file as it is, runs it on torch
to draw its curve and checks that against an independent formula: keep it
self-contained (torch only) and its lines short.
"""

import math

from torch.optim.lr_scheduler import LRScheduler


class InverseSqrtLR(LRScheduler):
    """lr = base_lr * min((t + 1) / warmup, sqrt(warmup / (t + 1))), t = last_epoch.

    The rate rises linearly to base_lr at t = warmup - 1, then falls as
    1 / sqrt(t + 1), as in "Attention Is All You Need" (with the peak rate
    given directly instead of through d_model ** -0.5).
    """

    def __init__(self, optimizer, warmup, last_epoch=-1):
        if warmup < 1:
            raise ValueError(f"warmup must be at least 1, got {warmup}")
        self.warmup = warmup  # before super().__init__: it takes the first step
        super().__init__(optimizer, last_epoch)

    def _factor(self, t):
        return min((t + 1) / self.warmup, math.sqrt(self.warmup / (t + 1)))

    def get_lr(self):
        """Chainable form: scale each group's current rate by this step's ratio,
        so that it composes with other schedulers (ChainedScheduler)."""
        t = self.last_epoch
        if t == 0:
            return [base_lr * self._factor(0) for base_lr in self.base_lrs]
        ratio = self._factor(t) / self._factor(t - 1)
        return [group["lr"] * ratio for group in self.optimizer.param_groups]

    def _get_closed_form_lr(self):
        """Closed form: what step(epoch) uses to jump to an epoch."""
        return [base_lr * self._factor(self.last_epoch) for base_lr in self.base_lrs]
