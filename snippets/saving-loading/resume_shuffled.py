import torch
from torch.utils.data import DataLoader, TensorDataset

data = TensorDataset(torch.arange(8))  # sample i is just the number i


def new_loader():
    """A shuffled loader with a seeded generator, as a training program builds it."""
    return DataLoader(data, batch_size=4, shuffle=True, generator=torch.Generator().manual_seed(0))


def order(loader):
    return [batch[0].tolist() for batch in loader]


# The uninterrupted run: one loader, four epochs.
loader = new_loader()
for epoch in range(1, 5):
    print(f"uninterrupted, epoch {epoch}:", order(loader))

# The resumed run: a new program loads the checkpoint of epoch 3 and builds its loader again.
loader = new_loader()
print("resumed,       epoch 4:", order(loader))
