import torch
from torch import nn


def deep_stack():
    """Ten hidden layers of 256 units, each a Linear followed by a ReLU."""
    return nn.Sequential(*[nn.Sequential(nn.Linear(256, 256), nn.ReLU()) for _ in range(10)])


visited = []


def init_kaiming(module):
    """apply() calls this once for every module; only the Linear layers are changed."""
    visited.append(type(module).__name__)
    if isinstance(module, nn.Linear):
        nn.init.kaiming_normal_(module.weight, nonlinearity="relu")  # std sqrt(2 / fan_in)
        nn.init.zeros_(module.bias)


torch.manual_seed(0)
default = deep_stack()  # PyTorch's own initialisation of nn.Linear
kaiming = deep_stack()
kaiming.apply(init_kaiming)
print(
    f"apply visited {len(visited)} modules: {visited.count('Linear')} Linear, "
    f"{visited.count('ReLU')} ReLU, {visited.count('Sequential')} Sequential"
)
print(
    f"first layer weight std: default {default[0][0].weight.std().item():.4f}, "
    f"kaiming {kaiming[0][0].weight.std().item():.4f}"
)

# How much does each layer's output still depend on the input? For every unit, the
# standard deviation over 1000 different inputs, averaged over the 256 units.
x = torch.randn(1000, 256)
print(f"\nspread of the input: {x.std(dim=0).mean().item():.4f}")
print("layer  default init  kaiming init")
with torch.no_grad():
    a, b = x, x
    for i in range(10):
        a, b = default[i](a), kaiming[i](b)
        print(f"{i + 1:5d}  {a.std(dim=0).mean().item():12.6f}  {b.std(dim=0).mean().item():12.4f}")
