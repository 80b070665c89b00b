# expected-error: RuntimeError
import torch

# Two batches of measurements that were meant to be added element by element.
# One has 3 values per row, the other 4: they cannot be lined up.
readings = torch.ones(2, 3)
offsets = torch.ones(2, 4)
print("readings:", tuple(readings.shape), "offsets:", tuple(offsets.shape))
print(readings + offsets)
