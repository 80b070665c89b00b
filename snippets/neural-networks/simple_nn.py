import torch
from torch import nn


class SimpleNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(1, 1)  # 1 input feature -> 1 output

    def forward(self, x):
        return self.linear(x)


torch.manual_seed(0)
model = SimpleNN()
print(model)

w = model.linear.weight.item()
b = model.linear.bias.item()
print(f"weight = {w:.4f}, bias = {b:.4f}")

# A batch of 4 samples, each with 1 feature: shape (4, 1).
x = torch.tensor([[0.0], [1.0], [2.0], [3.0]])
y = model(x)  # calling the model runs forward()
print("input shape:", tuple(x.shape), "-> output shape:", tuple(y.shape))
print("model(x): ", " ".join(f"{v:.4f}" for v in y.flatten().tolist()))
print("w * x + b:", " ".join(f"{w * v + b:.4f}" for v in x.flatten().tolist()))
