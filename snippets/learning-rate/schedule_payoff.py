import torch
from torch import nn, optim

# Noisy steps: 9 noisy points, and each step learns from ONE of them, drawn at random.
torch.manual_seed(0)
x = torch.linspace(-2, 2, 9).unsqueeze(1)
y = 3 * x + 1 + 0.5 * torch.randn(9, 1)


def last_losses(use_schedule, draw_seed, steps=200):
    """The loss on all 9 points after each of the last 50 steps."""
    torch.manual_seed(0)  # the same starting weights for every run
    model = nn.Linear(1, 1)
    optimizer = optim.SGD(model.parameters(), lr=0.1)
    # Here each step counts as an epoch: the cosine reaches 0 at the last step.
    scheduler = optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=steps)
    draws = torch.Generator().manual_seed(draw_seed)  # which point each step sees
    losses = []
    for _ in range(steps):
        i = torch.randint(0, 9, (1,), generator=draws)
        optimizer.zero_grad()
        nn.functional.mse_loss(model(x[i]), y[i]).backward()
        optimizer.step()
        if use_schedule:
            scheduler.step()
        with torch.no_grad():
            losses.append(nn.functional.mse_loss(model(x), y).item())
    return losses[-50:]


print("loss on all 9 points during the last 50 of 200 steps")
for draw_seed in (1, 2):  # a second order of draws: the control for luck
    for use_schedule, name in ((False, "constant lr"), (True, "cosine lr  ")):
        last = last_losses(use_schedule, draw_seed)
        print(
            f"draws {draw_seed}, {name}: lowest {min(last):.4f}  "
            f"highest {max(last):.4f}  final {last[-1]:.4f}"
        )
