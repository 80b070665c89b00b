import math
import warnings

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"

# 320 pairs of points in 8-D. The embedding should keep the distance of each pair.
torch.manual_seed(0)
a = torch.randn(320, 8)
b = a + 0.5 * torch.randn(320, 8)
b[201] = a[201]  # one duplicate in the data: pair 201 is a point paired with itself
target = torch.linalg.vector_norm(a - b, dim=1)
data = TensorDataset(torch.arange(320), a, b, target)


def distance(u, v):
    return ((u - v) ** 2).sum(dim=1).sqrt()


def all_finite(loss, model):
    """One tensor that says whether the loss and every gradient are finite."""
    checks = [torch.isfinite(loss)] + [torch.isfinite(p.grad).all() for p in model.parameters()]
    return torch.stack(checks).all().item()  # one .item(): one wait for the device


def report(step, loss, model, zero_pairs):
    weights_ok = all(torch.isfinite(p).all().item() for p in model.parameters())
    print(f"stopped at step {step}: loss {loss.item():.4f}, weights finite: {weights_ok}")
    for name, p in model.named_parameters():
        print(f"  {name:8} gradient finite: {torch.isfinite(p.grad).all().item()}")
    print(f"  pairs of this batch at distance 0: {zero_pairs.tolist()}")


def run_under_anomaly_mode(embed, xa, xb, t):
    """The batch's forward and backward pass again, in anomaly mode: which function made nan?"""
    with warnings.catch_warnings(record=True):  # keeps anomaly mode's warnings off the terminal
        with torch.autograd.detect_anomaly():
            loss = ((distance(embed(xa), embed(xb)) - t) ** 2).mean()
            try:
                loss.backward()
            except RuntimeError as error:
                print(f"  the same batch under detect_anomaly(): {error}")


def train(check):
    """Up to 10 epochs of 10 batches of 32; the loss is printed every 25 steps.

    check: None (nothing), "loss" (the loss only) or "all" (the loss and every gradient).
    """
    torch.manual_seed(0)
    embed = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4)).to(device)
    optimizer = torch.optim.SGD(embed.parameters(), lr=0.05)
    order = torch.Generator().manual_seed(0)
    loader = DataLoader(data, batch_size=32, shuffle=True, generator=order)
    losses = []
    for _epoch in range(10):
        for ids, xa, xb, t in loader:
            xa, xb, t = xa.to(device), xb.to(device), t.to(device)
            loss = ((distance(embed(xa), embed(xb)) - t) ** 2).mean()
            optimizer.zero_grad()
            loss.backward()
            step = len(losses)
            stop = False
            if check == "loss":
                stop = not torch.isfinite(loss).item()
            elif check == "all":
                stop = not all_finite(loss, embed)
            if stop:
                report(step, loss, embed, ids[t.cpu() == 0])
                if check == "all":  # the weights are intact: run the same batch again
                    run_under_anomaly_mode(embed, xa, xb, t)
                return losses
            optimizer.step()
            losses.append(loss.item())
            if step % 25 == 0:
                print(f"step {step:3d}: loss {loss.item():.4f}")
    return losses


print("as usually written: the loss every 25 steps, nothing checked")
losses = train(check=None)
first = next(step for step, loss in enumerate(losses) if math.isnan(loss))
print(
    f"the first nan loss is at step {first}; the loss of step {first - 1}: {losses[first - 1]:.4f}"
)
after = losses[first:]
print(f"steps {first} to {len(losses) - 1}: {sum(map(math.isnan, after))} of {len(after)} are nan")

print("\nthe loss checked at every step")
train(check="loss")

print("\nthe loss and the gradients checked at every step, before optimizer.step()")
train(check="all")
