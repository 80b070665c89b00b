# varies: ms
import time

import torch
from sklearn.datasets import load_digits
from torch import nn

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"
device_type = torch.device(device).type
use_cuda = device_type == "cuda"
low = torch.float16 if use_cuda else torch.bfloat16

digits = load_digits()
x = (torch.tensor(digits.data, dtype=torch.float32) / 16).to(device)
y = torch.tensor(digits.target).to(device)


def ms_per_step(step, warmup=3, repeats=10):
    """Milliseconds per call of step(), after warm-up, with the device's queue drained."""
    for _ in range(warmup):
        step()
    if use_cuda:
        torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(repeats):
        step()
    if use_cuda:
        torch.cuda.synchronize()
    return (time.perf_counter() - start) / repeats * 1000


def make_step(hidden, mixed):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(64, hidden), nn.ReLU(), nn.Linear(hidden, 10)).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
    scaler = torch.amp.GradScaler(device_type, enabled=mixed and use_cuda)
    losses = []

    def step():
        with torch.autocast(device_type, dtype=low, enabled=mixed):
            loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
        losses.append(loss.detach())  # no .item() here: it would wait for the device

    return step, losses


for hidden in (128, 512):
    step, full_losses = make_step(hidden, mixed=False)
    full_ms = ms_per_step(step)
    step, mixed_losses = make_step(hidden, mixed=True)
    mixed_ms = ms_per_step(step)
    full, mixed = torch.stack(full_losses), torch.stack(mixed_losses)
    print(f"hidden {hidden}: float32 {full_ms:.1f} ms per step, mixed {mixed_ms:.1f} ms per step")
    print(f"  loss after {len(full)} steps: {full[-1]:.4f} float32, {mixed[-1]:.4f} mixed")
    print("  same losses (atol=0.01):", torch.allclose(full, mixed, atol=0.01))
