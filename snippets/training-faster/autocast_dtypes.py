import torch
from torch import nn

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"
device_type = torch.device(device).type  # "cuda" or "cpu": what torch.autocast expects
use_cuda = device_type == "cuda"
# The low-precision type autocast uses here: float16 on a CUDA GPU, bfloat16 on the CPU.
low = torch.float16 if use_cuda else torch.bfloat16

print("dtype     bytes  largest     smallest normal  gap after 1.0")
for dtype in (torch.float32, torch.float16, torch.bfloat16):
    info = torch.finfo(dtype)
    name = str(dtype).removeprefix("torch.")
    print(f"{name:8}  {info.bits // 8:5d}  {info.max:10.5g}  {info.tiny:15.5g}  {info.eps:.5g}")

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10)).to(device)
x = torch.randn(8, 64).to(device)
y = torch.randint(0, 10, (8,)).to(device)

with torch.autocast(device_type, dtype=low):
    hidden = model[0](x)  # nn.Linear: a matrix product, run in low precision
    activated = model[1](hidden)  # ReLU: not on autocast's lists, keeps its input's type
    logits = model[2](activated)
    loss = nn.functional.cross_entropy(logits, y)  # a loss: autocast runs it in float32
print("input:      ", x.dtype)
print("Linear out: ", hidden.dtype)
print("ReLU out:   ", activated.dtype)
print("logits:     ", logits.dtype)
print("loss:       ", loss.dtype)
print("weights:    ", model[0].weight.dtype)

loss.backward()  # outside the autocast block
print("weight grad:", model[0].weight.grad.dtype)
print("after the block, Linear out:", model[0](x).dtype)
