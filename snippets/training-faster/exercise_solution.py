# varies: ms
import time

import torch
from sklearn.datasets import load_digits
from torch import nn

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"
device_type = torch.device(device).type

digits = load_digits()
x = (torch.tensor(digits.data, dtype=torch.float32) / 16).to(device)
y = torch.tensor(digits.target).to(device)


def wait():
    """Block until the accelerator, if there is one, has done all queued work."""
    if torch.accelerator.is_available():
        torch.accelerator.synchronize()


def ms_per_step(step, warmup=3, repeats=10):
    """Milliseconds per call of step(), after warm-up.

    It waits for the device after every step, so a step that waits by itself (a
    GradScaler step reads a value with .item()) and one that does not are timed alike."""
    for _ in range(warmup):
        step()
        wait()
    start = time.perf_counter()
    for _ in range(repeats):
        step()
        wait()
    return (time.perf_counter() - start) / repeats * 1000


def make_step(hidden, dtype):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(64, hidden), nn.ReLU(), nn.Linear(hidden, 10)).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
    scaler = torch.amp.GradScaler(device_type, enabled=dtype == torch.float16)
    losses = []

    def step():
        with torch.autocast(device_type, dtype=dtype, enabled=dtype != torch.float32):
            loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
        losses.append(loss.detach())  # a tensor: reading it is left until after the timing

    return step, losses


for hidden in (128, 512):
    print(f"hidden {hidden}:")
    runs = {}
    for dtype in (torch.float32, torch.bfloat16, torch.float16):
        times = []
        for _round in range(2):  # the same measurement twice: the difference is the noise
            step, losses = make_step(hidden, dtype)
            times.append(ms_per_step(step))
        runs[dtype] = torch.stack(losses)
        name = str(dtype).removeprefix("torch.")
        print(f"  {name:8}  {times[0]:5.1f} ms and {times[1]:5.1f} ms per step,", end=" ")
        print(f"loss at step {len(losses)} {runs[dtype][-1]:.4f}")
    for dtype in (torch.bfloat16, torch.float16):
        same = torch.allclose(runs[torch.float32], runs[dtype], atol=0.01)
        print(f"  same losses as float32 (atol=0.01), {str(dtype).removeprefix('torch.')}: {same}")
