import torch
from torch import nn

torch.manual_seed(0)

model = nn.Sequential(
    nn.Linear(10, 32),
    nn.LayerNorm(32),
    nn.ReLU(),
    nn.Dropout(p=0.2),
    nn.Linear(32, 16),
    nn.ReLU(),
    nn.Linear(16, 3),
)

x = torch.randn(4, 10)
print(f"{'#':>2}  {'layer':12} {'output shape':14} {'params':>6}")
print("-" * 38)
print(f"{'':>2}  {'(input)':12} {tuple(x.shape)}")
total = 0
for index, layer in enumerate(model):
    x = layer(x)
    params = sum(p.numel() for p in layer.parameters())
    total += params
    print(f"{index:>2}  {type(layer).__name__:12} {str(tuple(x.shape)):14} {params:>6}")
print("-" * 38)
print(f"{'':>2}  {'total':12} {'':14} {total:>6}")

# The same total, counted over the whole model at once.
print("check:", sum(p.numel() for p in model.parameters()))
