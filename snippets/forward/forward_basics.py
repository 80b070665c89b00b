import torch
from torch import nn

torch.manual_seed(0)


class LinearModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(3, 1)  # layers are created once, here

    def forward(self, x):
        return self.linear(x)  # and used here, every time the model runs


model = LinearModel()
x = torch.randn(4, 3)

y = model(x)  # call the model itself: PyTorch runs forward(x) for you
print("input: ", tuple(x.shape))
print("output:", tuple(y.shape))
print("values:", [round(v, 4) for v in y.squeeze(1).tolist()])
print("output of the inner layer:", torch.equal(y, model.linear(x)))
