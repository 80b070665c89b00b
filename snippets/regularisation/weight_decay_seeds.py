# timeout: 30
import math

import torch
from torch import nn

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"


def make_moons(n, seed):
    """n noisy points on two interleaving half circles, one half circle per class."""
    gen = torch.Generator().manual_seed(seed)
    labels = torch.randint(0, 2, (n,), generator=gen)
    angle = torch.rand(n, generator=gen) * math.pi
    x = torch.where(labels == 0, torch.cos(angle), 1 - torch.cos(angle))
    y = torch.where(labels == 0, torch.sin(angle), 0.5 - torch.sin(angle))
    points = torch.stack([x, y], dim=1) + 0.3 * torch.randn(n, 2, generator=gen)
    return points.to(device), labels.to(device)


x_train, y_train = make_moons(30, seed=1)  # the same points as before, whatever the seed
x_val, y_val = make_moons(1000, seed=2)
loss_fn = nn.CrossEntropyLoss()


def train(make_optimizer, seed):
    """The baseline's model and 300 full-batch epochs, starting from the weights of this seed."""
    torch.manual_seed(seed)
    model = nn.Sequential(
        nn.Linear(2, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 2)
    ).to(device)
    optimizer = make_optimizer(model.parameters())
    for _epoch in range(300):
        loss = loss_fn(model(x_train), y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        train_acc = (model(x_train).argmax(dim=1) == y_train).float().mean().item()
        logits = model(x_val)
    val_acc = (logits.argmax(dim=1) == y_val).float().mean().item()
    norm = torch.cat([p.detach().flatten() for p in model.parameters()]).norm().item()
    return norm, loss_fn(logits, y_val).item(), train_acc, val_acc


runs = {
    "no decay": lambda p: torch.optim.Adam(p, lr=0.002),
    "AdamW, weight_decay=0.01": lambda p: torch.optim.AdamW(p, lr=0.002, weight_decay=0.01),
    "AdamW, weight_decay=3.0": lambda p: torch.optim.AdamW(p, lr=0.002, weight_decay=3.0),
    "Adam, weight_decay=0.01": lambda p: torch.optim.Adam(p, lr=0.002, weight_decay=0.01),
}
seeds = range(5)
results = {
    name: [train(make_optimizer, seed) for seed in seeds] for name, make_optimizer in runs.items()
}

print("validation accuracy, starting weights from seeds 0 to 4")
print(f"{'':25}" + "".join(f"  seed {seed}" for seed in seeds) + "    mean")
for name, rows in results.items():
    val_accs = [val_acc for _, _, _, val_acc in rows]
    print(
        f"{name:25}" + "".join(f"  {acc:6.1%}" for acc in val_accs) + f"  {sum(val_accs) / 5:6.1%}"
    )

columns = "weight norm       validation loss  lowest train acc  seeds at 100%"
print(f"\n{'over the five seeds':25}   {columns}")
for name, rows in results.items():
    norms, val_losses, train_accs, _ = zip(*rows, strict=True)
    full = sum(acc == 1.0 for acc in train_accs)  # how many seeds fit every training point
    print(
        f"{name:25}  {min(norms):5.2f} to {max(norms):5.2f}  "
        f"{min(val_losses):.4f} to {max(val_losses):.4f}  {min(train_accs):16.1%}  {full:13d}"
    )
