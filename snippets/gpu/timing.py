# varies: ms
import time

import torch
from torch import nn

# Time on the CPU, and on the accelerator too when there is one.
devices = ["cpu"]
if torch.accelerator.is_available():
    devices.append(torch.accelerator.current_accelerator().type)


def wait_for(device):
    """Block until the device has finished all queued work (a no-op on the CPU)."""
    if device != "cpu":
        torch.accelerator.synchronize()


def time_it(fn, device, repeats):
    fn()  # warm-up: the first call pays one-off setup costs
    wait_for(device)
    start = time.perf_counter()
    for _ in range(repeats):
        fn()
    wait_for(device)  # without this, a GPU timing stops before the work is done
    return (time.perf_counter() - start) / repeats * 1000


torch.manual_seed(0)
a_cpu, b_cpu = torch.randn(1024, 1024), torch.randn(1024, 1024)
x_cpu, y_cpu = torch.randn(256, 512), torch.randn(256, 1)


def time_matmul(device):
    a, b = a_cpu.to(device), b_cpu.to(device)
    return time_it(lambda: a @ b, device, repeats=10)


def time_training_step(device):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 1)).to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    x, y = x_cpu.to(device), y_cpu.to(device)

    def train_step():
        loss = nn.functional.mse_loss(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    return time_it(train_step, device, repeats=20)


for device in devices:
    print(f"matmul 1024x1024 on {device}: {time_matmul(device):.3f} ms per run")
    print(f"training step (batch of 256) on {device}: {time_training_step(device):.3f} ms per step")
