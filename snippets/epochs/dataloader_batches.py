import torch
from torch.utils.data import DataLoader, TensorDataset

# 10 samples with 3 features each, and one label per sample.
features = torch.arange(30, dtype=torch.float32).reshape(10, 3)
labels = torch.arange(10)
data = TensorDataset(features, labels)

# The DataLoader cuts the dataset into batches and stacks each batch into tensors.
loader = DataLoader(data, batch_size=4, num_workers=0)
print("batches per pass:", len(loader))
for xb, yb in loader:
    print("x:", tuple(xb.shape), "| y:", tuple(yb.shape), "| labels:", yb.tolist())

# drop_last=True throws the short final batch away.
loader = DataLoader(data, batch_size=4, drop_last=True, num_workers=0)
print("with drop_last, batches per pass:", len(loader))
for xb, yb in loader:
    print("x:", tuple(xb.shape), "| y:", tuple(yb.shape), "| labels:", yb.tolist())
