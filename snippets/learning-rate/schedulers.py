import torch
from torch import nn, optim

x = torch.linspace(-2, 2, 9).unsqueeze(1)
y = 3 * x + 1


def make(scheduler_class, **settings):
    torch.manual_seed(0)
    model = nn.Linear(1, 1)
    optimizer = optim.SGD(model.parameters(), lr=0.1)
    return model, optimizer, scheduler_class(optimizer, **settings)


runs = {
    # StepLR: multiply the lr by gamma every step_size epochs.
    "StepLR": make(optim.lr_scheduler.StepLR, step_size=3, gamma=0.5),
    # CosineAnnealingLR: glide from the starting lr down to eta_min in T_max epochs.
    "Cosine": make(optim.lr_scheduler.CosineAnnealingLR, T_max=10, eta_min=0.0),
}

print(f"{'epoch':>5} | {'StepLR lr':>9} {'loss':>8} | {'Cosine lr':>9} {'loss':>8}")
for epoch in range(10):
    cells = []
    for model, optimizer, scheduler in runs.values():
        lr = scheduler.get_last_lr()[0]  # the lr this epoch trains with
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()  # first the optimizer...
        scheduler.step()  # ...then the scheduler, once per epoch
        cells.append(f"{lr:9.4f} {loss.item():8.4f}")
    print(f"{epoch:5} | " + " | ".join(cells))
