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

first_bad = first_nan = None
print(f"{'step':>4} {'loss':>11} {'weight':>11} {'bias':>11}")
for step in range(41):
    optimizer.zero_grad()
    loss = nn.functional.mse_loss(model(x), y)
    value = loss.item()
    if not math.isfinite(value) and first_bad is None:
        first_bad = step  # what a guard in a real training loop would catch
    if math.isnan(value) and first_nan is None:
        first_nan = step
    just_after_nan = first_nan is not None and step == first_nan + 1
    if step % 4 == 0 or step in (first_bad, first_nan) or just_after_nan:
        print(f"{step:4} {fmt(value)} {fmt(model.weight.item())} {fmt(model.bias.item())}")
    loss.backward()
    optimizer.step()

print("first loss that is not a finite number: step", first_bad)
print("first nan loss: step", first_nan)

# Infinity itself comes from many places; log(0) is one. Arithmetic on it gives nan.
log_zero = torch.log(torch.tensor(0.0))
print("log(0) =", log_zero.item(), "| 0 * log(0) =", (0 * log_zero).item())
