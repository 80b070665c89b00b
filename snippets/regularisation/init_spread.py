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
# standard deviation over 1000 different inputs, averaged over the 256 units: the spread.
# Beside it, two numbers that explain it:
# - rms: the root mean square of all the outputs, sqrt(mean(h ** 2)): their size;
# - similarity: how alike the outputs for two different inputs are, the cosine of the
#   angle between their 256 values (1: the same direction), averaged over all pairs.
def spread(h):
    return h.std(dim=0).mean().item()


def rms(h):
    return h.pow(2).mean().sqrt().item()


def similarity(h):
    unit = h / h.norm(dim=1, keepdim=True)  # every output scaled to length 1
    cosines = unit @ unit.T  # (1000, 1000): every pair of inputs
    n = len(h)
    return ((cosines.sum() - cosines.diagonal().sum()) / (n * (n - 1))).item()


x = torch.randn(1000, 256)
print(f"\ninput: spread {spread(x):.4f}, rms {rms(x):.4f}, similarity {similarity(x):.4f}")
print("       default init                kaiming init")
print("layer  spread    rms       similarity  spread  rms     similarity")
with torch.no_grad():
    a, b = x, x
    for i in range(10):
        a, b = default[i](a), kaiming[i](b)
        print(
            f"{i + 1:5d}  {spread(a):.6f}  {rms(a):.6f}  {similarity(a):10.4f}  "
            f"{spread(b):.4f}  {rms(b):.4f}  {similarity(b):10.4f}"
        )
