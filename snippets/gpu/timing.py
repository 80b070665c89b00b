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


def milliseconds(fn, device, repeats, wait=True):
    """Average time of fn over repeats, waiting for the device before reading the clock."""
    wait_for(device)
    start = time.perf_counter()
    for _ in range(repeats):
        fn()
    if wait:
        wait_for(device)  # without this, the clock stops before the device has finished
    return (time.perf_counter() - start) / repeats * 1000


torch.manual_seed(0)
a_cpu, b_cpu = torch.randn(1024, 1024), torch.randn(1024, 1024)
x_cpu, y_cpu = torch.randn(4096, 512), torch.randn(4096, 1)


def training_step(device, batch_size, read_loss=False):
    """One training step of a small network, as a function to time."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 1)).to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    x, y = x_cpu[:batch_size].to(device), y_cpu[:batch_size].to(device)

    def step():
        loss = nn.functional.mse_loss(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if read_loss:
            loss.item()  # copies the loss to the CPU, so it waits for the device

    return step


def matmul_times(device):
    """The first call, 10 later single calls, then 10 calls without and with waiting."""
    a, b = a_cpu.to(device), b_cpu.to(device)

    def product():
        return a @ b

    first = milliseconds(product, device, 1)
    later = [milliseconds(product, device, 1) for _ in range(10)]  # the noise of one call
    no_wait = milliseconds(product, device, 10, wait=False)
    waited = milliseconds(product, device, 10)
    return first, later, no_wait, waited


for device in devices:
    first, later, no_wait, waited = matmul_times(device)
    print(f"matmul 1024x1024 on {device}:")
    print(f"  {'first call (warm-up):':34} {first:8.3f} ms")
    print(f"  {'10 later calls, fastest:':34} {min(later):8.3f} ms")
    print(f"  {'10 later calls, slowest:':34} {max(later):8.3f} ms")
    print(f"  {'clock read without waiting:':34} {no_wait:8.3f} ms per run")
    print(f"  {'clock read after waiting:':34} {waited:8.3f} ms per run")
    print(f"training step on {device}:")
    for batch_size, read_loss in ((256, False), (256, True), (4096, False)):
        step = training_step(device, batch_size, read_loss)
        step()  # warm-up
        what = f"batch of {batch_size}" + (", .item() every step" if read_loss else "")
        print(f"  {what + ':':34} {milliseconds(step, device, 10):8.3f} ms per step")
