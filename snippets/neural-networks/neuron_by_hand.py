import torch

# One neuron with 3 inputs: a weighted sum plus a bias, then a nonlinearity.
x = torch.tensor([0.5, -1.0, 2.0])  # the inputs (3 features)
w = torch.tensor([0.8, 0.2, -0.5])  # one weight per input
b = torch.tensor(0.1)  # the bias

z = (w * x).sum() + b  # 0.4 - 0.2 - 1.0 + 0.1
print(f"weighted sum z = {z.item():.4f}")
print(f"same with @:     {(w @ x + b).item():.4f}")
print(f"relu(z)    = {torch.relu(z).item():.4f}")  # negative values become 0
print(f"sigmoid(z) = {torch.sigmoid(z).item():.4f}")  # squashed into (0, 1)

# A layer is several neurons reading the same inputs: one row of W per neuron.
W = torch.tensor(
    [
        [0.8, 0.2, -0.5],  # neuron 0 (the one above)
        [-0.3, 0.4, 0.6],  # neuron 1
    ]
)
bias = torch.tensor([0.1, -0.2])
layer_out = torch.relu(W @ x + bias)
print("layer of 2 neurons:", layer_out)
