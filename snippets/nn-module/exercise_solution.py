import torch
from torch import nn


class MLP(nn.Module):
    def __init__(self, sizes, p_drop=0.2):
        super().__init__()
        # One Linear per pair of neighbouring sizes, kept in a ModuleList.
        self.layers = nn.ModuleList(
            [nn.Linear(n_in, n_out) for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)]
        )
        self.dropout = nn.Dropout(p_drop)

    def forward(self, x):
        for layer in self.layers[:-1]:
            x = self.dropout(torch.relu(layer(x)))
        return self.layers[-1](x)  # no ReLU or dropout after the last layer


torch.manual_seed(0)
model = MLP([4, 16, 16, 2])

# 1. The state_dict keys and shapes.
for key, value in model.state_dict().items():
    print(f"{key:<16} {tuple(value.shape)}")

# 2. Dropout makes training-mode outputs vary; evaluation mode does not.
x = torch.randn(3, 4)
with torch.no_grad():
    model.train()
    print("train mode, two passes equal:", torch.equal(model(x), model(x)))
    model.eval()
    print("eval mode, two passes equal: ", torch.equal(model(x), model(x)))
