import torch
from torch import nn, optim

# The same small problem for every optimizer: fit y = sin(x) on [-3, 3].
x = torch.linspace(-3, 3, 64).unsqueeze(1)
y = torch.sin(x)


def make_model():
    torch.manual_seed(0)  # the same starting weights for every optimizer
    return nn.Sequential(nn.Linear(1, 16), nn.Tanh(), nn.Linear(16, 1))


choices = {
    "SGD": lambda params: optim.SGD(params, lr=0.05),
    "SGD+momentum": lambda params: optim.SGD(params, lr=0.05, momentum=0.9),
    "Adam": lambda params: optim.Adam(params, lr=0.05),
    "Adam, lr=0.001": lambda params: optim.Adam(params),  # Adam's default learning rate
}
report_at = [0, 25, 50, 100, 150, 200]

rows = {}
for name, make_optimizer in choices.items():
    model = make_model()
    optimizer = make_optimizer(model.parameters())
    losses = []
    for step in range(report_at[-1] + 1):
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        if step in report_at:
            losses.append(loss.item())
        loss.backward()
        optimizer.step()
    rows[name] = losses

print(f"{'step':>14} " + " ".join(f"{s:>7}" for s in report_at))
for name, losses in rows.items():
    print(f"{name:>14} " + " ".join(f"{v:7.4f}" for v in losses))
