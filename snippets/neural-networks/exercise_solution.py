import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(
    nn.Linear(2, 8),
    nn.ReLU(),
    nn.Linear(8, 8),
    nn.ReLU(),
    nn.Linear(8, 1),
)

# 1. Count by hand: n_in * n_out + n_out for each Linear.
by_hand = (2 * 8 + 8) + (8 * 8 + 8) + (8 * 1 + 1)
counted = sum(p.numel() for p in model.parameters())
print("by hand:", by_hand, "| counted:", counted)

# 2. A batch of 10 points with 2 features each.
points = torch.randn(10, 2)
with torch.no_grad():
    out = model(points)
print("output shape:", tuple(out.shape))

# 3. Only the Linear layers have parameters; ReLU has none.
for index, layer in enumerate(model):
    n = sum(p.numel() for p in layer.parameters())
    print(f"layer {index} {type(layer).__name__:<6}: {n:3d} parameters")
