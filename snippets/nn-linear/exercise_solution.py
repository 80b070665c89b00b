import torch
from torch import nn

torch.manual_seed(0)


def my_linear(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
    # weight is (out, in), so transpose it to (in, out) before multiplying.
    return x @ weight.T + bias


layer = nn.Linear(5, 3)

# 1. Compare with the real layer for one sample, a batch, and a 3-D input.
for shape in [(5,), (8, 5), (2, 4, 5)]:
    x = torch.randn(shape)
    mine = my_linear(x, layer.weight, layer.bias)
    print(f"{str(shape):10} -> {str(tuple(mine.shape)):10} match={torch.allclose(mine, layer(x))}")

# 2. A (2, 4, 5) input is treated as 8 samples: flatten, apply, reshape back.
x = torch.randn(2, 4, 5)
flat = layer(x.reshape(8, 5)).reshape(2, 4, 3)
print("same as 8 samples in a row:", torch.allclose(layer(x), flat))
