import torch
from torch import nn

torch.manual_seed(0)

# nn.Sequential does the loop for you: it calls its layers in order.
model = nn.Sequential(
    nn.Linear(10, 32),
    nn.ReLU(),
    nn.Linear(32, 16),
    nn.ReLU(),
    nn.Linear(16, 3),
)
print(model)

x = torch.randn(4, 10)
y = model(x)
print("output shape:", tuple(y.shape))

# It is also a container: index it, take its length, loop over it.
print("number of layers:", len(model))
print("first layer:", model[0])
print("last layer weight:", tuple(model[-1].weight.shape))
