import torch
from torch import nn, optim

device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"

# Data: y = 2*x1 - 3*x2 + 0.5, plus a little noise. Two input features.
torch.manual_seed(0)
x = torch.randn(200, 2)
y = x @ torch.tensor([[2.0], [-3.0]]) + 0.5 + 0.05 * torch.randn(200, 1)
x, y = x.to(device), y.to(device)

model = nn.Linear(2, 1).to(device)
loss_fn = nn.MSELoss()
optimizer = optim.SGD(model.parameters(), lr=0.1)

for step in range(1, 101):
    loss = loss_fn(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if step == 1 or step % 25 == 0:
        print(f"step {step:3d}  loss {loss.item():.4f}")

print("weights:", [round(w, 2) for w in model.weight.squeeze(0).tolist()], "(true [2.0, -3.0])")
print(f"bias: {model.bias.item():.2f} (true 0.5)")

# Predict three new points without recording gradients.
x_new = torch.tensor([[1.0, 1.0], [0.0, 0.0], [2.0, -1.0]]).to(device)
model.eval()
with torch.inference_mode():
    pred = model(x_new)
truth = x_new @ torch.tensor([[2.0], [-3.0]], device=device) + 0.5
for p, t in zip(pred.squeeze(1).tolist(), truth.squeeze(1).tolist(), strict=True):
    print(f"predicted {p:6.2f}   true {t:6.2f}")
