import warnings

import torch
from torch.utils.data import DataLoader, TensorDataset

# pin_memory=True asks the DataLoader for batches in pinned (page-locked) memory.
# What it gives depends on the machine, so this program asks for it whatever the machine.
print("accelerator available:", torch.accelerator.is_available())
data = TensorDataset(torch.arange(8.0).reshape(4, 2), torch.arange(4))
loader = DataLoader(data, batch_size=2, pin_memory=True)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")  # record every warning the loader gives
    images, labels = next(iter(loader))
print("batch pinned:", images.is_pinned())
for warning in caught:
    print("warning:", warning.message)
print("warnings:", len(caught))
