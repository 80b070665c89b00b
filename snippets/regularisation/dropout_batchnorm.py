import math

import torch
from torch import nn

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"
# One CPU thread: torch splits a long sum among its threads, so their number moves the
# last digits, and 300 epochs grow that into another score (see Reproducibility).
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


x_train, y_train = make_moons(30, seed=1)
x_val, y_val = make_moons(1000, seed=2)
loss_fn = nn.CrossEntropyLoss()


def hidden_layer(n_in, kind):
    """One hidden layer of 128 units, with BatchNorm or Dropout in its usual place."""
    if kind == "dropout":  # after the activation: zero some of the layer's outputs
        return [nn.Linear(n_in, 128), nn.ReLU(), nn.Dropout(0.5)]
    if kind == "batchnorm":  # between the linear layer and its activation
        # bias=False: BatchNorm subtracts the batch mean, which would cancel a bias here.
        return [nn.Linear(n_in, 128, bias=False), nn.BatchNorm1d(128), nn.ReLU()]
    return [nn.Linear(n_in, 128), nn.ReLU()]


def build(kind):
    """The baseline's model; the output layer gets neither Dropout nor BatchNorm."""
    return nn.Sequential(*hidden_layer(2, kind), *hidden_layer(128, kind), nn.Linear(128, 2))


def scores(model, x, y):
    model.eval()  # Dropout off, BatchNorm uses its running statistics
    with torch.no_grad():
        logits = model(x)
    return loss_fn(logits, y).item(), (logits.argmax(dim=1) == y).float().mean().item()


for kind in ("plain", "dropout", "batchnorm"):
    print(f"{kind:9}  " + " -> ".join(type(layer).__name__ for layer in build(kind)))
print("\nafter 300 epochs  train loss  val loss  train acc  val acc  acc gap")
for kind in ("plain", "dropout", "batchnorm"):
    torch.manual_seed(0)
    model = build(kind).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.002)
    for _epoch in range(300):
        model.train()  # Dropout active, BatchNorm uses the batch's statistics
        loss = loss_fn(model(x_train), y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    train_loss, train_acc = scores(model, x_train, y_train)
    val_loss, val_acc = scores(model, x_val, y_val)
    print(
        f"{kind:16}  {train_loss:10.4f}  {val_loss:8.4f}  {train_acc:9.1%}  {val_acc:7.1%}"
        f"  {train_acc - val_acc:7.1%}"
    )
