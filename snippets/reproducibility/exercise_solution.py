import torch
from torch.utils.data import TensorDataset, random_split

torch.manual_seed(0)
data = TensorDataset(torch.randn(20, 2))


def validation_indices(extra_draws, own_generator):
    """One run of a program: seed, draw some numbers, then split 16 / 4."""
    torch.manual_seed(0)
    torch.randn(extra_draws)  # e.g. a model built or changed before the split
    if own_generator:
        generator = torch.Generator().manual_seed(0)
        _, val_set = random_split(data, [16, 4], generator=generator)
    else:  # random_split then draws from torch's global stream
        _, val_set = random_split(data, [16, 4])
    return val_set.indices


for own_generator in (True, False):
    first = validation_indices(extra_draws=0, own_generator=own_generator)
    second = validation_indices(extra_draws=100, own_generator=own_generator)
    print(f"own generator={own_generator}:")
    print(f"  run 1, no extra draws:  validation {first}")
    print(f"  run 2, 100 extra draws: validation {second}")
    print(f"  same split: {first == second}")
