import torch
from torch import nn

# LayerNorm rescales each sample (each row) to mean 0 and standard deviation 1.
data = torch.tensor([[1.0, 2.0, 3.0, 4.0], [10.0, 20.0, 30.0, 40.0]])
normed = nn.LayerNorm(4)(data)
print("LayerNorm row 0:", [round(v, 4) for v in normed[0].tolist()])
print("LayerNorm row 1:", [round(v, 4) for v in normed[1].tolist()])

# BatchNorm1d rescales each feature (each column) across the batch instead.
batch_normed = nn.BatchNorm1d(4)(data)
print("BatchNorm1d column 0:", [round(v, 4) for v in batch_normed[:, 0].tolist()])
