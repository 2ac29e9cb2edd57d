"""The generator of the LR Scheduler Atlas site: every PyTorch LR scheduler run, drawn and checked."""
