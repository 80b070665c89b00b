import torch
from torch import nn, optim

x = torch.linspace(-2, 2, 9).unsqueeze(1)
y = 3 * x + 1


def make(scheduler_class=None, **settings):
    torch.manual_seed(0)
    model = nn.Linear(1, 1)
    optimizer = optim.SGD(model.parameters(), lr=0.1)
    scheduler = scheduler_class(optimizer, **settings) if scheduler_class else None
    return model, optimizer, scheduler


runs = {
    # The control: no scheduler, so the lr stays 0.1.
    "constant": make(),
    # StepLR: multiply the lr by gamma every step_size epochs.
    "StepLR": make(optim.lr_scheduler.StepLR, step_size=3, gamma=0.5),
    # CosineAnnealingLR: glide from the starting lr down to eta_min in T_max epochs.
    "Cosine": make(optim.lr_scheduler.CosineAnnealingLR, T_max=10, eta_min=0.0),
}

print(f"{'epoch':>5} | " + " | ".join(f"{name + ' lr':>11} {'loss':>8}" for name in runs))
for epoch in range(10):
    cells = []
    for model, optimizer, scheduler in runs.values():
        # The lr this epoch trains with.
        lr = scheduler.get_last_lr()[0] if scheduler else optimizer.param_groups[0]["lr"]
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()  # first the optimizer...
        if scheduler:
            scheduler.step()  # ...then the scheduler, once per epoch
        cells.append(f"{lr:11.4f} {loss.item():8.4f}")
    print(f"{epoch:5} | " + " | ".join(cells))
