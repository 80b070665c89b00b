import torch
from torch import nn

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"
print("device:", torch.device(device).type)

# Build the model and its random weights on the CPU, then move it.
torch.manual_seed(0)
model = nn.Linear(3, 2)
model.to(device)  # a module moves in place: every parameter is now on `device`
print("weight on:", model.weight.device.type, "| bias on:", model.bias.device.type)

# A tensor does NOT move in place: .to() returns a new tensor, so assign it.
x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
x = x.to(device)
print("input on:", x.device.type)

# A tensor can also be created directly on the device.
offset = torch.ones(2, 2, device=device)

out = model(x) + offset  # everything on one device, so this runs there
print("output on:", out.device.type, "| shape:", tuple(out.shape))
print("values:", [[round(v, 4) for v in row] for row in out.tolist()])
