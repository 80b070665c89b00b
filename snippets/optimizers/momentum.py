import torch
from torch import nn, optim

# A gentle, even slope: loss = 0.5 * w, so the gradient is always 0.5.
# Both optimizers start at w = 0 and walk downhill (towards negative w).
plain_w = nn.Parameter(torch.tensor(0.0))
momentum_w = nn.Parameter(torch.tensor(0.0))
plain = optim.SGD([plain_w], lr=0.1)
heavy = optim.SGD([momentum_w], lr=0.1, momentum=0.9)

print(f"{'step':>4} | {'SGD: w':>8} {'step':>8} | {'momentum: w':>11} {'step':>8}")
for step in range(1, 11):
    before = (plain_w.item(), momentum_w.item())
    for w, optimizer in [(plain_w, plain), (momentum_w, heavy)]:
        optimizer.zero_grad()
        loss = 0.5 * w
        loss.backward()
        optimizer.step()
    plain_step = plain_w.item() - before[0]
    heavy_step = momentum_w.item() - before[1]
    print(
        f"{step:4} | {plain_w.item():8.4f} {plain_step:8.4f} "
        f"| {momentum_w.item():11.4f} {heavy_step:8.4f}"
    )

# Momentum keeps a running "velocity" per parameter: v = 0.9 * v + grad.
buffer = heavy.state[momentum_w]["momentum_buffer"]
print(f"velocity after 10 steps: {buffer.item():.4f} (limit: 0.5 / (1 - 0.9) = 5.0)")
