import torch
from torch import nn

torch.manual_seed(0)

# A plain Python list of layers, applied one after another by hand.
layers = [
    nn.Linear(10, 32),
    nn.ReLU(),
    nn.Linear(32, 16),
    nn.ReLU(),
    nn.Linear(16, 3),
]

x = torch.randn(4, 10)  # 4 samples with 10 features each
print(f"{'input':12} {tuple(x.shape)}")
for layer in layers:
    x = layer(x)  # the output of one layer is the input of the next
    print(f"{type(layer).__name__:12} {tuple(x.shape)}")
