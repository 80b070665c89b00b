import torch
from torch import nn

torch.manual_seed(0)


class Residual(nn.Module):
    def __init__(self, inner):
        super().__init__()
        self.inner = inner

    def forward(self, x):
        return x + self.inner(x)


linear = nn.Linear(4, 4)
model = Residual(linear)
x = torch.randn(2, 4)

# 1. The output is the input plus what the inner module made of it.
print("matches x + linear(x):", torch.allclose(model(x), x + linear(x)))

# 2. Count how often the inner layer runs.
calls = 0


def count(module, inputs, output):
    global calls
    calls += 1


linear.register_forward_hook(count)
for _ in range(3):
    model(x)
model.forward(x)  # skips hooks on model itself, but forward still calls self.inner(x)
print("inner hook ran:", calls, "times")
