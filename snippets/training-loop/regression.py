import torch
from torch import nn, optim

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"

# Data: 100 points on the line y = 3x + 1, with a little noise.
# Built on the CPU with a fixed seed, then moved to the device.
torch.manual_seed(0)
x = torch.rand(100, 1) * 2 - 1  # 100 samples, 1 feature each, in [-1, 1)
y = 3 * x + 1 + 0.1 * torch.randn(100, 1)
x, y = x.to(device), y.to(device)

model = nn.Linear(1, 1).to(device)  # learns one weight and one bias
loss_fn = nn.MSELoss()
optimizer = optim.SGD(model.parameters(), lr=0.1)

for step in range(1, 201):
    pred = model(x)  # 1. forward
    loss = loss_fn(pred, y)  # 2. loss
    optimizer.zero_grad()  # 3. clear old gradients
    loss.backward()  # 4. backward
    optimizer.step()  # 5. update the parameters
    if step == 1 or step % 25 == 0:
        print(f"step {step:3d}  loss {loss.item():.4f}")

print("device:", next(model.parameters()).device.type)
print(f"learned weight: {model.weight.item():.2f}  (true value 3)")
print(f"learned bias:   {model.bias.item():.2f}  (true value 1)")
