# varies: ms
import time

import torch
from sklearn.datasets import load_digits
from torch import nn

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"
print("device:", torch.device(device).type)

digits = load_digits()  # 1797 images of 8x8 pixels, values 0 to 16
x = (torch.tensor(digits.data, dtype=torch.float32) / 16).to(device)
y = torch.tensor(digits.target).to(device)

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 10)).to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
loss_fn = nn.CrossEntropyLoss()


def train_step():
    loss = loss_fn(model(x), y)  # one step on all 1797 images
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss


def clock():
    """Read the clock once all queued work is done, on whatever accelerator is in use."""
    if torch.accelerator.is_available():
        torch.accelerator.synchronize()  # accelerators run asynchronously: wait for them first
    return time.perf_counter()


start = clock()
train_step()
print(f"step 1 alone:             {(clock() - start) * 1000:5.1f} ms")

for _ in range(5):  # warm-up: a few more steps that are not timed
    train_step()

# Three rounds of 20 steps: how much the rounds differ is the noise of the measurement.
first = 7
for _ in range(3):
    start = clock()
    for _ in range(20):
        loss = train_step()
    per_step = (clock() - start) / 20
    print(f"steps {first:2d} to {first + 19:2d}, per step: {per_step * 1000:5.1f} ms")
    first += 20
print(f"loss at step {first - 1}, before its update: {loss.item():.4f}")
