import copy
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


x_train, y_train = make_moons(30, seed=1)
x_val, y_val = make_moons(1000, seed=2)
loss_fn = nn.CrossEntropyLoss()


def scores(model, x, y):
    model.eval()
    with torch.no_grad():
        logits = model(x)
    return loss_fn(logits, y).item(), (logits.argmax(dim=1) == y).float().mean().item()


def train_with_early_stopping(weight_decay, patience=20):
    torch.manual_seed(0)
    model = nn.Sequential(
        nn.Linear(2, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 2)
    ).to(device)
    # With weight_decay=0.0, AdamW takes exactly the steps of Adam.
    optimizer = torch.optim.AdamW(model.parameters(), lr=0.002, weight_decay=weight_decay)
    best_val, best_epoch, best_state = float("inf"), 0, None
    for epoch in range(1, 1001):
        model.train()
        loss = loss_fn(model(x_train), y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

        val_loss, _ = scores(model, x_val, y_val)
        if val_loss < best_val:
            best_val, best_epoch = val_loss, epoch
            best_state = copy.deepcopy(model.state_dict())
        elif epoch - best_epoch >= patience:
            break
    print(f"weight_decay={weight_decay}: stopped at epoch {epoch}, best epoch {best_epoch}")
    print(f"  last weights:     val loss {val_loss:.4f}")
    model.load_state_dict(best_state)
    val_loss, val_acc = scores(model, x_val, y_val)
    _, train_acc = scores(model, x_train, y_train)
    print(f"  restored weights: val loss {val_loss:.4f}, val acc {val_acc:.1%}")
    print(f"                    train acc {train_acc:.1%}, gap {train_acc - val_acc:.1%}")


for wd in (0.0, 3.0):
    train_with_early_stopping(wd)
