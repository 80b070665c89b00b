import torch
from torch import nn, optim

# Learn the single weight of y = 2x, starting from w = 0.
x = torch.tensor([[1.0], [2.0], [3.0]])
y = 2 * x


def train(clear_gradients):
    model = nn.Linear(1, 1, bias=False)
    with torch.no_grad():
        model.weight.fill_(0.0)
    optimizer = optim.SGD(model.parameters(), lr=0.02)
    rows = []
    for _ in range(8):
        if clear_gradients:
            optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()  # ADDS this step's gradient to .grad
        rows.append((model.weight.item(), model.weight.grad.item(), loss.item()))
        optimizer.step()
    return rows


good = train(clear_gradients=True)
bad = train(clear_gradients=False)

names = " ".join(f"{n:>8}" for n in ["w", "grad", "loss"])
print(f"{'':4} | {'with zero_grad()':^26} | {'without zero_grad()':^26}".rstrip())
print(f"step | {names} | {names}")
for step, (a, b) in enumerate(zip(good, bad, strict=True)):
    left = " ".join(f"{v:8.4f}" for v in a)
    right = " ".join(f"{v:8.4f}" for v in b)
    print(f"{step:4} | {left} | {right}")
