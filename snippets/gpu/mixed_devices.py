import torch
from torch import nn

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"

torch.manual_seed(0)
model = nn.Linear(2, 1).to(device)
batch = torch.randn(3, 2)  # the mistake: this batch is never moved to the device
print("model on:", model.weight.device.type, "| batch on:", batch.device.type)
try:
    model(batch)
    print("model(batch) ran: without an accelerator, everything is on the one device there is")
except RuntimeError as error:
    print("RuntimeError:", error)

# The exception to the rule: a 0-dimensional CPU tensor mixes with tensors on any device.
scale = torch.tensor(2.0)  # 0-dimensional, on the CPU
scaled = model.weight * scale
print("weight on:", model.weight.device.type, "| scale on:", scale.device.type, end=" ")
print("| weight * scale on:", scaled.device.type)
