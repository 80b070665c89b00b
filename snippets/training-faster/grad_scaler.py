import inspect

import torch
from sklearn.datasets import load_digits
from torch import nn

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"
device_type = torch.device(device).type

digits = load_digits()
x = (torch.tensor(digits.data, dtype=torch.float32) / 16).to(device)
y = torch.tensor(digits.target).to(device)


def make_model():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 10)).to(device)


# 1. Why float16 needs a scaler: store the float32 gradients of one step in 16 bits.
model = make_model()
nn.functional.cross_entropy(model(x), y).backward()
grads = torch.cat([p.grad.flatten() for p in model.parameters()])
grads = grads[grads != 0]
start = torch.amp.GradScaler(device_type).get_scale()  # the factor a new scaler starts with
print(f"gradients of the first step that are not 0: {grads.numel()}")
print("stored as           become 0   lose digits (below the smallest normal)")
for name, dtype, factor in (
    ("float16", torch.float16, 1.0),
    ("bfloat16", torch.bfloat16, 1.0),
    (f"float16, x {start:.0f}", torch.float16, start),
):
    stored = (grads * factor).to(dtype)
    zeros = (stored == 0).sum().item()
    small = (stored.abs() < torch.finfo(dtype).tiny).sum().item() - zeros
    print(f"{name:18}  {zeros:8d}   {small:6d}")

# 2. The scaler at work: a factor far too large makes gradients overflow in float16.
model = make_model()
optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
scaler = torch.amp.GradScaler(device_type, init_scale=2.0**24)
print("\nstep  scale used   weights changed  scale after update")
for step in range(1, 7):
    with torch.autocast(device_type, dtype=torch.float16):
        loss = nn.functional.cross_entropy(model(x), y)
    optimizer.zero_grad()
    used = scaler.get_scale()
    scaler.scale(loss).backward()
    before = model[0].weight.detach().clone()
    scaler.step(optimizer)  # skips optimizer.step() if a gradient is inf or NaN
    scaler.update()  # halves the factor after a skipped step
    changed = not torch.equal(before, model[0].weight)
    print(f"{step:4d}  {used:10.0f}   {changed!s:15}  {scaler.get_scale():10.0f}")

# 3. To skip or not, step() needs the answer on the CPU: it reads it with .item().
source = inspect.getsource(torch.amp.GradScaler._maybe_opt_step)
reads = next(line.strip() for line in source.splitlines() if ".item()" in line)
print("\nin GradScaler._maybe_opt_step, which step() calls:", reads)
