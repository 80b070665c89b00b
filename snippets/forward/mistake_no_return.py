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

# Passed on to another layer, the None fails inside that layer instead.
for layer in [nn.Linear(1, 1), nn.BatchNorm1d(1), nn.Flatten()]:
    try:
        layer(out)
    except (TypeError, AttributeError) as error:
        print(f"{type(layer).__name__}: {type(error).__name__}: {error}")

print("output shape:", out.shape)
