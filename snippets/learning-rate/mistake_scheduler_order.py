import warnings

import torch
from torch import nn, optim

x = torch.linspace(-2, 2, 9).unsqueeze(1)
y = 3 * x + 1


def lrs_used(scheduler_first):
    """The lr each optimizer.step() really used, epoch by epoch."""
    torch.manual_seed(0)
    model = nn.Linear(1, 1)
    optimizer = optim.SGD(model.parameters(), lr=0.1)
    scheduler = optim.lr_scheduler.StepLR(optimizer, step_size=3, gamma=0.5)
    used = []
    for _ in range(9):
        if scheduler_first:
            scheduler.step()  # the mistake: before any optimizer.step()
        optimizer.zero_grad()
        nn.functional.mse_loss(model(x), y).backward()
        used.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        if not scheduler_first:
            scheduler.step()  # the right place: after optimizer.step()
    return used


right = lrs_used(scheduler_first=False)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    wrong = lrs_used(scheduler_first=True)
for w in caught:
    print(f"{w.category.__name__}: {str(w.message).split('. ')[0]}")

print(f"{'epoch':>5} | {'right order':>11} | {'wrong order':>11}")
for epoch, (a, b) in enumerate(zip(right, wrong, strict=True)):
    print(f"{epoch:5} | {a:11.4f} | {b:11.4f}")
