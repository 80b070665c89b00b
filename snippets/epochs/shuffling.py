import torch
from torch.utils.data import DataLoader, TensorDataset

data = TensorDataset(torch.arange(10))  # sample i is just the number i


def order(loader):
    """The samples of one pass, in the order the loader handed them out."""
    return [batch[0].tolist() for batch in loader]


# shuffle=True draws a new order every epoch, from the generator it is given.
gen = torch.Generator().manual_seed(42)
loader = DataLoader(data, batch_size=5, shuffle=True, generator=gen, num_workers=0)
print("epoch 1:", order(loader))
print("epoch 2:", order(loader))

# A fresh generator with the same seed replays exactly the same orders.
gen = torch.Generator().manual_seed(42)
loader = DataLoader(data, batch_size=5, shuffle=True, generator=gen, num_workers=0)
print("epoch 1:", order(loader), "(same seed again)")
print("epoch 2:", order(loader), "(same seed again)")

# Without shuffle the order never changes.
loader = DataLoader(data, batch_size=5, shuffle=False, num_workers=0)
print("no shuffle:", order(loader))
