# expected-error: RuntimeError
import torch
from torch import nn

torch.manual_seed(0)

# The second Linear expects 16 features, but the first one produces 32.
model = nn.Sequential(
    nn.Linear(10, 32),
    nn.ReLU(),
    nn.Linear(16, 3),
)

x = torch.randn(4, 10)
for index, layer in enumerate(model):
    print(f"layer {index} {type(layer).__name__}: gets {tuple(x.shape)}")
    x = layer(x)
