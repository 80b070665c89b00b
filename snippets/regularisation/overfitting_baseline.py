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


# Few points to train on, many to validate with.
x_train, y_train = make_moons(30, seed=1)
x_val, y_val = make_moons(1000, seed=2)

# Deliberately over-sized: thousands of parameters for 30 points.
torch.manual_seed(0)
model = nn.Sequential(
    nn.Linear(2, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 2)
).to(device)
print("parameters:", sum(p.numel() for p in model.parameters()), "| training points:", len(x_train))
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.002)


def evaluate(x, y):
    """Loss and accuracy in evaluation mode, without building a graph."""
    model.eval()
    with torch.no_grad():
        logits = model(x)
    return loss_fn(logits, y).item(), (logits.argmax(dim=1) == y).float().mean().item()


# 30 samples fit in one batch, so one epoch is one step.
best_epoch, best_val = 0, float("inf")
print("epoch  train loss  val loss  train acc  val acc")
for epoch in range(1, 301):
    model.train()
    loss = loss_fn(model(x_train), y_train)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

    train_loss, train_acc = evaluate(x_train, y_train)
    val_loss, val_acc = evaluate(x_val, y_val)
    if val_loss < best_val:
        best_epoch, best_val, best_acc = epoch, val_loss, val_acc
    if epoch in (1, 25) or epoch % 50 == 0:
        print(f"{epoch:5d}  {train_loss:10.4f}  {val_loss:8.4f}  {train_acc:9.1%}  {val_acc:7.1%}")

print(f"lowest validation loss: {best_val:.4f} at epoch {best_epoch} (val acc {best_acc:.1%})")
print(f"gap at the end: accuracy {train_acc - val_acc:.1%}, loss {val_loss - train_loss:.4f}")
