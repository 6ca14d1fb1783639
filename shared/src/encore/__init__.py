"""Encore: predict whether a listener will replay a song within a month."""

import os

# Idle OpenMP threads sleep instead of spinning. Torch's CPU kernels wait at a barrier after
# every operation; with spinning waiters, two threads on two cores that another process also
# wants (the API beside the trainer, a shared machine) ran epochs 10 to 40 times slower than
# one thread (docs/benchmarks.md, "Training threads"). Read by the OpenMP runtime when torch
# loads, so it is set before anything imports torch; an explicit setting is left alone.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

__version__ = "0.1.0"
