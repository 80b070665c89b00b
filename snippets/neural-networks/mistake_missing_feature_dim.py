# expected-error: RuntimeError
import torch
from torch import nn

torch.manual_seed(0)
model = nn.Linear(1, 1)  # expects inputs of shape (batch, 1)

# Four samples written as a flat list: shape (4,), not (4, 1).
x = torch.tensor([0.0, 1.0, 2.0, 3.0])
print("input shape:", tuple(x.shape))
print(model(x))
