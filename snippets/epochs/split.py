import torch
from torch.utils.data import TensorDataset, random_split

torch.manual_seed(0)
features = torch.randn(100, 2)
labels = (features.sum(dim=1) > 0).long()
data = TensorDataset(features, labels)

# Hold back 20 samples that training never sees. The seeded generator makes
# the split the same on every run, so validation numbers stay comparable.
gen = torch.Generator().manual_seed(0)
train_set, val_set = random_split(data, [80, 20], generator=gen)
print("train:", len(train_set), "| validation:", len(val_set))
print("first validation indices:", val_set.indices[:8])

# Each part is a Subset: indexing it reaches into the original dataset.
first = val_set.indices[0]
print(f"val_set[0] equals data[{first}]:", torch.equal(val_set[0][0], data[first][0]))

# Fractions work too; no index is in both parts.
gen = torch.Generator().manual_seed(0)
train_set, val_set = random_split(data, [0.8, 0.2], generator=gen)
print("from fractions:", len(train_set), len(val_set))
print("overlap:", len(set(train_set.indices) & set(val_set.indices)))
