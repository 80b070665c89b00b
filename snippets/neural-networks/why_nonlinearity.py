import torch
from torch import nn

torch.manual_seed(0)
first = nn.Linear(1, 4)  # 1 input -> 4 hidden neurons
second = nn.Linear(4, 1)  # 4 hidden neurons -> 1 output
x = torch.linspace(-2, 2, steps=5).unsqueeze(1)  # 5 inputs, shape (5, 1)

with torch.no_grad():
    # Two linear layers with nothing in between...
    stacked = second(first(x))
    # ...equal ONE linear map with W = W2 @ W1 and b = W2 @ b1 + b2.
    W = second.weight @ first.weight
    b = second.weight @ first.bias + second.bias
    collapsed = x @ W.T + b
    # The same two layers with a ReLU between them.
    with_relu = second(torch.relu(first(x)))

print(f"collapsed map: weight {W.item():.4f}, bias {b.item():.4f}")
print("    x | linear, linear | one linear | linear, relu, linear")
for i in range(5):
    print(
        f"{x[i, 0].item():5.1f} | {stacked[i, 0].item():14.4f} | "
        f"{collapsed[i, 0].item():10.4f} | {with_relu[i, 0].item():20.4f}"
    )

# A linear map changes by the same amount for every equal step in x.
print("steps without ReLU:", " ".join(f"{d:.4f}" for d in stacked.diff(dim=0).flatten().tolist()))
print("steps with ReLU:   ", " ".join(f"{d:.4f}" for d in with_relu.diff(dim=0).flatten().tolist()))
