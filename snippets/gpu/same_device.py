import torch
from torch import nn

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"

# Synthetic data, created on the CPU (as a data loader would hand it to you).
torch.manual_seed(0)
inputs = torch.randn(64, 4)
targets = inputs.sum(dim=1, keepdim=True)

model = nn.Linear(4, 1).to(device)  # 1. move the model once, before training
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loss_fn = nn.MSELoss()

for step in range(1, 31):
    # 2. move every batch to the model's device, right before it is used
    x, y = inputs.to(device), targets.to(device)
    loss = loss_fn(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if step % 10 == 0:
        # 3. .item() copies a one-element result back as a Python float
        print(f"step {step:2d}: loss {loss.item():.4f}")

# A quick check you can drop into any program when a device error appears.
print("model on:  ", next(model.parameters()).device.type)
print("inputs on: ", x.device.type)
print("targets on:", y.device.type)
