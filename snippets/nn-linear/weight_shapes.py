import math

import torch
from torch import nn

torch.manual_seed(0)

layer = nn.Linear(in_features=3, out_features=2)
print(layer)

# The weight has one ROW per output and one COLUMN per input.
print("weight shape:", tuple(layer.weight.shape))  # (out_features, in_features)
print("bias shape:  ", tuple(layer.bias.shape))  # (out_features,)
print("parameters:  ", layer.weight.numel() + layer.bias.numel())  # 2 * 3 + 2

# The starting values are small random numbers, within +-1/sqrt(in_features).
print("weight:")
print(layer.weight.detach().round(decimals=4))
print("bias:", layer.bias.detach().round(decimals=4))
bound = 1 / math.sqrt(layer.in_features)
print(f"all within +-{bound:.4f}:", bool(layer.weight.abs().max() <= bound))

# The range depends on the number of inputs: 1000 outputs' worth of weights each.
for n_in in [1, 3, 100]:
    weights = nn.Linear(n_in, 1000).weight
    print(
        f"in_features={n_in:3}: bound {1 / math.sqrt(n_in):.4f}, "
        f"weights from {weights.min().item():.4f} to {weights.max().item():.4f}"
    )

# Without a bias the layer learns only the weight.
no_bias = nn.Linear(3, 2, bias=False)
print("bias=False ->", no_bias.bias)
