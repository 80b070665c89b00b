import torch
from torch import nn

torch.manual_seed(0)

# A layer is a module: it can hold parameters, and calling it transforms a tensor.
layer = nn.Linear(in_features=3, out_features=2)

for name, p in layer.named_parameters():
    print(f"{name:6} shape={tuple(p.shape)} requires_grad={p.requires_grad}")

x = torch.randn(4, 3)  # a batch of 4 samples, 3 features each
y = layer(x)
print("input: ", tuple(x.shape))
print("output:", tuple(y.shape))

# Some layers have no parameters at all: ReLU only applies a fixed rule.
relu = nn.ReLU()
print("ReLU parameters:", len(list(relu.parameters())))
print("before ReLU:", [round(v, 4) for v in y[0].tolist()])
print("after ReLU: ", [round(v, 4) for v in relu(y)[0].tolist()])
