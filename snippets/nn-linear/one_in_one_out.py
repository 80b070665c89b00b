import torch
from torch import nn

torch.manual_seed(0)

# One input, one output: the layer is the straight line y = w * x + b.
line = nn.Linear(1, 1)
print(f"random start: w={line.weight.item():.4f} b={line.bias.item():.4f}")

# Choose w = 2 and b = 1 by hand. no_grad: this edit is not part of any training.
with torch.no_grad():
    line.weight.fill_(2.0)
    line.bias.fill_(1.0)

x = torch.tensor([0.0, 1.0, 2.0, 3.0])
print("x shape:", tuple(x.shape))
x = x.unsqueeze(1)  # (4,) -> (4, 1): 4 samples with 1 feature each
print("x shape:", tuple(x.shape))

y = line(x)
print("y shape:", tuple(y.shape))
print("y:", y.squeeze(1).tolist())  # 2 * x + 1
