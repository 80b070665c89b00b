import torch
from torch import nn

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"

# The mistake: .to() on a tensor returns a moved *copy*; the tensor itself stays put.
# A dtype shows it on any machine, a device in the same way on a GPU machine.
x = torch.ones(2)
x.to(torch.float64)
print("x after x.to(float64):      ", x.dtype)

# The fix: keep the result.
x = x.to(torch.float64)
print("x after x = x.to(float64):  ", x.dtype)

# Modules are the exception: model.to() moves the model's own parameters in place.
model = nn.Linear(2, 1)
model.to(torch.float64)
print("weight after model.to(float64):", model.weight.dtype)

# So the book writes both the same way, which is right for both.
batch = torch.ones(4, 2).to(device)
model = model.to(device)
print("batch on", batch.device.type, "| model on", model.weight.device.type)
