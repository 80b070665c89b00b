import random

import numpy as np
import torch

names = ["random", "numpy", "torch"]


def draw():
    """One number from the global random stream of each library."""
    return random.random(), np.random.rand(), torch.rand(1).item()


# torch.manual_seed seeds torch alone: Python's random and NumPy carry on.
torch.manual_seed(0)
first = draw()
torch.manual_seed(0)
second = draw()
print("torch.manual_seed(0) twice:")
for name, a, b in zip(names, first, second, strict=True):
    print(f"  {name:6} repeats: {a == b}")


def seed_everything(seed):
    random.seed(seed)  # Python's random module
    np.random.seed(seed)  # NumPy's global generator (np.random.rand, np.random.shuffle, ...)
    torch.manual_seed(seed)  # torch's global generator, on the CPU and every accelerator


seed_everything(0)
first = draw()
seed_everything(0)
second = draw()
print("seed_everything(0) twice:")
for name, a, b in zip(names, first, second, strict=True):
    print(f"  {name:6} repeats: {a == b} ({a:.4f})")
