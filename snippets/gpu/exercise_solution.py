import torch
from torch import nn

# 1. Pick the device with the idiom.
device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"

# 2. Make the data on the CPU (seeded), then move it.
torch.manual_seed(0)
x = torch.rand(100, 1) * 4 - 2  # 100 points in [-2, 2)
y = 2 * x + 1 + 0.05 * torch.randn(100, 1)
x, y = x.to(device), y.to(device)

# 3. Move the model before creating the optimizer.
model = nn.Linear(1, 1).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loss_fn = nn.MSELoss()

for _ in range(100):
    loss = loss_fn(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

# 4. Bring results back: .item() for single numbers, .cpu().numpy() for arrays
#    (with .detach() first when the tensor is part of the autograd graph).
print(f"final loss: {loss.item():.4f}")
print(f"weight: {model.weight.item():.4f}  bias: {model.bias.item():.4f}")
new_x = torch.tensor([[0.0], [1.0], [2.0]]).to(device)
with torch.no_grad():
    predictions = model(new_x).cpu().numpy()  # no graph under no_grad: no detach needed
print("predictions for 0, 1, 2:", [round(float(p), 4) for p in predictions.ravel()])
