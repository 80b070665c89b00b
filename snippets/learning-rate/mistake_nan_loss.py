import math

import torch
from torch import nn, optim

x = torch.linspace(-2, 2, 9).unsqueeze(1)
y = 3 * x + 1


def fmt(value):
    """4 decimals for normal numbers, scientific notation for huge ones."""
    return f"{value:11.4f}" if abs(value) < 1e5 else f"{value:11.3e}"


torch.manual_seed(0)
model = nn.Linear(1, 1)
optimizer = optim.SGD(model.parameters(), lr=5.0)  # far too large for this problem

first_bad = None
print(f"{'step':>4} {'loss':>11} {'weight':>11}")
for step in range(36):
    optimizer.zero_grad()
    loss = nn.functional.mse_loss(model(x), y)
    value = loss.item()
    if not math.isfinite(value) and first_bad is None:
        first_bad = step  # what a guard in a real training loop would catch
    if step % 4 == 0 or step == first_bad or math.isnan(value):
        print(f"{step:4} {fmt(value)} {fmt(model.weight.item())}")
        if math.isnan(value):
            break
    loss.backward()
    optimizer.step()

print("first loss that is not a finite number: step", first_bad)
