import math

import torch
from torch.utils.data import DataLoader, TensorDataset

n_samples, batch_size, n_epochs = 1000, 64, 5
data = TensorDataset(torch.zeros(n_samples, 2))

per_epoch = math.ceil(n_samples / batch_size)
print(f"{n_samples} samples / batch size {batch_size} = {n_samples / batch_size:.4f}")
print(f"iterations per epoch: ceil({n_samples} / {batch_size}) = {per_epoch}")
print(f"last batch holds {n_samples - (per_epoch - 1) * batch_size} samples")
print(f"{n_epochs} epochs x {per_epoch} iterations = {n_epochs * per_epoch} iterations")

# Count them for real: one iteration = one batch = one optimizer step.
gen = torch.Generator().manual_seed(0)
loader = DataLoader(data, batch_size=batch_size, shuffle=True, generator=gen, num_workers=0)
iterations = 0
for _epoch in range(n_epochs):
    for _batch in loader:
        iterations += 1
print("len(loader):", len(loader), "| iterations counted:", iterations)

# drop_last rounds down instead of up.
loader = DataLoader(data, batch_size=batch_size, drop_last=True, num_workers=0)
print(f"with drop_last: floor({n_samples} / {batch_size}) = {len(loader)} iterations per epoch")
