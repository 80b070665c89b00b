# timeout: 30
import math

import torch
from torch import nn

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"
# One CPU thread, as in the program before: the same scores on any number of cores.
torch.set_num_threads(1)


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


def hidden_layer(n_in, kind):
    """One hidden layer of 128 units, with BatchNorm or Dropout in its usual place."""
    if kind == "dropout":
        return [nn.Linear(n_in, 128), nn.ReLU(), nn.Dropout(0.5)]
    if kind == "batchnorm":
        return [nn.Linear(n_in, 128, bias=False), nn.BatchNorm1d(128), nn.ReLU()]
    return [nn.Linear(n_in, 128), nn.ReLU()]


def train(kind, seed):
    """300 full-batch epochs; the seed sets the starting weights and the dropout masks."""
    torch.manual_seed(seed)
    model = nn.Sequential(*hidden_layer(2, kind), *hidden_layer(128, kind), nn.Linear(128, 2))
    model = model.to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.002)
    for _epoch in range(300):
        model.train()
        loss = loss_fn(model(x_train), y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        train_acc = (model(x_train).argmax(dim=1) == y_train).float().mean().item()
        logits = model(x_val)
    val_acc = (logits.argmax(dim=1) == y_val).float().mean().item()
    return loss_fn(logits, y_val).item(), train_acc, val_acc


seeds = range(5)
results = {
    kind: [train(kind, seed) for seed in seeds] for kind in ("plain", "dropout", "batchnorm")
}

print("validation accuracy, seeds 0 to 4")
print(f"{'':10}" + "".join(f"  seed {seed}" for seed in seeds) + "    mean")
for kind, rows in results.items():
    val_accs = [val_acc for _, _, val_acc in rows]
    print(
        f"{kind:10}" + "".join(f"  {acc:6.1%}" for acc in val_accs) + f"  {sum(val_accs) / 5:6.1%}"
    )

print("\nover the five seeds   validation loss    accuracy gap")
for kind, rows in results.items():
    val_losses = [val_loss for val_loss, _, _ in rows]
    gaps = [train_acc - val_acc for _, train_acc, val_acc in rows]
    print(
        f"{kind:10}  {min(val_losses):.4f} to {max(val_losses):.4f}"
        f"  {min(gaps):6.1%} to {max(gaps):5.1%}"
    )
