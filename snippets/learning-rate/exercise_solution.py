import math

import torch
from torch import nn, optim

# Exercise: a learning-rate sweep on y = 3x + 1, 30 steps for each lr.
x = torch.linspace(-2, 2, 9).unsqueeze(1)
y = 3 * x + 1


def final_loss(lr, steps=30):
    torch.manual_seed(0)  # the same start for every lr
    model = nn.Linear(1, 1)
    optimizer = optim.SGD(model.parameters(), lr=lr)
    with torch.no_grad():
        start = nn.functional.mse_loss(model(x), y).item()
    for _ in range(steps):
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        end = nn.functional.mse_loss(model(x), y).item()
    if not math.isfinite(end) or end > start:
        verdict = "diverged"
    elif end < 1e-3:
        verdict = "converged"
    else:
        verdict = "too slow"
    return end, verdict


print(f"{'lr':>6} | {'loss after 30 steps':>19} | verdict")
for lr in [0.001, 0.01, 0.1, 0.3, 0.5, 0.65, 1.0]:
    end, verdict = final_loss(lr)
    shown = f"{end:.4f}" if end < 1e5 else f"{end:.3e}"
    print(f"{lr:>6} | {shown:>19} | {verdict}")
