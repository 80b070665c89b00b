# expected-error: AttributeError
import torch
from torch import nn

torch.manual_seed(0)


class LinearModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(3, 1)

    def forward(self, x):
        x = self.linear(x)
        x = torch.relu(x)  # computed, but never returned


model = LinearModel()
out = model(torch.randn(4, 3))  # no error here: forward quietly returned None
print("output:", out)
print("output shape:", out.shape)
