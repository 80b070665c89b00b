import torch
from torch import nn
from torch.utils.data import DataLoader

# The first session: a seeded loader and the global stream, over three epochs.
torch.manual_seed(0)
generator = torch.Generator().manual_seed(0)
loader = DataLoader(range(8), batch_size=8, shuffle=True, generator=generator)
dropout = nn.Dropout(0.5)
for epoch in (1, 2, 3):
    order = next(iter(loader)).tolist()
    mask = (dropout(torch.ones(8)) > 0).int().tolist()
    print(f"epoch {epoch}: {'':27} order {order} | dropout mask {mask}")
saved_generator, saved_rng = generator.get_state(), torch.get_rng_state()

# Epoch 4 of the uninterrupted run.
order = next(iter(loader)).tolist()
mask = (dropout(torch.ones(8)) > 0).int().tolist()
print(f"epoch 4, {'uninterrupted:':27} order {order} | dropout mask {mask}")

# A new session seeds as the first one did; only one of them restores the states.
for restore in (False, True):
    torch.manual_seed(0)
    generator = torch.Generator().manual_seed(0)
    if restore:
        generator.set_state(saved_generator)
        torch.set_rng_state(saved_rng)
    loader = DataLoader(range(8), batch_size=8, shuffle=True, generator=generator)
    order = next(iter(loader)).tolist()
    mask = (dropout(torch.ones(8)) > 0).int().tolist()
    label = "resumed, states restored:" if restore else "resumed, no random states:"
    print(f"epoch 4, {label:27} order {order} | dropout mask {mask}")
