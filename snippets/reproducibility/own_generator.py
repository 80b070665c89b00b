import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

data = TensorDataset(torch.arange(8))  # sample i is just the number i


def order(loader):
    """The samples of one epoch, in the order the loader handed them out."""
    return [i for (batch,) in loader for i in batch.tolist()]


# The same program twice, with a hidden layer of 16 and then of 32 units.
# Building the model draws its initial weights from torch's global stream.
for hidden in (16, 32):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, hidden), nn.ReLU(), nn.Linear(hidden, 1))
    from_global = DataLoader(data, batch_size=4, shuffle=True, num_workers=0)
    own = torch.Generator().manual_seed(0)
    from_own = DataLoader(data, batch_size=4, shuffle=True, generator=own, num_workers=0)
    print(f"hidden={hidden}: global stream {order(from_global)} | own generator {order(from_own)}")

# A generator's state can be read and put back: the same epoch comes again.
state = own.get_state()
print("own generator, epoch 2:       ", order(from_own))
own.set_state(state)
print("epoch 2 again after set_state:", order(from_own))
