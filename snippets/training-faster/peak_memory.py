import torch
from torch import nn

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"
MiB = 2**20


def size(t):
    return t.element_size() * t.nelement()  # bytes per number * how many numbers


torch.manual_seed(0)
model = nn.Sequential(nn.Linear(512, 2048), nn.ReLU(), nn.Linear(2048, 10)).to(device)
weights = sum(size(p) for p in model.parameters())
print(f"weights: {weights / MiB:.2f} MiB, and as much again for their gradients")


def training_step(batch_size):
    x = torch.randn(batch_size, 512).to(device)
    y = torch.randint(0, 10, (batch_size,)).to(device)
    if torch.accelerator.is_available():
        torch.accelerator.reset_peak_memory_stats()  # measure the peak from here on
    hidden = model[1](model[0](x))  # kept until backward, like every activation
    loss = nn.functional.cross_entropy(model[2](hidden), y)
    loss.backward()
    model.zero_grad(set_to_none=True)  # drop the gradients: each step starts from the weights alone
    if torch.accelerator.is_available():
        peak = f"{torch.accelerator.max_memory_allocated() / MiB:.1f} MiB"
    else:
        peak = "only on an accelerator"
    return size(x), size(hidden), peak  # x, hidden and loss are freed when the function returns


print("batch   input   hidden layer   peak measured")
for batch_size in (256, 1024, 4096):
    x_bytes, hidden_bytes, peak = training_step(batch_size)
    print(f"{batch_size:5d}  {x_bytes / MiB:5.1f} MiB  {hidden_bytes / MiB:8.1f} MiB   {peak}")

try:
    too_big = torch.empty(2**40, device=device)  # 2**40 float32 numbers: 4 TiB
except torch.OutOfMemoryError as error:  # what CUDA raises
    print("torch.OutOfMemoryError:", ". ".join(str(error).split(". ")[:2]))
except RuntimeError as error:  # what the CPU raises
    print("RuntimeError:", str(error).split("DefaultCPUAllocator: ")[-1])
if torch.accelerator.is_available():
    torch.accelerator.empty_cache()  # hand cached blocks that no tensor uses back to the device
    print(f"still allocated: {torch.accelerator.memory_allocated() / MiB:.1f} MiB")
