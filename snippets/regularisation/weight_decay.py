import math

import torch
from torch import nn

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"

# One step with a loss gradient of zero: whatever moves the weights is weight decay alone.
print("one step, lr 0.1, weight_decay 0.01, loss gradient zero")
for name, optimizer_class in (
    ("SGD", torch.optim.SGD),
    ("Adam", torch.optim.Adam),
    ("AdamW", torch.optim.AdamW),
):
    w = torch.tensor([1.0, -2.0, 0.05], requires_grad=True)
    optimizer = optimizer_class([w], lr=0.1, weight_decay=0.01)
    w.grad = torch.zeros(3)  # as if the loss did not depend on w at all
    optimizer.step()
    print(f"  {name:5}  w: [1.0, -2.0, 0.05] -> {[round(v, 5) for v in w.tolist()]}")


def make_moons(n, seed):
    """n noisy points on two interleaving half circles, one half circle per class."""
    gen = torch.Generator().manual_seed(seed)
    labels = torch.randint(0, 2, (n,), generator=gen)
    angle = torch.rand(n, generator=gen) * math.pi
    x = torch.where(labels == 0, torch.cos(angle), 1 - torch.cos(angle))
    y = torch.where(labels == 0, torch.sin(angle), 0.5 - torch.sin(angle))
    points = torch.stack([x, y], dim=1) + 0.3 * torch.randn(n, 2, generator=gen)
    return points.to(device), labels.to(device)


x_train, y_train = make_moons(30, seed=1)
x_val, y_val = make_moons(1000, seed=2)
loss_fn = nn.CrossEntropyLoss()


def train(make_optimizer):
    """The over-sized model of the baseline, 300 full-batch epochs, same start every time."""
    torch.manual_seed(0)
    model = nn.Sequential(
        nn.Linear(2, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 2)
    ).to(device)
    optimizer = make_optimizer(model.parameters())
    for _epoch in range(300):
        loss = loss_fn(model(x_train), y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model


def scores(model, x, y):
    model.eval()
    with torch.no_grad():
        logits = model(x)
    return loss_fn(logits, y).item(), (logits.argmax(dim=1) == y).float().mean().item()


runs = {
    "no decay": lambda p: torch.optim.Adam(p, lr=0.002),
    "AdamW, weight_decay=0.01": lambda p: torch.optim.AdamW(p, lr=0.002, weight_decay=0.01),
    "AdamW, weight_decay=3.0": lambda p: torch.optim.AdamW(p, lr=0.002, weight_decay=3.0),
    "Adam, weight_decay=0.01": lambda p: torch.optim.Adam(p, lr=0.002, weight_decay=0.01),
}
print("\nafter 300 epochs           weight norm  train loss  val loss  train acc  val acc")
for name, make_optimizer in runs.items():
    model = train(make_optimizer)
    norm = torch.cat([p.detach().flatten() for p in model.parameters()]).norm().item()
    train_loss, train_acc = scores(model, x_train, y_train)
    val_loss, val_acc = scores(model, x_val, y_val)
    print(
        f"{name:25}  {norm:11.2f}  {train_loss:10.4f}  {val_loss:8.4f}"
        f"  {train_acc:9.1%}  {val_acc:7.1%}"
    )
