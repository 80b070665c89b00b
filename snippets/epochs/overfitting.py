import torch
from torch import nn, optim

# Few noisy points from y = 2x^2 + noise: 12 to train on, 50 to validate with.
gen = torch.Generator().manual_seed(1)
x = torch.rand(62, 1, generator=gen) * 2 - 1
y = 2 * x**2 + 0.3 * torch.randn(62, 1, generator=gen)
x_train, y_train = x[:12], y[:12]
x_val, y_val = x[12:], y[12:]

# Far too many parameters for 12 points: enough to bend through every one of them.
torch.manual_seed(0)
model = nn.Sequential(
    nn.Linear(1, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 1)
)
print("parameters:", sum(p.numel() for p in model.parameters()), "| training points:", len(x_train))
loss_fn = nn.MSELoss()
optimizer = optim.Adam(model.parameters(), lr=0.005)

# 12 samples fit in one batch, so here one epoch is one step.
best_epoch, best_val = 0, float("inf")
print("epoch  train loss  val loss")
for epoch in range(1, 201):
    model.train()
    train_loss = loss_fn(model(x_train), y_train)
    optimizer.zero_grad()
    train_loss.backward()
    optimizer.step()

    model.eval()
    with torch.no_grad():
        val_loss = loss_fn(model(x_val), y_val).item()
    if val_loss < best_val:
        best_epoch, best_val = epoch, val_loss
    if epoch == 1 or epoch % 20 == 0:
        print(f"{epoch:5d}  {train_loss.item():10.4f}  {val_loss:8.4f}")

print(f"lowest validation loss: {best_val:.4f} at epoch {best_epoch}")

# The noise level: the true curve y = 2x^2 itself, scored on the same points.
true_train = loss_fn(2 * x_train**2, y_train).item()
true_val = loss_fn(2 * x_val**2, y_val).item()
print(f"the true curve: train loss {true_train:.4f}  val loss {true_val:.4f}")
