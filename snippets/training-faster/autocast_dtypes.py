import torch
from torch import nn

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"
device_type = torch.device(device).type  # "cpu", "cuda", ...: what torch.autocast expects

print("dtype     bytes  largest     smallest normal  gap after 1.0")
for dtype in (torch.float32, torch.float16, torch.bfloat16):
    info = torch.finfo(dtype)
    name = str(dtype).removeprefix("torch.")
    print(f"{name:8}  {info.bits // 8:5d}  {info.max:10.5g}  {info.tiny:15.5g}  {info.eps:.5g}")

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10)).to(device)
x = torch.randn(8, 64).to(device)
y = torch.randint(0, 10, (8,)).to(device)

# The type autocast picks when it is given none differs from device to device.
print(f"\nautocast's default on {device_type}: {torch.get_autocast_dtype(device_type)}")
print("                float16          bfloat16")
types = {}
for low in (torch.float16, torch.bfloat16):
    with torch.autocast(device_type, dtype=low):
        hidden = model[0](x)  # nn.Linear: a matrix product, run in low precision
        activated = model[1](hidden)  # ReLU: not on autocast's lists, keeps its input's type
        logits = model[2](activated)
        loss = nn.functional.cross_entropy(logits, y)  # a loss: autocast runs it in float32
    model.zero_grad()
    loss.backward()  # outside the autocast block
    types[low] = {
        "input": x.dtype,
        "Linear out": hidden.dtype,
        "ReLU out": activated.dtype,
        "logits": logits.dtype,
        "loss": loss.dtype,
        "weights": model[0].weight.dtype,  # autocast casts a copy, the weights stay float32
        "weight grad": model[0].weight.grad.dtype,
    }
for row in types[torch.float16]:
    print(f"{row + ':':14}  {str(types[torch.float16][row]):15}  {types[torch.bfloat16][row]}")
print("after the block, Linear out:", model[0](x).dtype)
