import torch
from torch import nn

torch.manual_seed(0)

layer = nn.Linear(3, 2)
x = torch.randn(4, 3)  # 4 samples, 3 features each

# What the layer computes...
by_layer = layer(x)

# ...and the same formula written out: x @ W.T + b
W, b = layer.weight, layer.bias
by_hand = x @ W.T + b

print("layer(x):")
print(by_layer.detach().round(decimals=4))
print("x @ W.T + b:")
print(by_hand.detach().round(decimals=4))
print("same result:", torch.allclose(by_layer, by_hand))

# One output number is a weighted sum of one sample's inputs, plus a bias.
first = (x[0, 0] * W[0, 0] + x[0, 1] * W[0, 1] + x[0, 2] * W[0, 2] + b[0]).item()
print(f"output[0, 0] by hand: {first:.4f}")
